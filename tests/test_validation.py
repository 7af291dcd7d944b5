"""Unit tests of the checks behind the messages: decoding, cell conversion, periods, safe paths, locations."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from egovdeck.errors import Collector, EgovError, Problem
from egovdeck.input.data import convert, decode, period_label
from egovdeck.input.project import safe_path

ROOT = Path(__file__).resolve().parents[1]

TEXT = "时间,政府网站数量\n2019-12,14474\n"

# --------------------------------------------------------------------------- decode


def test_decode_utf8():
    assert decode(TEXT.encode("utf-8")) == (TEXT, "utf-8")


def test_decode_utf8_with_bom_drops_the_bom():
    text, encoding = decode(TEXT.encode("utf-8-sig"))
    assert (text, encoding) == (TEXT, "utf-8-sig")
    assert not text.startswith("\ufeff")


def test_decode_detects_gb18030():
    raw = TEXT.encode("gb18030")
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert decode(raw) == (TEXT, "gb18030")


def test_decode_gb18030_four_byte_characters():
    text = "𠀀,㐀\n"  # outside GBK: GB18030 four-byte sequences
    assert decode(text.encode("gb18030")) == (text, "gb18030")


def test_decode_ascii_is_utf8():
    assert decode(b"a,b\n1,2\n") == ("a,b\n1,2\n", "utf-8")


def test_decode_refuses_undecodable_bytes():
    with pytest.raises(ValueError, match=r"^neither UTF-8 nor GB18030 \(undecodable byte at offset 2\)$"):
        decode(b"a,\xff\xff\n")


def test_decode_names_utf16():
    with pytest.raises(ValueError, match=r"^UTF-16 text \(Excel's 'Unicode Text'\), neither UTF-8 nor GB18030$"):
        decode(TEXT.encode("utf-16"))


# --------------------------------------------------------------------------- convert


@pytest.mark.parametrize("text,kind,expected", [
    ("14474", "integer", 14474),
    ("14,474", "integer", 14474),
    (" -3488 ", "integer", -3488),
    ("+12", "integer", 12),
    ("17962.0", "integer", 17962),
    ("6.94", "number", 6.94),
    ("-0.5", "number", -0.5),
    ("\u221219.7", "number", -19.7),  # a typographic minus sign
    ("1,234.5", "number", 1234.5),
    (".5", "number", 0.5),
    ("1e3", "number", 1000.0),
    ("  四川 ", "text", "四川"),
    ("2019", "period", "2019"),
    ("2019-12", "period", "2019-12"),
    ("2019-12-31", "date", "2019-12-31"),
    ("2020-02-29", "date", "2020-02-29"),
])
def test_convert_accepts(text, kind, expected):
    value = convert(text, kind)
    assert value == expected and type(value) is type(expected)


@pytest.mark.parametrize("text,kind,expected", [
    ("约1.8万", "integer", "an integer (e.g. 14474)"),
    ("1.5", "integer", "an integer (e.g. 14474)"),
    ("76.8%", "number", "a number (e.g. 6.94)"),
    ("n/a", "number", "a number (e.g. 6.94)"),
    ("nan", "number", "a number (e.g. 6.94)"),
    ("inf", "number", "a number (e.g. 6.94)"),
    ("1_000", "number", "a number (e.g. 6.94)"),
    ("2019-13", "period", "a period like 2019 or 2019-12"),
    ("2019-1", "period", "a period like 2019 or 2019-12"),
    ("2019年", "period", "a period like 2019 or 2019-12"),
    ("2019-12-31", "period", "a period like 2019 or 2019-12"),
    ("2019-02-30", "date", "a date like 2019-12-31"),
    ("2019/12/31", "date", "a date like 2019-12-31"),
    ("x", "colour", "unknown column type colour"),
])
def test_convert_refuses_with_what_was_expected(text, kind, expected):
    with pytest.raises(ValueError) as exc:
        convert(text, kind)
    assert str(exc.value) == expected


# --------------------------------------------------------------------------- periods


@pytest.mark.parametrize("value,label", [
    ("2019", "2019年"),
    ("2019-12", "2019年12月"),
    ("2020-03", "2020年3月"),
    ("1983年起", "1983年起"),  # not a period: unchanged
    (2019, "2019年"),
])
def test_period_label(value, label):
    assert period_label(value) == label


# --------------------------------------------------------------------------- safe_path


@pytest.fixture
def project(tmp_path) -> Path:
    root = tmp_path / "project"
    (root / "data").mkdir(parents=True)
    (root / "data" / "a.csv").write_text("x\n1\n", encoding="utf-8")
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "secret.csv").write_text("x\n1\n", encoding="utf-8")
    return root


def test_safe_path_inside(project):
    assert safe_path(project, "data/a.csv") == (project / "data" / "a.csv").resolve()
    assert safe_path(project, "a.csv", base=project / "data") == (project / "data" / "a.csv").resolve()
    assert safe_path(project, "data/../data/a.csv") == (project / "data" / "a.csv").resolve()
    assert safe_path(project, str(project / "data" / "a.csv")) == (project / "data" / "a.csv").resolve()


def test_safe_path_dotdot(project):
    with pytest.raises(ValueError) as exc:
        safe_path(project, "../outside/secret.csv")
    target = (project.parent / "outside" / "secret.csv").resolve()
    assert str(exc.value) == f'"../outside/secret.csv" leads outside the project: it resolves to {target}'


def test_safe_path_dotdot_relative_to_a_sidecar(project):
    with pytest.raises(ValueError, match=r'^"\.\./\.\./outside/secret\.csv" leads outside the project'):
        safe_path(project, "../../outside/secret.csv", base=project / "data")


def test_safe_path_absolute_outside(project):
    target = project.parent / "outside" / "secret.csv"
    with pytest.raises(ValueError) as exc:
        safe_path(project, str(target))
    assert str(exc.value) == f'"{target}" is an absolute path outside the project: it resolves to {target.resolve()}'


def test_safe_path_symlink_pointing_outside(project):
    link = project / "data" / "b.csv"
    link.symlink_to(project.parent / "outside" / "secret.csv")
    with pytest.raises(ValueError) as exc:
        safe_path(project, "data/b.csv")
    assert str(exc.value).startswith('"data/b.csv" is a link pointing outside the project: it resolves to ')


def test_safe_path_through_a_linked_folder(project):
    (project / "linked").symlink_to(project.parent / "outside", target_is_directory=True)
    with pytest.raises(ValueError, match=r'^"linked/secret\.csv" goes through a link pointing outside the project'):
        safe_path(project, "linked/secret.csv")


def test_safe_path_symlink_inside_is_fine(project):
    (project / "data" / "alias.csv").symlink_to(project / "data" / "a.csv")
    assert safe_path(project, "data/alias.csv") == (project / "data" / "a.csv").resolve()


# --------------------------------------------------------------------------- problems and their locations


def test_problem_text_names_file_line_column_key_and_hint():
    p = Problem('unknown layout "chart-txt"', file="reports/r.yaml", line=12, column=9,
                key="sections[2].findings[0].layout", hint='did you mean "chart-text"?')
    assert str(p) == ('reports/r.yaml:12:9: error: sections[2].findings[0].layout: unknown layout "chart-txt"\n'
                      '    hint: did you mean "chart-text"?')


def test_problem_paths_are_shown_relative_to_the_working_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    p = Problem("the file is empty", file=tmp_path / "data" / "x.csv", warning=True)
    assert str(p) == f"data{os.sep}x.csv: warning: the file is empty"


def test_collector_raises_errors_with_their_warnings():
    c = Collector()
    c.warn("w")
    c.add("e")
    with pytest.raises(EgovError) as exc:
        c.raise_if_errors()
    assert [p.message for p in exc.value.problems] == ["w", "e"]


def test_yaml_unclosed_quote_is_located_at_the_quote():
    from egovdeck.input.yamlload import load_yaml

    with pytest.raises(EgovError) as exc:
        load_yaml(Path("r.yaml"), 'a:\n  b: "x\n  c: 1\n  d: "y"\n')
    (p,) = exc.value.problems
    assert (p.line, p.column) == (2, 6)
    assert p.message == 'invalid YAML: unclosed quote: the value starting with " here is never closed'


@pytest.mark.parametrize("value", ['共有{{ count("d", x={"lt": 0}) }}个', '合计{{ a }}与{{ top("d", "v", 1, where={"k": 1}) }}',
                                   '前{% if x == {"a": 1} %}是{% endif %}'])
def test_yaml_a_colon_inside_an_unquoted_template_says_quote_it(value):
    """A template's own ': ' ({"lt": 0}) inside a plain value is YAML's "mapping values are not allowed here"; the
    hint said to indent the line (a new user's), the fix is to quote the value or write it as a block."""
    from egovdeck.input.yamlload import load_yaml

    with pytest.raises(EgovError) as exc:
        load_yaml(Path("r.yaml"), f"a:\n  text: {value}\n  b: 1\n")
    (p,) = exc.value.problems
    assert p.line == 2 and "template" in p.message and "quote the whole value" in p.hint, (p.message, p.hint)


def test_yaml_positions_of_keys_and_items():
    from egovdeck.input.yamlload import load_yaml

    located = load_yaml(Path("r.yaml"), "a:\n  - x: 1\n    y: [1, 2]\n")
    assert located.where(("a", 0, "y", 1)) == {"file": Path("r.yaml"), "line": 3, "column": 12, "key": "a[0].y[1]"}
    assert located.where(("a", 0, "z")) == {"file": Path("r.yaml"), "line": 2, "column": 5, "key": "a[0].z"}


def test_pydantic_union_errors_become_one_message():
    from egovdeck.input.definition import ChartSpec
    from egovdeck.input.project import _validate
    from egovdeck.input.yamlload import load_yaml

    located = load_yaml(Path("r.yaml"), "chart:\n  dataset: d\n  y: {a: 1}\n")
    problems = Collector()
    assert _validate(ChartSpec, located.data["chart"], located, ("chart",), problems, False) is None
    assert [str(p) for p in problems.problems] == [
        "r.yaml:3:3: error: chart.y: expected a list or text, found a mapping\n"
        "    hint: y: Value field(s); one series each (numeric columns), e.g. y: users"]  # the field's description is the fix's hint


# ----------------------------------------------------------------------------- the libyaml fast path


def _ruamel(path):
    from egovdeck.input import yamlload

    fast = yamlload._fast_load
    yamlload._fast_load = lambda _text: None
    try:
        return yamlload.load_yaml(path)
    finally:
        yamlload._fast_load = fast


def test_fast_yaml_path_gives_the_same_data_and_positions_as_ruamel():
    from egovdeck.input.yamlload import _fast_load

    files = [*sorted((ROOT / "reports").glob("*.yaml")), *sorted((ROOT / "data").glob("*.yaml")),
             ROOT / "src" / "egovdeck" / "resources" / "layouts.yaml", ROOT / "tests" / "broken" / "cases.yaml"]
    for path in files:
        fast = _fast_load(path.read_text(encoding="utf-8"))
        slow = _ruamel(path)
        assert fast is not None, path
        assert fast == (slow.data, slow.positions), path


@pytest.mark.parametrize("text,value", [("a: yes", "yes"), ("a: on", "on"), ("a: 010", 10), ("a: 0o10", 8),
                                        ("a: 1:20", "1:20"), ("a: 2020-05-20", dt.date(2020, 5, 20)),
                                        ("a: .5", 0.5), ("a: ~", None), ("a: 1_000", 1000), ("a: 0x1F", 31), ("a: 1e3", 1000.0)])
def test_fast_yaml_path_resolves_scalars_like_yaml_1_2(text, value):
    from egovdeck.input.yamlload import _fast_load

    assert _fast_load(text)[0] == {"a": value}


def test_committed_json_schema_is_up_to_date():
    """The definitions point editors at schema/report.schema.json; it must describe the current model."""
    import json

    from egovdeck.input.schema import schema

    committed = json.loads((ROOT / "schema" / "report.schema.json").read_text(encoding="utf-8"))
    assert committed == json.loads(json.dumps(schema())), "run: egovdeck schema"
    for definition in (ROOT / "reports").glob("*.yaml"):
        assert definition.read_text(encoding="utf-8").startswith(
            "# yaml-language-server: $schema=../schema/report.schema.json"), definition
