"""Page geometry shared by the PDF renderer and the chart pre-renderer (chart sizes come from layout slots)."""

from __future__ import annotations

import functools
from collections.abc import Iterator

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


def chart_room(doc: Document) -> float:
    """The tallest (pt) the brief plans a chart that needs no more: a page's body less room for its caption,
    source line and a heading."""
    return body_height(doc) - 120


def figure_room(doc: Document) -> float:
    """The tallest (pt) a chart that needs it may be (a ranking's rows, a pie's legend): a page's body less
    CAPTION_ROOM."""
    return body_height(doc) - CAPTION_ROOM


def crowded_beside(chart: ChartData, width: float, room: float = float("inf")) -> bool:
    """Whether a chart `width` pt wide cannot be read beside a neighbour, and its row is laid out stacked
    (stacked_row): a column, line or combo chart with less than MIN_CATEGORY_PITCH a category (it cannot
    name its categories readably), a bar chart that cannot label its value axis (bar_axis_crowded), a pie or
    doughnut whose pie and legend of every slice need more than `room` pt of height (pie_need: the pie would
    shrink under its legend)."""
    if chart.kind in ("pie", "doughnut"):
        return pie_need(chart, width) > room
    if chart.kind == "bar":
        return bar_axis_crowded(chart, width)
    return chart.kind in ("column", "line", "combo") and \
        width * PLOT_SHARE / max(len(chart.categories), 1) < MIN_CATEGORY_PITCH


def bar_axis_crowded(chart: ChartData, width: float) -> bool:
    """Whether horizontal bar chart `chart` drawn `width` pt wide (as tall as its rows need) has no whole
    multiple of its tick step (up to 10 times, charts/scale.coarser) whose every tick label fits the plot its
    names and value labels leave (charts/plan/bars.bar_ticks_fit, the theme's sizes and the bundled font):
    two side-by-side rankings on an A5 page left a plot of ~40 pt that labelled only −1,000,000 in the PDF,
    where the deck labelled −1,000,000, 0 and 1,000,000 (engine/ticks.py decides the step for the plot it
    gets when stacked)."""
    lo, hi, step = chart.y_min, chart.y_max, chart.y_step
    if step is None or lo is None or hi is None or hi <= lo or not chart.categories:
        return False
    from dataclasses import replace

    from egovdeck.charts.plan.bars import bar_ticks_fit
    from egovdeck.charts.scale import coarser
    from egovdeck.document.theme import Theme
    from egovdeck.text.fonts import default_fonts

    theme, fonts, height = Theme(), default_fonts(), bar_height(chart, PDF_LABEL_SIZE)

    def fits(a: float, b: float, s: float) -> bool:
        return bar_ticks_fit(replace(chart, y_min=a, y_max=b, y_step=s), width, height, theme, fonts)

    return not fits(lo, hi, step) and coarser(lo, hi, step, chart.y_min_auto, chart.y_max_auto, fits) is None


def stacked_row(blocks: dict, present: list[str], width: float, room: float = float("inf")) -> bool:
    """Whether a layout row of several slots (`present`, each `width` pt beside the others) is laid out slot
    under slot at the frame's width: when one of its charts is crowded there (crowded_beside; room: the
    tallest a chart may be, figure_room)."""
    return len(present) > 1 and any(isinstance(blocks[s], ChartData) and crowded_beside(blocks[s], width, room)
                                    for s in present)


MIN_SLOT_WIDTH = 140.0  # pt (about 49 mm): a slot narrower than this side by side is placed under its neighbour


def printed_rows(row: list[str], full: float) -> list[list[str]]:
    """The slots of one `pdf:` row (those present) as printed rows: side by side when each gets at least
    MIN_SLOT_WIDTH of the frame's `full` width (pt), else in rows of as many as do (one under the other on
    a narrow frame: two charts on an 82 mm frame would be 106 pt wide, too small for their axes and labels).
    The same rows for the chart sizes and the brief's layout."""
    k = len(row)
    while k > 1 and (full - COLUMN_GAP * (k - 1)) / k < MIN_SLOT_WIDTH:
        k -= 1
    return [row[i:i + k] for i in range(0, len(row), max(k, 1))]


def pdf_chart_sizes(doc: Document) -> dict[str, tuple[float, float]]:
    """chart id -> (width, height) in points, as the PDF places it (the parts of a split ranking too)."""
    return pdf_chart_plan(doc)[0]


def pdf_chart_parts(doc: Document) -> dict[str, list[ChartData]]:
    """chart id -> the side-by-side charts the brief prints instead of it (ranking_parts), for the
    horizontal bar charts a page cannot hold whole."""
    return pdf_chart_plan(doc)[1]


