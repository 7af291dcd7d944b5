"""One ranking drawn as side-by-side native bar charts that read as one chart.

The deck splits a long horizontal bar chart into parts of consecutive categories (render/pptx/deck.py
`_ranking_parts`). Left to itself each part's client picks its own value range, major unit, name column and
so plot width: one 49-character name squeezed one part's plot, and the same value was drawn at different
bar lengths in the two parts (−60/−20/20 against −60/−10/40). Here everything a reader compares across the
parts is decided once, for all of them:

- one value range and one major unit (`c:min`, `c:max`, `c:majorUnit`), from the whole ranking;
- one tick-label size, from the row pitch of the longest part;
- one category-name column: every name wrapped (CJK and word boundaries, the project's line breaker) to the
  width of the widest name, at most NAME_SHARE of the frame, the lines joined by "\\n" in the category cache
  (LibreOffice and PowerPoint break a category label there); and
- one inner plot box (`c:plotArea/c:layout/c:manualLayout`, layoutTarget inner) in every part.

Shapes: widths and heights in points, the plot box as fractions (x, y, w, h) of a part's frame.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from egovdeck.charts.scale import anchors_agree, axis_ticks, clean
from egovdeck.document.chart import ChartData
from egovdeck.document.theme import Theme
from egovdeck.text.fonts import default_fonts, metrics
from egovdeck.text.numfmt import NumberFormat
from egovdeck.text.textfit import wrap_label

# A horizontal bar chart's category names no wider than this share of its frame (egovdeck.charts.native, where
# the measurements are)
NAME_SHARE = 0.48
# The share a name's lines are wrapped to here: below LibreOffice's own limit with room to spare for its
# measure of the text (names wrapped to 0.48 of a 432 pt frame were wrapped again by LibreOffice, a third line
# that touched the next name, and every other name was hidden)
WRAP_SHARE = 0.42
NAME_SLACK = 1.15
MOST_TICKS = 6  # value axis intervals at most (0, 8, 16 … 104 on a wide slide read as noise)
MIN_LABEL_PT = 9.0
ROW_PER_PT = 1.45  # a row's pitch per point of its one-line name (LibreOffice hides names that touch)
PAD = 8.0  # pt of frame around the plot box and between the names and the plot
TICK_GAP = 1.8  # the value axis' tick labels under the plot, per point of their size
TITLE_ROOM = 2.2  # the value axis' unit title under the tick labels, per point of its size
TICK_GAP_W = 10.0  # pt between two value tick labels
STEPS = (1.0, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0)  # major units, × a power of ten


@dataclass(frozen=True)
class SharedBars:
    """What every part of one split ranking shares: value range and major unit, the tick-label size and the
    inner plot box as fractions (x, y, w, h) of the part's frame."""

    y_min: float
    y_max: float
    step: float
    tick_size: float
    plot: tuple[float, float, float, float]


def wrapped_names(names: tuple[str, ...], room: float, size: float) -> tuple[str, ...]:
    """Each name broken into lines of at most `room` pt at `size` pt (CJK and word boundaries; a word
    wider than the room is cut), the lines joined by "\\n"."""
    m = metrics(default_fonts().regular)
    return tuple("\n".join(line.strip() for line in (wrap_label(n, room, size, m) or [n])) for n in names)


def name_lines(names: tuple[str, ...]) -> int:
    """The most lines any (wrapped) name takes."""
    return max((n.count("\n") + 1 for n in names), default=1)


def name_width(names: tuple[str, ...], size: float) -> float:
    """The widest line of the (wrapped) names at `size` pt."""
    m = metrics(default_fonts().regular)
    return max((m.width(line, size) for n in names for line in n.split("\n")), default=0.0)


def shared_ticks(lo: float, hi: float, most: int) -> tuple[float, float, float]:
    """(low, high, step): the smallest step of STEPS × 10^k that, with [lo, hi] widened to whole steps,
    gives at most `most` intervals; the ticks are then low, low + step, … high, and 0 among them when in
    range (a step that does not divide the ends drew −60/−10/40)."""
    span = hi - lo
    k = math.floor(math.log10(span / max(most, 1))) - 1
    for _ in range(6):
        for base in STEPS:
            step = clean(base * 10.0 ** k)
            a = clean(math.floor(lo / step + 1e-9) * step)
            b = clean(math.ceil(hi / step - 1e-9) * step)
            if (b - a) / step <= most + 1e-9:
                return a, b, step
        k += 1
    step = clean(10.0 ** k)
    return clean(math.floor(lo / step) * step), clean(math.ceil(hi / step) * step), step


def plot_height(chart: ChartData, height: float, theme: Theme) -> float:
    """The inner plot box's height (pt) in a frame `height` pt high: less the frame's padding, the value
    axis' tick labels and unit title under the plot, and a legend above or below it."""
    bottom = theme.chart_tick_size * TICK_GAP + (theme.chart_tick_size * TITLE_ROOM if chart.y_title else 0.0)
    if chart.legend in ("top", "bottom") and len(chart.series) > 1:
        bottom += theme.chart_legend_size * 2.2
    return max(height - 2 * PAD - bottom, 1.0)


def row_pitch(lines: int, size: float = MIN_LABEL_PT) -> float:
    """The row pitch (pt) a name of `lines` lines at `size` pt needs so that no two names touch: ROW_PER_PT
    a line (LibreOffice's line of a CJK font is ~1.4 em: two names of two lines each at 9 pt in rows of 24 pt
    touched, and it hid every other name of the chart)."""
    return size * ROW_PER_PT * lines


