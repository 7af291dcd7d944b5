"""Input limits and the messages of hostile or broken input: the YAML reader and the narrative sandbox.

Every case runs `egovdeck validate` (or `build`) in-process on a broken copy of the bundled project and reads
what the user reads: the exit code and the message (file:line:column, key, hint). Nothing may hang, crash
(exit 3) or show a traceback; each refusal comes in well under the case runner's 10 s.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import copy_project
from egovdeck.cli.main import main as cli
from egovdeck.errors import EgovError
from egovdeck.input.yamlload import load_yaml
from egovdeck.resolve.narrative import DataFunctions, TemplateError, render

TITLE = "  title: 2019年中国在线政务服务发展简报\n"
NARRATIVE = "其中省级、市级、县级的降幅仅见于原文，未能在CNNIC报告文本中核实。"


@pytest.fixture
def definition(tmp_path, monkeypatch) -> Path:
    """A writable copy of the bundled project, the working folder set to it."""
    path = copy_project(tmp_path / "project")
    monkeypatch.chdir(tmp_path / "project")
    return path


def run(definition: Path, old: str, new: str, capsys, command: str = "validate") -> tuple[int, str, float]:
    text = definition.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    definition.write_text(text.replace(old, new), encoding="utf-8")
    started = time.monotonic()
    code = cli.main([command, "reports/egov-2019.yaml"], try_server=False)
    err = capsys.readouterr().err
    assert "Traceback" not in err and "internal error" not in err, err
    return code, err, time.monotonic() - started


def line_of(definition: Path, needle: str) -> int:
    return next(n for n, line in enumerate(definition.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


# --------------------------------------------------------------------------- YAML: hostile structure


def test_alias_bomb_is_refused_at_once_at_the_alias(definition, capsys):
    bomb = 'x-lol:\n  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    prev = "a"
    for name in "bcdefghi":
        bomb += f"  {name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]\n"
        prev = name
    code, err, seconds = run(definition, "\ndatasets:\n", "\n" + bomb + "\ndatasets:\n", capsys)
    assert code == 1 and seconds < 10
    assert re.search(r"reports/egov-2019\.yaml:\d+:\d+: error: x-lol\.\w\[\d\]: the aliases expand to more than "
                     r"200,000 values", err), err
    assert "EGOVDECK_MAX_YAML_NODES" in err


def test_a_few_aliases_are_fine(definition, capsys):
    code, err, _ = run(definition, "\ndatasets:\n", "\nx-a: &k [1, 2]\nx-b: [*k, *k]\ndatasets:\n", capsys)
    assert code == 0, err


@pytest.mark.parametrize("nesting", ["[" * 1000 + "]" * 1000, "{a: " * 1000 + "1" + "}" * 1000,
                                     "\n" + "".join("  " * (i + 1) + f"k{i}:\n" for i in range(300)) + "  " * 301 + "1"])
def test_deep_nesting_is_a_located_error(definition, capsys, nesting):
    code, err, seconds = run(definition, "\ndatasets:\n", f"\nx-deep: {nesting}\ndatasets:\n", capsys)
    assert code == 1 and seconds < 10
    assert re.search(r"reports/egov-2019\.yaml:\d+:\d+: error: .*lists and mappings nested more than 40 levels deep",
                     err), err
    assert "hint: flatten the structure" in err


def test_control_character_is_located_with_the_fix(definition, capsys):
    code, err, _ = run(definition, TITLE, "  title: 2019年中国在线政务服务\x07发展简报\n", capsys)
    assert code == 1
    assert "reports/egov-2019.yaml:7:23: error: invalid YAML: a control character (U+0007) is not allowed" in err
    assert "hint: delete it" in err


def test_python_tags_are_refused_and_never_built(definition, capsys, tmp_path):
    marker = tmp_path / "pwned"
    code, err, _ = run(definition, TITLE, f"  title: !!python/object/apply:os.system ['touch {marker}']\n", capsys)
    assert code == 1 and not marker.exists()
    assert ('reports/egov-2019.yaml:7:10: error: report.title: the tag "!!python/object/apply:os.system" '
            "is not allowed") in err
    assert "hint: a definition holds plain values" in err


def test_unknown_local_tags_are_refused(definition, capsys):
    code, err, _ = run(definition, TITLE, "  title: !include other.yaml\n", capsys)
    assert code == 1
    assert 'reports/egov-2019.yaml:7:10: error: report.title: the tag "!include" is not allowed' in err


@pytest.mark.parametrize("key", ["? [a, b]\n  : 1\n", "[a, b]: 1\n", "{a: 1}: 2\n"])
def test_a_list_as_a_key_is_located(definition, capsys, key):
    code, err, _ = run(definition, "\nreport:\n", "\nreport:\n  " + key, capsys)
    assert code == 1
    assert "error: report: a list or mapping used as a key" in err or "error: a list or mapping used as a key" in err
    assert re.search(r"reports/egov-2019\.yaml:6:\d+: error:", err), err


def test_standard_tags_are_accepted(definition, capsys):
    code, err, _ = run(definition, TITLE, "  title: !!str 2019年中国在线政务服务发展简报\n", capsys)
    assert code == 0, err


# --------------------------------------------------------------------------- YAML: sizes


def test_huge_file_is_refused_before_it_is_read(definition, capsys):
    code, err, seconds = run(definition, TITLE, "  title: " + "长" * 4_000_000 + "\n", capsys)
    assert code == 1 and seconds < 10
    assert re.search(r"reports/egov-2019\.yaml:7:10: error: the file is [\d,]+ bytes, too large for a YAML file "
                     r"\(line 7 alone is [\d,]+ bytes\)", err), err
    assert "EGOVDECK_MAX_YAML_BYTES" in err


def test_over_long_title_is_located(definition, capsys):
    code, err, _ = run(definition, TITLE, "  title: " + "长" * 600 + "\n", capsys)
    assert code == 1
    assert ("reports/egov-2019.yaml:7:10: error: report.title: the value is 600 characters long, "
            "too long for a one-line value") in err
    assert "hint: shorten it (the limit is 500; if this is really meant, raise it with EGOVDECK_MAX_LINE_CHARS=N)" in err


def test_over_long_text_is_located(definition, capsys):
    code, err, _ = run(definition, NARRATIVE, "长" * 12_000, capsys)
    assert code == 1
    assert re.search(r"reports/egov-2019\.yaml:\d+:\d+: error: sections\[\d\]\.findings\[\d\]\.text: the value is "
                     r"12,\d{3} characters long, too long for a text", err), err


def test_limits_are_configurable(definition, capsys, monkeypatch):
    monkeypatch.setenv("EGOVDECK_MAX_LINE_CHARS", "1000")
    code, err, _ = run(definition, TITLE, "  title: " + "长" * 600 + "\n", capsys)
    assert code == 0, err


def test_a_limit_set_to_nonsense_is_a_user_error(definition, capsys, monkeypatch):
    monkeypatch.setenv("EGOVDECK_MAX_YAML_DEPTH", "deep")
    code, err, _ = run(definition, TITLE, TITLE, capsys)
    assert code == 1
    assert "EGOVDECK_MAX_YAML_DEPTH='deep': expected a whole number of at least 1" in err


# --------------------------------------------------------------------------- encodings and documents


def test_utf16_definition(definition, capsys):
    definition.write_bytes(definition.read_text(encoding="utf-8").encode("utf-16"))
    assert cli.main(["validate", "reports/egov-2019.yaml"], try_server=False) == 1
    err = capsys.readouterr().err
    assert "reports/egov-2019.yaml:1:1: error: the file is saved as UTF-16, not UTF-8" in err
    assert "hint: save the file as UTF-8" in err


def test_gb18030_line_inside_a_utf8_definition(definition, capsys):
    text = definition.read_text(encoding="utf-8")
    old = "  subject: 在线政务服务用户规模"
    definition.write_bytes(text.encode("utf-8").replace(old.encode("utf-8"), old.encode("gb18030")))
    assert cli.main(["validate", "reports/egov-2019.yaml"], try_server=False) == 1
    err = capsys.readouterr().err
    assert ('reports/egov-2019.yaml:12:12: error: not UTF-8 text: byte 0xd4 cannot be read (it reads as "在线政务…" '
            "in GB18030/GBK, the Windows Chinese encoding)") in err


def test_second_document(definition, capsys):
    code, err, _ = run(definition, "\ndatasets:\n", "\n---\ndatasets:\n", capsys)
    assert code == 1
    assert "error: invalid YAML: a second YAML document (a --- line) in the file" in err
    assert "hint: a definition is one document: remove the --- line" in err


# --------------------------------------------------------------------------- definition shape


@pytest.mark.parametrize("text", ["", "# only a comment\n", "---\n"])
def test_empty_definition(definition, capsys, text):
    definition.write_text(text, encoding="utf-8")
    assert cli.main(["validate", "reports/egov-2019.yaml"], try_server=False) == 1
    err = capsys.readouterr().err
    assert "reports/egov-2019.yaml:1:1: error: the definition is empty" in err
    assert "hint: write its report:, datasets: and sections:" in err


def test_definition_that_is_a_list(definition, capsys):
    definition.write_text("- report\n- datasets\n", encoding="utf-8")
    assert cli.main(["validate", "reports/egov-2019.yaml"], try_server=False) == 1
    err = capsys.readouterr().err
    assert "error: the definition must be a mapping (report:, datasets:, sections:), found a list" in err
    assert "hint:" in err


def test_datasets_given_as_a_string(definition, capsys):
    code, err, _ = run(definition, "datasets:\n  - data/*.yaml\n", "datasets: data/*.yaml\n", capsys)
    assert code == 1
    assert 'reports/egov-2019.yaml:15:1: error: datasets: expected a list, found "data/*.yaml"' in err
    assert 'hint: write a list: "- data/*.yaml" on the next line, indented, or [data/*.yaml]' in err


def test_null_section_item(definition, capsys):
    code, err, _ = run(definition, "\nsections:\n", "\nsections:\n  -\n", capsys)
    assert code == 1
    assert "reports/egov-2019.yaml:19:4: error: sections[0]: expected a mapping (key: value), found nothing" in err
    assert 'hint: an empty list item (a lone "-"): remove the "-" line or write the item after it' in err


def test_edition_parameter_that_shadows_a_template_function(tmp_path, monkeypatch, capsys):
    copy_project(tmp_path / "project")
    monkeypatch.chdir(tmp_path / "project")
    path = Path("reports/egov-2019-province.yaml")
    path.write_text(path.read_text(encoding="utf-8").replace("parameter: province", "parameter: value"),
                    encoding="utf-8")
    assert cli.main(["validate", str(path)], try_server=False) == 1
    err = capsys.readouterr().err
    line = line_of(path, "parameter: value")
    assert (f'reports/egov-2019-province.yaml:{line}:3: error: editions.parameter: "value" is already a name in '
            "the templates (a function or a keyword): the parameter would hide it") in err
    assert "hint: " in err


# --------------------------------------------------------------------------- narrative sandbox


COSTLY = {
    "{{ 2**99999999 }}": "the number is too large (more than 100 digits)",
    "{{ 9 ** 999999999 }}": "the number is too large",
    "{{ 'x' * 10**10 }}": "makes a text of 10,000,000,000 characters, too large",
    "{{ range(10**9)|list }}": "has 1,000,000,000 numbers, too many",
    "{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}": "more than 100,000 steps",
    "{% set s = 'x' * 90000 %}{% for a in s %}{% for b in s %}{% endfor %}{% endfor %}": "more than 100,000 steps",
    "{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}": "a macro calls itself without end",
    "{% macro f(n) %}{{ f(n) }}{{ f(n) }}{% endmacro %}{{ f(1) }}": "a macro calls itself without end",
    "{% set ns = namespace(s='x') %}{% for i in range(60) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}": "too large",
    "{% set ns = namespace(s='x') %}{% for i in range(60) %}{% set ns.s %}{{ ns.s }}{{ ns.s }}{% endset %}"
    "{% endfor %}": "too large",
    "{{ 'x'|center(999999999) }}": "is too large a size or count",
    "{{ 'x'.ljust(999999999) }}": "is too large a size or count",
    "{{ '%999999999d' % 1 }}": "a format width too large",
    "{{ '{:>999999999}'.format(1) }}": "a format width too large",
    "{{ ('{0}' * 10000).format('x' * 10000) }}": "too large",
    "{{ ('x' * 1000).join(['a'] * 1000) }}": "too large",
    "{{ 'ab'|replace('', 'x' * 50000) }}": "too large",
    "{{ [1]|batch(999999999, 0)|list }}": "is too large a size or count",
    "{{ 'x' * 99999 }}{{ 'x' * 99999 }}": "the template produces more than 100,000 characters",
}


@pytest.mark.parametrize("template", list(COSTLY))
def test_costly_templates_are_refused_quickly(template):
    started = time.monotonic()
    with pytest.raises(TemplateError) as caught:
        render(template, DataFunctions({}))
    assert time.monotonic() - started < 8
    assert COSTLY[template] in str(caught.value)
    assert caught.value.hint


@pytest.mark.parametrize("template,fragment", [
    ("{{ 1e308 * 10 }}", "not a finite number"),  # printed "inf" in the brief
    ("{{ 1e308 * 10 - 1e308 * 10 }}", "not a finite number"),  # nan
    ('{{ top("sites", "websites", -3) | length }}', "top: n must be a whole number of at least 1"),
])
def test_values_that_cannot_be_right_are_template_errors(template, fragment):
    with pytest.raises(TemplateError) as caught:
        render(template, DataFunctions({}))
    assert fragment in str(caught.value) and caught.value.hint


@pytest.mark.parametrize("template", ["{{ " + "(" * 3000 + "1" + ")" * 3000 + " }}", "{{ " + "+".join(["1"] * 4000) + " }}",
                                      "{% if 1 %}" * 500 + "{% endif %}" * 500])
def test_deeply_nested_templates_are_refused(template):
    with pytest.raises(TemplateError, match="the template is nested too deeply to read"):
        render(template, DataFunctions({}))


def test_the_time_limit_covers_all_the_templates_of_a_document(monkeypatch):
    monkeypatch.setenv("EGOVDECK_MAX_TEMPLATE_SECONDS", "1")
    monkeypatch.setenv("EGOVDECK_MAX_TEMPLATE_STEPS", "100000000")
    functions = DataFunctions({})
    started = time.monotonic()
    with pytest.raises(TemplateError, match=r"the templates take longer than 1 s") as caught:
        for _ in range(100):  # each template alone stays under the limit
            render("{% for i in range(3000) %}{% for j in range(30) %}{% endfor %}{% endfor %}", functions)
    assert time.monotonic() - started < 8
    assert "EGOVDECK_MAX_TEMPLATE_SECONDS" in caught.value.hint


@pytest.mark.parametrize("tag, template", [("include", "{% include '/etc/passwd' %}"),
                                           ("import", "{% import 'x.j2' as x %}"),
                                           ("from … import", "{% from 'x.j2' import y %}"),
                                           ("extends", "{% extends 'base.j2' %}")])
def test_include_import_extends_are_not_allowed(tag, template):
    with pytest.raises(TemplateError, match=f"{{% {tag} %}} is not allowed in narrative templates"):
        render("前文。" + template, DataFunctions({}))


@pytest.mark.parametrize("template, text", [
    ("{{ (9**9)**9 }}", str((9 ** 9) ** 9)),
    ("{{ 10 ** 99 }}", str(10 ** 99)),
    ("{% for x in [1, 2, 3] %}{{ loop.index }}/{{ loop.length }} {% endfor %}", "1/3 2/3 3/3 "),
    ("{{ 'a' ~ 1 ~ 'b' }} {{ '{:.2f}'.format(3.14159) }} {{ '%.1f' % 2.25 }} {{ 'a,b'.split(',')|join('/') }}",
     "a1b 3.14 2.2 a/b"),
    ("{% macro f(n) %}{{ n }}{% if n > 0 %}{{ f(n - 1) }}{% endif %}{% endmacro %}{{ f(3) }}", "3210"),
    ("{{ range(3)|list }} {{ 'x' * 3 }}", "[0, 1, 2] xxx"),
])
def test_ordinary_templates_still_work(template, text):
    assert render(template, DataFunctions({})) == text


def test_a_filter_given_wrong_arguments_is_a_template_error():
    with pytest.raises(TemplateError, match="method must be common, ceil or floor") as caught:
        render('{{ 2.5 | round(1, "up") }}', DataFunctions({}))
    assert caught.value.hint


def test_a_costly_narrative_is_located_in_the_definition(definition, capsys):
    code, err, seconds = run(definition, NARRATIVE, NARRATIVE + "{{ 9 ** 999999999 }}", capsys, command="build")
    assert code == 1 and seconds < 10
    line = line_of(definition, "9 ** 999999999")
    assert re.search(rf"reports/egov-2019\.yaml:{line}:\d+: error: sections\[2\]\.findings\[1\]\.text: "
                     r"template too costly: 9 \*\* 999999999: "
                     r"the number is too large", err), err
    assert not Path("output").exists()


def test_include_in_a_narrative_is_located(definition, capsys):
    code, err, _ = run(definition, NARRATIVE, NARRATIVE + "{% include '/etc/passwd' %}", capsys)
    assert code == 1
    line = line_of(definition, "include '/etc/passwd'")
    assert f"reports/egov-2019.yaml:{line}:" in err
    assert "{% include %} is not allowed in narrative templates" in err and "root:" not in err


# --------------------------------------------------------------------------- fuzz

YAML_PIECES = st.sampled_from([
    "key", "- ", ": ", "  ", "\n", "\t", "&a ", "*a", "&b ", "*b", "[", "]", "{", "}", ", ", '"', "'", "#", "!!str ",
    "!!python/object:os.system ", "!x ", "|\n", ">\n", "---\n", "...\n", "? ", "<<: *a\n", "2020-13-01", "1e400",
    "0x1F", "~", "null", "\x07", "\x00", "\ufeff", "\u2028", "中文", "%YAML 1.2\n", "\\", "@", "`",
])


@settings(deadline=None)
@given(st.lists(YAML_PIECES, max_size=60).map("".join))
def test_fuzz_yaml_reader_gives_data_or_located_problems(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("fuzz") / "x.yaml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    started = time.monotonic()
    try:
        load_yaml(path)
    except EgovError as exc:
        assert all(p.file == path for p in exc.problems)
    assert time.monotonic() - started < 20


def _nest(pieces: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        pieces,
        st.tuples(pieces, pieces).map(lambda p: f"{p[0]} ~ {p[1]}"),
        st.tuples(pieces, pieces).map(lambda p: f"{p[0]} * {p[1]}"),
        st.tuples(pieces, pieces).map(lambda p: f"{p[0]} ** {p[1]}"),
        st.tuples(pieces, pieces).map(lambda p: f"{p[0]} % {p[1]}"),
        st.tuples(pieces, pieces).map(lambda p: f"({p[0]})|join({p[1]})"),
        st.tuples(pieces, pieces).map(lambda p: f"{p[0]}.format({p[1]})"),
        pieces.map(lambda p: f"range({p})"),
        pieces.map(lambda p: f"({p})|list"),
        pieces.map(lambda p: f"({p})|center({p})"),
        pieces.map(lambda p: f"({p})|num"),
    )


EXPR = st.recursive(st.sampled_from(["1", "9", "99999", "999999999", "10**9", "'x'", "'{0}{0}'", "'%s%s'", "''",
                                     "[1, 2]", "ns.s", "n", "undefined_name", "''.__class__", "value", "-1", "2.5"]),
                    _nest, max_leaves=6)
STATEMENT = st.one_of(
    EXPR.map(lambda e: f"{{{{ {e} }}}}"),
    EXPR.map(lambda e: f"{{% for n in {e} %}}{{% for m in {e} %}}{{{{ n }}}}{{% endfor %}}{{% endfor %}}"),
    EXPR.map(lambda e: f"{{% set ns.s = {e} %}}"),
    EXPR.map(lambda e: f"{{% macro f(n) %}}{{{{ f({e}) }}}}{{% endmacro %}}{{{{ f(1) }}}}"),
    st.sampled_from(["{% include 'x' %}", "{% import 'x' as y %}", "{% if %}", "{{", "}}", "{% endfor %}", "文字"]),
)


@settings(deadline=None)
@given(st.lists(STATEMENT, min_size=1, max_size=4).map(lambda s: "{% set ns = namespace(s='') %}" + "".join(s)))
def test_fuzz_narrative_sandbox_renders_or_says_why(template):
    started = time.monotonic()
    try:
        text = render(template, DataFunctions({}))
        assert len(text) <= 100_000
    except TemplateError as exc:
        assert str(exc)
    assert time.monotonic() - started < 20


@pytest.fixture(scope="module")
def fuzz_project(tmp_path_factory) -> Path:
    return copy_project(tmp_path_factory.mktemp("fuzz-project"))


@settings(deadline=None)
@given(st.lists(YAML_PIECES, max_size=40).map("".join), st.sampled_from(["report", "datasets", "sections"]))
def test_fuzz_validate_never_fails_internally(fuzz_project, text, where):
    """Random YAML spliced into the definition: validate answers with 0 or a located exit 1, never exit 3."""
    original = (Path(__file__).resolve().parents[1] / "reports" / "egov-2019.yaml").read_text(encoding="utf-8")
    fuzz_project.write_text(original.replace(f"\n{where}:\n", f"\n{where}:\n{text}\n", 1), encoding="utf-8",
                            errors="surrogatepass")
    started, here, err = time.monotonic(), os.getcwd(), io.StringIO()
    try:
        os.chdir(fuzz_project.parents[1])
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            code = cli.main(["validate", "reports/egov-2019.yaml"], try_server=False)
    finally:
        os.chdir(here)
    assert code in (0, 1), err.getvalue()
    assert "Traceback" not in err.getvalue() and "internal error" not in err.getvalue()
    if code == 1:
        assert "reports/egov-2019.yaml" in err.getvalue(), err.getvalue()
    assert time.monotonic() - started < 30  # a hang, not a busy machine


@pytest.fixture(scope="module")
def bundled_functions() -> DataFunctions:
    from egovdeck.input.project import load_project

    return DataFunctions(load_project(Path(__file__).resolve().parents[1] / "reports" / "egov-2019.yaml").datasets)


ARG = st.sampled_from(['"online_gov_users"', '"users"', '"share"', '"period"', '"nope"', "1", "0", "-3", "2.5",
                       "none", "[1, 2]", '"2020-03"', '"2018-12"', "10**9", "''"])
CALL = st.one_of(
    st.tuples(st.sampled_from(["latest", "previous", "total", "count", "rank", "share", "top", "growth"]),
              st.lists(ARG, max_size=3)).map(lambda c: f"{c[0]}({', '.join(c[1])})"),
    st.tuples(ARG, ARG).map(lambda a: f'value("online_gov_users", {a[0]}, period={a[1]})'),
)
FILTERED = st.tuples(st.one_of(CALL, ARG), st.sampled_from(["num", "cn", "pct", "change", "pp", "round", "int"]),
                     st.lists(ARG, max_size=2)).map(lambda f: f"{f[0]} | {f[1]}({', '.join(f[2])})")


@settings(deadline=None)
@given(st.lists(st.one_of(CALL, FILTERED), min_size=1, max_size=3).map(
    lambda exprs: "".join(f"{{{{ {e} }}}}，" for e in exprs)))
def test_fuzz_data_functions_and_filters_render_or_say_why(bundled_functions, template):
    """The data functions and number filters on the bundled data, called with any arguments."""
    try:
        render(template, bundled_functions)
    except TemplateError as exc:
        assert str(exc) and exc.hint is not None
