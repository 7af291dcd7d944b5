"""The optional keys of charts and tables, fuzzed (issue 16: a user's own report comes out right).

Generated whole reports (tests/test_whole_reports.py `report`) whose charts and tables get random subsets of the
optional keys the definition model offers, each with a plausible value. The keys and their values come from the
model itself (input/definition.py: ChartSpec, TableSpec, TableColumn; `ONLY_FOR` says which kinds a key is for):
a Literal key takes one of its values, a bool either, a number a value within its bounds, a format one of the codes
its description names; only keys whose plausible values depend on the data (categories to highlight, series to
name or colour, axis limits, a table's sort field) have a rule of their own here. A key the model gains without a
rule this test knows fails `test_every_optional_key_has_values` (the fuzzer then never sets it).

Each report is built in-process; anything but success or an error located at file:line is a fault. A report that
builds is read the way readers read it (tests/readercheck.py): no character outside its page, no two characters on
top of each other, a chart's text inside the text frame (the brief); LibreOffice's drawing of the deck with no
character outside the boxes of its slide and none on top of another.

The example count follows the conftest profile (a few in `make test`, many with `HYPOTHESIS_PROFILE=nightly`).
This began as the eighth session's key fuzzer (its first runs found an exit 3 and a chart drawn off the page).
"""

from __future__ import annotations

import re
import tempfile
import types
import typing
from pathlib import Path

import annotated_types
import yaml
from hypothesis import HealthCheck, Phase, event, given, settings
from hypothesis import strategies as st

from conftest import examples
from egovdeck.document.chart import CHART_KINDS
from egovdeck.input.definition import ONLY_FOR, ChartSpec, TableColumn, TableSpec
from readercheck import deck_problems, pdf_problems
from test_whole_reports import _lines, _write_dataset, name, report

EXAMPLES = examples("deck")

# Keys the report generator sets itself (what is drawn, from which columns) and the timeline's fields
STRUCTURAL = {"kind", "dataset", "x", "y", "series", "where", "secondary", "period", "label", "text", "columns",
              "field"}
LONG_TEXT = "注：" + "很长的说明文字" * 30


def _formats(model, key: str) -> list[str]:
    """The codes a format key's description and examples name, and sectioned variants of them."""
    info = model.model_fields[key]
    codes = re.findall(r'"([^"]+)"', info.description or "") + [str(x) for x in info.examples or []]
    return sorted(set(codes) | {"0.0;(0.0)", "+0.0;-0.0;0", "#,##0.0", "0%"})


def _bounds(info) -> tuple[float | None, float | None]:
    lo = hi = None
    for m in info.metadata:
        if isinstance(m, annotated_types.Ge):
            lo = m.ge
        if isinstance(m, annotated_types.Le):
            hi = m.le
    return lo, hi


def _generic(model, key: str, rows: int) -> st.SearchStrategy | None:
    """A plausible value of `key` from its annotation, bounds, examples and description; None: no generic rule."""
    info = model.model_fields[key]
    ann = info.annotation
    args = [a for a in typing.get_args(ann) if a is not type(None)]
    if key.startswith("format"):
        return st.sampled_from(_formats(model, key))
    if typing.get_origin(ann) is typing.Literal:
        return st.sampled_from(typing.get_args(ann))
    if ann is bool:
        return st.booleans()
    if ann is str or (isinstance(ann, types.UnionType) and args == [str]):
        examples = [str(x) for x in info.examples or []]
        return st.one_of(st.sampled_from(examples + ["", LONG_TEXT]), name(1, 40))
    if ann is int or args == [int]:
        lo, _ = _bounds(info)
        return st.integers(int(lo or 0), rows + 2)
    if ann is float or args == [float]:
        lo, hi = _bounds(info)
        lo, hi = lo or 0.0, hi if hi is not None else 1e6
        return st.one_of(st.sampled_from([lo, hi]), st.floats(lo, hi).map(lambda x: round(x, 1)))
    return None


def _limits(values: list[float], low: bool) -> st.SearchStrategy:
    """An axis limit at, beyond or (an error to locate) inside the data's range."""
    lo, hi = min(values), max(values)
    span = abs(hi - lo) or 1.0
    if low:
        return st.sampled_from([min(lo, 0.0), min(lo, 0.0) - span * 0.1, min(lo, 0.0) - span, lo + span / 2])
    return st.sampled_from([max(hi, 0.0), max(hi, 0.0) + span * 0.1, max(hi, 0.0) + span, hi - span / 2])


COLOURS = st.sampled_from(["#1F5FA8", "#C00000", "#000000", "#FFFFFF", "#FFFF00", "#7F7F7F"])


def _chart_rule(key: str, spec: dict, data: dict) -> st.SearchStrategy | None:
    """Values that depend on the chart's data."""
    cats, ys = data["cats"], spec["y"]
    if key == "highlight":
        return st.lists(st.sampled_from(cats), min_size=1, max_size=3, unique=True)
    if key == "names":
        return st.fixed_dictionaries({y: name(1, 30) for y in ys})
    if key == "colors":
        return st.one_of(st.lists(COLOURS, min_size=1, max_size=3), st.fixed_dictionaries({y: COLOURS for y in ys}))
    if key in ("y_min", "y_max"):
        return _limits(data["v1"] + (data["v2"] if "v2" in ys else []), key == "y_min")
    if key in ("y2_min", "y2_max"):
        return _limits(data["v2"], key == "y2_min")
    return None


