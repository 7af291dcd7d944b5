"""The secondary (right) axis of a combo chart: the line runs in a band clear of the column tops.

One decision for the PDF and the deck (`decide`, made by egovdeck.engine.comboaxes with both outputs'
frames, recorded as ChartData.y2_axis and a lifted ChartData.y_max, drawn verbatim by
`egovdeck.charts.plan.columns` and `egovdeck.charts.native`): each output measures the room its line needs
in its own frame (a `LineRoom`: plot height, column labels, the line's own label), and the axes are chosen
so that the line clears the columns and their labels in every room at once -- the tighter frame decides.
Before, each renderer chose at its own frame and the brief and the deck printed different right-axis
numbers and a different left-axis top for one chart (issue 16).

The rule, in the order a reader expects: the right axis' range stays close to the line's own data (round
ticks putting the line's lowest point at or above `band_lo` of the plot height -- over the highest column
and its label -- and its highest at or under `band_hi` -- room for its own label --, spanning at most
MAX_SPREAD times the line's range, `spread_ok`); where the resolver's left top leaves no such band, that top
is lifted by whole steps (shorter columns) until one does; only when no lift gives one, the fallback for
both outputs (the resolver's top, the line's own range over the upper part of the plot) with
`ComboAxes.clear` False, which egovdeck.engine.comboaxes warns of at the chart's `secondary:` key. Before,
a round "usual" axis (the line at 60-90 % of the plot, from zero) was tried first and the lift last: rates
of −12 … 14 % got an axis down to −200 %, the line in a strip at the top. A right axis the definition pins
(y2_min, y2_max) is kept; only the left top may be lifted for it.

A rate need not start at zero, so the axis may begin below zero for an all-positive series: the renderers
then leave the tick labels below zero out (PDF) or print them empty (deck: a number format whose negative
section is empty), so no negative rate is ever shown that the data does not have.

`band_ticks` gives the axis `n` intervals of one round step (the left axis' intervals: its ticks on the
left's gridlines); `decide` lets the number of intervals vary (3 to 10) when that cannot be had.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

from egovdeck.charts.scale import (
    agreeing_range,
    anchors_agree,
    auto_axis,
    axis_ticks,
    clean,
    nice_step,
    round_step,
)
from egovdeck.document.chart import ChartData, RightAxis, Series

MIN_BAND = 0.18  # the band the line needs at least (share of the plot height); less: no band is kept
MIN_FILL = 0.4  # the line's rise fills at least this share of its band (never squashed flat)


def band_ticks(smin: float, smax: float, band_lo: float, band_hi: float, n: int) -> list[float] | None:
    """n + 1 round ticks t0 < ... < tn (equal steps) with smin at or above band_lo and smax at or below
    band_hi of [t0, tn], the line rising over at least MIN_FILL of the band; None when the band is
    narrower than MIN_BAND or no round step gives it.

    smin/smax: the line's data range (data units); band_lo/band_hi: shares of the plot height (0..1)."""
    n = max(int(n), 1)
    if not (math.isfinite(smin) and math.isfinite(smax)) or band_hi - band_lo < MIN_BAND or band_lo < 0:
        return None
    span = smax - smin
    if span <= 0:
        span = abs(smax) * 0.2 or 1.0
    step = nice_step(span / (band_hi - band_lo) / n)
    for _ in range(40):
        t0 = math.floor((smin - band_lo * n * step) / step + 1e-9) * step
        top = t0 + n * step
        if (smax - t0) / (n * step) <= band_hi + 1e-9 and (smin - t0) / (n * step) >= band_lo - 1e-9:
            if (smax - smin) / (n * step) < MIN_FILL * (band_hi - band_lo) and smax > smin:
                return None  # the line would be squashed flat: a bigger step only flattens it more
            return [clean(t0 + k * step) for k in range(n + 1)] if top > t0 else None
        step = nice_step(step * 1.0001)
    return None


