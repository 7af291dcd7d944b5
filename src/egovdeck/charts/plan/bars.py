"""Plan of horizontal bar charts (rankings): categories down the left, the first at the top, values across.

`bar_frame` decides the category label lines, the value axis (with room beside the bars for the value
labels) and the plot area; then the axis, the category labels, the bars with their labels and the
legend are placed, in that order.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from egovdeck.charts.plan.axes import Axis, extent, free_hi, known, lower_to, value_axis
from egovdeck.charts.plan.canvas import MIN_FONT, PAD, Plan
from egovdeck.charts.plan.labels import bar_category_labels
from egovdeck.charts.plan.legend import Legend, legend_for, legend_room, place_legend
from egovdeck.charts.segmentroom import fits_segment
from egovdeck.document.chart import ChartData
from egovdeck.document.chart import ink_on as _ink_on
from egovdeck.document.theme import Theme
from egovdeck.text.fonts import FontSet


@dataclass
class BarFrame:
    """What the layout of a bar chart decided before anything is placed (pt, origin bottom-left)."""

    legend: Legend | None
    x0: float  # plot area
    x1: float
    y0: float
    y1: float
    pitch: float  # height of one category row
    axis: Axis
    wrapped: list[list[str]]  # category label lines
    cfs: float  # category label size
    thin: int  # every thin-th category labelled, from the first
    highlighted: set[int]  # categories drawn in the highlight colour (their labels bold)
    bar_lfs: float  # value label size
    group: float  # height of one category's bars together
    thick: float  # height of one bar

    def row_y(self, i: int) -> float:
        """Centre of category i's row (the first category at the top)."""
        return self.y1 - self.pitch * (i + 0.5)


LABEL_GAP = 0.9  # pt between the boxes of two value labels one above the other (Plan.free keeps 0.8)


def bar_thickness(pitch: float, k: int, lfs: float) -> tuple[float, float, float]:
    """Height of a category's group of k bars, of one bar, and the value label size, for rows `pitch` pt
    apart.

    The value labels of the k bars of a row sit one above the other, each centred on its bar, so a label
    is at most one bar high less LABEL_GAP (else neighbours touch and are left out). The group takes 72 %
    of the row for one bar, 82 % for several, widened up to 94 % when that leaves labels of at least
    MIN_FONT; below that the labels are drawn at MIN_FONT and the ones that would touch are left out.
    """
    group = pitch * (0.72 if k == 1 else 0.82)
    if k > 1 and group / k - LABEL_GAP < MIN_FONT:
        group = min(pitch * 0.94, (MIN_FONT + LABEL_GAP) * k)
    thick = group / k
    size = max(MIN_FONT, min(lfs, pitch / 1.2))
    if k > 1:
        size = max(MIN_FONT, min(size, thick - LABEL_GAP))
    return group, thick, size


def bar_frame(cv: Plan, chart: ChartData) -> BarFrame:
    th = cv.theme
    tfs, lfs = th.chart_tick_size, th.chart_label_size
    cats = list(chart.categories)
    n = max(len(cats), 1)
    series = list(chart.series)
    stacked = chart.stacked
    legend = legend_for(chart, series, th)
    top = PAD + (tfs * 1.6 if (chart.x_title or chart.y_title) else 0.0)
    bottom = PAD
    right = PAD
    dt, db, dr = legend_room(cv, chart, legend)
    top, bottom, right = top + dt, bottom + db, right + dr
    tick_h = tfs * 1.5
    bottom += tick_h

    ph = cv.h - top - bottom
    pitch = ph / n
    hl = {i for s in series for i, col in enumerate(s.point_colors) if col.upper() == th.highlight.upper()}
    cfs, wrapped, thin = bar_category_labels(cv, cats, pitch, tfs, hl)
    label_w = max(cv.tw(ln, cfs, bold=i in hl) for i, w in enumerate(wrapped) for ln in w)
    left = PAD + label_w + 6

    dmin, dmax = extent(chart, series, stacked)
    pw = cv.w - left - right
    nb = max(3, min(6, int(pw / 60)))
    axis = value_axis(dmin, dmax, series[0].fmt, nb, chart.y_min, chart.y_max, True, chart.y_step)
    group, thick, bar_lfs = bar_thickness(pitch, 1 if stacked else len(series), lfs)
    # room beside the bars for the value labels: a free end of the value range (none, or the round range
    # the resolver chose) is extended beyond its last tick; a range the definition pinned is kept
    if chart.data_labels and not stacked:
        bold_any = bool(hl)
        widest = max((cv.tw(s.fmt.format(v), bar_lfs, bold=bold_any) for s in series for v in known(s.values)),
                     default=0)
        frac = (widest + 6) / pw
        if dmax > 0 and frac < 0.6:
            need = axis.lo + (dmax - axis.lo) / (1 - frac)
            if need > axis.hi and free_hi(chart):
                axis.hi = need
        if dmin < 0 and frac < 0.6:
            lower_to(axis, axis.hi - (axis.hi - dmin) / (1 - frac), chart)
    # the last tick label is centred on its gridline: keep it inside the figure
    last_w = cv.tw(axis.labels()[-1], tfs) / 2
    x0, x1 = left, cv.w - right
    # ... and the first one (a tick a whole step below the most negative bar, for its label) too
    x0 = max(x0, PAD + cv.tw(axis.labels()[0], tfs) / 2)
    axis.p0, axis.p1 = x0, x1
    over = axis.pos(axis.ticks[-1]) + last_w - (cv.w - PAD)
    if over > 0:
        x1 -= over
        axis.p1 = x1
    y1 = cv.h - top
    y0 = y1 - ph
    return BarFrame(legend, x0, x1, y0, y1, pitch, axis, wrapped, cfs, thin, hl, bar_lfs, group, thick)


