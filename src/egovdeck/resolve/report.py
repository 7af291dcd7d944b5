"""Project -> Document: render the narrative templates, bind charts and tables to data, check glyphs."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from egovdeck.document.report import (
    DatasetInfo,
    Document,
    FindingDoc,
    KPIData,
    Placement,
    SectionDoc,
    TableData,
    join_sources,
)
from egovdeck.document.theme import Theme
from egovdeck.errors import Collector, Problem
from egovdeck.input.data import Value, period_label
from egovdeck.input.definition import LayoutSpec, TableColumn, TableSpec
from egovdeck.input.project import Project
from egovdeck.input.yamlload import Located, key_path
from egovdeck.resolve.charts import ChartError, matching_rows, resolve_chart
from egovdeck.resolve.narrative import DataFunctions, TemplateError, render
from egovdeck.text.fonts import FontSet, coverage
from egovdeck.text.numfmt import NumberFormat, parse_format
from egovdeck.text.textfit import join_source, minus_signs, own_number

HIDDEN_COLUMNS = ("status", "provenance")


class _Renderer:
    """Renders template strings, turning failures into located problems, and joins their source lines the
    CJK way (render/textfit.paragraphs)."""

    def _folded(self, loc: tuple) -> bool:
        """Whether the value at loc is a YAML folded (>) block: there one line break is a blank source line."""
        pos = self.project.located.positions.get(key_path(loc))
        lines = _source_lines(self.project.located)
        if not pos or pos[0] > len(lines):
            return False
        after = lines[pos[0] - 1][pos[1] - 1:].split(":", 1)
        return len(after) == 2 and after[1].lstrip().startswith(">")

    def __init__(self, project: Project, functions: DataFunctions, problems: Collector):
        self.project = project
        self.functions = functions
        self.problems = problems
        self.read: set[str] = set()

    def __call__(self, text: str, loc: tuple) -> str:
        try:
            out = render(text, self.functions)
            self.read.update(self.functions.used)  # datasets the narrative, titles and KPIs read
            return join_source(out, folded=self._folded(loc))
        except TemplateError as exc:
            self.problems.add(exc.args[0], hint=exc.hint, **template_where(self.project.located, loc, exc))
            return ""


def _placement(layout: LayoutSpec) -> Placement:
    return Placement(tuple(tuple(row) for row in layout.pdf), dict(layout.slide), dict(layout.pdf_heights))


def _source_lines(located: Located) -> list[str]:
    if "lines" not in located.__dict__:
        try:
            located.__dict__["lines"] = located.file.read_text(encoding="utf-8-sig").splitlines()
        except (OSError, UnicodeDecodeError):
            located.__dict__["lines"] = []
    return located.__dict__["lines"]


def template_where(located: Located, loc: tuple, exc: TemplateError) -> dict[str, Any]:
    """Where a template failure is in the YAML file: the template's line inside a | block, and the column of
    the offending name when it is known."""
    where = located.where(loc)
    line, col = where.get("line"), where.get("column")
    lines = _source_lines(located)
    if line is None or col is None or line > len(lines) or len(where["key"]) != len(key_path(loc)):
        return where
    src = lines[line - 1]
    value = src[col - 1:].split(":", 1)[1] if ":" in src[col - 1:] else ""
    if value.strip().startswith("|") and exc.line:  # literal block: template line n is file line key + n
        n = line + exc.line
        if n > len(lines):
            return where
        target = lines[n - 1]
        start = len(target) - len(target.lstrip())
    elif value.strip() and not value.strip().startswith((">", "|")) and (exc.line or 1) == 1:
        n, target = line, src
        start = len(src) - len(value.lstrip())
    else:
        return where
    if exc.needle and exc.needle in target[start:]:
        start = target.index(exc.needle, start)
    where.update(line=n, column=start + 1)
    return where


def build_document(project: Project, theme: Theme, fonts: FontSet, params: dict[str, Any] | None = None,
                   edition: str = "") -> Document:
    problems = Collector()
    functions = DataFunctions(project.datasets, params)
    tpl = _Renderer(project, functions, problems)
    report = project.report
    sections = []
    for si, section in enumerate(report.sections):
        findings = []
        for fi, finding in enumerate(section.findings):
            base = ("sections", si, "findings", fi)
            blocks: dict[str, Any] = {}
            kpi_source = ""
            for slot in finding.slots:
                spec = project.blocks.get((si, fi, slot))
                if spec is None:
                    continue
                loc = (*base, "slots", slot)
                if isinstance(spec, list):
                    functions.used.clear()
                    blocks[slot] = tuple(
                        KPIData(tpl(k.value, (*loc, i, "value")), tpl(k.label, (*loc, i, "label")),
                                tpl(k.change, (*loc, i, "change")))
                        for i, k in enumerate(spec))
                    kpi_source = join_sources([project.datasets[d].spec.source for d in functions.used])
                elif isinstance(spec, TableSpec):
                    blocks[slot] = _table(f"{finding.id}-{slot}", spec, project, loc, problems,
                                          functools.partial(_render_at, tpl, loc))
                else:
                    try:
                        blocks[slot] = resolve_chart(f"{finding.id}-{slot}", spec, project.datasets[spec.dataset],
                                                     theme, functools.partial(_render_at, tpl, loc),
                                                     functools.partial(_warn_at, project, problems, loc))
                    except ChartError as exc:
                        problems.add(f"chart: {exc.args[0]}", hint=exc.hint,
                                     **project.located.where((*loc, *exc.key.split(".")) if exc.key else loc))
            findings.append(FindingDoc(
                id=finding.id, title=tpl(finding.title, (*base, "title")), 
                layout=_placement(project.layouts[finding.layout]), text=tpl(finding.text, (*base, "text")),
                notes=tpl(finding.notes, (*base, "notes")), blocks=blocks, kpi_source=kpi_source))
        title = tpl(section.title, ("sections", si, "title"))
        sections.append(SectionDoc(section.id, title[len(own_number(title)):],  # numbered by the renderers
                                   tpl(section.summary, ("sections", si, "summary")), tuple(findings)))
    meta = report.report
    # sources list only the datasets something shows or reads (figures, tables, narrative, KPIs)
    used = tpl.read | {spec.dataset for spec in project.blocks.values() if isinstance(spec, TableSpec)
                       or (not isinstance(spec, list) and hasattr(spec, "dataset"))}
    infos = tuple(
        DatasetInfo(ds.id, join_source(ds.spec.title), join_source(ds.spec.source), ds.spec.unit,
                    tuple(join_source(n) for n in ds.spec.notes),
                    str(ds.path.relative_to(project.root)))
        for ds in sorted(project.datasets.values(), key=lambda d: d.id) if ds.id in used)
    doc = Document(
        id=meta.id, title=tpl(meta.title, ("report", "title")), subtitle=tpl(meta.subtitle, ("report", "subtitle")),
        organisation=meta.organisation, author=meta.author or meta.organisation, date=meta.date,
        language=meta.language, keywords=tuple(meta.keywords), subject=meta.subject or meta.title,
        sections=tuple(sections), datasets=infos, page_size=report.page.size,
        orientation=report.page.orientation, margin_mm=report.page.margin_mm, edition=edition,
        logo=str(project.root / meta.logo) if meta.logo else None, pdf_standard=meta.pdf_standard,
        deck_fonts=meta.deck_fonts)
    problems.raise_if_errors()
    check_glyphs(doc, fonts, project)
    return replace(doc, warnings=tuple(str(p) for p in problems.warnings))


def _warn_at(project: Project, problems: Collector, loc: tuple, message: str, key: str, hint: str) -> None:
    """A chart's warning (resolve_chart's warn) at its key under the slot at loc."""
    problems.warn(f"chart: {message}", hint=hint, **project.located.where((*loc, *key.split(".")) if key else loc))


def _render_at(tpl: Callable[[str, tuple], str], loc: tuple, text: str, key: tuple[str | int, ...]) -> str:
    """tpl(text) at key under loc: a chart's template keys are relative to its slot."""
    return tpl(text, (*loc, *key))


