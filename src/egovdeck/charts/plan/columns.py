"""Plan of the vertical cartesian charts (column, line, combo): categories along x, values up.

Steps, each on a `Plan`: `column_frame` decides margins, value axes, category label lines, bar widths
and label sizes (no marks); then the axes, the category labels, the columns with their data labels,
the lines with theirs, and the legend are placed in that order (the order they are painted in).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from egovdeck.charts.comboaxis import LineRoom, with_axes
from egovdeck.charts.labelfit import LabelFit, fit_labels, label_gap
from egovdeck.charts.linelabels import ABOVE, BELOW, LabelFrame, decide_sides, polylines
from egovdeck.charts.plan.axes import (
    Axis,
    align,
    extend_alike,
    extent,
    follow,
    free_hi,
    free_lo,
    known,
    lower_to,
    value_axis,
)
from egovdeck.charts.plan.canvas import MIN_FONT, PAD, Plan, RectMark
from egovdeck.charts.plan.labels import category_labels, repel
from egovdeck.charts.plan.legend import Legend, is_line, legend_for, legend_room, place_legend
from egovdeck.charts.scale import axis_ticks
from egovdeck.charts.segmentroom import fits_segment
from egovdeck.document.chart import ChartData, ChartRenderError, Series
from egovdeck.document.chart import ink_on as _ink_on
from egovdeck.text.numfmt import NumberFormat

LABEL_FLOOR = MIN_FONT + 1  # pt: the columns' data labels are never smaller


@dataclass
class ColumnFrame:
    """What the layout of a vertical chart decided before anything is placed (pt, origin bottom-left)."""

    prim: list[Series]  # series on the left axis (all of them when none is secondary)
    sec: list[Series]  # series on the right axis
    bars: list[Series]  # the series drawn as columns, in order
    stacked: bool
    legend: Legend | None
    bottom: float  # room under the category labels (legend, x title)
    x_title_h: float
    x0: float  # plot area
    x1: float
    y0: float
    y1: float
    slot: float  # width of one category
    ax1: Axis
    ax2: Axis | None
    wrapped: list[list[str]]  # category label lines
    rotated: bool  # category labels reading upwards
    cfs: float  # category label size
    thin: int  # every thin-th category labelled (from the first)
    nb_series: int  # columns side by side in a slot
    group_w: float
    bar_w: float
    col_lfs: float  # column data label size
    col_rot: bool  # column data labels reading upwards
    col_step: int = 1  # every col_step-th category's column labels drawn, from the last (labelfit)

    def axis_of(self, s: Series) -> Axis:
        return self.ax2 if (s.secondary and self.ax2) else self.ax1


def _top_titles(cv: Plan, left_title: str, right_title: str) -> float:
    """Height reserved at the top for the unit titles."""
    return cv.theme.chart_tick_size * 1.6 if (left_title or right_title) else 0.0


def _end_label_width(cv: Plan, chart: ChartData) -> float:
    """Room on the right for the end labels of the lines (0 without them)."""
    end_w = 0.0
    if chart.end_labels:
        for s in chart.series:
            kv = known(s.values)
            if kv and is_line(chart, s):
                last = [v for v in s.values if v is not None][-1]
                end_w = max(end_w, cv.tw(s.fmt.format(last), cv.theme.chart_label_size))
        if end_w:
            end_w += 7
    return end_w


def right_axis(chart: ChartData, sec: Sequence[Series]) -> Axis:
    """The right axis of a combo: the one decided for both outputs (ChartData.y2_axis: its range, and the
    ticks `axis_ticks` puts on it with the decimals its step needs, as the deck writes them); a chart without
    that decision (not a combo of columns and a line): round ticks over its series, the definition's ends kept."""
    right = chart.y2_axis
    if right is not None:
        t = axis_ticks(right.lo, right.hi, right.step)
        fmt = sec[0].fmt
        return Axis(right.lo, right.hi, list(t.values),
                    NumberFormat(decimals=t.decimals, thousands=fmt.thousands, percent=fmt.percent))
    smin, smax = extent(chart, sec, False)
    return value_axis(smin, smax, sec[0].fmt, 5, chart.y2_min, chart.y2_max, False)


