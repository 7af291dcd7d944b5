"""The secondary (right) axis of a combo chart: the line runs in a band clear of the column tops.

One rule for the PDF (`egovdeck.charts.plan.columns`) and the deck (`egovdeck.charts.native`): the
line's lowest point sits at `band_lo` of the plot height (above the highest column and its label), its
highest at no more than `band_hi` (under the top, room for its label). A rate need not start at zero,
so the axis may begin below zero for an all-positive series: the renderers then leave the tick labels
below zero out (PDF) or print them empty (deck: a number format whose negative section is empty), so
no negative rate is ever shown that the data does not have.

`band_ticks` gives the axis `n` intervals of one round step (the primary axis's gridlines carry its
ticks too, PDF); `free_band_ticks` lets the number of intervals vary (3 to 10) when that cannot be had,
and for the deck, whose primary ticks PowerPoint/LibreOffice choose.
"""

from __future__ import annotations

import math

from egovdeck.charts.scale import clean, nice_step

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


def free_band_ticks(smin: float, smax: float, band_lo: float, band_hi: float) -> list[float] | None:
    """Round ticks (3 to 10 equal intervals) with the line's data range inside [band_lo, band_hi] of
    [first tick, last tick]; the fewest intervals that give it; None when none does."""
    for n in range(3, 11):
        t = band_ticks(smin, smax, band_lo, band_hi, n)
        if t is not None:
            return t
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