def _cell_text(value: Value, fmt: NumberFormat | None, kind: str) -> str:
    """A table cell as printed: — for a gap, a number through its column's format, a period as a label."""
    if value is None:
        return "—"
    if fmt is not None and isinstance(value, int | float):
        return fmt.format(fmt.scale(value))
    return period_label(str(value)) if kind == "period" else minus_signs(str(value))


def _table(table_id: str, spec: TableSpec, project: Project, loc: tuple, problems: Collector,
           render_text: Callable[[str, tuple[str | int, ...]], str]) -> TableData | None:
    """spec -> TableData, or None after a located problem (an unknown column; where: matching no row, its
    values templates in an edition as a chart's are)."""
    ds = project.datasets[spec.dataset]
    cols = spec.columns or [TableColumn(field=c) for c in ds.columns if c not in HIDDEN_COLUMNS]
    for i, c in enumerate(cols):
        if c.field not in ds.spec.columns:
            problems.add(f'dataset "{ds.id}" has no column "{c.field}"', hint=f"columns: {', '.join(ds.columns)}",
                         **project.located.where((*loc, "columns", i, "field")))
            return None
    try:
        rows, _ = matching_rows(ds, spec.where, render_text)
    except ChartError as exc:
        problems.add(f"table: {exc.args[0]}", hint=exc.hint, **project.located.where((*loc, *exc.key.split("."))))
        return None
    if spec.sort:
        key = spec.sort.lstrip("-")
        if key not in ds.spec.columns:
            problems.add(f'cannot sort by unknown column "{key}"', **project.located.where((*loc, "sort")),
                         hint=f"sort by one of the columns of {ds.id}: {', '.join(ds.columns)} (a leading - sorts "
                              "largest first)")
            return None
        rows.sort(key=lambda r: (r[key] is None, r[key] if r[key] is not None else 0), reverse=spec.sort.startswith("-"))
    if spec.top:
        rows = rows[: spec.top]
    header: list[str] = []
    align: list[str] = []
    fmts: list[NumberFormat | None] = []
    for c in cols:
        col = ds.spec.columns[c.field]
        label = c.label or col.label or c.field
        if col.unit and not c.label and col.unit not in label:
            label += f"（{col.unit}）"
        header.append(label)
        numeric = col.type in ("integer", "number")
        align.append(c.align if c.align != "auto" else ("right" if numeric else "left"))
        if numeric:
            decimals = 0 if col.type == "integer" else col.decimals if col.decimals is not None else max(
                (len(f"{r[c.field]:.4f}".rstrip("0").split(".")[1]) for r in rows if r[c.field] is not None), default=0)
            fmts.append(parse_format(c.format) if c.format else parse_format("#,##0" + ("." + "0" * decimals if decimals else "")))
        else:
            fmts.append(None)
    body = tuple(
        tuple(_cell_text(r[c.field], f, ds.spec.columns[c.field].type) for c, f in zip(cols, fmts, strict=True))
        for r in rows)
    raw = tuple(tuple(r[c.field] for c in cols) for r in rows)
    return TableData(table_id, join_source(spec.title or ds.spec.title), tuple(header), body, tuple(align),
                     join_source(spec.source if spec.source is not None else ds.spec.source), join_source(spec.note),
                     raw, ds.id)