def line_room(chart: ChartData, width_pt: float, height_pt: float, theme, fonts) -> LineRoom | None:
    """The PDF's room for a combo's line (`egovdeck.charts.comboaxis.LineRoom`) in a chart of width_pt ×
    height_pt, on its plan (`column_frame`; with the axes decided so far, else those decided without any
    room): the pt the left range spans; above each category's columns, its column label as the plan places
    it (flat 1.2 em and 2.5 pt, turned its length and 3 pt), the labels' gap and 2.6 pt for the marker;
    under the top, the line's label (1.35 em and 6 pt; 4 pt without labels), less any room the plot has
    above the range. None for other charts or a plot too small to plan."""
    bars = [s for s in chart.series if s.kind != "line"]
    if chart.kind != "combo" or not bars or not chart.categories:
        return None
    probe = chart if chart.y2_axis is not None else with_axes(chart, [])
    if probe.y_max is None or probe.y_min is None or probe.y2_axis is None:
        return None
    cv = Plan(float(width_pt), float(height_pt), theme, fonts)
    try:
        f = column_frame(cv, probe)
    except ChartRenderError:
        return None
    ph = f.ax1.pos(probe.y_max) - f.ax1.pos(probe.y_min)
    if ph <= 0:
        return None
    lfs = theme.chart_label_size
    n = len(chart.categories)
    labelled = chart.data_labels and not f.stacked and bool(f.bars)
    above = []
    for i in range(n):
        vals = [v for s in f.bars if (v := s.values[i]) is not None and math.isfinite(v)]
        label_h = 0.0
        if labelled and vals and max(vals) >= 0 and (n - 1 - i) % f.col_step == 0:
            label_h = (max(cv.tw(s.fmt.format(v), f.col_lfs) for s in f.bars if (v := s.values[i]) is not None) + 3
                       if f.col_rot else f.col_lfs * 1.2 + 2.5)
        above.append(label_h + label_gap(lfs) + 2.6)
    under = (lfs * 1.35 + 6 if chart.data_labels else 4.0) - (f.y1 - f.ax1.pos(probe.y_max))
    return LineRoom(ph, tuple(above), under)


def decided(cv: Plan, chart: ChartData) -> ChartData:
    """chart with its combo axes as decided for both outputs (ChartData.y2_axis); undecided (a chart drawn
    on its own), decided for this plan's frame alone by the same rule (`egovdeck.charts.comboaxis`)."""
    if chart.kind != "combo" or chart.y2_axis is not None:
        return chart
    room = line_room(chart, cv.w, cv.h, cv.theme, cv.fonts)
    return with_axes(chart, [room] if room is not None else [])


def _column_label_fit(cv: Plan, chart: ChartData, bars: Sequence[Series], stacked: bool, nb_series: int,
                      slot: float, bar_w: float) -> LabelFit:
    """Size, direction and thinning of the columns' data labels (`egovdeck.charts.labelfit`, the deck's
    rule too): neighbours keep label_gap between them, at no less than LABEL_FLOOR pt."""
    lfs = cv.theme.chart_label_size
    if not (bars and chart.data_labels) or stacked:
        return LabelFit(lfs)
    n = len(chart.categories)
    if nb_series > 1:  # side by side: every column's label in order, a column's width apart
        widths = [cv.tw(s.fmt.format(v), 1.0) if (v := s.values[i]) is not None else 0.0
                  for i in range(n) for s in bars]
        fit = fit_labels(widths, bar_w, lfs, LABEL_FLOOR, rotate=True)
        if fit.step > 1:  # thinned by category (a group's labels that touch are left out one by one)
            group = [sum(widths[i * nb_series:(i + 1) * nb_series]) for i in range(n)]
            cat_fit = fit_labels(group, slot, lfs, LABEL_FLOOR, rotate=False)
            fit = LabelFit(cat_fit.size, False, cat_fit.step)
        return fit
    s = bars[0]
    widths = [cv.tw(s.fmt.format(v), 1.0) if v is not None else 0.0 for v in s.values]
    return fit_labels(widths, slot, lfs, LABEL_FLOOR, rotate=bar_w >= LABEL_FLOOR)


def _headroom(cv: Plan, chart: ChartData, axis: Axis, ss: Sequence[Series], label_size: float, rot: bool,
              is_ln: bool, stacked: bool, ph: float) -> None:
    """Extend a free end of the axis beyond its last gridline so the data labels of ss fit above the
    highest and below the lowest value."""
    if not chart.data_labels or not ss:
        return
    kv = [v for s in ss for v in known(s.values)] if not (stacked and not is_ln) else []
    if stacked and not is_ln:
        return
    need = (max(cv.tw(s.fmt.format(v), label_size) for s in ss for v in known(s.values)) + 4) if rot \
        else label_size * 1.35 + 3
    frac = need / ph
    vmax, vmin = max(kv, default=0), min(kv, default=0)
    if vmax > axis.lo and frac < 0.5:
        hi_need = axis.lo + (vmax - axis.lo) / (1 - frac)
        if hi_need > axis.hi and free_hi(chart):
            axis.hi = hi_need
    if vmin < 0 and vmin < axis.hi and frac < 0.5:
        lower_to(axis, axis.hi - (axis.hi - vmin) / (1 - frac), chart)


