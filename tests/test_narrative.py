"""Narrative templates: Chinese number formatting, data functions, and a sandbox that never runs code."""

from __future__ import annotations

import pytest

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
])
def test_chinese_formatting(func, args, expected):
    assert func(*args) == expected


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
