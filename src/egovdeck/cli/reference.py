"""The user reference, generated from the code so it cannot drift: definition and sidecar keys (from the pydantic
models), built-in layouts (from resources/layouts.yaml, with a slide thumbnail drawn from their boxes), narrative
functions and filters (signature and docstring, with an example evaluated on the bundled data), number format codes
(each example formatted by numfmt) and the limits (from the Limit objects and data.LIMIT_VARS).

docs/hooks/generated.py calls `expand(markdown)` on every page: after a line `<!-- egovdeck:NAME -->` comes the
section NAME (see expand). `make references` writes the expanded pages back into docs/, so the Markdown in the
repository reads whole too; tests/test_docs.py fails when a page is stale. Each generator returns Markdown text.
"""

from __future__ import annotations

import datetime
import html
import inspect
import json
import types
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from egovdeck.input import definition as model

ROOT = Path(__file__).resolve().parents[3]  # src/egovdeck/cli/reference.py -> the repository

# --------------------------------------------------------------------------- keys


def _type_text(annotation: Any) -> str:
    """A field's type as a report writer reads it: text, number, list of text, one of a | b ..."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Annotated:
        return _type_text(args[0])
    if origin is typing.Literal:
        return "one of " + ", ".join(f"`{a}`" for a in args)
    if origin in (typing.Union, types.UnionType):
        parts = [_type_text(a) for a in args if a is not type(None)]
        return " or ".join(dict.fromkeys(parts))
    if origin is list:
        return f"list of {_type_text(args[0])}" if args else "list"
    if origin is tuple:
        return f"[{', '.join(_type_text(a) for a in args)}]"
    if origin is dict:
        return f"mapping of {_type_text(args[0])} → {_type_text(args[1])}" if args else "mapping"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return f"[{annotation.__name__}](#{annotation.__name__.lower()})"
    names = {str: "text", int: "whole number", float: "number", bool: "true/false", Any: "any value"}
    if annotation in names:
        return names[annotation]
    if annotation is datetime.date:
        return "date (YYYY-MM-DD)"
    return getattr(annotation, "__name__", str(annotation))


def _default_text(field: Any) -> str:
    if field.is_required():
        return "**required**"
    if field.default_factory is not None:
        value = field.default_factory()
        if isinstance(value, BaseModel):
            return "(its defaults)"
    else:
        value = field.default
    if value is PydanticUndefined or value is None or value in ([], {}, ""):
        return "—"
    return f"`{json.dumps(value, ensure_ascii=False)}`" if not isinstance(value, str) else f"`{value}`"


def _example_text(value: Any) -> str:
    if isinstance(value, str):
        return f"`{value}`"
    return f"`{json.dumps(value, ensure_ascii=False)}`"


def _cell(text: str) -> str:
    """Table cell text: pipes escaped, one line, and <…> shown as text, not taken for an HTML tag."""
    return text.replace("|", "\\|").replace("\n", " ").replace("<", "&lt;").replace(">", "&gt;")


def model_table(cls: type[BaseModel]) -> str:
    """One model: its docstring, then a table key | type | default | description | example."""
    doc = inspect.cleandoc(cls.__doc__ or "")
    lines = [f"### {cls.__name__}", "", doc, "", "| key | type | default | description | example |",
             "|---|---|---|---|---|"]
    for name, field in cls.model_fields.items():
        kind = _type_text(field.annotation)
        extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
        enum = extra.get("enum")
        if isinstance(enum, list):
            kind = "one of " + ", ".join(f"`{v}`" for v in enum)
        examples = " or ".join(_example_text(e) for e in (field.examples or [])[:2])
        lines.append(f"| `{field.alias or name}` | {_cell(kind)} | {_cell(_default_text(field))} | "
                     f"{_cell(field.description or '')} | {_cell(examples)} |")
    return "\n".join(lines) + "\n"


DEFINITION_MODELS = ("Report", "Meta", "PageSpec", "ThemeSpec", "EditionsSpec", "EditionValues", "Section", "Finding",
                     "ChartSpec", "TimelineSpec", "TableSpec", "TableColumn", "KPI", "LayoutSpec", "SlotSpec",
                     "PreparedSpec")
DATASET_MODELS = ("DatasetSpec", "ColumnSpec")


def definition_keys() -> str:
    return "\n".join(model_table(getattr(model, name)) for name in DEFINITION_MODELS)


def dataset_keys() -> str:
    return "\n".join(model_table(getattr(model, name)) for name in DATASET_MODELS)


def prepare_steps() -> str:
    """The `prepare:` steps (egovdeck.input.steps): each step's table (its one key), then the models its
    value is made of, then the comparison a filter takes and a prepared dataset's column texts."""
    from egovdeck.input import steps

    parts: list[str] = []
    nested: list[type[BaseModel]] = []
    wrapper: type[BaseModel]
    for wrapper in steps.STEP_MODELS.values():
        parts.append(model_table(wrapper))
        (field,) = wrapper.model_fields.values()
        if isinstance(field.annotation, type) and issubclass(field.annotation, BaseModel) \
                and field.annotation not in nested:
            nested.append(field.annotation)
    tail: list[type[BaseModel]] = [*nested, steps.Comparison, steps.ColumnText]
    return "\n".join(parts + [model_table(cls) for cls in tail])