def column_frame(cv: Plan, chart: ChartData) -> ColumnFrame:
    """Margins, value axes, category label lines, bar widths and data label sizes of a vertical chart.

    Raises ChartRenderError when the plot would be smaller than 20 pt either way."""
    chart = decided(cv, chart)  # a combo's axes (for this frame alone when not decided for both outputs)
    th = cv.theme
    tfs = th.chart_tick_size
    lfs = th.chart_label_size
    cats = list(chart.categories)
    n = max(len(cats), 1)
    prim = [s for s in chart.series if not s.secondary]
    sec = [s for s in chart.series if s.secondary]
    if not prim:
        prim, sec = sec, []
    line_chart = chart.kind == "line"
    bars = [s for s in prim + sec if not is_line(chart, s)]
    stacked = chart.stacked and chart.kind == "column"

    legend = legend_for(chart, chart.series, th)
    top = PAD + _top_titles(cv, chart.y_title, chart.y2_title if sec else "")
    bottom = PAD
    right = PAD
    dt, db, dr = legend_room(cv, chart, legend)
    top, bottom, right = top + dt, bottom + db, right + dr
    x_title_h = tfs * 1.6 if chart.x_title else 0.0
    bottom += x_title_h
    top += tfs * 0.6  # the top tick label sticks out half a line
    end_w = _end_label_width(cv, chart)

    # Three passes: the tick count depends on the plot height, the margins on the tick labels, the columns'
    # data labels (their size and direction) on the slot width. A combo's axes are decided (`decided`).
    ph = cv.h * 0.65
    left_fmt = prim[0].fmt
    nb_series = 1 if stacked else max(len(bars), 1)
    fit = LabelFit(lfs)
    for _ in range(3):
        nb = max(3, min(6, int(ph / 38)))
        dmin, dmax = extent(chart, prim, stacked and not line_chart)
        zero = not line_chart and not all(is_line(chart, s) for s in prim)
        if chart.kind == "combo" and chart.y_max is None and sec and dmax > 0:
            dmax = dmax / 0.62  # columns in the lower part, the line above them
        ax1 = value_axis(dmin, dmax, left_fmt, nb, chart.y_min, chart.y_max, zero, chart.y_step)
        ax2 = right_axis(chart, sec) if sec else None
        # the tick labels' margin, with the ticks the columns' labels may add below the lowest one
        probe = replace(ax1, ticks=list(ax1.ticks))
        _headroom(cv, chart, probe, [s for s in prim if not is_line(chart, s)], fit.size, fit.rotated, False,
                  stacked, ph)
        left = PAD + max(cv.tw(t, tfs) for t in probe.labels()) + 5
        r = right + end_w
        if ax2:
            r = max(r, right + max(cv.tw(t, tfs) for t in _shown_labels(ax2, sec)) + 5)
        pw = cv.w - left - r
        slot = pw / n
        wrapped, rotated, cfs, thin = category_labels(cv, cats, slot, tfs, left, cv.h * 0.4, line_chart,
                                                      chart.category_step)
        if rotated:
            cat_h = max((cv.tw(ln, cfs) for w in wrapped for ln in w), default=0) + 5
        else:
            cat_h = max(len(w) for w in wrapped) * cfs * 1.2 + 5 + (3 if thin > 1 else 0)
        ph = cv.h - top - bottom - cat_h
        fit = _column_label_fit(cv, chart, bars, stacked, nb_series, slot,
                                slot * (0.62 if nb_series == 1 else 0.78) / nb_series)
    if ph < 20 or pw < 20:
        raise ChartRenderError(f"chart {chart.id!r}: {cv.w:.0f}×{cv.h:.0f} pt is too small")
    x0, x1 = left, left + pw
    y0, y1 = bottom + cat_h, bottom + cat_h + ph

    group_w = slot * (0.62 if nb_series == 1 else 0.78)
    bar_w = group_w / nb_series
    col_lfs, col_rot = fit.size, fit.rotated

    _headroom(cv, chart, ax1, [s for s in prim if not is_line(chart, s)], col_lfs, col_rot, False, stacked, ph)
    _headroom(cv, chart, ax1, [s for s in prim if is_line(chart, s)], lfs, False, True, stacked, ph)
    if ax2:
        _headroom(cv, chart, ax2, sec, lfs, False, True, stacked, ph)
        if chart.y2_axis is not None and chart.y_min is not None and chart.y_max is not None:
            # both axes span the plot from their c:min to their c:max, as in the deck: a room the labels
            # added beyond one end of either is added to both, in shares of their ranges
            extend_alike(ax1, ax2, (chart.y_min, chart.y_max), (chart.y2_axis.lo, chart.y2_axis.hi))
        else:
            fixed1 = not free_hi(chart) or (not free_lo(chart) and chart.y_min != 0)
            fixed2 = chart.y2_max is not None or chart.y2_min not in (None, 0)
            if not fixed1 and fixed2:
                follow(ax1, ax2)  # the left axis adopts the right one's grid
            elif not fixed2:
                align(ax1, ax2, move_a=not fixed1)
    ax1.p0, ax1.p1 = y0, y1
    if ax2:
        ax2.p0, ax2.p1 = y0, y1
    cv.category_step = thin
    return ColumnFrame(prim, sec, bars, stacked, legend, bottom, x_title_h, x0, x1, y0, y1, slot, ax1, ax2,
                       wrapped, rotated, cfs, thin, nb_series, group_w, bar_w, col_lfs, col_rot, fit.step)


