"""Value-axis scales shared by both renderers, so the PDF chart and the deck chart span the same range."""

from __future__ import annotations

import math

NICE_STEPS = (1.0, 2.0, 2.5, 5.0, 10.0)


def nice_step(raw: float) -> float:
    if raw <= 0 or not math.isfinite(raw):
        return 1.0
    exp = math.floor(math.log10(raw))
    for s in NICE_STEPS:
        step = s * 10**exp
        if step >= raw * (1 - 1e-9):
            return step
    return 10 ** (exp + 1)


def tick_decimals(values) -> int:
    """The fewest decimals (0..6) that write every tick value exactly: 0.02 -> 2, 2.5 -> 1, 100 -> 0."""
    for d in range(0, 6):
        if all(abs(v * 10**d - round(v * 10**d)) < 1e-6 for v in values):
            return d
    return 6


def clean(v: float) -> float:
    return float(f"{v:.12g}") + 0.0  # no -0.0


def nice_ticks(lo: float, hi: float, nbins: int) -> list[float]:
    """Round tick values covering [lo, hi] with about nbins intervals (0 is a tick when in range)."""
    if not (math.isfinite(lo) and math.isfinite(hi) and math.isfinite(hi - lo)):
        # the data readers refuse such numbers; never loop on them (the tick loop would not end)
        raise ValueError(f"the axis range [{lo}, {hi}] is not finite")
    if hi <= lo:
        hi = lo + max(1.0, abs(lo) * 1e-9)
    step = nice_step((hi - lo) / max(nbins, 1))
    start = math.floor(lo / step + 1e-9) * step
    ticks = []
    k = 0
    while True:
        t = clean(start + k * step)
        ticks.append(t)
        # at most a few ticks more than nbins; the bound also ends the loop where start + k*step stops
        # growing (step below the floats' resolution at this magnitude)
        if t >= hi - 1e-9 * step or k > max(nbins, 1) * 4 + 10:
            break
        k += 1
    return ticks


def auto_range(dmin: float, dmax: float, zero: bool, nbins: int = 5) -> tuple[float, float]:
    """A round axis range for data in [dmin, dmax]: from zero for bars (zero=True), with a margin for lines."""
    if zero:
        lo, hi = min(dmin, 0.0), max(dmax, 0.0)
    else:
        span = (dmax - dmin) or abs(dmax) or 1.0
        lo = 0.0 if 0 <= dmin <= 0.45 * dmax else dmin - 0.08 * span
        hi = dmax + 0.08 * span
        if dmax <= 0 < hi:
            hi = 0.0
    ticks = nice_ticks(lo, hi, nbins)
    return ticks[0], ticks[-1]