def upper_ticks(smin: float, smax: float, n: int) -> list[float]:
    """The usual right axis of a combo: n round intervals putting the line at about 60-90 % of the plot
    (from zero for a series without negative values, so the axis shows no negative rate)."""
    from egovdeck.charts.plan.axes import aligned_ticks

    span = (smax - smin) or abs(smax) or 1.0
    rng = span / 0.30
    lo2 = smin - 0.60 * rng
    if smin >= 0 and lo2 < 0:
        lo2 = 0.0
    hi2 = max(smax + 0.1 * span, lo2 + (smax - lo2) / 0.92)
    return aligned_ticks(lo2, hi2, n, floor_zero=smin >= 0)


@dataclass(frozen=True)
class LineRoom:
    """Where a combo's line may run in one output's frame, in pt on its plot, as that output measures it
    (the PDF: egovdeck.charts.plan.columns.line_room; the deck: egovdeck.charts.deckroom.line_room).

    plot_h: the height the left axis' range y_min..y_max spans; above[i]: how far above the top of category
    i's columns (zero for columns below it) a point of the line must stay: the column label drawn there (none:
    0), a gap and the marker; under_top: how far under the top of that range the line must stay (its own
    label over its highest point); tick_pitch: how far apart the left axis' ticks must stand for each to be
    labelled (0: not asked; a lift of the left top never crowds them past it)."""

    plot_h: float
    above: tuple[float, ...]
    under_top: float
    tick_pitch: float = 0.0


@dataclass(frozen=True)
class ComboAxes:
    """A combo's axes as decided: the left range (ChartData.y_min, y_step: the resolver's; y_max: the
    resolver's top or lifted by whole steps), the right axis, and whether the line clears the columns and
    their labels in every frame decided for."""

    y_min: float
    y_max: float
    y_step: float
    right: RightAxis
    clear: bool


def _known(values: Sequence[float | None]) -> list[float]:
    return [v for v in values if v is not None and math.isfinite(v)]