def _shown_labels(ax: Axis, ss: Sequence[Series]) -> list[str]:
    """The tick labels drawn for an axis: below zero none when every value of its series is at least 0
    (a rate's axis may start below zero to lift the line clear of the columns; it has no negative rate)."""
    hide = all(v >= 0 for s in ss for v in known(s.values))
    return [lab for t, lab in zip(ax.ticks, ax.labels(), strict=True) if not (hide and t < -1e-12)] or ["0"]


def column_ticks_fit(chart: ChartData, width: float, height: float, theme, fonts) -> bool:
    """Whether the PDF's plot of column or line chart `chart` (its range and step as resolved), drawn width ×
    height pt, holds its left value-axis tick labels apart: consecutive ticks at least TICK_PITCH lines of the
    tick size from each other (a 185 pt chart whose turned names left a 35 pt plot drew six labels into
    each other)."""
    cv = Plan(float(width), float(height), theme, fonts, shown=chart.shown_labels)
    f = column_frame(cv, chart)
    return _tick_thinning(f.ax1, theme.chart_tick_size) == 1


TICK_PITCH = 1.25  # value-axis tick labels of a vertical axis: at least this many lines of their size apart


def _tick_thinning(axis: Axis, size: float) -> int:
    """Every how many ticks of a vertical axis a label fits (1: each): labels TICK_PITCH lines of `size` apart.
    More than 1 only where no coarser step fits the plot (engine/ticks.py coarsens it first in a build)."""
    pitch = abs(axis.pos(axis.ticks[1]) - axis.pos(axis.ticks[0])) if len(axis.ticks) > 1 else 0.0
    return max(1, math.ceil(TICK_PITCH * size / pitch - 1e-9)) if pitch > 0 else 1


def place_axes(cv: Plan, chart: ChartData, f: ColumnFrame) -> None:
    """Gridlines, the zero line, tick labels of both axes and the unit titles."""
    th = cv.theme
    tfs = th.chart_tick_size
    ax1, ax2, x0, x1, y0, y1 = f.ax1, f.ax2, f.x0, f.x1, f.y0, f.y1
    grid = [((x0, ax1.pos(t)), (x1, ax1.pos(t))) for t in ax1.ticks if abs(t) > 1e-12 or ax1.lo >= 0 and t != ax1.lo]
    grid = [g for g in grid if y0 + 0.1 < g[0][1] <= y1 + 0.01]
    cv.segments(grid, th.grid, lw=0.5, zorder=1)
    base_y = ax1.pos(0.0) if ax1.lo <= 0 <= ax1.hi else y0
    cv.segments([((x0, base_y), (x1, base_y))], th.axis, lw=0.8, zorder=5)
    if base_y > y0 + 0.5:  # negative values: keep a light frame line at the bottom too
        cv.segments([((x0, y0), (x1, y0))], th.grid, lw=0.5, zorder=1)
    every = _tick_thinning(ax1, tfs)
    anchor = next((k for k, t in enumerate(ax1.ticks) if abs(t) < 1e-12), 0)  # thinned: zero keeps its label
    for k, (t, lab) in enumerate(zip(ax1.ticks, ax1.labels(), strict=True)):
        yy = ax1.pos(t)
        if y0 - 0.5 <= yy <= y1 + 0.5 and (k - anchor) % every == 0:
            cv.text(x0 - 5, yy, lab, tfs, th.muted, ha="right", role="tick")
    if ax2:
        hide = all(v >= 0 for s in f.sec for v in known(s.values))  # see _shown_labels
        for t, lab in zip(ax2.ticks, ax2.labels(), strict=True):
            yy = ax2.pos(t)
            if y0 - 0.5 <= yy <= y1 + 0.5 and not (hide and t < -1e-12):
                cv.text(x1 + 5, yy, lab, tfs, th.muted, ha="left", role="tick")
    legend = f.legend
    title_y = cv.h - PAD - (legend.height + 4 if legend and chart.legend == "top" else 0) - tfs * 0.6
    if chart.y_title:
        cv.text(PAD, title_y, chart.y_title, tfs, th.muted, ha="left", role="title")
    if ax2 and chart.y2_title:
        cv.text(cv.w - PAD, title_y, chart.y2_title, tfs, th.muted, ha="right", role="title")