def pdf_chart_plan(doc: Document) -> tuple[dict[str, tuple[float, float]], dict[str, list[ChartData]]]:
    """(pdf_chart_sizes, pdf_chart_parts) from one pass over the document, for a caller that needs both."""
    sizes: dict[str, tuple[float, float]] = {}
    split: dict[str, list[ChartData]] = {}
    full = frame_width(doc)
    _, page_h = page_size(doc)
    top, _, bottom, _ = doc.margin_mm
    max_h = chart_room(doc)  # leave room for caption, source line and heading
    for section in doc.sections:
        for finding in section.findings:
            for row in (part for pdf_row in finding.layout.pdf
                        for part in printed_rows([s for s in pdf_row if s in finding.blocks], full)):
                present = row
                if not present:
                    continue
                width = (full - COLUMN_GAP * (len(present) - 1)) / len(present)
                alone = len(present) == 1
                if stacked_row(finding.blocks, present, width, figure_room(doc)):
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
                        height = min(width * ratio, max_h)
                        if block.kind in ("pie", "doughnut"):
                            # a pie in a narrow slot gets the height its legend and a pie of half the
                            # width need (charts/plan/pie), up to a page
                            height = min(max(height, pie_need(block, width, figure_room(doc))), figure_room(doc))
                        if block.kind == "bar":
                            # a ranking gets the height its rows need (up to a page), else its columns do
                            room = page_h - (top + bottom) * MM - CAPTION_ROOM - HEADING_ROOM
                            parts = ranking_parts(block, width, room)
                            height = max(height, min(bar_height(block, PDF_LABEL_SIZE), room))
                            if len(parts) > 1:
                                part_w = (width - COLUMN_GAP * (len(parts) - 1)) / len(parts)
                                part_h = min(max(bar_height(p, PDF_LABEL_SIZE) for p in parts), room)
                                for part in parts:
                                    sizes[part.id] = (round(part_w, 2), round(part_h, 2))
                                split[block.id] = parts
                        if block.kind == "timeline":  # its descriptions whole at the first size, up to a page
                            room = page_h - (top + bottom) * MM - CAPTION_ROOM
                            height = max(height, min(timeline_height(block, width), room))
                        sizes[block.id] = (round(width, 2), round(height, 2))
    return sizes, split


@functools.lru_cache(maxsize=256)
def pie_need(chart: ChartData, width: float, room: float | None = None) -> float:
    """The height (pt) a pie or doughnut `width` pt wide needs in the brief (charts.plan.pie.pie_height,
    measured with the bundled font and the default theme's sizes, as the other chart heights here); with
    `room`, the need of its legend laid out to fit a chart that tall where it can. Cached: the chart sizes,
    the side-by-side rule and the charts' floors of one build ask for the same pies (a chart is a frozen
    dataclass, its own key)."""
    from egovdeck.charts.plan.pie import pie_height
    from egovdeck.document.theme import Theme
    from egovdeck.text.fonts import default_fonts

    return pie_height(chart, width, Theme(), default_fonts(), room)


@functools.lru_cache(maxsize=256)
def pie_least(chart: ChartData, width: float) -> float:
    """The least height (pt) a pie or doughnut `width` pt wide can be drawn at in the brief with every
    slice named (charts.plan.pie.pie_least: its smallest pie above its least tall legend)."""
    from egovdeck.charts.plan.pie import pie_least as least
    from egovdeck.document.theme import Theme
    from egovdeck.text.fonts import default_fonts

    return least(chart, width, Theme(), default_fonts())


PDF_LABEL_SIZE = 8.5  # pt: the brief's chart label size (document/theme.Theme.chart_label_size)
# pt: a ranking that gives up height to keep its heading on its page (brief.FigureBlock.fitted) still names
# its bars this large (tests/test_page_sizes.py reads 7.5 pt as named)
GIVE_LABEL_SIZE = 7.5
CAPTION_ROOM = 44.0  # pt of a page a figure needs besides its chart: caption, a source line and their spaces
# pt of a page a ranking leaves for the finding heading kept with it at a page's top (12.5 pt on 18, 6 pt
# after): a ranking planned a page tall left its heading alone at the foot of the page before
HEADING_ROOM = 24.0
MIN_RANKING_PART = 180.0  # pt: a column of a ranking split side by side is at least this wide (names and bars)


def _text_width(text: str, size: float) -> float:
    """An upper estimate of text's width (pt) at size: a CJK character one em, any other 0.62 em."""
    return sum(size if ord(ch) >= 0x2E80 else 0.62 * size for ch in text)


def timeline_height(chart: ChartData, width: float, label_size: float = PDF_LABEL_SIZE,
                    title_size: float = 11.0) -> float:
    """The height (pt) a timeline needs for every stage's title and description at the first sizes
    charts/plan/timeline.py tries (label size + 1 bold, label size), estimated from the characters (one em per CJK
    character, 0.62 em for the others, a line more per text for the words kept whole): below this the plan
    shrinks the texts, then cuts the descriptions with 「…」."""
    n = max(len(chart.milestones), 1)
    inner = width / n - 10 - 6  # the plan's column less its gap and padding
    lab_fs, txt_fs = label_size + 1, label_size

    def lines(text: str, size: float) -> int:
        return 0 if not text else int(_text_width(text, size) / max(inner, size)) + 2

    below = max((lines(m.label, lab_fs) * lab_fs * 1.3 + (lines(m.text, txt_fs) * txt_fs * 1.45 + 4 if m.text else 0)
                 for m in chart.milestones), default=0.0)
    return (title_size + 1) * 1.4 + 8 + 10 + 10 + below + 2 * 3.0 + 2


