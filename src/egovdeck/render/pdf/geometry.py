"""Page geometry shared by the PDF renderer and the chart pre-renderer (chart sizes come from layout slots)."""

from __future__ import annotations

from egovdeck.document.chart import ChartData
from egovdeck.document.report import Document, TableData

MM = 72 / 25.4
PAGE_SIZES = {"A4": (595.2756, 841.8898), "A5": (419.5276, 595.2756), "letter": (612.0, 792.0)}
COLUMN_GAP = 20.0  # pt between side-by-side slots
DEFAULT_HEIGHT = 0.56  # chart height / width when a layout says nothing


def page_size(doc: Document) -> tuple[float, float]:
    w, h = PAGE_SIZES[doc.page_size]
    return (h, w) if doc.orientation == "landscape" else (w, h)


def frame_width(doc: Document) -> float:
    top, right, bottom, left = doc.margin_mm
    return page_size(doc)[0] - (left + right) * MM


def pdf_chart_sizes(doc: Document) -> dict[str, tuple[float, float]]:
    """chart id -> (width, height) in points, as the PDF places it."""
    sizes: dict[str, tuple[float, float]] = {}
    full = frame_width(doc)
    _, page_h = page_size(doc)
    top, _, bottom, _ = doc.margin_mm
    max_h = page_h - (top + bottom) * MM - 120  # leave room for caption, source line and heading
    for section in doc.sections:
        for finding in section.findings:
            for row in finding.layout.pdf:
                present = [s for s in row if s in finding.blocks]
                if not present:
                    continue
                width = (full - COLUMN_GAP * (len(present) - 1)) / len(present)
                for slot in present:
                    block = finding.blocks[slot]
                    if isinstance(block, ChartData):
                        ratio = finding.layout.pdf_heights.get(slot, DEFAULT_HEIGHT)
                        if block.kind == "bar" and len(block.categories) > 12:
                            ratio = max(ratio, 0.032 * len(block.categories))
                        elif block.kind in ("column", "line", "combo") and len(block.categories) <= 3 \
                                and len(present) == 1:
                            ratio = min(ratio, 0.42)  # two or three bars do not need half a page
                        sizes[block.id] = (round(width, 2), round(min(width * ratio, max_h), 2))
    return sizes


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
                    kind = "图" if isinstance(block, ChartData) else "表" if isinstance(block, TableData) else ""
                    if kind:
                        counts[kind] += 1
                        out[block.id] = f"{kind}{counts[kind]}"
    return out