def place_category_labels(cv: Plan, chart: ChartData, f: ColumnFrame) -> None:
    """Category names under the plot (centred, thinned or reading upwards) and the x title."""
    th = cv.theme
    tfs = th.chart_tick_size
    x0, x1, y0, slot, cfs = f.x0, f.x1, f.y0, f.slot, f.cfs
    n = max(len(chart.categories), 1)
    if f.thin > 1:  # short tick marks show the periods whose label was left out
        cv.segments([((x0 + slot * (i + 0.5), y0), (x0 + slot * (i + 0.5), y0 - 3)) for i in range(n)],
                    th.axis, lw=0.6, zorder=5)
    for i, lines in enumerate(f.wrapped):
        cx = x0 + slot * (i + 0.5)
        ref = (-1, i)
        if f.thin > 1 and not f.rotated:
            for k, ln in enumerate(lines):
                cv.text(cx, y0 - 6 - cfs * 1.2 * k, ln, cfs, th.text, ha="center", va="top", role="category",
                        ref=ref)
            continue
        if f.rotated:  # columns of a wrapped name side by side, first on the left, reading upwards
            half = len(lines) * cfs * 1.15 / 2
            cx = min(max(cx, PAD + half), cv.w - PAD - half)
            tall = max((cv.tw(ln, cfs) for ln in lines), default=0)
            if lines and not cv.free((cx - half, y0 - 5 - tall, cx + half, y0 - 5), gap=0.3):
                continue  # moved inside the canvas it would touch its neighbour: thinned out instead
            for k, ln in enumerate(lines):
                cv.text(cx + (k - (len(lines) - 1) / 2) * cfs * 1.15, y0 - 5, ln, cfs, th.text, ha="right",
                        rotation=90, role="category", ref=ref)
        else:
            for k, ln in enumerate(lines):
                cv.text(cx, y0 - 4 - cfs * 1.2 * k, ln, cfs, th.text, ha="center", va="top", role="category",
                        ref=ref)
    if chart.x_title:
        cv.text((x0 + x1) / 2, f.bottom - f.x_title_h + tfs * 0.7, chart.x_title, tfs, th.muted, ha="center",
                role="title")


def _marker_obstacles(cv: Plan, chart: ChartData, f: ColumnFrame) -> None:
    """The points of line series are obstacles for every data label: no label covers a marker."""
    for s in chart.series:
        if is_line(chart, s):
            for i, v in enumerate(s.values):
                if v is not None and math.isfinite(v):
                    px, py = f.x0 + f.slot * (i + 0.5), f.axis_of(s).pos(v)
                    cv.boxes.append((px - 2.6, py - 2.6, px + 2.6, py + 2.6))


def _place_stacked(cv: Plan, chart: ChartData, f: ColumnFrame) -> None:
    th = cv.theme
    lfs = th.chart_label_size
    n = max(len(chart.categories), 1)
    pos_top = [0.0] * n
    neg_top = [0.0] * n
    for s in f.bars:
        j = chart.series.index(s)
        axis = f.axis_of(s)
        for i, v in enumerate(s.values):
            if v is None or v == 0:
                continue
            base = pos_top[i] if v > 0 else neg_top[i]
            cx = f.x0 + f.slot * (i + 0.5)
            ya, yb = axis.pos(base), axis.pos(base + v)
            color = s.point_colors[i] if i < len(s.point_colors) else s.color
            cv.rect(cx - f.bar_w / 2, ya, f.bar_w, yb - ya, color, role="bar", ref=(j, i))
            if v > 0:
                pos_top[i] += v
            else:
                neg_top[i] += v
            label = s.fmt.format(v)
            if chart.data_labels and chart.segment_labelled(v) and fits_segment(cv.tw(label, lfs), lfs, yb - ya,
                                                                                f.bar_w, horizontal=False):
                ink = _ink_on(color, th.text)
                cv.text(cx, (ya + yb) / 2, label, lfs, ink, ha="center", avoid=True, role="data", ref=(j, i))


