"""Plan of the vertical cartesian charts (column, line, combo): categories along x, values up.

Steps, each on a `Plan`: `column_frame` decides margins, value axes, category label lines, bar widths
and label sizes (no marks); then the axes, the category labels, the columns with their data labels,
the lines with theirs, and the legend are placed in that order (the order they are painted in).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from egovdeck.charts.linelabels import labels_below
from egovdeck.charts.plan.axes import (
    Axis,
    align,
    aligned_ticks,
    extent,
    follow,
    free_hi,
    free_lo,
    known,
    tick_format,
    value_axis,
)
from egovdeck.charts.plan.canvas import MIN_FONT, PAD, Plan
from egovdeck.charts.plan.labels import category_labels, repel
from egovdeck.charts.plan.legend import Legend, is_line, legend_for, legend_room, place_legend
from egovdeck.document.chart import ChartData, ChartRenderError, Series
from egovdeck.document.chart import ink_on as _ink_on


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
    thin: int  # every thin-th category labelled (from the last)
    nb_series: int  # columns side by side in a slot
    group_w: float
    bar_w: float
    col_lfs: float  # column data label size
    col_rot: bool  # column data labels reading upwards

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


def _secondary_axis(chart: ChartData, sec: Sequence[Series], nint: int) -> Axis:
    """The right axis with nint intervals: the definition's range, or one that keeps the line in the
    upper part of the plot (above the columns)."""
    smin, smax = extent(chart, sec, False)
    if chart.y2_min is not None or chart.y2_max is not None:
        return value_axis(smin, smax, sec[0].fmt, nint, chart.y2_min, chart.y2_max, False)
    span = (smax - smin) or abs(smax) or 1.0
    rng = span / 0.30
    lo2 = smin - 0.60 * rng
    if smin >= 0 and lo2 < 0:
        lo2 = 0.0
    hi2 = max(smax + 0.1 * span, lo2 + (smax - lo2) / 0.92)
    t2 = aligned_ticks(lo2, hi2, nint, floor_zero=smin >= 0)
    return Axis(t2[0], t2[-1], t2, tick_format(sec[0].fmt, t2))


def _column_label_size(cv: Plan, chart: ChartData, bars: Sequence[Series], stacked: bool, nb_series: int,
                       slot: float, bar_w: float) -> tuple[float, bool]:
    """Data label size of the columns and whether they read upwards: shrunk, then rotated, so that
    neighbours never touch."""
    lfs = cv.theme.chart_label_size
    col_lfs, col_rot = lfs, False
    if bars and chart.data_labels and not stacked:
        widest = max((cv.tw(s.fmt.format(v), lfs) for s in bars for v in known(s.values)), default=0)
        pitch = bar_w if nb_series > 1 else slot
        if widest > pitch - 1.5:
            col_lfs = max(MIN_FONT + 1, lfs * (pitch - 1.5) / widest)
            if widest * col_lfs / lfs > pitch - 1.0:
                col_lfs, col_rot = min(lfs, max(MIN_FONT + 1, bar_w * 0.9)), True
    return col_lfs, col_rot


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
        lo_need = axis.hi - (axis.hi - vmin) / (1 - frac)
        if lo_need < axis.lo and free_lo(chart):
            axis.lo = lo_need


def column_frame(cv: Plan, chart: ChartData) -> ColumnFrame:
    """Margins, value axes, category label lines, bar widths and data label sizes of a vertical chart.

    Raises ChartRenderError when the plot would be smaller than 20 pt either way."""
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

    # Two passes: the tick count depends on the plot height, the margins on the tick labels.
    ph = cv.h * 0.65
    left_fmt = prim[0].fmt
    for _ in range(2):
        nb = max(3, min(6, int(ph / 38)))
        dmin, dmax = extent(chart, prim, stacked and not line_chart)
        zero = not line_chart and not all(is_line(chart, s) for s in prim)
        if chart.kind == "combo" and chart.y_max is None and sec and dmax > 0:
            dmax = dmax / 0.62  # columns in the lower part, the line above them
        ax1 = value_axis(dmin, dmax, left_fmt, nb, chart.y_min, chart.y_max, zero)
        ax2 = _secondary_axis(chart, sec, len(ax1.ticks) - 1) if sec else None
        left = PAD + max(cv.tw(t, tfs) for t in ax1.labels()) + 5
        r = right + end_w
        if ax2:
            r = max(r, right + max(cv.tw(t, tfs) for t in ax2.labels()) + 5)
        pw = cv.w - left - r
        slot = pw / n
        wrapped, rotated, cfs, thin = category_labels(cv, cats, slot, tfs, left, cv.h * 0.4, line_chart)
        if rotated:
            cat_h = max((cv.tw(ln, cfs) for w in wrapped for ln in w), default=0) + 5
        else:
            cat_h = max(len(w) for w in wrapped) * cfs * 1.2 + 5 + (3 if thin > 1 else 0)
        ph = cv.h - top - bottom - cat_h
    if ph < 20 or pw < 20:
        raise ChartRenderError(f"chart {chart.id!r}: {cv.w:.0f}×{cv.h:.0f} pt is too small")
    x0, x1 = left, left + pw
    y0, y1 = bottom + cat_h, bottom + cat_h + ph

    nb_series = 1 if stacked else max(len(bars), 1)
    group_w = slot * (0.62 if nb_series == 1 else 0.78)
    bar_w = group_w / nb_series
    col_lfs, col_rot = _column_label_size(cv, chart, bars, stacked, nb_series, slot, bar_w)

    _headroom(cv, chart, ax1, [s for s in prim if not is_line(chart, s)], col_lfs, col_rot, False, stacked, ph)
    _headroom(cv, chart, ax1, [s for s in prim if is_line(chart, s)], lfs, False, True, stacked, ph)
    if ax2:
        _headroom(cv, chart, ax2, sec, lfs, False, True, stacked, ph)
        # an axis is "fixed" when the definition pins its top, or a bottom other than 0
        fixed1 = not free_hi(chart) or (not free_lo(chart) and chart.y_min != 0)
        fixed2 = chart.y2_max is not None or chart.y2_min not in (None, 0)
        if not fixed1 and fixed2:
            follow(ax1, ax2)  # the left axis adopts the right one's grid
        elif not fixed2:
            align(ax1, ax2, move_a=not fixed1)
    ax1.p0, ax1.p1 = y0, y1
    if ax2:
        ax2.p0, ax2.p1 = y0, y1
    return ColumnFrame(prim, sec, bars, stacked, legend, bottom, x_title_h, x0, x1, y0, y1, slot, ax1, ax2,
                       wrapped, rotated, cfs, thin, nb_series, group_w, bar_w, col_lfs, col_rot)


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
    for t, lab in zip(ax1.ticks, ax1.labels(), strict=True):
        yy = ax1.pos(t)
        if y0 - 0.5 <= yy <= y1 + 0.5:
            cv.text(x0 - 5, yy, lab, tfs, th.muted, ha="right", role="tick")
    if ax2:
        for t, lab in zip(ax2.ticks, ax2.labels(), strict=True):
            yy = ax2.pos(t)
            if y0 - 0.5 <= yy <= y1 + 0.5:
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
            if chart.data_labels and chart.segment_labelled(v) and abs(yb - ya) >= lfs * 1.15:
                ink = _ink_on(color, th.text)
                cv.text(cx, (ya + yb) / 2, s.fmt.format(v), lfs, ink, ha="center", avoid=True, role="data",
                        ref=(j, i))


def _place_grouped(cv: Plan, chart: ChartData, f: ColumnFrame) -> None:
    th = cv.theme
    col_lfs = f.col_lfs
    bar_w = f.bar_w
    # side by side, a label that would touch its neighbour's moves on past it (within the plot area, where
    # the axis left room for the labels), instead of being left out
    tries = 3 if f.nb_series > 1 else 1
    plot = (f.x0 - 1, f.y0 - 1, f.x1 + 1, f.y1 + 1)
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
            gap = 0.6 if f.nb_series > 1 else 0.0
            cv.rect(cx - bar_w / 2 + gap, ya, bar_w - 2 * gap, yb - ya, color, role="bar", ref=ref)
            if not chart.data_labels:
                continue
            label = s.fmt.format(v)
            inside = chart.label_position in ("inside", "center")
            fits = abs(yb - ya) >= col_lfs * 1.6 and cv.tw(label, col_lfs) <= bar_w - 2
            if inside and fits and not f.col_rot:
                ink = _ink_on(color, th.text)
                yy = (ya + yb) / 2 if chart.label_position == "center" else \
                    yb - math.copysign(col_lfs * 0.75 + 2, yb - ya)
                cv.text(cx, yy, label, col_lfs, ink, ha="center", avoid=True, role="data", ref=ref)
            elif f.col_rot:
                if v >= 0:
                    cv.text_out(cx, yb + 3, label, col_lfs, th.text, (0, 1), tries=tries, within=plot, ha="left",
                                rotation=90, role="data", ref=ref)
                else:
                    cv.text_out(cx, yb - 3, label, col_lfs, th.text, (0, -1), tries=tries, within=plot, ha="right",
                                rotation=90, role="data", ref=ref)
            else:
                off = col_lfs * 0.6 + 2.5
                yy = yb + (off if v >= 0 else -off)
                if (yy + col_lfs * 0.6 > f.y1 + 1 or yy - col_lfs * 0.6 < f.y0 - 1) and fits:
                    # a pinned range leaves no room beyond the bar end: inside it, contrasting ink
                    yy = yb - math.copysign(col_lfs * 0.75 + 2, yb - ya)
                    cv.text(cx, yy, label, col_lfs, _ink_on(color, th.text), ha="center", avoid=True, role="data",
                            ref=ref)
                else:
                    cv.text_out(cx, yy, label, col_lfs, th.text, (0, 1 if v >= 0 else -1), tries=tries, within=plot,
                                ha="center", role="data", ref=ref)


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
    if lines and (chart.data_labels or chart.end_labels):
        line_labels(cv, chart, lines, f.axis_of, f.x0, f.slot, n, len(lines), cv.theme.chart_label_size)


def line_labels(cv: Plan, chart: ChartData, lines: list[Series], axis_of: Callable[[Series], Axis], x0: float,
                slot: float, n: int, n_lines: int, lfs: float) -> None:
    """End labels right of each line's last point (moved apart), then data labels above or below their
    point (`egovdeck.charts.linelabels.labels_below`, the deck's rule too)."""
    th = cv.theme
    multi = n_lines > 1 or chart.kind == "combo"
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
        if not chart.data_labels:
            return
    if not chart.data_labels:
        return
    below_set = labels_below(chart)
    for i in range(n):
        present = [(s, s.values[i]) for s in lines if s.values[i] is not None]
        if not present:
            continue
        # above or below its point by the rule the deck follows too (egovdeck.charts.linelabels)
        ranked = sorted(present, key=lambda sv: axis_of(sv[0]).pos(sv[1]))
        for s, v in ranked:
            if chart.end_labels and i == max(k for k, vv in enumerate(s.values) if vv is not None):
                continue
            yy = axis_of(s).pos(v)
            below = (chart.series.index(s), i) in below_set
            off = lfs * 0.6 + 4
            halo = "FFFFFF" if chart.kind == "combo" else None
            cv.text(x0 + slot * (i + 0.5), yy - off if below else yy + off, s.fmt.format(v), lfs,
                    s.color if multi else th.text, ha="center", halo=halo, zorder=7, avoid=True, role="data",
                    ref=(chart.series.index(s), i))


def plan_columns(cv: Plan, chart: ChartData) -> None:
    """column / line / combo: categories along x, values up."""
    f = column_frame(cv, chart)
    cv.plot = (f.x0, f.y0, f.x1, f.y1)
    place_axes(cv, chart, f)
    place_category_labels(cv, chart, f)
    place_columns(cv, chart, f)
    place_lines(cv, chart, f)
    place_legend(cv, chart, f.legend, f.x0, f.x1, f.y1)
