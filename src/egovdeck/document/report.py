"""The resolved document: every template rendered, every chart and table bound to its data.

This is all the renderers see; it is built once per report (or edition) by `resolve`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from egovdeck.document.chart import ChartData

SOURCE_PREFIX = "资料来源："


_OPENING, _CLOSING = "（(「『《【〔[“‘", "）)」』》】〕]”’"


def source_parts(source: str) -> list[str]:
    """The sources a source line lists: 「资料来源：A；B（x；y）」 -> ["A", "B（x；y）"] (split at 「；」 outside
    brackets and quotes; each part without its 「资料来源：」)."""
    parts, depth, start = [], 0, 0
    text = source.strip().removeprefix(SOURCE_PREFIX)
    for i, ch in enumerate(text):
        if ch in _OPENING:
            depth += 1
        elif ch in _CLOSING:
            depth = max(0, depth - 1)
        elif ch == "；" and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return [q for q in (p.strip().removeprefix(SOURCE_PREFIX).strip() for p in parts) if q]


def join_sources(sources: list[str]) -> str:
    """「资料来源：A；B」+「资料来源：A」 -> 「资料来源：A；B」: one line listing each distinct source once, in the
    order first given, whether the sources come one by one or already joined (a KPI row's datasets)."""
    parts = list(dict.fromkeys(q for s in sources for q in source_parts(s)))
    return SOURCE_PREFIX + "；".join(parts) if parts else ""


@dataclass(frozen=True)
class KPIData:
    value: str
    label: str
    change: str = ""


@dataclass(frozen=True)
class TableData:
    id: str
    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]  # formatted cells
    align: tuple[str, ...]  # left | right | center per column
    source: str = ""
    note: str = ""
    raw: tuple[tuple[object, ...], ...] = ()  # unformatted values, for tests and the deck
    dataset: str = ""


Block = ChartData | TableData | tuple[KPIData, ...]


@dataclass(frozen=True)
class Placement:
    """Where a finding's slots go, from its layout (the definition's `LayoutSpec`, resolved).

    pdf: rows top to bottom, slot names side by side in a row; slide: slot (or "text") -> (x, y, w, h)
    as fractions of the slide's content area; pdf_heights: chart slot -> height as a fraction of its width."""

    pdf: tuple[tuple[str, ...], ...]
    slide: dict[str, tuple[float, float, float, float]]
    pdf_heights: dict[str, float]


@dataclass(frozen=True)
class FindingDoc:
    id: str
    title: str
    layout: Placement
    text: str  # narrative paragraphs separated by blank lines
    notes: str
    blocks: dict[str, Block]
    kpi_source: str = ""  # 「资料来源」 of the datasets the KPI figures were read from

    def charts(self) -> list[ChartData]:
        return [b for b in self.blocks.values() if isinstance(b, ChartData)]


@dataclass(frozen=True)
class SectionDoc:
    id: str
    title: str
    summary: str
    findings: tuple[FindingDoc, ...]


@dataclass(frozen=True)
class DatasetInfo:
    id: str
    title: str
    source: str
    unit: str
    notes: tuple[str, ...]
    file: str


def dataset_entries(datasets: tuple[DatasetInfo, ...]) -> list[tuple[DatasetInfo, tuple[str, ...]]]:
    """The datasets as the brief's 数据说明 and the deck's 数据来源 list them: those of one title, source and unit
    (a dataset and the ones `prepare:` made from it) as one entry, their notes joined in order without repeats.
    Returns (entry, the ids it stands for) in the order of each entry's first dataset."""
    groups: dict[tuple[str, str, str], list[DatasetInfo]] = {}
    for d in datasets:
        groups.setdefault((d.title, d.source, d.unit), []).append(d)
    out = []
    for members in groups.values():
        notes = tuple(dict.fromkeys(n for d in members for n in d.notes))
        out.append((DatasetInfo(members[0].id, members[0].title, members[0].source, members[0].unit, notes,
                                members[0].file), tuple(d.id for d in members)))
    return out


@dataclass(frozen=True)
class Document:
    id: str
    title: str
    subtitle: str
    organisation: str
    author: str
    date: dt.date
    language: str
    keywords: tuple[str, ...]
    subject: str
    sections: tuple[SectionDoc, ...]
    datasets: tuple[DatasetInfo, ...]
    page_size: str = "A4"
    orientation: str = "portrait"
    margin_mm: tuple[float, float, float, float] = (22, 20, 22, 20)
    edition: str = ""
    logo: str | None = None
    pdf_standard: str = "PDF/A-2b"  # or "PDF/A-1b", or "none" for a plain PDF
    deck_fonts: str = "subset"  # fonts embedded in the deck: "subset", "full" or "none" (render/pptx/embedfonts.py)
    # what resolving warned about (located problems as text); the engine shows them, no renderer draws them
    warnings: tuple[str, ...] = ()

    def charts(self) -> list[ChartData]:
        return [c for s in self.sections for f in s.findings for c in f.charts()]

    def all_text(self) -> list[tuple[str, str]]:
        """(where, text) for every string that will be drawn: the glyph check reads this."""
        out = [("report.title", self.title), ("report.subtitle", self.subtitle),
               ("report.organisation", self.organisation)]
        for s in self.sections:
            out += [(f"{s.id}.title", s.title), (f"{s.id}.summary", s.summary)]
            for f in s.findings:
                where = f"{s.id}/{f.id}"
                out += [(f"{where}.title", f.title), (f"{where}.text", f.text), (f"{where}.notes", f.notes)]
                for slot, b in f.blocks.items():
                    if isinstance(b, ChartData):
                        out += [(f"{where}.{slot}", t) for t in b.all_text()]
                    elif isinstance(b, TableData):
                        out += [(f"{where}.{slot}", t) for t in (b.title, b.source, b.note, *b.header)]
                        out += [(f"{where}.{slot}", c) for r in b.rows for c in r]
                    else:
                        out += [(f"{where}.{slot}", t) for k in b for t in (k.value, k.label, k.change)]
        for d in self.datasets:
            out += [(f"datasets.{d.id}", t) for t in (d.title, d.source, d.unit, *d.notes)]
        return [(w, t) for w, t in out if t]


def caption_numbers(doc: Document) -> dict[str, str]:
    """chart/table id -> 「图N」/「表N」, numbered in the order the PDF places them (section, finding, the
    layout's PDF rows, slots left to right), so the deck's captions carry the same numbers."""
    out: dict[str, str] = {}
    counts = {"图": 0, "表": 0}
    for section in doc.sections:
        for finding in section.findings:
            for row in finding.layout.pdf:
                for slot in row:
                    block = finding.blocks.get(slot)
                    if isinstance(block, ChartData | TableData):
                        kind = "图" if isinstance(block, ChartData) else "表"
                        counts[kind] += 1
                        out[block.id] = f"{kind}{counts[kind]}"
    return out