# --------------------------------------------------------------------------- layouts


def layout_thumbnail(layout: model.LayoutSpec, width: int = 320) -> str:
    """An inline SVG of a 16:9 slide: the title bar and each slot's box (LayoutSpec.slide) with its name."""
    height = width * 9 // 16
    top, pad = height * 0.2, width * 0.04  # the title bar; the content area's margin
    cw, ch = width - 2 * pad, height - top - pad
    colours = {"chart": "#cfe0f5", "table": "#e6e6e6", "kpis": "#fde3c8", "timeline": "#d8efd2", "text": "#ffffff"}
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img" aria-label="slide thumbnail">',
             f'<rect x="0.5" y="0.5" width="{width - 1}" height="{height - 1}" fill="#fff" stroke="#888"/>',
             f'<rect x="{pad:.1f}" y="{pad * 0.8:.1f}" width="{cw * 0.6:.1f}" height="{top * 0.45:.1f}" fill="#1F5FA8"/>']
    for slot, (x, y, w, h) in layout.slide.items():
        kind = layout.slots[slot].type if slot in layout.slots else "text"
        bx, by, bw, bh = pad + x * cw, top + y * ch, w * cw, h * ch
        parts.append(f'<rect x="{bx:.1f}" y="{by:.1f}" width="{bw:.1f}" height="{bh:.1f}" '
                     f'fill="{colours[kind]}" stroke="#555" stroke-dasharray="{"3,2" if kind == "text" else "none"}"/>')
        label = slot if slot in layout.slots else "text (narrative)"
        parts.append(f'<text x="{bx + bw / 2:.1f}" y="{by + bh / 2 + 4:.1f}" font-size="12" text-anchor="middle" '
                     f'font-family="sans-serif">{html.escape(label)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def layouts() -> str:
    from egovdeck.input.project import builtin_layouts

    out = []
    for name, layout in builtin_layouts().items():
        slots = ", ".join(f"`{s}` ({v.type}{'' if v.required else ', optional'})" for s, v in layout.slots.items())
        rows = " / ".join(" + ".join(f"`{s}`" for s in row) for row in layout.pdf)
        text = ("the narrative sits on the slide" if "text" in layout.slide
                else "the narrative goes to the speaker notes (and the PDF)")
        out += [f"### {name}", "", layout.description, "", layout_thumbnail(layout), "",
                f"- **slots:** {slots}", f"- **PDF rows** (top to bottom): {rows}", f"- **slide:** {text}", ""]
    return "\n".join(out)


# --------------------------------------------------------------------------- narrative


def _examples() -> dict[str, Any]:
    import yaml

    return yaml.safe_load((ROOT / "docs" / "reference" / "narrative-examples.yaml").read_text(encoding="utf-8"))


def narrative_callables() -> tuple[dict[str, Callable], dict[str, Callable]]:
    """(functions, filters) a template may use, by name, as the template environment has them."""
    from egovdeck.resolve.narrative import FILTERS, DataFunctions

    functions = {k: v for k, v in DataFunctions({}).globals().items() if callable(v)}
    return functions, dict(FILTERS)


def _param(p: inspect.Parameter) -> str:
    if p.kind is p.VAR_KEYWORD:
        return f"**{p.name}"  # field=value filters
    return p.name if p.default is p.empty else f"{p.name}={p.default!r}"


def _signature(name: str, func: Callable, is_filter: bool) -> str:
    """How a template writes the call: name(ds, col, **where) or value | name(decimals=1)."""
    params = [p for p in inspect.signature(func).parameters.values() if p.name != "self"]
    if is_filter:
        rest = ", ".join(_param(p) for p in params[1:])
        return f"{params[0].name} | {name}" + (f"({rest})" if rest else "")
    return f"{name}({', '.join(_param(p) for p in params)})"


def _evaluate(example: str) -> str:
    """The example rendered on the bundled project's data (reports/egov-2019.yaml), as a template would be."""
    from egovdeck.resolve.narrative import DataFunctions, render

    return render(example, DataFunctions(_bundled_datasets()))


_DATASETS: dict[str, Any] = {}


def _bundled_datasets() -> dict[str, Any]:
    if not _DATASETS:
        from egovdeck.input.project import load_project

        _DATASETS.update(load_project(ROOT / "reports" / "egov-2019.yaml").datasets)
    return _DATASETS


def narrative() -> str:
    """Every function and filter: signature, what it returns (its docstring or the examples file), an example
    and what the example gives on the bundled data."""
    functions, filters = narrative_callables()
    examples = _examples()
    out = []
    for title, group, is_filter in (("Functions", functions, False), ("Filters", filters, True)):
        out += [f"## {title}", ""]
        for name, func in group.items():
            entry = examples.get(name) or {}
            doc = inspect.cleandoc(func.__doc__ or "") or entry.get("description", "")
            out += [f"### `{name}`", "", f"```\n{_signature(name, func, is_filter)}\n```", "", doc, ""]
            if entry.get("description") and func.__doc__:
                out += [entry["description"], ""]
            if entry.get("units"):
                out += [f"**Units:** {entry['units']}", ""]
            if entry.get("example"):
                out += ["Example (on the bundled 2019 data):", "", "```jinja", entry["example"], "```", "",
                        f"gives: **{_evaluate(entry['example'])}**", ""]
    return "\n".join(out)


# --------------------------------------------------------------------------- number formats

FORMAT_EXAMPLES = (
    ("0", 14474.4, "a whole number, no grouping"),
    ("#,##0", 14474, "thousands grouped"),
    ("0.00", 6.944, "two decimals (rounded half-up)"),
    ("#,##0.00", 2077.285, "grouped, two decimals"),
    ("0.0%", 76.83, "the value is already in percent"),
    ("0.00亿", 694000000, "scaled to 亿 (10^8)"),
    ("0.0万", 138800, "scaled to 万 (10^4)"),
    ('0"个"', 14474, "a literal suffix"),
    ("+0.0;-0.0;0", -19.74, "positive;negative;zero sections (− is U+2212)"),
    ("+0.0;-0.0;持平", 0.01, "a zero section of text"),
)


def number_formats() -> str:
    from egovdeck.text.numfmt import parse_format

    lines = ["| code | value | written as | what it does |", "|---|---|---|---|"]
    for code, value, what in FORMAT_EXAMPLES:
        fmt = parse_format(code)
        lines.append(f"| `{_cell(code)}` | {value} | {fmt.format(fmt.scale(value))} | {what} |")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- limits


def limits() -> str:
    from egovdeck.input import data, yamlload
    from egovdeck.resolve import narrative

    rows = []
    for module in (yamlload, narrative):
        for value in vars(module).values():
            if isinstance(value, yamlload.Limit):
                rows.append((value.what, f"{value.default:,}", value.env))
    units = {"megabytes": "megabytes of one data file (CSV; an XLSX and its unpacked parts)",
             "rows": "data rows of one file", "cells": "cells of one file"}
    for setting, (env, default) in data.LIMIT_VARS.items():
        rows.append((units.get(setting, setting), f"{default:,}", env))
    lines = ["| what | default | environment variable |", "|---|---|---|"]
    lines += [f"| {_cell(w)} | {d} | `{e}` |" for w, d, e in dict.fromkeys(rows)]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- pictures of chart kinds

PICTURES = ROOT / "docs" / "assets" / "generated"


def chart_kinds(page_dir: Path | None = None) -> str:
    """Each chart kind: its definition (from docs/examples/reports/chart-kinds.yaml) and, when `make docs`
    rendered them (scripts/docs_pictures.py), its picture in the PDF and in the deck."""
    import yaml

    from egovdeck.document.chart import CHART_KINDS

    path = ROOT / "docs" / "examples" / "reports" / "chart-kinds.yaml"
    report = yaml.safe_load(path.read_text(encoding="utf-8"))
    findings = {f["id"]: f for s in report["sections"] for f in s["findings"]}
    out = []
    for kind in CHART_KINDS:
        finding = findings[kind]
        block = yaml.safe_dump(finding["slots"], allow_unicode=True, sort_keys=False).rstrip()
        out += [f"### {kind}", "", finding.get("notes", ""), "", "```yaml", "slots:",
                *("  " + line for line in block.splitlines()), "```", ""]
        pics = [(f"{kind}-pdf.png", "in the PDF"), (f"{kind}-deck.png", "in the deck")]
        if _SITE["pictures"] and all((PICTURES / name).exists() for name, _ in pics):
            out += [" ".join(f"![{kind} {where}](../assets/generated/{name}){{ width=\"45%\" }}"
                             for name, where in pics), ""]
        else:
            out += ["*(pictures: in the documentation site, `make docs`)*", ""]
    return "\n".join(out)


SECTIONS: dict[str, Callable[[], str]] = {
    "definition-keys": definition_keys, "dataset-keys": dataset_keys, "layouts": layouts, "narrative": narrative,
    "number-formats": number_formats, "limits": limits, "chart-kinds": chart_kinds, "prepare-steps": prepare_steps,
}


def example(rel: str) -> str:
    """A file of docs/examples (rel from docs/) as a fenced block: the page shows what the tests build."""
    path = (ROOT / "docs" / rel).resolve()
    if not path.is_relative_to(ROOT / "docs" / "examples") or not path.is_file():
        raise FileNotFoundError(f"no example file docs/{rel}")
    text = path.read_text(encoding="utf-8")
    lines = [x for x in text.splitlines() if not x.startswith("# yaml-language-server:")]
    return "```yaml\n" + "\n".join(lines).strip() + "\n```\n"


END = "<!-- /egovdeck -->"  # closes a generated section in the page's source
_SITE = {"pictures": True}  # expand(pictures=False): the pages kept in the repository do not depend on make docs


def expand(markdown: str, pictures: bool = True) -> str:
    """The page with each generated section filled in: after a line `<!-- egovdeck:NAME -->` the section
    NAME, after `<!-- egovdeck:example examples/PATH -->` that example file, each followed by a line
    `<!-- /egovdeck -->`. What stood between a marker and its end line (the section as last generated) is
    replaced, so expand(expand(page)) == expand(page): the pages in the repository hold the generated text
    (readable where Markdown is shown without the site), `make references` rewrites them, and the site's hook
    regenerates it; pictures=False leaves out the chart pictures, which only the site has (make docs). KeyError
    for an unknown section name."""
    _SITE["pictures"] = pictures
    try:
        return _expand(markdown)
    finally:
        _SITE["pictures"] = True


def _expand(markdown: str) -> str:
    out = []
    lines = markdown.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        i += 1
        if stripped.startswith("<!-- egovdeck:") and stripped.endswith("-->"):
            if stripped.startswith("<!-- egovdeck:example "):
                generated = example(stripped[len("<!-- egovdeck:example "):-3].strip())
            else:
                name = stripped[len("<!-- egovdeck:"):-3].strip()
                if name not in SECTIONS:
                    raise KeyError(f"unknown generated section {name!r}; known: {', '.join(SECTIONS)}")
                generated = SECTIONS[name]()
            if END in lines[i:]:  # the section as last generated: replaced
                i = lines.index(END, i) + 1
            out += [line, generated.rstrip("\n"), END]
        else:
            out.append(line)
    return "\n".join(out) + "\n"