def _place_grouped(cv: Plan, chart: ChartData, f: ColumnFrame) -> None:
    th = cv.theme
    col_lfs = f.col_lfs
    bar_w = f.bar_w
    # a label stands at its own column's end (or inside it): one that would touch a neighbour's label is
    # left out, never moved on past it (moved up, 「1.6」 stood at the height of the 13.1 column beside it
    # and read as that column's value; issue 16, a new user's five-series chart); labelplan.agree then
    # leaves it out of the deck too
    tries = 1
    plot = (f.x0 - 1, f.y0 - 1, f.x1 + 1, f.y1 + 1)
    n = len(chart.categories)
    gap = label_gap(col_lfs)  # from any text placed before (labelfit's rule, checked on the canvas)
    # every column first: a label must not be drawn over any column, its neighbours' included (a near-zero
    # negative column's 「−0.10」 across the columns beside it at the zero line, issue 16); the columns are
    # obstacles to the labels while they are placed (an inside label is checked without its own column)
    bars: dict[tuple[int, int], tuple[float, float, float, float]] = {}
    todo = []
    for jb, s in enumerate(f.bars):
        j = chart.series.index(s)
        axis = f.axis_of(s)
        for i, v in enumerate(s.values):
            if v is None:
                continue
            ref = (j, i)
            cx = f.x0 + f.slot * (i + 0.5) - f.group_w / 2 + bar_w * (jb + 0.5)
            ya, yb = axis.pos(0.0 if axis.lo <= 0 <= axis.hi else axis.lo), axis.pos(v)
            color = s.point_colors[i] if i < len(s.point_colors) else s.color
            inset = 0.6 if f.nb_series > 1 else 0.0
            cv.rect(cx - bar_w / 2 + inset, ya, bar_w - 2 * inset, yb - ya, color, role="bar", ref=ref)
            bars[ref] = (cx - bar_w / 2 + inset, min(ya, yb), cx + bar_w / 2 - inset, max(ya, yb))
            todo.append((s, i, v, ref, cx, ya, yb, color))
    # narrowed so that a label keeps the canvas's 0.8 pt from a column beside it, not the labels' gap
    inner = max(gap - 0.8, 0.0)
    for ref, (a, b, c, d) in bars.items():
        mid = (a + c) / 2
        bars[ref] = (min(a + inner, mid), b, max(c - inner, mid), d)
    obstacles = list(bars.values())
    cv.boxes.extend(obstacles)

    def inside_text(column: tuple[int, int], /, *a, **kw) -> bool:  # kw may carry the label's own ref=
        own = bars[column]
        k = next(k for k, b in enumerate(cv.boxes) if b is own)
        del cv.boxes[k]
        try:
            return cv.text(*a, **kw)
        finally:
            cv.boxes.insert(k, own)

    def on_a_column(x: float, y: float, label: str, **kw) -> bool:
        # beyond its own column's end a label that would touch another column is left out, not moved on
        # past it (moved, 「134」 stood over the next category's column and read as its value)
        x0_, y0_, x1_, y1_ = cv.text_box(x, y, label, col_lfs, **kw)
        return any(not (x1_ + 0.8 <= b[0] or b[2] + 0.8 <= x0_ or y1_ + 0.8 <= b[1] or b[3] + 0.8 <= y0_)
                   for b in obstacles)

    wants_inside = chart.label_position in ("inside", "center")
    inset = 0.6 if f.nb_series > 1 else 0.0
    for s, i, v, ref, cx, ya, yb, color in todo:
        label = s.fmt.format(v)
        # inside where the label fits in its column, across and along (segmentroom: the deck's rule too)
        fits = fits_segment(cv.tw(label, col_lfs), col_lfs, yb - ya, bar_w - 2 * inset, horizontal=False)
        if fits:
            cv.inside_room.add(ref)
        if not chart.data_labels or (n - 1 - i) % f.col_step:
            continue
        if wants_inside and fits and (chart.inside_labels is None or ref in chart.inside_labels):
            ink = _ink_on(color, th.text)
            yy = (ya + yb) / 2 if chart.label_position == "center" else \
                yb - math.copysign(min(col_lfs * 0.75 + 2, abs(yb - ya) / 2), yb - ya)
            inside_text(ref, cx, yy, label, col_lfs, ink, ha="center", avoid=True, role="data", ref=ref, gap=gap)
        elif f.col_rot:
            if on_a_column(cx, yb + (3 if v >= 0 else -3), label, ha="left" if v >= 0 else "right", rotation=90):
                continue
            if v >= 0:
                cv.text_out(cx, yb + 3, label, col_lfs, th.text, (0, 1), tries=tries, within=plot, ha="left",
                            rotation=90, role="data", ref=ref, gap=gap)
            else:
                cv.text_out(cx, yb - 3, label, col_lfs, th.text, (0, -1), tries=tries, within=plot, ha="right",
                            rotation=90, role="data", ref=ref, gap=gap)
        else:
            off = col_lfs * 0.6 + 2.5
            yy = yb + (off if v >= 0 else -off)
            if (yy + col_lfs * 0.6 > f.y1 + 1 or yy - col_lfs * 0.6 < f.y0 - 1) and fits and not wants_inside:
                # a pinned range leaves no room beyond the bar end: inside it, contrasting ink
                yy = yb - math.copysign(min(col_lfs * 0.75 + 2, abs(yb - ya) / 2), yb - ya)
                inside_text(ref, cx, yy, label, col_lfs, _ink_on(color, th.text), ha="center", avoid=True,
                            role="data", ref=ref, gap=gap)
            elif not on_a_column(cx, yy, label, ha="center"):
                cv.text_out(cx, yy, label, col_lfs, th.text, (0, 1 if v >= 0 else -1), tries=tries, within=plot,
                            ha="center", role="data", ref=ref, gap=gap)
    cv.boxes[:] = [b for b in cv.boxes if not any(b is o for o in obstacles)]