def check_glyphs(doc: Document, fonts: FontSet, project: Project | None = None) -> None:
    """Every character that will be drawn must be in the fonts, or the build stops naming it and where it is."""
    cov = coverage(fonts)
    problems = Collector()
    seen: set[tuple[str, str]] = set()
    places = _text_places(project) if project else {}
    for where, text in doc.all_text():
        for ch in text:
            if ord(ch) in cov or ch in "\n\r\t":
                continue
            if (ch, where) in seen:
                continue
            seen.add((ch, where))
            message = f'the character "{ch}" (U+{ord(ch):04X}) is not in the font {fonts.family}'
            hint = "replace it (e.g. a common variant), or configure a font that has it under theme.font_regular"
            located = _locate_char(project, places.get(where), ch) if project else None
            if located is None:
                problems.problems.append(Problem(message, file=project.definition if project else None, key=where,
                                                 hint=hint))
                continue
            loc_where, used_in = located
            if used_in:
                message += f" (it comes from the data and is drawn in {used_in})"
            problems.problems.append(Problem(message, hint=hint, **loc_where))
    problems.raise_if_errors()


def _text_places(project: Project) -> dict[str, tuple[str, Any, tuple]]:
    """Document.all_text() labels -> ("def", None, key path in the definition) or ("data", dataset id, ())."""
    places: dict[str, tuple[str, Any, tuple]] = {
        f"report.{k}": ("def", None, ("report", k)) for k in ("title", "subtitle", "organisation")}
    for si, section in enumerate(project.report.sections):
        for k in ("title", "summary"):
            places[f"{section.id}.{k}"] = ("def", None, ("sections", si, k))
        for fi, finding in enumerate(section.findings):
            base = ("sections", si, "findings", fi)
            for k in ("title", "text", "notes"):
                places[f"{section.id}/{finding.id}.{k}"] = ("def", None, (*base, k))
            for slot, raw in finding.slots.items():
                ds = raw.get("dataset") if isinstance(raw, dict) else None
                places[f"{section.id}/{finding.id}.{slot}"] = ("def", ds, (*base, "slots", slot))
    for ds_id in project.datasets:
        places[f"datasets.{ds_id}"] = ("data", ds_id, ())
    return places


