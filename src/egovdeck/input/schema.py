"""JSON Schemas of report definitions and dataset sidecars, for editors (yaml-language-server, VS Code).

A finding's `slots:` is checked by the loader against the slot types of its layout (project._check_sections); the
schema says the same thing in JSON Schema terms, so an editor completes and explains every key of every slot:
- for a built-in layout (`layout: chart-text` ...), each of its slots is typed exactly (an `if`/`then` per layout);
- for a user layout, a slot is any of the block kinds (chart, table, timeline, a list of KPIs).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic.json_schema import models_json_schema

from egovdeck.input.definition import KPI, ChartSpec, DatasetSpec, Report, TableSpec, TimelineSpec

DRAFT = "https://json-schema.org/draft/2020-12/schema"
REPORT_SCHEMA = "report.schema.json"
DATASET_SCHEMA = "dataset.schema.json"

TEXT_SLOT = {"type": "string", "description": "A text slot holds the finding's narrative (its text:); a value "
                                              "given here is not used"}


def _slot_schema(kind: str) -> dict[str, Any]:
    """The JSON Schema of the block a slot of this type holds (SlotSpec.type)."""
    if kind == "kpis":
        return {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/KPI"},
                "description": "Key figures, each with value:, label: and change:"}
    if kind == "text":
        return dict(TEXT_SLOT)
    return {"$ref": "#/$defs/" + {"chart": "ChartSpec", "table": "TableSpec", "timeline": "TimelineSpec"}[kind]}


def _layout_rules() -> list[dict[str, Any]]:
    """One if/then per built-in layout: `layout: NAME` types the slots of that layout exactly."""
    from egovdeck.input.project import builtin_layouts

    rules = []
    for name, layout in builtin_layouts().items():
        props = {}
        for slot, spec in layout.slots.items():
            props[slot] = {**_slot_schema(spec.type),
                           "description": f"The {spec.type} slot of the {name} layout"
                                          + ("" if spec.required else " (optional)")}
        rules.append({"if": {"properties": {"layout": {"const": name}}, "required": ["layout"]},
                      "then": {"properties": {"slots": {"properties": props, "additionalProperties": False,
                                                        "required": [s for s, v in layout.slots.items() if v.required]}}}})
    return rules


def schema() -> dict:
    """The report definition's schema: Report's fields at the top, every model under $defs."""
    _, top = models_json_schema([(m, "validation") for m in (Report, ChartSpec, TableSpec, TimelineSpec, KPI)],
                                ref_template="#/$defs/{model}")
    defs = top["$defs"]
    data = defs.pop("Report")
    finding = defs["Finding"]
    finding["properties"]["slots"]["additionalProperties"] = {
        "anyOf": [_slot_schema("chart"), _slot_schema("table"), _slot_schema("timeline"), _slot_schema("kpis"),
                  _slot_schema("text")]}
    finding["allOf"] = _layout_rules()
    data["$defs"] = defs
    data["$schema"] = DRAFT
    data["title"] = "egovdeck report definition"
    return data


def dataset_schema() -> dict:
    """The dataset sidecar's (data/NAME.yaml) schema."""
    data = DatasetSpec.model_json_schema()
    data["$schema"] = DRAFT
    data["title"] = "egovdeck dataset sidecar"
    return data


def _write(path: Path, data: dict) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return path


def write_schema(path: Path) -> Path:
    """Write the report schema to path and the sidecar schema (dataset.schema.json) beside it; a path that
    is a folder gets both inside it (report.schema.json). Returns the report schema's path. Both are made
    before either is written (OSError when a file cannot be: nothing half-written)."""
    if path.is_dir():
        path = path / "report.schema.json"
    texts = {path.parent / DATASET_SCHEMA: dataset_schema(), path: schema()}
    for target in texts:
        if target.is_dir():
            raise IsADirectoryError(21, "a folder is in the way of a file", str(target))
    for target, data in texts.items():
        _write(target, data)
    return path