def place_columns(cv: Plan, chart: ChartData, f: ColumnFrame) -> None:
    """The columns (stacked or side by side) and their data labels."""
    _marker_obstacles(cv, chart, f)
    if f.stacked:
        _place_stacked(cv, chart, f)
    else:
        _place_grouped(cv, chart, f)


def place_lines(cv: Plan, chart: ChartData, f: ColumnFrame) -> None:
    """The line series, their markers, and their data and end labels."""
    n = max(len(chart.categories), 1)
    lines = [s for s in f.prim + f.sec if is_line(chart, s)]
    for s in lines:
        axis = f.axis_of(s)
        xs = [f.x0 + f.slot * (i + 0.5) for i in range(n)]
        ys = [axis.pos(v) if v is not None else math.nan for v in s.values]
        cv.line(xs, ys, s.color, lw=1.8, zorder=4)
        cv.dots(xs, ys, s.color, size=4.2, zorder=4.5)
        for color in dict.fromkeys(c for c in s.point_colors if c and c.upper() != s.color.upper()):
            own = [i for i, c in enumerate(s.point_colors) if c == color]  # highlighted points (a line's highlight:)
            cv.dots([xs[i] for i in own], [ys[i] for i in own], color, size=4.2, zorder=4.6)
    if lines and (chart.data_labels or chart.end_labels):
        line_labels(cv, chart, lines, f.axis_of, f.x0, f.slot, n, len(lines), cv.theme.chart_label_size)


def line_labels(cv: Plan, chart: ChartData, lines: list[Series], axis_of: Callable[[Series], Axis], x0: float,
                slot: float, n: int, n_lines: int, lfs: float) -> None:
    """End labels right of each line's last point (moved apart), then data labels above or below their
    point, or none, as chart.line_label_sides says (decided for both outputs; undecided, for this plan's
    geometry alone: `egovdeck.charts.linelabels.decide_sides`)."""
    th = cv.theme
    multi = n_lines > 1 or chart.kind == "combo"
    end_labels(cv, chart, lines, axis_of, x0, slot, lfs, multi)
    if not chart.data_labels:
        return
    sides = chart.line_label_sides or decide_sides(chart, [pdf_label_frame(cv, chart, lines, axis_of, x0, slot, n)])
    off = lfs * 0.6 + 4
    halo = "FFFFFF" if chart.kind == "combo" else None
    for i in range(n):
        for s in lines:
            j = chart.series.index(s)
            v = s.values[i]
            side = sides[j][i] if j < len(sides) and i < len(sides[j]) else ""
            if v is None or side not in (ABOVE, BELOW):
                continue
            # on the side decided for the PDF and the deck together (egovdeck.charts.linelabels)
            yy = axis_of(s).pos(v)
            cv.text(x0 + slot * (i + 0.5), yy + off if side == ABOVE else yy - off, s.fmt.format(v), lfs,
                    s.color if multi else th.text, ha="center", halo=halo, zorder=7, role="data", ref=(j, i))


def end_labels(cv: Plan, chart: ChartData, lines: list[Series], axis_of: Callable[[Series], Axis], x0: float,
               slot: float, lfs: float, multi: bool) -> None:
    """With chart.end_labels, each line's last known value right of its point, bold (moved apart)."""
    th = cv.theme
    if chart.end_labels:
        ends = []
        for s in lines:
            idx = [i for i, v in enumerate(s.values) if v is not None]
            if idx:
                i = idx[-1]
                ends.append((s, i, axis_of(s).pos(s.values[i])))
        ys = repel([e[2] for e in ends], lfs * 1.25, 0, cv.h)
        for (s, i, _), yy in zip(ends, ys, strict=True):
            xx = x0 + slot * (i + 0.5) + 6
            cv.text(xx, yy, s.fmt.format(s.values[i]), lfs, s.color if multi else th.text, ha="left", bold=True,
                    avoid=True, role="end", ref=(chart.series.index(s), i))


