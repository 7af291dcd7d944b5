"""Label texts of the charts: wrapping names at CJK boundaries, thinning and rotating category labels,
moving label centres apart. Measured on a `Plan` (its font widths); nothing is placed here.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from egovdeck.charts.plan.canvas import MIN_FONT, PAD, Plan
from egovdeck.text.fonts import FontSet, metrics


def wrap_text(text: str, width: float, size: float, fonts: FontSet, bold: bool = False,
              split_words: bool = True) -> list[str] | None:
    """Greedy line breaking of mixed Chinese/Latin text to `width` pt, with simple kinsoku rules.

    A word (or number) wider than the line is split by characters, or, with split_words=False,
    the text is reported as unwrappable (None).
    """
    from egovdeck.text.textfit import wrap_label  # the one line breaker of the PDF, the deck and the charts

    return wrap_label(text, width, size, metrics(fonts.bold if bold else fonts.regular), split_words)


def repel(positions: list[float], gap: float, lo: float, hi: float) -> list[float]:
    """Move 1-D label centres apart to at least `gap`, keeping them inside [lo, hi] and in order."""
    if not positions:
        return []
    order = sorted(range(len(positions)), key=lambda i: positions[i])
    ys = [positions[i] for i in order]
    for _ in range(len(ys) + 2):
        moved = False
        for i in range(1, len(ys)):
            if ys[i] - ys[i - 1] < gap - 1e-6:
                mid = (ys[i] + ys[i - 1]) / 2
                ys[i - 1], ys[i] = mid - gap / 2, mid + gap / 2
                moved = True
        ys[0] = max(ys[0], lo)
        for i in range(1, len(ys)):
            ys[i] = max(ys[i], ys[i - 1] + gap)
        if ys[-1] > hi:
            ys[-1] = hi
            for i in range(len(ys) - 2, -1, -1):
                ys[i] = min(ys[i], ys[i + 1] - gap)
        if not moved:
            break
    out = [0.0] * len(ys)
    for k, i in enumerate(order):
        out[i] = ys[k]
    return out


def balanced(cv: Plan, text: str, width: float, size: float) -> list[str]:
    """text wrapped to width in as few lines as greedy wrapping needs, the lines made about equally long
    (no one-character last line)."""
    lines = wrap_text(text, width, size, cv.fonts) or [text]
    if len(lines) > 1:
        even = wrap_text(text, cv.tw(text, size) / len(lines) + size * 1.01, size, cv.fonts)
        if even and len(even) == len(lines) and all(cv.tw(ln, size) <= width for ln in even):
            return even
    return lines


def category_labels(cv: Plan, cats: Sequence[str], slot: float, size: float, x0: float, max_h: float,
                     time_axis: bool) -> tuple[list[list[str]], bool, float, int]:
    """Lines per category, whether they are rotated 90°, the font size and the thinning step k (only
    every k-th category labelled, the last one always).

    Wrapped at CJK boundaries under the slot first (up to three lines, down to 6.5 pt); then a time axis
    is thinned (every k-th period, up to two lines within k slots); other categories are rotated, each
    name wrapped into columns no taller than max_h that fit side by side in the slot; thinned only when
    even that cannot fit. Every label stays inside the canvas.
    """
    n = len(cats)
    for sz in [size - 0.5 * k for k in range(int((size - 6.5) / 0.5) + 1)] or [size]:
        wrapped = [wrap_text(c, slot * 0.94, sz, cv.fonts, split_words=False) for c in cats]
        if all(w is not None and len(w) <= 3 for w in wrapped):
            return [list(w) for w in wrapped if w is not None], False, sz, 1
    if time_axis:
        for k in range(2, n + 1):
            out: list[list[str]] = []
            ok = True
            for i, c in enumerate(cats):
                if (n - 1 - i) % k:
                    out.append([])
                    continue
                cx = x0 + slot * (i + 0.5)
                width = min(k * slot * 0.94, 2 * (cx - PAD), 2 * (cv.w - PAD - cx))
                w = wrap_text(c, width, size, cv.fonts, split_words=False) if width > 0 else None
                if w is None or len(w) > 2:
                    ok = False
                    break
                out.append(w)
            if ok:
                return out, False, size, k
    sz = max(MIN_FONT, min(size, slot * 0.8))
    while True:
        cols = [balanced(cv, c, max_h, sz) for c in cats]
        if max(len(w) for w in cols) * sz * 1.15 <= slot * 0.95 or sz - 0.5 < MIN_FONT:
            break
        sz -= 0.5
    need = max(len(w) for w in cols) * sz * 1.15
    k = max(1, math.ceil(need / (slot * 0.95)))
    if k > 1:
        cols = [w if (n - 1 - i) % k == 0 else [] for i, w in enumerate(cols)]
    return cols, True, sz, k


def bar_category_labels(cv: Plan, cats: Sequence[str], pitch: float, size: float,
                         bold: set[int]) -> tuple[float, list[list[str]], int]:
    """Font size, lines per category name and thinning step of a horizontal bar chart's category labels.

    Names wrap at CJK boundaries within a third (then nearly half) of the chart width in as many lines
    as a row holds, the font shrinking to MIN_FONT if needed; a name that still does not fit ends in 「…」.
    Rows lower than one line of MIN_FONT cannot all be named: every k-th is, from the first.
    """
    line = 1.15
    cfs = max(MIN_FONT, min(size, pitch / 1.25))
    thin = max(1, math.ceil(MIN_FONT * line * 1.05 / pitch)) if pitch < MIN_FONT * line * 1.05 else 1
    rows = max(1, int(pitch * thin / (cfs * line)))
    for frac in (0.34, 0.46):
        for sz in (cfs, max(MIN_FONT, cfs - 1), MIN_FONT):
            rows = max(1, int(pitch * thin / (sz * line)))
            out = [balanced(cv, c, cv.w * frac, sz) if cv.tw(c, sz, i in bold) > cv.w * frac else [c]
                   for i, c in enumerate(cats)]
            if all(len(w) <= rows for w in out):
                return sz, out, thin
    sz, width = MIN_FONT, cv.w * 0.46
    out = []
    for c in cats:
        w = balanced(cv, c, width, sz)
        if len(w) > rows:
            w = w[:rows]
            last = w[-1]
            while last and cv.tw(last + "…", sz) > width:
                last = last[:-1]
            w[-1] = last + "…"
        out.append(w)
    return sz, out, thin