def _table_rule(key: str, spec: dict, data: dict) -> st.SearchStrategy | None:
    if key == "sort":
        fields = [c["field"] for c in spec["columns"]]
        return st.sampled_from(fields + ["-" + f for f in fields])
    return None


def _values(model, rule, key: str, spec: dict, data: dict) -> st.SearchStrategy | None:
    """The data's own rule for `key`, else the generic one of its model."""
    own = rule(key, spec, data)
    return own if own is not None else _generic(model, key, len(data["cats"]))


def chart_keys(kind: str) -> list[str]:
    """The optional keys of a chart of this kind (ONLY_FOR names the kinds a key is for)."""
    return [k for k in ChartSpec.model_fields if k not in STRUCTURAL and kind in ONLY_FOR.get(k, CHART_KINDS)]


def _optional(model) -> list[str]:
    return [k for k, info in model.model_fields.items() if k not in STRUCTURAL and not info.is_required()]


@st.composite
def fuzzed_report(draw):
    """(definition, datasets, headings) of a generated report, its charts and tables given optional keys."""
    definition, datasets, headings = draw(report())
    for section in definition["sections"]:
        for finding in section["findings"]:
            for spec in finding["slots"].values():
                if not isinstance(spec, dict):
                    continue
                data = datasets[spec["dataset"]]
                if "kind" in spec:
                    keys = chart_keys(spec["kind"])
                    # now and then a key the kind does not use: a warning, and nothing drawn differently
                    others = [k for k in _optional(ChartSpec) if k not in keys]
                    chosen = draw(st.lists(st.sampled_from(keys), max_size=8, unique=True))
                    chosen += draw(st.lists(st.sampled_from(others), max_size=1))
                    for key in chosen:
                        spec[key] = draw(_values(ChartSpec, _chart_rule, key, spec, data))
                    if spec.get("y_min") is not None and spec.get("y_max") is not None and spec["y_min"] >= spec["y_max"]:
                        del spec["y_min"]
                    if spec.get("y2_min") is not None and spec.get("y2_max") is not None \
                            and spec["y2_min"] >= spec["y2_max"]:
                        del spec["y2_min"]
                elif "columns" in spec:
                    for key in draw(st.lists(st.sampled_from(_optional(TableSpec)), max_size=4, unique=True)):
                        spec[key] = draw(_values(TableSpec, _table_rule, key, spec, data))
                    for column in spec["columns"]:
                        for key in draw(st.lists(st.sampled_from(_optional(TableColumn)), max_size=2, unique=True)):
                            column[key] = draw(_values(TableColumn, lambda *_: None, key, column, data))
    return definition, datasets, headings


def test_every_optional_key_has_values():
    """Every optional key of a chart, a table and a table column gets values from the fuzzer (a new key
    without a rule would never be tried); every chart kind but the timeline has keys to try."""
    data = {"cats": ["甲", "乙"], "v1": [1.0, -2.0], "v2": [3.0, 4.0], "remark": None}
    chart = {"y": ["v1", "v2"]}
    table = {"columns": [{"field": "cat"}, {"field": "v1"}]}
    for model, rule, spec in ((ChartSpec, _chart_rule, chart), (TableSpec, _table_rule, table),
                              (TableColumn, lambda *_: None, {})):
        for key in _optional(model):
            assert _values(model, rule, key, spec, data) is not None, f"{model.__name__}.{key}: no values"
    for kind in CHART_KINDS:
        if kind != "timeline":
            assert chart_keys(kind), kind


def _located(problem) -> bool:
    return problem.file is not None and problem.line is not None


# no shrinking: one build takes seconds, and the failing report is printed whole
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck),
          phases=[Phase.explicit, Phase.reuse, Phase.generate])
@given(generated=fuzzed_report())
def test_reports_with_optional_keys_build_or_stop_located(generated):
    from egovdeck.engine.build import build
    from egovdeck.errors import EgovError

    definition, datasets, _ = generated
    with tempfile.TemporaryDirectory(prefix="egov-keys-") as tmp:
        project = Path(tmp) / "keys"
        (project / "data").mkdir(parents=True)
        (project / "reports").mkdir()
        for ds_id, data in datasets.items():
            _write_dataset(project, ds_id, data)
        src = project / "reports" / "generated.yaml"
        src.write_text(yaml.safe_dump(definition, allow_unicode=True, sort_keys=False), encoding="utf-8")
        out = project / "output"
        try:
            build(src, output_dir=out, use_cache=False, formats=("pdf", "pptx"))
        except EgovError as e:
            errors = [p for p in e.problems if not p.warning]
            unlocated = [str(p) for p in errors if not _located(p)]
            assert errors and not unlocated, f"an error without file:line: {unlocated or str(e)}"
            event("stopped with a located error")
            return
        event("built")
        pdf, pptx = out / "generated.pdf", out / "generated.pptx"
        _lines(pdf)  # fails on a character outside its page
        found = pdf_problems(pdf)
        from clients import libreoffice_to_pdf

        rendered = libreoffice_to_pdf(pptx, project / "lo")
        _lines(rendered)
        found += deck_problems(pptx, rendered)
        assert not found, "\n".join(found[:12])
