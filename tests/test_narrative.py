"""Narrative templates: Chinese number formatting, data functions, and a sandbox that never runs code."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from egovdeck.input.data import Dataset
from egovdeck.input.definition import ColumnSpec, DatasetSpec
from egovdeck.resolve.narrative import DataFunctions, TemplateError, change, cn, num, pct, pp, render


@pytest.mark.parametrize("func,args,expected", [
    (num, (14474,), "14,474"),
    (num, (6.94, 2), "6.94"),
    (cn, (694_000_000,), "6.94亿"),
    (cn, (12_000,), "1.2万"),
    (cn, (14474,), "1.45万"),
    (cn, (950,), "950"),
    (pct, (76.8,), "76.8%"),
    (change, (6.1,), "增长6.1%"),
    (change, (-19.7,), "下降19.7%"),
    (pp, (1.5,), "提高1.5个百分点"),
    (pp, (-0.25, 2), "降低0.25个百分点"),
    (change, (0,), "持平"),
    (change, (0.04,), "持平"),
    (change, (-0.04,), "持平"),
    (change, (-0.05,), "下降0.1%"),
    (change, (0.004, 2), "持平"),
    (change, (-0.4, 0, "个", "增加", "减少"), "持平"),
    (pp, (0,), "持平"),
    (pp, (-0.04,), "持平"),
    (num, (-0.04, 1), "0.0"),
    (pct, (-0.04, 1), "0.0%"),
    (cn, (-0.004,), "0"),
    (cn, (-0.4,), "−0.4"),
    (cn, (6.94,), "6.94"),
    (cn, (12.5, 1), "12.5"),
    (cn, (99_999_999.9,), "1亿"),
    (cn, (9_999.6,), "1万"),
    (cn, (9_950,), "9,950"),
    (cn, (-12_000,), "−1.2万"),
])
def test_chinese_formatting(func, args, expected):
    assert func(*args) == expected


@given(value=st.floats(-1e6, 1e6, allow_nan=False), decimals=st.integers(0, 4))
def test_signed_filters_follow_the_value_as_written(value, decimals):
    """The word of change/pp follows the number it prints: never 增长0.0% or 下降0.0%, never a minus on a
    zero (num, pct, cn), and a printed number with a minus is always below zero."""
    shown = num(value, decimals)
    zero = all(c in "0.,\u2212" for c in shown)
    assert not (zero and shown.startswith("\u2212")), shown
    for text in (change(value, decimals), pp(value, decimals)):
        if zero:
            assert text == "持平", (value, decimals, text)
        else:
            assert text.startswith(("增长", "提高") if value > 0 else ("下降", "降低")), (value, decimals, text)
            assert "\u2212" not in text and "-" not in text
    for text in (pct(value, decimals), cn(value, decimals)):
        assert not text.startswith("\u2212") or value < 0, text
        assert text.lstrip("\u2212").rstrip("%万亿").replace(",", "").replace(".", "").strip("0") or \
            not text.startswith("\u2212"), text


@pytest.fixture
def functions() -> DataFunctions:
    spec = DatasetSpec(title="t", file="x.csv", source="资料来源：测试", columns={
        "period": ColumnSpec(type="period"), "users": ColumnSpec(type="number", unit="亿人"),
        "share": ColumnSpec(type="number", required=False)})
    rows = [{"period": "2018-12", "users": 3.94, "share": 47.5}, {"period": "2020-03", "users": 6.94, "share": 76.8}]
    return DataFunctions({"users": Dataset("users", spec, None, rows)})  # type: ignore[arg-type]


def test_templates_take_numbers_from_the_data(functions):
    text = render('{% set a = latest("users", "users") %}{{ a | num(2) }}亿，'
                  '{{ growth(a, previous("users", "users")) | change }}，'
                  '{{ (value("users", "share", period="2020-03") - value("users", "share", period="2018-12")) | pp }}',
                  functions)
    assert text == "6.94亿，增长76.1%，提高29.3个百分点"
    assert render('{{ rank("users", "users", period="2018-12") }}/{{ share("users", "users", period="2020-03") | pct }}',
                  functions) == "2/63.8%"


@pytest.mark.parametrize("template,message", [
    ("{{ ''.__class__.__mro__ }}", "not allowed in a template"),
    ("{{ cycler.__init__.__globals__ }}", "not allowed in a template"),
    ("{{ undefined_name }}", "'undefined_name' is undefined"),
    ('{{ latest("nope", "users") }}', 'unknown dataset "nope"'),
    ('{{ latest("users", "nope") }}', 'has no column "nope"'),
    ('{{ value("users", "users") }}', "matches 2 rows, expected exactly 1"),
    ("{% for x in %}", "template syntax"),
])
def test_bad_templates_fail_with_a_clear_message(functions, template, message):
    with pytest.raises(TemplateError) as exc:
        render(template, functions)
    assert message in str(exc.value)


# ---------------------------------------------------------------- issue 12: top ascending, count with a comparison


@pytest.fixture
def provinces() -> DataFunctions:
    spec = DatasetSpec(title="t", file="x.csv", source="资料来源：测试", columns={
        "province": ColumnSpec(type="text"), "websites": ColumnSpec(type="integer", required=False)})
    rows = [{"province": p, "websites": n} for p, n in
            [("甲", 900), ("乙", 51), ("丙", 300), ("丁", None), ("戊", 51), ("己", 864)]]
    return DataFunctions({"p": Dataset("p", spec, None, rows)})  # type: ignore[arg-type]


@pytest.mark.parametrize(("template", "expected"), [
    ("{{ top('p', 'websites', 3) | map(attribute='province') | join }}", "甲己丙"),
    ("{{ top('p', 'websites', 3, ascending=true) | map(attribute='province') | join }}", "乙戊丙"),  # ties: file order
    ("{{ top('p', 'websites', 2, true) | map(attribute='province') | join }}", "乙戊"),
    ("{{ top('p', 'websites', 1, ascending=true, province=['甲', '丙'])[0].province }}", "丙"),
    ("{{ count('p', websites={'ge': 300}) }}", "3"),
    ("{{ count('p', websites={'gt': 51, 'lt': 900}) }}", "2"),
    ("{{ count('p', websites={'ne': 51}) }}", "3"),  # the empty cell matches no comparison
    ("{{ count('p', province={'not_in': ['甲', '乙']}) }}", "4"),
    ("{{ count('p', province=['甲', '乙']) }}", "2"),
    ("{{ total('p', 'websites', websites={'lt': 100}) }}", "102"),
])
def test_top_smallest_first_and_count_with_a_comparison(provinces, template, expected):
    assert render(template, provinces) == expected


@pytest.mark.parametrize(("template", "message", "hint"), [
    ("{{ latest('p') }}", "latest() needs the column argument", 'latest("dataset", "column"'),
    ("{{ value(2019, 'websites') }}", "the dataset argument must be a name in quotes, found 2019", "value("),
    ("{{ growth(1, 2, 3) }}", "growth() takes at most 2 arguments", "growth(new, old)"),
    ("{{ growth(1, old=2, base=3) }}", 'growth() has no argument "base"', "growth(new, old)"),
    ("{{ top('p', 'websites', 2, 'yes') }}", "ascending must be true or false, found 'yes'", "ascending=true"),
    ("{{ count('p', websites={'gte': 3}) }}", 'unknown comparison "gte"', "comparisons: eq, ne, gt, ge"),
    ("{{ count('p', websites={'gt': [1]}) }}", "compare with a number or a period", 'websites={"ge": 500}'),
    ("{{ 1000000 | num(1000000) }}", "num: decimals must be a whole number from 0 to 10, found 1000000", "decimals"),
    ("{{ 5 | num(-1) }}", "decimals must be a whole number from 0 to 10, found -1", "decimals"),
    ("{{ 'x' | pct }}", "pct: the value must be a number, found 'x'", "number | pct"),
    ("{{ num(1000000) }}", "'num' is undefined", "num is a filter"),
])
def test_a_wrong_argument_is_named(provinces, template, message, hint):
    with pytest.raises(TemplateError) as exc:
        render(template, provinces)
    assert message in str(exc.value)
    assert hint in exc.value.hint


def test_an_undefined_name_given_to_a_filter_is_named_as_undefined(provinces):
    with pytest.raises(TemplateError) as exc:
        render("{{ nwo | num }}", provinces)
    assert "'nwo' is undefined" in str(exc.value)


# ---------------------------------------------------------------- session 7: number functions on cells that are not numbers


@pytest.fixture
def mixed() -> DataFunctions:
    spec = DatasetSpec(title="t", file="x.csv", source="资料来源：测试", columns={
        "province": ColumnSpec(type="text"), "period": ColumnSpec(type="period"),
        "websites": ColumnSpec(type="integer", required=False), "zero": ColumnSpec(type="number")})
    rows = [{"province": p, "period": q, "websites": n, "zero": 0} for p, q, n in
            [("甲", "2020", 900), ("乙", "2021", None), ("丙", "2022", 300)]]
    return DataFunctions({"p": Dataset("p", spec, None, rows)})  # type: ignore[arg-type]


@pytest.mark.parametrize(("template", "message", "hint"), [
    # was a Python TypeError ('>' not supported between int and NoneType) printed as the message
    ("{{ rank('p', 'websites', province='乙') }}", 'value("p", "websites", province="乙") is empty', "fill the cell"),
    ("{{ share('p', 'websites', province='乙') }}", 'value("p", "websites", province="乙") is empty', "fill the cell"),
    # text and period columns were ranked in code-point order, summed to 0, or a TypeError
    ("{{ rank('p', 'province', province='甲') }}", 'the column "province" holds text values', "websites, zero"),
    ("{{ share('p', 'period', province='甲') }}", 'the column "period" holds period values', "websites, zero"),
    ("{{ total('p', 'province') }}", 'total("p", "province")', "number column"),
    ("{{ top('p', 'period', 2) }}", 'top("p", "period")', "number column"),
    # a ZeroDivisionError
    ("{{ share('p', 'zero', province='甲') }}", "sums to zero", "{% if total"),
    ("{{ growth('多', 2) }}", "the new value must be a number", "growth(new, old)"),
    ("{{ growth(none, 2) }}", "the new value is empty", "latest()"),
    ("{{ growth(3, '少') }}", "the old value must be a number", "growth(new, old)"),
])
def test_number_functions_refuse_cells_that_are_not_numbers(mixed, template, message, hint):
    with pytest.raises(TemplateError) as exc:
        render(template, mixed)
    assert message in str(exc.value) and "Error:" not in str(exc.value)
    assert hint in exc.value.hint


def test_number_functions_on_a_column_with_gaps(mixed):
    """Gaps count as nothing: a total of the known cells, ranks and shares among them, top without them."""
    assert render("{{ total('p', 'websites') }}|{{ rank('p', 'websites', province='丙') }}|"
                  "{{ share('p', 'websites', province='丙') | pct }}|{{ top('p', 'websites', 3) | map(attribute='province') | join }}",
                  mixed) == "1200|2|25.0%|甲丙"


@pytest.mark.parametrize(("template", "message", "hint"), [
    ("{{ 'x' | truncate(-1) }}", "a filter's argument is out of range", "truncate(20)"),  # was an AssertionError: exit 3
    ("{{ 10 ** 3 | num }}", "arithmetic on text", "{{ (a - b) | num }}"),  # a filter binds before arithmetic
    ("{{ '多' + 1 }}", "arithmetic on text", "join texts with ~"),
    ("{{ 5 / (3 - 3) }}", "the template divides by zero", "{% if old %}"),
    ("{{ (1e308 * 10) | num }}", "Infinity is not a number that can be written", "check the arithmetic"),
])
def test_errors_of_the_template_own_arithmetic_are_said_in_its_terms(functions, template, message, hint):
    with pytest.raises(TemplateError) as exc:
        render(template, functions)
    assert str(exc.value).startswith(message) and hint in exc.value.hint
    assert exc.value.line == 1


@given(value=st.floats(-1e17, 1e17, allow_nan=False), decimals=st.integers(0, 4))
def test_cn_reads_back_as_the_value_at_its_decimals(value, decimals):
    """cn's text, read back (万 = 10^4, 亿 = 10^8), is the value to within half a unit of its last decimal, below 1万
    too (6.94 | cn printed 7, 12.5 | cn(1) 13: a value already in 万 or 亿 lost its decimals), 万 and 亿 hold
    fewer than 10,000 (3.2e13 printed 320000亿: 万亿 now), and no decimal
    part ends in 0."""
    text = cn(value, decimals)
    scale = 1e12 if text.endswith("万亿") else {"亿": 1e8, "万": 1e4}.get(text[-1], 1.0)
    body = text.rstrip("万亿").replace(",", "").replace("\u2212", "-")
    if scale in (1e4, 1e8):  # never 10,000万 or 320000亿: the next magnitude (万亿 since 320000亿 was printed)
        assert abs(float(body)) < 1e4, text
    assert abs(float(body) * scale - value) <= 0.5 * 10 ** -decimals * scale * (1 + 1e-9) + 1e-6 * abs(value), text
    assert not ("." in body and body.endswith("0")), text


@pytest.mark.parametrize("template", ["{{ 746.05 / 10 | round(1) }}", "{{ 0.1 + 0.2 }}", "共{{ 2 / 3 }}"])
def test_a_bare_number_with_float_noise_is_refused_with_the_fix(template):
    """A new user's {{ a / b | round(1) }} (the filter binds to b) printed 「74.60499999999999分」 in both outputs."""
    from egovdeck.resolve.narrative import TemplateError

    with pytest.raises(TemplateError) as exc:
        render(template, DataFunctions({}))
    assert "without a format" in str(exc.value) and "(a / b) | num(1)" in exc.value.hint


@pytest.mark.parametrize("template, text", [("{{ (746.05 / 10) | round(1) }}", "74.6"), ("{{ 3.5 }}", "3.5"),
                                            ("{{ 12 / 4 }}", "3.0")])
def test_a_bare_number_without_noise_prints_as_written(template, text):
    assert render(template, DataFunctions({})) == text
