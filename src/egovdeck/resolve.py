"""Project -> Document: render the narrative templates, bind charts and tables to data, check glyphs."""

from __future__ import annotations

from typing import Any

from egovdeck.charts.resolve import ChartError, resolve_chart
from egovdeck.charts.spec import ChartData
from egovdeck.data import period_label
from egovdeck.document import DatasetInfo, Document, FindingDoc, KPIData, SectionDoc, TableData
from egovdeck.errors import Collector, Problem
from egovdeck.fonts import FontSet, coverage
from egovdeck.model import TableSpec
from egovdeck.narrative import DataFunctions, TemplateError, render
from egovdeck.numfmt import parse_format
from egovdeck.project import Project
from egovdeck.theme import Theme

HIDDEN_COLUMNS = ("status", "provenance")


class _Renderer:
    """Renders template strings, turning failures into located problems."""

    def __init__(self, project: Project, functions: DataFunctions, problems: Collector):
        self.project = project
        self.functions = functions
        self.problems = problems

    def __call__(self, text: str, loc: tuple) -> str:
        try:
            return render(text, self.functions).strip()
        except TemplateError as exc:
            where = self.project.located.where(loc)
            if exc.line and where.get("line") is not None and "\n" in text:
                where["line"] += exc.line  # block scalar: content starts on the next line
            self.problems.add(exc.args[0], hint=exc.hint, **where)
            return ""


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
            for slot in finding.slots:
                spec = project.blocks.get((si, fi, slot))
                if spec is None:
                    continue
                loc = (*base, "slots", slot)
                if isinstance(spec, list):
                    blocks[slot] = tuple(
                        KPIData(tpl(k.value, (*loc, i, "value")), tpl(k.label, (*loc, i, "label")),
                                tpl(k.change, (*loc, i, "change")))
                        for i, k in enumerate(spec))
                elif isinstance(spec, TableSpec):
                    blocks[slot] = _table(f"{finding.id}-{slot}", spec, project, loc, problems)
                else:
                    try:
                        blocks[slot] = resolve_chart(f"{finding.id}-{slot}", spec, project.datasets[spec.dataset],
                                                     theme, lambda t, _loc=loc: tpl(t, (*_loc, "title")))
                    except ChartError as exc:
                        problems.add(f"chart: {exc.args[0]}", hint=exc.hint,
                                     **project.located.where((*loc, *exc.key.split(".")) if exc.key else loc))
            findings.append(FindingDoc(
                id=finding.id, title=tpl(finding.title, (*base, "title")), layout_name=finding.layout,
                layout=project.layouts[finding.layout], text=tpl(finding.text, (*base, "text")),
                notes=tpl(finding.notes, (*base, "notes")), blocks=blocks))
        sections.append(SectionDoc(section.id, tpl(section.title, ("sections", si, "title")),
                                   tpl(section.summary, ("sections", si, "summary")), tuple(findings)))
    meta = report.report
    infos = tuple(
        DatasetInfo(ds.id, ds.spec.title, ds.spec.source, ds.spec.unit, tuple(ds.spec.notes),
                    str(ds.path.relative_to(project.root)))
        for ds in sorted(project.datasets.values(), key=lambda d: d.id))
    doc = Document(
        id=meta.id, title=tpl(meta.title, ("report", "title")), subtitle=tpl(meta.subtitle, ("report", "subtitle")),
        organisation=meta.organisation, author=meta.author or meta.organisation, date=meta.date,
        language=meta.language, keywords=tuple(meta.keywords), subject=meta.subject or meta.title,
        sections=tuple(sections), datasets=infos, page_size=report.page.size,
        orientation=report.page.orientation, margin_mm=report.page.margin_mm, edition=edition,
        logo=str(project.root / meta.logo) if meta.logo else None)
    problems.raise_if_errors()
    check_glyphs(doc, fonts, project)
    return doc


def _table(table_id: str, spec: TableSpec, project: Project, loc: tuple, problems: Collector) -> TableData | None:
    ds = project.datasets[spec.dataset]
    cols = spec.columns or [type("C", (), {"field": c, "label": None, "format": None, "align": "auto"})()
                            for c in ds.columns if c not in HIDDEN_COLUMNS]
    for i, c in enumerate(cols):
        if c.field not in ds.spec.columns:
            problems.add(f'dataset "{ds.id}" has no column "{c.field}"', hint=f"columns: {', '.join(ds.columns)}",
                         **project.located.where((*loc, "columns", i, "field")))
            return None
    from egovdeck.narrative import _match

    rows = [r for r in ds.rows if all(_match(r.get(k), v) for k, v in spec.where.items())]
    if spec.sort:
        key = spec.sort.lstrip("-")
        if key not in ds.spec.columns:
            problems.add(f'cannot sort by unknown column "{key}"', **project.located.where((*loc, "sort")))
            return None
        rows.sort(key=lambda r: (r[key] is None, r[key] if r[key] is not None else 0), reverse=spec.sort.startswith("-"))
    if spec.top:
        rows = rows[: spec.top]
    header, align, fmts = [], [], []
    for c in cols:
        col = ds.spec.columns[c.field]
        label = c.label or col.label or c.field
        if col.unit and not c.label and col.unit not in label:
            label += f"（{col.unit}）"
        header.append(label)
        numeric = col.type in ("integer", "number")
        align.append(c.align if c.align != "auto" else ("right" if numeric else "left"))
        if numeric:
            decimals = 0 if col.type == "integer" else max(
                (len(f"{r[c.field]:.4f}".rstrip("0").split(".")[1]) for r in rows if r[c.field] is not None), default=0)
            fmts.append(parse_format(c.format) if c.format else parse_format("#,##0" + ("." + "0" * decimals if decimals else "")))
        else:
            fmts.append(None)
    body = tuple(
        tuple("—" if r[c.field] is None else (f.format(f.scale(r[c.field])) if f else
                                              period_label(r[c.field]) if ds.spec.columns[c.field].type == "period"
                                              else str(r[c.field]))
              for c, f in zip(cols, fmts, strict=True))
        for r in rows)
    raw = tuple(tuple(r[c.field] for c in cols) for r in rows)
    return TableData(table_id, spec.title or ds.spec.title, tuple(header), body, tuple(align),
                     spec.source if spec.source is not None else ds.spec.source, spec.note, raw, tuple(fmts))


def check_glyphs(doc: Document, fonts: FontSet, project: Project | None = None) -> None:
    """Every character that will be drawn must be in the fonts, or the build stops naming it."""
    cov = coverage(fonts)
    problems = Collector()
    seen: set[tuple[str, str]] = set()
    for where, text in doc.all_text():
        for ch in text:
            if ord(ch) in cov or ch in "\n\r\t":
                continue
            if (ch, where) in seen:
                continue
            seen.add((ch, where))
            problems.problems.append(Problem(
                f'the character "{ch}" (U+{ord(ch):04X}) is not in the font {fonts.family}',
                file=project.definition if project else None, key=where,
                hint="replace it (e.g. a common variant), or configure a font that has it under theme.font_regular"))
    problems.raise_if_errors()


def chart_ids(doc: Document) -> list[ChartData]:
    return doc.charts()
