"""JSON Schema of report definitions, for editors (yaml-language-server)."""

from __future__ import annotations

import json
from pathlib import Path

from egovdeck.input.definition import Report


def schema() -> dict:
    data = Report.model_json_schema()
    data["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    data["title"] = "egovdeck report definition"
    return data


def write_schema(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return path