def place_bar_axis(cv: Plan, chart: ChartData, f: BarFrame) -> None:
    """Vertical gridlines, the zero line, tick labels under the plot and the titles above it."""
    th = cv.theme
    tfs = th.chart_tick_size
    axis, y0, y1 = f.axis, f.y0, f.y1
    grid = [((axis.pos(t), y0), (axis.pos(t), y1)) for t in axis.ticks if abs(t) > 1e-12]
    cv.segments(grid, th.grid, lw=0.5, zorder=1)
    bx = axis.pos(0.0) if axis.lo <= 0 <= axis.hi else f.x0
    cv.segments([((bx, y0), (bx, y1))], th.axis, lw=0.8, zorder=5)
    labels = axis.labels()
    # the step is decided for this plot and the deck's (egovdeck.engine.ticks): every tick is labelled; only a
    # step no multiple of which fits would leave every k-th gridline labelled from the first
    every = tick_every(cv, axis)
    for k, (t, lab) in enumerate(zip(axis.ticks, labels, strict=True)):
        if k % every == 0:
            cv.text(axis.pos(t), y0 - 3, lab, tfs, th.muted, ha="center", va="top", role="tick")
    if chart.x_title:
        cv.text(PAD, cv.h - PAD - tfs * 0.6, chart.x_title, tfs, th.muted, ha="left", role="title")
    if chart.y_title:
        cv.text(f.x1, cv.h - PAD - tfs * 0.6, chart.y_title, tfs, th.muted, ha="right", role="title")


TICK_GAP = 4.0  # pt between two value tick labels under a ranking's plot


def tick_every(cv: Plan, axis: Axis) -> int:
    """Every how many gridlines a tick label can be printed under the plot (1: each): the labels centred on
    their gridlines at the theme's tick size, TICK_GAP pt apart at least."""
    labels = axis.labels()
    widest = max(cv.tw(lab, cv.theme.chart_tick_size) for lab in labels) + TICK_GAP
    pitch = abs(axis.pos(axis.ticks[1]) - axis.pos(axis.ticks[0])) if len(axis.ticks) > 1 else widest
    return max(1, math.ceil(widest / pitch - 1e-9)) if pitch > 0 else 1


def bar_ticks_fit(chart: ChartData, width: float, height: float, theme: Theme, fonts: FontSet) -> bool:
    """Whether the PDF labels every value tick of horizontal bar chart `chart` (its range and step as
    resolved) drawn width × height pt (the plot the names, the value labels' room and the frame leave)."""
    cv = Plan(float(width), float(height), theme, fonts, shown=chart.shown_labels)
    return tick_every(cv, bar_frame(cv, chart).axis) == 1


def named_rows(n: int, thin: int, highlighted: set[int]) -> set[int]:
    """The rows of n whose category is named when only every `thin`-th row has room for a name: every
    highlighted row (a chart highlights what the text is about), then from the first row on every row
    at least `thin` rows from each one already named."""
    if thin <= 1:
        return set(range(n))
    named = {i for i in highlighted if 0 <= i < n}
    for i in range(n):
        if all(abs(i - j) >= thin for j in named):
            named.add(i)
    return named


def place_bar_categories(cv: Plan, f: BarFrame) -> None:
    """Category names right-aligned left of the plot, centred on their row."""
    th = cv.theme
    shown = named_rows(len(f.wrapped), f.thin, f.highlighted)
    for i, lines in enumerate(f.wrapped):
        if i not in shown:
            continue
        yc = f.row_y(i)
        bold = i in f.highlighted
        k0 = (len(lines) - 1) / 2
        for k, ln in enumerate(lines):
            cv.text(f.x0 - 6, yc + (k0 - k) * f.cfs * 1.15, ln, f.cfs, th.text, ha="right", bold=bold,
                    role="category", ref=(-1, i))