def bar_height(chart: ChartData, label_size: float) -> float:
    """The height (pt) a horizontal bar chart needs for every category to be named with labels of
    `label_size` (charts/plan/bars.bar_thickness: labels are min(label size, row pitch / 1.2); k
    side-by-side bars need k labels of label size + 0.9 pt in 82 % of the row)."""
    k = 1 if chart.stacked else max(1, len(chart.series))
    pitch = max(1.25 * label_size, k * (label_size + 0.9) / 0.82)
    legend = 20.0 if len(chart.series) > 1 else 0.0
    return len(chart.categories) * pitch + BAR_FRAME + legend


def ranking_parts(chart: ChartData, width: float, room: float,
                  label_size: float = PDF_LABEL_SIZE) -> list[ChartData]:
    """A horizontal bar chart as the brief prints it: itself when its rows fit `room` pt at `label_size`;
    else split into side-by-side charts of consecutive categories on the same value range (as the deck
    does: a 32-province ranking on an A5 landscape page becomes two columns of 16), as few as make the
    rows fit, as many as `width` holds columns of MIN_RANKING_PART. Part i is "<id>-<i>", its alt text
    says which part it is; the legend goes with the last part."""
    import math
    from dataclasses import replace

    n = len(chart.categories)
    if chart.kind != "bar" or n < 2 or bar_height(chart, label_size) <= room:
        return [chart]
    most = max(1, min(n, int((width + COLUMN_GAP) / (MIN_RANKING_PART + COLUMN_GAP))))
    count = most
    for k in range(2, most + 1):
        per = math.ceil(n / k)
        if bar_height(replace(chart, categories=chart.categories[:per]), label_size) <= room:
            count = k
            break
    if count == 1:
        return [chart]
    per = math.ceil(n / count)
    count = math.ceil(n / per)
    parts = []
    for k in range(count):
        sl = slice(k * per, (k + 1) * per)
        series = tuple(replace(s, values=s.values[sl], point_colors=s.point_colors[sl]) for s in chart.series)
        parts.append(replace(chart, id=f"{chart.id}-{k + 1}", categories=chart.categories[sl], series=series,
                             legend=chart.legend if k == count - 1 else None, shown_labels=chart.labels_in(sl.start, sl.stop),
                             inside_labels=chart.inside_in(sl.start, sl.stop),
                             alt_text=f"{chart.alt_text}（第{k + 1}/{count}部分）"))
    return parts


def printed_blocks(doc: Document) -> Iterator[tuple[object, float]]:
    """Every block of the brief's findings with the width (pt) the row it is printed in gives it
    (printed_rows: side by side, or one under the other when the slots are too narrow)."""
    full = frame_width(doc)
    for section in doc.sections:
        for finding in section.findings:
            for pdf_row in finding.layout.pdf:
                for row in printed_rows([slot for slot in pdf_row if slot in finding.blocks], full):
                    width = (full - COLUMN_GAP * (len(row) - 1)) / max(len(row), 1)
                    for slot in row:
                        yield finding.blocks[slot], width


def unreadable_rankings(doc: Document) -> list[str]:
    """Warnings for the brief's horizontal bar charts whose every category cannot be named with labels of
    PDF_LABEL_SIZE even split into columns (the brief then names every other one, highlighted ones always)."""
    out = []
    room = body_height(doc) - CAPTION_ROOM - HEADING_ROOM
    for block, width in printed_blocks(doc):
        if not isinstance(block, ChartData) or block.kind != "bar":
            continue
        parts = ranking_parts(block, width, room)
        if max(bar_height(p, PDF_LABEL_SIZE) for p in parts) > room:
            out.append(f"PDF: chart “{block.title}” has {len(block.categories)} categories; "
                       f"a page of {room + CAPTION_ROOM + HEADING_ROOM:.0f} pt cannot name each with labels of "
                       f"{PDF_LABEL_SIZE:g} pt even in {len(parts)} column(s): only some are named "
                       "(highlighted ones always): show fewer (top:), use a taller page or smaller margins")
    return out


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
    need k labels of label size + 0.9 pt in 82 % of the row); every other kind keeps MIN_CHART_SCALE of its
    height and MIN_CHART_HEIGHT, a pie also its least height (pie_least: its legend in more columns or
    smaller, the pie smaller, down to the plan's floor)."""
    _w, h = size
    floor = max(h * MIN_CHART_SCALE, MIN_CHART_HEIGHT)
    if chart.kind == "bar":
        floor = max(floor, bar_height(chart, label_size))
    elif chart.kind in ("pie", "doughnut"):
        floor = max(floor, pie_least(chart, _w))  # the legend naming every slice keeps its room
    return round(min(h, floor), 2)
