"""Page geometry shared by the PDF renderer and the chart pre-renderer (chart sizes come from layout slots)."""

from __future__ import annotations

from egovdeck.document.chart import ChartData
from egovdeck.document.report import Document

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


def body_height(doc: Document) -> float:
    """The height (pt) of the body frame of a page: the page less its top and bottom margins."""
    top, _, bottom, _ = doc.margin_mm
    return page_size(doc)[1] - (top + bottom) * MM


# A category under a column or a line point needs this much of the plot's width in the PDF for its name at the
# label floor (one CJK character a line, upright or turned, and a gap): 32 provinces × 2 series beside a table
# (6.9 pt a category) were drawn with a 50 pt plot under names of one character a line
MIN_CATEGORY_PITCH = 9.0 * 1.2
PLOT_SHARE = 0.85  # of a chart's width, its plot's (the value axis' tick labels take the rest)


def crowded_beside(chart: ChartData, width: float) -> bool:
    """Whether a column, line or combo chart `width` pt wide has less than MIN_CATEGORY_PITCH a category:
    beside a neighbour it cannot name its categories readably, and its row is laid out stacked (stacked_row)."""
    return chart.kind in ("column", "line", "combo") and \
        width * PLOT_SHARE / max(len(chart.categories), 1) < MIN_CATEGORY_PITCH


def stacked_row(blocks: dict, present: list[str], width: float) -> bool:
    """Whether a layout row of several slots (`present`, each `width` pt beside the others) is laid out slot
    under slot at the frame's width: when one of its charts is crowded there (crowded_beside)."""
    return len(present) > 1 and any(isinstance(blocks[s], ChartData) and crowded_beside(blocks[s], width)
                                    for s in present)


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
                alone = len(present) == 1
                if stacked_row(finding.blocks, present, width):
                    width, alone = full, True
                for slot in present:
                    block = finding.blocks[slot]
                    if isinstance(block, ChartData):
                        ratio = finding.layout.pdf_heights.get(slot, DEFAULT_HEIGHT)
                        if block.kind == "bar" and len(block.categories) > 12:
                            ratio = max(ratio, 0.032 * len(block.categories))
                        elif block.kind in ("column", "line", "combo") and len(block.categories) <= 3 \
                                and alone:
                            ratio = min(ratio, 0.42)  # two or three bars do not need half a page
                        sizes[block.id] = (round(width, 2), round(min(width * ratio, max_h), 2))
    return sizes


# A chart that does not fit the room left on a page may give up part of its planned height rather than
# leave that room blank (render/pdf/brief.FigureBlock): the chart plan (charts/plan) lays out any size,
# and these floors keep what it draws as readable as at the planned size.
MIN_CHART_SCALE = 0.6  # a chart keeps at least this fraction of its planned height
MIN_CHART_HEIGHT = 120.0  # pt, and never less than this
BAR_FRAME = 48.0  # pt of a bar chart that are not rows: value axis, tick labels, padding


def min_chart_height(chart: ChartData, size: tuple[float, float], label_size: float) -> float:
    """The least height (pt) chart may be drawn at in the PDF, at its planned `size` (width, height);
    never more than the planned height.

    Rankings (kind bar) keep rows tall enough that category and value labels stay at `label_size`
    (charts/plan/bars.bar_thickness: labels are min(label size, row pitch / 1.2); k side-by-side bars
    need k labels of label size + 0.9 pt in 82 % of the row); every other kind (a pie's labels keep their
    size, its radius shrinks) keeps MIN_CHART_SCALE of its height and MIN_CHART_HEIGHT."""
    _w, h = size
    floor = max(h * MIN_CHART_SCALE, MIN_CHART_HEIGHT)
    if chart.kind == "bar":
        k = 1 if chart.stacked else max(1, len(chart.series))
        pitch = max(1.25 * label_size, k * (label_size + 0.9) / 0.82)
        legend = 20.0 if len(chart.series) > 1 else 0.0
        floor = max(floor, len(chart.categories) * pitch + BAR_FRAME + legend)
    return round(min(h, floor), 2)
