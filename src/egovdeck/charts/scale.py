"""Value-axis scales shared by both renderers, so the PDF chart and the deck chart span the same range and
print the same ticks.

One decision for both outputs (`axis_ticks`): the resolver pins a cartesian chart's value range and its
tick step (ChartData.y_min, y_max, y_step); the PDF draws the multiples of the step inside the range, the
deck writes the range as c:min/c:max and the step as c:majorUnit (LibreOffice and PowerPoint draw the
ticks from c:min up by c:majorUnit, so the range's ends sit on the step's multiples). Both write the ticks
with `Ticks.decimals`: as many decimals as the step needs, never more (a 0.25 step: 0.00, 0.25 ...; a 0.2
step: 0.0, 0.2 ...; a 5 step: 0, 5 ...), and a tick that rounds to zero prints 0, never −0.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

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
    lo, hi, _ = auto_axis(dmin, dmax, zero, nbins)
    return lo, hi


def auto_axis(dmin: float, dmax: float, zero: bool, nbins: int = 5) -> tuple[float, float, float]:
    """auto_range and the step of its ticks: (lo, hi, step), lo and hi whole multiples of step."""
    if zero:
        lo, hi = min(dmin, 0.0), max(dmax, 0.0)
    else:
        span = (dmax - dmin) or abs(dmax) or 1.0
        lo = 0.0 if 0 <= dmin <= 0.45 * dmax else dmin - 0.08 * span
        hi = dmax + 0.08 * span
        if dmax <= 0 < hi:
            hi = 0.0
    ticks = nice_ticks(lo, hi, nbins)
    step = clean(ticks[1] - ticks[0]) if len(ticks) > 1 else round_step(ticks[0], ticks[-1])
    return ticks[0], ticks[-1], step


AXIS_BINS = 5  # about this many intervals on every value axis, in both outputs, whatever the frame size


@dataclass(frozen=True)
class Ticks:
    """The ticks of a value axis: step (data units), values (lo, lo + step, ... up to hi, ascending) and
    decimals (the fewest that write lo and the step, so every tick)."""

    step: float
    values: tuple[float, ...]
    decimals: int


def step_decimals(step: float) -> int:
    """The decimals a step (or a range's end) needs, 0..12: 0.25 -> 2, 0.2 -> 1, 5 -> 0, 5e8 -> 0."""
    return _places(step, abs(step))


def _places(x: float, unit: float) -> int:
    """The decimals that write x to within a millionth of `unit` (0..12)."""
    for d in range(0, 12):
        scaled = x * 10**d
        if abs(scaled - round(scaled)) <= 1e-6 * unit * 10**d:
            return d
    return 12


def round_step(lo: float, hi: float, nbins: int = AXIS_BINS) -> float:
    """The round step of about nbins intervals over [lo, hi] (1.0 for an empty or reversed range)."""
    if not (math.isfinite(lo) and math.isfinite(hi) and math.isfinite(hi - lo)) or hi <= lo:
        return 1.0
    return clean(nice_step((hi - lo) / max(nbins, 1)))


def tick_anchor(lo: float, hi: float) -> float:
    """The value a pinned axis [lo, hi] (c:min, c:max, c:majorUnit) puts a tick on; the others are whole
    steps from it. LibreOffice 25.2 (chart2/source/view/axes/ScaleAutomatism.cxx,
    calculateExplicitIncrementAndScaleForLinear): a range with hi <= 0 and lo < 0 is negated and swapped
    ([−90, −3] is worked on as [3, 90]), the increment's BaseValue is then set to the (swapped) minimum and
    never swapped back, so the ticks sit on −hi + k·step: [−37, 0] by 10 ticks −30 … 0, [−90, −3] by 20
    ticks −77, −57 …; any other range ticks on lo. (Tickmarks_Equidistant.cxx: ticks at BaseValue + k·step
    within the range.)"""
    return -hi if lo < 0 and hi <= 0 else lo


def anchors_agree(lo: float, hi: float, step: float) -> bool:
    """Whether every reader draws the ticks of [lo, hi] by `step` on the same values: LibreOffice's
    tick_anchor is lo itself or whole steps from it (PowerPoint's, like the PDF's default, is c:min)."""
    r = math.fmod(tick_anchor(lo, hi) - lo, step) % step
    return r < step * 1e-3 or r > step * (1 - 1e-3)


def agreeing_range(lo: float, hi: float, step: float, free_lo: bool, free_hi: bool) -> tuple[float, float, float]:
    """(lo, hi, step) on which the PDF, LibreOffice and PowerPoint tick alike (anchors_agree): unchanged when
    they do; else the end the resolver chose moved out by less than a step (a free low end down onto
    −hi − k·step; a free high end up to the first tick above it, or onto −lo + k·step while that stays <= 0),
    else, both ends pinned by the definition, the nearest round step of 2 to 10 intervals that agrees. None
    agreeing ([−37.3, −0.2]): the range as given, whose ticks axis_ticks then puts where LibreOffice does."""
    if hi <= lo or anchors_agree(lo, hi, step):
        return lo, hi, step
    if free_lo:
        return clean(-hi - math.ceil((-hi - lo) / step - 1e-9) * step), hi, step
    if free_hi:
        top = clean(lo + math.ceil((hi - lo) / step - 1e-9) * step)  # the first tick at or above hi
        if top > 0:
            return lo, top, step
        return lo, clean(-lo - math.floor((-lo - hi) / step + 1e-9) * step), step
    steps = sorted({round_step(lo, hi, n) for n in range(2, 11)}, key=lambda s: (abs(math.log(s / step)), s))
    for s in steps:
        if anchors_agree(lo, hi, s):
            return lo, hi, s
    return lo, hi, step


def axis_ticks(lo: float, hi: float, step: float | None = None) -> Ticks:
    """The ticks of the value range [lo, hi] as a reader draws a pinned axis (c:min, c:max, c:majorUnit):
    the values tick_anchor(lo, hi) + k·step within the range, with `step` (else round_step(lo, hi)). A
    range the resolver chose starts on a multiple of its step, so its ticks are lo, lo + step, … and round;
    a range the definition pins at 3..97 ticks 3, 23, 43 ... in both outputs; one pinned at [−90, −3] that
    no round step fits alike (agreeing_range) ticks where LibreOffice does. Raises ValueError for a range
    that is not finite."""
    if not (math.isfinite(lo) and math.isfinite(hi) and math.isfinite(hi - lo)):
        raise ValueError(f"the axis range [{lo}, {hi}] is not finite")
    if hi <= lo:
        hi = lo + max(1.0, abs(lo) * 1e-9)
    if step is None or not (step > 0 and math.isfinite(step)) or (hi - lo) / step > 200 or lo + step == lo:
        step = round_step(lo, hi)  # (none given, or one below the floats' resolution at this magnitude)
    r = math.fmod(tick_anchor(lo, hi) - lo, step) % step  # the first tick's distance above lo, in [0, step)
    first = lo if r < step * 1e-3 or r > step * (1 - 1e-3) else lo + r  # (float error at 1e9 steps)
    n = math.floor((hi - first) / step + 1e-9)
    values = tuple(clean(first + k * step) for k in range(n + 1))
    return Ticks(step, values, max(step_decimals(step), _places(first, step)))


def coarser(lo: float, hi: float, step: float, free_lo: bool, free_hi: bool,
            fits: Callable[[float, float, float], bool]) -> tuple[float, float, float] | None:
    """(lo, hi, step) with the least whole multiple of `step` (2 to 10 times) for which fits(lo, hi, step)
    holds (every tick labelled in every frame that draws the axis), the free ends rounded out to it (or, when
    that does not fit, kept where they are if [lo, hi] is whole steps of it: [−3e6, 1.5e6] by 4.5e6 ticks its
    two ends) and every reader ticking alike (anchors_agree); None when none fits. A plot too narrow for the round ticks gets
    fewer, the same in every output, rather than each output labelling every k-th gridline of its own."""
    for k in range(2, 11):
        big = clean(k * step)
        out = (clean(math.floor(lo / big + 1e-9) * big) if free_lo else lo,
               clean(math.ceil(hi / big - 1e-9) * big) if free_hi else hi)
        # rounded out (0 a tick), else the range as it is when it holds whole steps of big (its ends the ticks)
        whole = abs((hi - lo) / big - round((hi - lo) / big)) < 1e-6 and hi > lo
        for a, b in (out, (lo, hi)) if whole and out != (lo, hi) else (out,):
            if b > a and anchors_agree(a, b, big) and fits(a, b, big):
                return a, b, big
    return None