def pdf_label_frame(cv: Plan, chart: ChartData, lines: list[Series], axis_of: Callable[[Series], Axis], x0: float,
                    slot: float, n: int) -> LabelFrame:
    """The PDF's geometry of the line labels (`egovdeck.charts.linelabels.LabelFrame`) on a plan that has
    everything but them (and the legend, whose room is kept out of the bounds): each label centred over or
    under its point, lfs·0.6 + 4 pt away; the texts and columns placed so far as obstacles; the markers
    (4.2 pt dots) and every drawn segment; the canvas less PAD/2 and the legend's room as bounds."""
    lfs = cv.theme.chart_label_size
    off = lfs * 0.6 + 4
    labels: dict[tuple[int, int, str], tuple[float, float, float, float]] = {}
    markers = []
    xs = [x0 + slot * (i + 0.5) for i in range(n)]
    ys_by_line = []
    for s in lines:
        j = chart.series.index(s)
        ys = [axis_of(s).pos(v) if v is not None and math.isfinite(v) else math.nan for v in s.values]
        ys_by_line.append(ys)
        for i, yy in enumerate(ys):
            if math.isfinite(yy):
                markers.append((xs[i] - 2.1, yy - 2.1, xs[i] + 2.1, yy + 2.1))
                text = s.fmt.format(s.values[i])
                labels[(j, i, ABOVE)] = cv.text_box(xs[i], yy + off, text, lfs, ha="center")
                labels[(j, i, BELOW)] = cv.text_box(xs[i], yy - off, text, lfs, ha="center")
    columns = [(m.x, min(m.y, m.y + m.h), m.x + m.w, max(m.y, m.y + m.h)) for m in cv.marks
               if isinstance(m, RectMark) and m.role == "bar"]
    legend = legend_for(chart, chart.series, cv.theme)
    x_hi, y_lo, y_hi = cv.w - PAD / 2, PAD / 2, cv.h - PAD / 2
    if legend:
        legend_room(cv, chart, legend)
        if legend.vertical:
            x_hi -= legend.width + PAD / 2
        elif chart.legend == "top":
            y_hi -= legend.height + PAD / 2
        else:
            y_lo += legend.height + PAD / 2
    return LabelFrame("pdf", labels, markers, polylines(xs, ys_by_line),
                      obstacles=list(cv.boxes) + columns,
                      bounds=(PAD / 2, y_lo, x_hi, y_hi), gap_x=label_gap(lfs), gap_y=0.8)


def line_label_frame(chart: ChartData, width_pt: float, height_pt: float, theme, fonts) -> LabelFrame | None:
    """The PDF's `LabelFrame` of a line or combo chart drawn width_pt × height_pt (None for other kinds):
    the chart planned up to its line data labels (its end labels placed), as `plan_columns` plans it."""
    if chart.kind not in ("line", "combo") or not chart.series or not chart.categories:
        return None
    cv = Plan(float(width_pt), float(height_pt), theme, fonts)
    chart = decided(cv, chart)
    f = column_frame(cv, chart)
    cv.plot = (f.x0, f.y0, f.x1, f.y1)
    place_axes(cv, chart, f)
    place_category_labels(cv, chart, f)
    place_columns(cv, chart, f)
    lines = [s for s in f.prim + f.sec if is_line(chart, s)]
    if not lines:
        return None
    end_labels(cv, chart, lines, f.axis_of, f.x0, f.slot, cv.theme.chart_label_size,
               len(lines) > 1 or chart.kind == "combo")
    return pdf_label_frame(cv, chart, lines, f.axis_of, f.x0, f.slot, max(len(chart.categories), 1))


def _on_column(cv: Plan, box: tuple[float, float, float, float], gap: float = 1.0) -> bool:
    """box (x0, y0, x1, y1, pt) comes within gap pt of a column already placed (a RectMark of role "bar")."""
    x0, y0, x1, y1 = box
    return any(m.role == "bar" and min(x1, m.x + m.w) - max(x0, m.x) > -gap and min(y1, m.y + m.h) - max(y0, m.y) > -gap
               for m in cv.marks if isinstance(m, RectMark))


def plan_columns(cv: Plan, chart: ChartData) -> None:
    """column / line / combo: categories along x, values up."""
    chart = decided(cv, chart)
    f = column_frame(cv, chart)
    cv.plot = (f.x0, f.y0, f.x1, f.y1)
    place_axes(cv, chart, f)
    place_category_labels(cv, chart, f)
    place_columns(cv, chart, f)
    place_lines(cv, chart, f)
    place_legend(cv, chart, f.legend, f.x0, f.x1, f.y1)