def decide(chart: ChartData, rooms: Sequence[LineRoom]) -> ComboAxes | None:
    """The axes of a combo chart (columns on the left axis, a line on the right) whose line clears the
    columns and their labels in every one of `rooms` (see the module docstring); None for other charts, a
    combo without columns or a line, or one without the resolver's left range (y_min < y_max).

    The order a reader expects: the right axis' range close to the line's own data (at most MAX_SPREAD
    times its span, `spread_ok`: the line fills a band over the columns rather than running in a strip of an
    axis far below zero), the left axis' top lifted by whole steps (when the resolver chose it, up to three
    times the range) until such a band clears the columns and their labels in every room; only when no lift
    gives one the fallback (`ComboAxes.clear` False: the caller warns). The right axis' ticks have as many
    intervals as the left's (on its gridlines) where a round step allows, else 3 to 10 of their own. A lift
    stops where the left axis' ticks would stand closer than a room's tick_pitch (the PDF labels every k-th
    tick of a crowded axis, the deck every one: the two would differ)."""
    sec = [s for s in chart.series if s.secondary and s.kind == "line"]
    bars = [s for s in chart.series if s.kind != "line"]
    if chart.kind != "combo" or not sec or not bars:
        return None
    lo, hi0, step = _left_range(chart, bars)
    if not hi0 > lo:
        return None
    rooms = [r for r in rooms if r.plot_h > 0]
    n = len(chart.categories)
    if chart.stacked:
        tops = [sum(v for s in bars if (v := s.values[i]) is not None and math.isfinite(v) and v > 0)
                for i in range(n)]
    else:
        tops = [max((v for s in bars if (v := s.values[i]) is not None and math.isfinite(v)), default=0.0)
                for i in range(n)]
    vals = [v for s in sec for v in _known(s.values)]
    smin, smax = (min(vals), max(vals)) if vals else (0.0, 1.0)
    points = [(i, v) for s in sec for i, v in enumerate(s.values) if v is not None and math.isfinite(v)]
    pinned = chart.y2_min is not None or chart.y2_max is not None

    def attempt(hi: float) -> tuple[RightAxis, bool] | None:
        def share(v: float) -> float:  # of the left axis' range, which the plot's height spans
            return (v - lo) / (hi - lo)

        need = [max((share(max(tops[i], 0.0)) + r.above[i] / r.plot_h for r in rooms if i < len(r.above)),
                    default=share(max(tops[i], 0.0))) for i in range(n)]
        band_lo = max(need, default=0.0)
        band_hi = min([1.0] + [1 - r.under_top / r.plot_h for r in rooms])
        nint = _grid_intervals(lo, hi, step)

        def clears(ax: RightAxis) -> bool:
            def share2(v: float) -> float:
                return (v - ax.lo) / ((ax.hi - ax.lo) or 1.0)

            return share2(smax) <= band_hi + 1e-9 and all(share2(v) >= need[i] - 1e-9 for i, v in points)

        if pinned:
            ax = _pinned_axis(chart.y2_min, chart.y2_max, smin, smax, nint or 5)
            return ax, clears(ax)
        # the line's own band: on the left's gridlines first, then 3 to 10 intervals of its own
        for k in ([nint] if nint else []) + list(range(3, 11)):
            t = band_ticks(smin, smax, band_lo, band_hi, k)
            if t is None:
                continue
            ax = _from_ticks(t)
            if clears(ax) and spread_ok(ax, smin, smax) and anchors_agree(ax.lo, ax.hi, ax.step):
                return ax, True
        return None

    his = [hi0]
    if chart.y_max_auto:
        for k in range(1, 41):
            hi = clean(hi0 + k * step)
            if hi > lo + 3 * (hi0 - lo) + 1e-9 * step or \
                    any(r.plot_h * step / (hi - lo) < r.tick_pitch for r in rooms):
                break  # up to three times the range, every tick still labelled in every frame
            his.append(hi)
    for hi in his:
        got = attempt(hi)
        if got is not None and got[1]:
            return ComboAxes(lo, hi, step, got[0], True)
    # nothing clears the columns in every frame: one fallback for both outputs at the resolver's top, the
    # line's own range over the upper part of the plot
    nint = _intervals(lo, hi0, step)
    if pinned:
        right = _pinned_axis(chart.y2_min, chart.y2_max, smin, smax, nint)
    else:
        bands = [_from_ticks(t) for k in (nint, *range(3, 11))
                 if (t := band_ticks(smin, smax, FALLBACK_BAND[0], FALLBACK_BAND[1], k)) is not None]
        bands = [ax for ax in bands if anchors_agree(ax.lo, ax.hi, ax.step)]
        on_grid = [ax for ax in bands[:1] if len(bands) > 0 and spread_ok(ax, smin, smax)]
        right = (on_grid or sorted(bands, key=lambda ax: ax.hi - ax.lo)[:1] or
                 [_from_ticks(upper_ticks(smin, smax, nint))])[0]
    return ComboAxes(lo, hi0, step, right, False)


MAX_SPREAD = 3.0  # a right axis spans at most this many times the line's data range (`spread_ok`)
FLAT_SPAN = 0.2  # the data range of a flat line counts as this share of its largest magnitude (band_ticks)
FALLBACK_BAND = (0.45, 0.92)  # nothing clears: the line's own range over this part of the plot height


def data_span(smin: float, smax: float) -> float:
    """The line's data range as the right axis' bound reads it: smax − smin, at least FLAT_SPAN of the
    largest magnitude (a line of 6.1 … 6.3 % is read on an axis of some percent), 1.0 for a line of zeros."""
    return max(smax - smin, FLAT_SPAN * max(abs(smin), abs(smax))) or 1.0


def spread_ok(ax: RightAxis, smin: float, smax: float) -> bool:
    """Whether a right axis stays close to the line's data: its range at most MAX_SPREAD data spans."""
    return ax.hi - ax.lo <= MAX_SPREAD * data_span(smin, smax) * (1 + 1e-9)


def with_axes(chart: ChartData, rooms: Sequence[LineRoom]) -> ChartData:
    """chart with its combo axes decided for `rooms` (`decide`): y_max lifted where the line needs it and
    y2_axis set; unchanged when there is nothing to decide."""
    return applied(chart, decide(chart, rooms))