def _find_in(data: Any, path: tuple, ch: str) -> tuple | None:
    """The key path of the first string under data that contains ch."""
    if isinstance(data, str):
        return path if ch in data else None
    items = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else ()
    for k, v in items:
        found = _find_in(v, (*path, k), ch)
        if found is not None:
            return found
    return None


def _char_position(lines: list[str], start: int, ch: str) -> tuple[int, int] | None:
    """(line, column) of the first ch at or after line start (1-based)."""
    for n in range(max(start, 1), len(lines) + 1):
        col = lines[n - 1].find(ch)
        if col >= 0:
            return n, col + 1
    return None


def _locate_char(project: Project, place: tuple[str, Any, tuple] | None, ch: str
                 ) -> tuple[dict[str, Any], str] | None:
    """Where a character the font lacks is written: the definition (key path, line, column) or a data file."""
    if place is None:
        return None
    kind, ds_id, loc = place
    located = project.located
    if kind == "def":
        node: Any = located.data
        for part in loc:
            node = node.get(part) if isinstance(node, dict) else node[part] if isinstance(node, list) else None
        path = _find_in(node, loc, ch)
        if path is not None:
            where = located.where(path)
            pos = _char_position(_source_lines(located), where.get("line") or 0, ch) if where.get("line") else None
            if pos:
                where.update(line=pos[0], column=pos[1])
            return where, ""
    ds = project.datasets.get(ds_id) if ds_id else None
    if ds is None:
        return None
    for file in (ds.path, ds.meta_path):
        if file is None or file.suffix.lower() == ".xlsx":
            continue
        try:
            from egovdeck.input.data import decode

            lines = decode(file.read_bytes())[0].splitlines()
        except (OSError, ValueError):
            continue
        pos = _char_position(lines, 1, ch)
        if pos:
            return {"file": file, "line": pos[0], "column": pos[1]}, key_path(loc) if loc else ""
    return None
