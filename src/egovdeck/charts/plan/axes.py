"""Value axes of the cartesian charts: ranges, ticks and tick formats, all in data units (no drawing).

An `Axis` maps a data range [lo, hi] onto [p0, p1] pt; `value_axis` picks a round range and ticks from
the data and the definition's pinned ends; `align` and `follow` put a secondary axis's ticks on the
primary's gridlines.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from egovdeck.charts.scale import axis_ticks, nice_ticks, tick_decimals
from egovdeck.charts.scale import clean as _clean
from egovdeck.charts.scale import nice_step as _nice_step
from egovdeck.document.chart import ChartData, Series
from egovdeck.text.numfmt import NumberFormat


def aligned_ticks(lo: float, hi: float, n: int, floor_zero: bool) -> list[float]:
    """n intervals of one nice step covering [lo, hi]: a secondary axis aligned to the primary's grid."""
    if hi <= lo:
        hi = lo + 1.0
    step = _nice_step((hi - lo) / n)
    for _ in range(60):
        start = math.floor(lo / step + 1e-9) * step
        if floor_zero and start < 0 <= lo:
            start = 0.0
        if start + n * step >= hi - 1e-9 * step:
            return [_clean(start + i * step) for i in range(n + 1)]
        step = _nice_step(step * 1.0001)
    return [_clean(lo + i * (hi - lo) / n) for i in range(n + 1)]


def tick_format(fmt: NumberFormat, ticks: Sequence[float]) -> NumberFormat:
    """The series' format for axis ticks: its separators and percent sign, decimals the ticks need,
    no magnitude/suffix (the unit is printed once, as the axis title)."""
    return NumberFormat(decimals=min(tick_decimals(ticks), 4), thousands=fmt.thousands, percent=fmt.percent)


@dataclass
class Axis:
    """A value axis: data range [lo, hi] mapped to [p0, p1] points."""

    lo: float
    hi: float
    ticks: list[float]
    fmt: NumberFormat
    p0: float = 0.0
    p1: float = 1.0

    def pos(self, v: float) -> float:
        return self.p0 + (v - self.lo) / (self.hi - self.lo) * (self.p1 - self.p0)

    def labels(self) -> list[str]:
        return [self.fmt.format(t) for t in self.ticks]


def align(a: Axis, b: Axis, move_a: bool = True) -> None:
    """Give two axes the same extension beyond their first/last tick, so both tick sets sit on
    the same gridlines after either was stretched for label headroom."""
    def ext(ax: Axis) -> tuple[float, float]:
        span = (ax.ticks[-1] - ax.ticks[0]) or 1.0
        return (ax.ticks[0] - ax.lo) / span, (ax.hi - ax.ticks[-1]) / span

    (al, ah), (bl, bh) = ext(a), ext(b)
    lo, hi = (max(al, bl, 0.0), max(ah, bh, 0.0)) if move_a else (al, ah)
    for ax in ((a, b) if move_a else (b,)):
        span = (ax.ticks[-1] - ax.ticks[0]) or 1.0
        ax.lo, ax.hi = ax.ticks[0] - lo * span, ax.ticks[-1] + hi * span


def extend_alike(a: Axis, b: Axis, range_a: tuple[float, float], range_b: tuple[float, float]) -> None:
    """Give axes a and b the same extension beyond their ranges (a's range_a, b's range_b: the values the
    deck writes as c:min and c:max), in shares of the range: the larger of the two at each end, so that both
    ranges span the same part of the plot, as in the deck, after either was stretched for label room."""
    def ext(ax: Axis, r: tuple[float, float]) -> tuple[float, float]:
        span = (r[1] - r[0]) or 1.0
        return max((r[0] - ax.lo) / span, 0.0), max((ax.hi - r[1]) / span, 0.0)

    (al, ah), (bl, bh) = ext(a, range_a), ext(b, range_b)
    lo, hi = max(al, bl), max(ah, bh)
    for ax, r in ((a, range_a), (b, range_b)):
        span = (r[1] - r[0]) or 1.0
        ax.lo, ax.hi = r[0] - lo * span, r[1] + hi * span