def applied(chart: ChartData, got: ComboAxes | None) -> ChartData:
    """chart with the combo axes `got` (`decide`'s answer) set; unchanged for None."""
    if got is None:
        return chart
    if chart.y_min is None or chart.y_max is None:  # a chart not from the resolver: its range, as it chooses
        return replace(chart, y_min=got.y_min, y_max=got.y_max, y_step=got.y_step, y_min_auto=chart.y_min is None,
                       y_max_auto=True, y2_axis=got.right)
    return replace(chart, y_max=got.y_max, y2_axis=got.right)


def _left_range(chart: ChartData, bars: Sequence[Series]) -> tuple[float, float, float]:
    """(y_min, y_max, step) of the left axis: the resolver's (ChartData.y_min, y_max, y_step); for a chart
    built without it, the range the resolver would choose (egovdeck.resolve.charts: from zero, the columns'
    top over 0.62 so that they keep to the lower part, the line above them)."""
    lo, hi = chart.y_min, chart.y_max
    if lo is not None and hi is not None:
        return lo, hi, chart.y_step or round_step(lo, hi)
    n = len(chart.categories)
    if chart.stacked:
        vals = [sum(v for s in bars if (v := s.values[i]) is not None and math.isfinite(v) and v > 0) for i in range(n)]
        vals += [sum(v for s in bars if (v := s.values[i]) is not None and math.isfinite(v) and v < 0) for i in range(n)]
    else:
        vals = [v for s in bars for v in _known(s.values)]
    dmin, dmax = (min(vals), max(vals)) if vals else (0.0, 1.0)
    if dmax > 0:
        dmax /= 0.62
    a, b, step = auto_axis(dmin, dmax, zero=True)
    lo = a if lo is None else lo
    hi = b if hi is None else hi
    if not hi > lo:
        return lo, hi, step
    return lo, hi, step if (lo, hi) == (a, b) else round_step(lo, hi)


def _intervals(lo: float, hi: float, step: float) -> int:
    left = axis_ticks(lo, hi, step).values
    return len(left) - 1 if 2 <= len(left) - 1 <= 12 else 5


def _grid_intervals(lo: float, hi: float, step: float) -> int:
    """The left axis' intervals when its ends are ticks (the right axis' ticks can sit on its gridlines),
    else 0."""
    left = axis_ticks(lo, hi, step).values
    on_grid = len(left) > 2 and math.isclose(left[0], lo, abs_tol=step * 1e-6) and \
        math.isclose(left[-1], hi, abs_tol=step * 1e-6)
    return len(left) - 1 if on_grid and len(left) - 1 <= 12 else 0


def _from_ticks(t: Sequence[float]) -> RightAxis:
    return RightAxis(t[0], t[-1], clean(t[1] - t[0]) if len(t) > 1 else round_step(t[0], t[-1]))


def _pinned_axis(y2_min: float | None, y2_max: float | None, smin: float, smax: float, nint: int) -> RightAxis:
    """The right axis with the definition's end(s) kept: a free end rounded out to a whole number of a round
    step covering the line (from zero for a series without negative values), the step the one of nint
    intervals when round, else the nearest on which every reader ticks alike (scale.agreeing_range)."""
    lo2, hi2 = y2_min, y2_max
    if lo2 is None:
        top = hi2 if hi2 is not None else smax
        span = (top - smin) or abs(top) or 1.0
        lo2 = 0.0 if 0 <= smin < top else smin - 0.08 * span
    if hi2 is None:
        span = (smax - lo2) or abs(smax) or 1.0
        hi2 = max(smax + 0.08 * span, lo2 + span)
    if not hi2 > lo2:
        hi2 = lo2 + (abs(lo2) or 1.0)
    step = round_step(lo2, hi2, nint)
    if y2_min is None:
        lo2 = clean(math.floor(lo2 / step + 1e-9) * step)
    if y2_max is None:
        hi2 = clean(lo2 + math.ceil((hi2 - lo2) / step - 1e-9) * step)
    if y2_min is not None and y2_max is not None:
        exact = (hi2 - lo2) / max(nint, 1)
        if math.isclose(nice_step(exact), exact, rel_tol=1e-9):
            step = clean(exact)
    lo2, hi2, step = agreeing_range(lo2, hi2, step, y2_min is None, y2_max is None)
    return RightAxis(lo2, hi2, step)