@dataclass(frozen=True)
class PartPlot:
    """Where the parts of a split ranking draw: every name wrapped to one column (joined by "\\n"), the size
    of names and tick labels (pt), the name column's width and the inner plot's width and height (pt)."""

    names: tuple[str, ...]
    size: float
    names_w: float
    plot_w: float
    plot_h: float


def part_plot(chart: ChartData, parts: list[ChartData], width: float, height: float, theme: Theme) -> PartPlot:
    """The PartPlot of `chart`'s parts, each in a frame of `width` × `height` pt."""
    rows = max(len(p.categories) for p in parts)
    plot_h = plot_height(chart, height, theme)
    room = WRAP_SHARE * width
    size = max(MIN_LABEL_PT, min(theme.chart_tick_size, plot_h / rows / ROW_PER_PT))
    names = wrapped_names(chart.categories, room, size)
    lines = name_lines(names)
    # a name of several lines needs their pitch in its row: the text as large as that allows
    size = max(MIN_LABEL_PT, min(size, plot_h / rows / row_pitch(lines, 1.0)))
    names = wrapped_names(chart.categories, room, size)
    # the column a little wider than the names measure here: LibreOffice's measure of the same text is wider
    # and it wrapped a one-line name of 215 pt in a column of 215 pt (and then hid every other name)
    names_w = min(room, name_width(names, size)) * NAME_SLACK
    return PartPlot(names, size, names_w, max(width - names_w - 3 * PAD, 1.0), plot_h)


def most_intervals(chart: ChartData, lo: float, hi: float, step: float, plot_w: float, size: float) -> int:
    """The most intervals of `step` whose tick labels (the chart's tick format at `size` pt, TICK_GAP_W pt
    apart) a value axis `plot_w` pt wide holds: 2 to MOST_TICKS."""
    m = metrics(default_fonts().regular)
    t = axis_ticks(lo, hi, step)
    fmt = chart.series[0].fmt if chart.series else NumberFormat()
    tick = NumberFormat(decimals=t.decimals, thousands=fmt.thousands, percent=fmt.percent)
    tick_w = max(m.width(tick.format(v), size) for v in t.values) + TICK_GAP_W
    return max(2, min(MOST_TICKS, int(plot_w / tick_w)))


def ticks_fit(chart: ChartData, lo: float, hi: float, step: float, plot_w: float, size: float) -> bool:
    """Whether every tick of [lo, hi] by `step` is labelled under a split part's plot `plot_w` pt wide with
    tick labels of `size` pt (most_intervals): the step is decided with this rule and the PDF's plots
    together (egovdeck.engine.ticks), so that both outputs label the same ticks."""
    return len(axis_ticks(lo, hi, step).values) - 1 <= most_intervals(chart, lo, hi, step, plot_w, size)


def shared_bars(chart: ChartData, parts: list[ChartData], width: float, height: float,
                theme: Theme) -> tuple[list[ChartData], SharedBars]:
    """The parts of `chart` (a horizontal bar chart split by consecutive categories, each drawn in a frame
    of `width` × `height` pt) with their names wrapped to one column width and one value range; and what
    they share. `chart` is the whole ranking: its values decide the range."""
    pp = part_plot(chart, parts, width, height, theme)
    names, size, names_w, plot_w, plot_h = pp.names, pp.size, pp.names_w, pp.plot_w, pp.plot_h
    m = metrics(default_fonts().regular)
    # the range: the resolver's, its low end already moved for the labels beyond the most negative bar
    # (resolve.charts.low_end_room, one decision for both outputs)
    lo, hi = chart.y_min, chart.y_max
    values = [v for s in chart.series for v in s.values if v is not None and math.isfinite(v)]
    if lo is None:
        lo = min([0.0, *values])
    if hi is None:
        hi = max([0.0, *values])
    if hi <= lo:
        hi = lo + 1.0
    fmt = chart.series[0].fmt
    step = chart.y_step
    if step and anchors_agree(lo, hi, step):
        # the resolver's ticks, the PDF's gridlines (charts/scale.py axis_ticks), the step decided with this
        # plot's rule (ticks_fit) and the PDF's plots: every tick labelled. Only a step no multiple of which
        # fits either output (egovdeck.engine.ticks gave up) takes every k-th of them from the low end here
        k = 1
        while k < 50 and not (anchors_agree(lo, hi, k * step) and ticks_fit(chart, lo, hi, clean(k * step), plot_w, size)):
            k += 1
        step = clean(k * step)
    else:
        tick_w = max(m.width(fmt.format(v), size) for v in (lo, hi)) + TICK_GAP_W
        lo, hi, step = shared_ticks(lo, hi, max(2, min(MOST_TICKS, int(plot_w / tick_w))))
    box = ((names_w + 2 * PAD) / width, PAD / height, plot_w / width, plot_h / height)
    by_name = dict(zip(chart.categories, names, strict=True))
    out = [replace(p, categories=tuple(by_name.get(c, c) for c in p.categories), y_min=lo, y_max=hi,
                   y_min_auto=False, y_max_auto=False, y_step=step) for p in parts]
    return out, SharedBars(lo, hi, step, size, box)