def follow(a: Axis, master: Axis) -> None:
    """Rebuild axis a (covering its current lo..hi) with master's number of intervals and the same
    relative extension beyond the end ticks, so a's ticks fall on master's gridlines."""
    n = max(len(master.ticks) - 1, 1)
    span_m = (master.ticks[-1] - master.ticks[0]) or 1.0
    el, eh = (master.ticks[0] - master.lo) / span_m, (master.hi - master.ticks[-1]) / span_m
    lo, hi = a.lo, a.hi
    step = _nice_step((hi - lo) / n / (1 + el + eh))
    for _ in range(60):
        start = math.floor(lo / step + 1e-9) * step
        if start < 0 <= lo:
            start = 0.0
        if start - el * n * step <= lo + 1e-9 and start + n * step * (1 + eh) >= hi - 1e-9:
            break
        step = _nice_step(step * 1.0001)
    a.ticks = [_clean(start + i * step) for i in range(n + 1)]
    a.lo, a.hi = start - el * n * step, start + n * step * (1 + eh)
    a.fmt = tick_format(a.fmt, a.ticks)


def free_lo(chart: ChartData) -> bool:
    """The low end of the value range may move (not pinned by the definition)."""
    return chart.y_min is None or chart.y_min_auto


def free_hi(chart: ChartData) -> bool:
    return chart.y_max is None or chart.y_max_auto


def lower_to(axis: Axis, need: float, chart: ChartData) -> None:
    """Move a free low end of the axis down to `need` for the labels beyond the most negative value, exactly
    and without a tick: the ticks are the resolver's (it already moved the low end of a bar or column chart
    with outside labels by whole steps for them, egovdeck.resolve.charts.low_end_room, for the narrowest plot
    either output draws), so the PDF prints the ticks the deck draws and no other."""
    if need >= axis.lo or not free_lo(chart):
        return
    axis.lo = need


def known(values: Sequence[float | None]) -> list[float]:
    return [v for v in values if v is not None and math.isfinite(v)]


def extent(chart: ChartData, series: Sequence[Series], stacked: bool) -> tuple[float, float]:
    if stacked:
        n = len(chart.categories)
        pos = [sum(v for s in series if (v := s.values[i]) is not None and v > 0) for i in range(n)]
        neg = [sum(v for s in series if (v := s.values[i]) is not None and v < 0) for i in range(n)]
        vals = pos + neg
    else:
        vals = [v for s in series for v in known(s.values)]
    if not vals:
        return 0.0, 1.0
    return min(vals), max(vals)


def value_axis(dmin: float, dmax: float, fmt: NumberFormat, nbins: int, user_min: float | None,
                user_max: float | None, zero: bool, step: float | None = None) -> Axis:
    """The axis of data in [dmin, dmax]. With both ends pinned and the resolver's `step` (ChartData.y_step),
    the ticks are the deck's (egovdeck.charts.scale.axis_ticks: user_min, user_min + step ... with the
    decimals the step needs) whatever nbins; else round ticks of about nbins intervals."""
    if step is not None and user_min is not None and user_max is not None and user_max > user_min:
        t = axis_ticks(user_min, user_max, step)
        return Axis(user_min, user_max, list(t.values),
                    NumberFormat(decimals=t.decimals, thousands=fmt.thousands, percent=fmt.percent))
    lo, hi = (min(dmin, 0.0), max(dmax, 0.0)) if zero else (dmin, dmax)
    if not zero:
        span = (dmax - dmin) or abs(dmax) or 1.0
        if dmin >= 0 and dmin <= 0.45 * dmax:
            lo = 0.0
        else:
            lo = dmin - 0.08 * span
        hi = dmax + 0.08 * span
        if dmax <= 0 and hi > 0:
            hi = 0.0
    if user_min is not None:
        lo = user_min
    if user_max is not None:
        hi = user_max
    if hi <= lo:
        hi = lo + (abs(lo) or 1.0)
    ticks = nice_ticks(lo, hi, nbins)
    # a pinned end is kept exactly; a free end is rounded out to the next tick
    a_lo = lo if user_min is not None else ticks[0]
    a_hi = hi if user_max is not None else ticks[-1]
    eps = (a_hi - a_lo) * 1e-9
    ticks = [t for t in ticks if a_lo - eps <= t <= a_hi + eps]
    if len(ticks) < 2:
        ticks = [a_lo, a_hi]
    return Axis(a_lo, a_hi, ticks, tick_format(fmt, ticks))


