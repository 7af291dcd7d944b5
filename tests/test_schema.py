"""The JSON Schemas an editor reads (yaml-language-server): every key the loader accepts, with its help text.

The schema is read as an editor reads it (jsonschema on the committed files), never through the models."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def _committed(name: str) -> dict:
    return json.loads((ROOT / "schema" / name).read_text(encoding="utf-8"))


def _as_editor_reads(node):
    """YAML as JSON: yaml-language-server checks a date such as 2020-05-20 as the string it is."""
    if isinstance(node, dict):
        return {str(k): _as_editor_reads(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_as_editor_reads(v) for v in node]
    if isinstance(node, dt.date):
        return node.isoformat()
    return node


def _load(path: Path):
    return _as_editor_reads(yaml.safe_load(path.read_text(encoding="utf-8")))


def _objects(node, where=""):
    """Every object schema (one with properties) inside a schema, with a readable path."""
    if isinstance(node, dict):
        if "properties" in node:
            yield where, node
        for k, v in node.items():
            yield from _objects(v, f"{where}/{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _objects(v, f"{where}/{i}")


@pytest.mark.parametrize("name", ["report.schema.json", "dataset.schema.json"])
def test_committed_schemas_are_current(name):
    from egovdeck.input.schema import dataset_schema, schema

    fresh = schema() if name == "report.schema.json" else dataset_schema()
    assert _committed(name) == json.loads(json.dumps(fresh)), "run: egovdeck schema"


@pytest.mark.parametrize("name", ["report.schema.json", "dataset.schema.json"])
def test_every_key_has_help_and_no_untyped_holes(name):
    """Hover help for every key; no object (or map) an editor cannot complete inside."""
    data = _committed(name)
    jsonschema.Draft202012Validator.check_schema(data)
    seen = 0
    for where, obj in _objects(data):
        if "/allOf/" in where:
            continue  # the per-layout rules: conditions and slot lists narrowing the Finding
        assert obj.get("additionalProperties") is False, f"{where}: unknown keys must be refused"
        for key, prop in obj["properties"].items():
            seen += 1
            assert prop.get("description"), f"{where}/{key} has no description"
            assert prop.get("additionalProperties") is not True, f"{where}/{key}: a map of anything"
    assert seen > 10
    text = json.dumps(data)
    assert '"additionalProperties": true' not in text


def test_every_field_the_loader_accepts_is_in_the_schema():
    """For every model (each slot kind, sidecars, layouts): the schema lists exactly its keys, with an example."""
    from egovdeck.input import definition as model

    report, dataset = _committed("report.schema.json"), _committed("dataset.schema.json")
    defs = {**report["$defs"], **dataset.get("$defs", {}), "Report": report, "DatasetSpec": dataset}
    models = [v for v in vars(model).values()
              if isinstance(v, type) and issubclass(v, model.Strict) and v is not model.Strict]
    assert {"ChartSpec", "TableSpec", "TimelineSpec", "KPI", "TableColumn", "LayoutSpec", "SlotSpec", "ColumnSpec",
            "DatasetSpec"} <= {m.__name__ for m in models}
    for m in models:
        props = defs[m.__name__]["properties"]
        assert set(props) == {f.alias or k for k, f in m.model_fields.items()}, m.__name__  # as written in YAML
        for name, field in m.model_fields.items():
            key = field.alias or name
            if field.annotation is not None and "Spec" not in str(field.annotation) and key not in (
                    "findings", "sections", "report", "page", "theme", "layouts", "editions", "slots"):
                assert props[key].get("examples"), f"{m.__name__}.{key} has no example"


def _name(path: Path) -> str:
    """A test id: the path inside the repository, or inside ../shared."""
    for base in (ROOT, SHARED):
        if path.is_relative_to(base):
            return str(path.relative_to(base))
    return str(path)


def _definitions():
    found = sorted((ROOT / "reports").glob("*.yaml")) + sorted((ROOT / "tests" / "cases").glob("**/reports/*.yaml"))
    found += sorted((SHARED / "cases" / "layout").glob("*/reports/*.yaml"))
    docs = ROOT / "docs" / "examples"
    found += sorted(docs.glob("*/reports/*.yaml"))
    return found


@pytest.mark.parametrize("path", _definitions(), ids=_name)
def test_every_bundled_definition_is_valid_against_the_schema(path):
    """What the loader builds, the editor does not underline."""
    validator = jsonschema.Draft202012Validator(_committed("report.schema.json"))
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(_load(path))]
    assert not errors, errors


def _sidecars():
    found = sorted((ROOT / "data").glob("*.yaml")) + sorted((ROOT / "tests" / "cases").glob("**/data/*.yaml"))
    found += sorted((SHARED / "cases" / "layout").glob("*/data/*.yaml"))
    found += sorted((ROOT / "docs" / "examples" / "data").glob("*.yaml"))
    return found


@pytest.mark.parametrize("path", _sidecars(), ids=_name)
def test_every_bundled_sidecar_is_valid_against_the_schema(path):
    validator = jsonschema.Draft202012Validator(_committed("dataset.schema.json"))
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(_load(path))]
    assert not errors, errors


@pytest.mark.parametrize("layout,slots,bad", [
    ("chart-text", {"chart": {"dataset": "d", "x": "a", "y": "b", "colour": "#C00000"}}, "colour"),
    ("table", {"table": {"dataset": "d", "sort_by": "x"}}, "sort_by"),
    ("kpi-text", {"kpis": [{"value": "1", "label": "a", "delta": "x"}]}, "delta"),
    ("timeline", {"timeline": {"dataset": "d", "stacked": True}}, "stacked"),
    ("chart-text", {"chart": {"dataset": "d"}, "table": {"dataset": "d"}}, "table"),
    ("two-charts", {"left": {"dataset": "d"}}, "right"),
])
def test_schema_types_the_slots_of_each_built_in_layout(layout, slots, bad):
    """A wrong key inside a slot is underlined (it is an unknown key for the loader too)."""
    doc = {"report": {"id": "x", "title": "t", "date": "2020-01-01"}, "datasets": ["data/*.yaml"],
           "sections": [{"id": "s", "title": "t", "findings": [{"id": "f", "title": "t", "layout": layout,
                                                                "slots": slots}]}]}
    validator = jsonschema.Draft202012Validator(_committed("report.schema.json"))
    messages = " ".join(e.message for e in validator.iter_errors(doc)) + " ".join(
        c.message for e in validator.iter_errors(doc) for c in (e.context or []))
    assert bad in messages


def test_built_in_layout_names_are_the_ones_the_schema_lists():
    from egovdeck.input.definition import BUILT_IN_LAYOUTS
    from egovdeck.input.project import builtin_layouts

    assert tuple(builtin_layouts()) == BUILT_IN_LAYOUTS
    finding = _committed("report.schema.json")["$defs"]["Finding"]
    assert finding["properties"]["layout"]["examples"] == list(BUILT_IN_LAYOUTS)


def test_schema_output_a_folder_gets_both_and_a_blocked_file_writes_neither(tmp_path):
    """`egovdeck schema -o schema` (a folder) wrote dataset.schema.json into the folder's parent, then stopped
    on the folder ("nothing was written"): a folder now gets both files; a folder in the way of either file is
    exit 1 and neither is written."""
    from test_broken_projects import run_cli

    (tmp_path / "out").mkdir()
    done = run_cli(tmp_path, "schema", "-o", "out")
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["dataset.schema.json", "report.schema.json"]
    assert not (tmp_path / "dataset.schema.json").exists()
    (tmp_path / "blocked" / "dataset.schema.json").mkdir(parents=True)
    done = run_cli(tmp_path, "schema", "-o", "blocked/report.schema.json")
    assert done.returncode == 1 and "folder" in done.stderr, done.stderr
    assert not (tmp_path / "blocked" / "report.schema.json").exists()