def place_bars(cv: Plan, chart: ChartData, f: BarFrame) -> None:
    """The bars and their value labels: beyond the bar end (inside it, in contrasting ink, when a pinned
    range leaves no room there); stacked segments labelled inside when the label fits."""
    th = cv.theme
    series = list(chart.series)
    stacked = chart.stacked
    n = max(len(chart.categories), 1)
    axis, x0, bar_lfs = f.axis, f.x0, f.bar_lfs
    k = 1 if stacked else len(series)
    group, thick = f.group, f.thick
    pos_acc = [0.0] * n
    neg_acc = [0.0] * n
    for j, s in enumerate(series):
        for i, v in enumerate(s.values):
            if v is None:
                continue
            ref = (j, i)
            color = s.point_colors[i] if i < len(s.point_colors) else s.color
            if stacked:
                base = pos_acc[i] if v > 0 else neg_acc[i]
                yc = f.row_y(i)
            else:
                base = 0.0 if axis.lo <= 0 <= axis.hi else axis.lo
                yc = f.row_y(i) + group / 2 - thick * (j + 0.5)
            xa, xb = axis.pos(base), axis.pos(base + v)
            gap = 0.4 if (k > 1) else 0.0
            cv.rect(xa, yc - thick / 2 + gap, xb - xa, thick - 2 * gap, color, role="bar", ref=ref)
            label = s.fmt.format(v)
            if stacked:
                if v > 0:
                    pos_acc[i] += v
                else:
                    neg_acc[i] += v
                if chart.data_labels and chart.segment_labelled(v) and fits_segment(
                        cv.tw(label, bar_lfs), bar_lfs, xb - xa, thick, horizontal=True):
                    ink = _ink_on(color, th.text)
                    cv.text((xa + xb) / 2, yc, label, bar_lfs, ink, ha="center", avoid=True, role="data", ref=ref)
            elif chart.data_labels:
                bold = i in f.highlighted
                lw = cv.tw(label, bar_lfs, bold)
                # inside where the label fits in its bar, along and across (segmentroom: the deck's rule too)
                fits = fits_segment(lw, bar_lfs, xb - xa, thick - 2 * gap, horizontal=True)
                if fits:
                    cv.inside_room.add(ref)
                wants_inside = chart.label_position in ("inside", "center")
                ink = _ink_on(color, th.text)
                if wants_inside and fits and (chart.inside_labels is None or ref in chart.inside_labels):
                    if chart.label_position == "center":
                        cv.text((xa + xb) / 2, yc, label, bar_lfs, ink, ha="center", bold=bold, avoid=True,
                                role="data", ref=ref)
                    else:
                        pad = min(3.0, (abs(xb - xa) - lw) / 2)
                        cv.text(xb - pad if v >= 0 else xb + pad, yc, label, bar_lfs, ink,
                                ha="right" if v >= 0 else "left", bold=bold, avoid=True, role="data", ref=ref)
                    continue
                # beyond the bar end; inside it (contrasting ink) when a pinned range leaves no room there and
                # the definition left the place to us
                inside_ok = fits and not wants_inside
                if v >= 0:
                    if xb + 3 + lw <= cv.w - PAD or not inside_ok:
                        if not _beside(cv, f, min(xb + 3, cv.w - PAD - lw), yc, label, bar_lfs, th.text, 1, bold, ref,
                                       k > 1) and inside_ok:  # no room beyond the end: inside it
                            cv.text(xb - 3, yc, label, bar_lfs, ink, ha="right", bold=bold,
                                    avoid=True, role="data", ref=ref)
                    else:
                        cv.text(xb - 3, yc, label, bar_lfs, ink, ha="right", bold=bold,
                                avoid=True, role="data", ref=ref)
                elif xb - 3 - lw >= x0 or not inside_ok:
                    if not _beside(cv, f, max(xb - 3, x0 + lw), yc, label, bar_lfs, th.text, -1, bold, ref,
                                   k > 1) and inside_ok:  # no room beyond the end: inside it
                        cv.text(xb + 3, yc, label, bar_lfs, ink, ha="left", bold=bold,
                                avoid=True, role="data", ref=ref)
                else:
                    cv.text(xb + 3, yc, label, bar_lfs, ink, ha="left", bold=bold, avoid=True,
                            role="data", ref=ref)


def _beside(cv: Plan, f: BarFrame, x: float, yc: float, label: str, size: float, color: str, side: int,
            bold: bool, ref: tuple[int, int], stagger: bool) -> bool:
    """A value label beyond its bar end, starting at x and reading away from the bar (side 1: rightwards,
    -1: leftwards). A label that would touch a neighbour's label is left out (the deck too: labelplan), never
    moved further out past it, away from its own bar's end (issue 16: a moved label read as another bar's).
    `stagger` (a group of bars) changes nothing any more; kept for the callers."""
    return cv.text_out(x, yc, label, size, color, (side, 0), tries=1,
                       within=(f.x0, f.y0, cv.w - PAD, f.y1), ha="left" if side > 0 else "right", bold=bold,
                       role="data", ref=ref)


def plan_bars(cv: Plan, chart: ChartData) -> None:
    f = bar_frame(cv, chart)
    cv.plot = (f.x0, f.y0, f.x1, f.y1)
    place_bar_axis(cv, chart, f)
    place_bar_categories(cv, f)
    place_bars(cv, chart, f)
    place_legend(cv, chart, f.legend, f.x0, f.x1, f.y1)
