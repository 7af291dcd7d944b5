"""Label texts of the charts: wrapping names at CJK boundaries, thinning and rotating category labels,
moving label centres apart. Measured on a `Plan` (its font widths); nothing is placed here.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from egovdeck.charts.plan.canvas import MIN_FONT, Plan
from egovdeck.text.fonts import FontSet, metrics

_FUZZ = 1e-6
# A turned category label's line holding one number, date or Latin word (which no break may shorten) may
# reach this many times the room the wrapped names take under the plot before the labels shrink.
PIECE_ROOM = 1.25


def wrap_text(text: str, width: float, size: float, fonts: FontSet, bold: bool = False,
              split_words: bool = True) -> list[str] | None:
    """Greedy line breaking of mixed Chinese/Latin text to `width` pt, with the kinsoku table and the label
    rule of egovdeck.text.textfit.wrap_label (a number keeps its unit: 2000年).

    A piece no break may enter (a number, a date, a Latin word) wider than the line is split by characters,
    or, with split_words=False, the text is reported as unwrappable (None).
    """
    from egovdeck.text.textfit import wrap_label  # the one line breaker of the PDF, the deck and the charts

    return wrap_label(text, width, size, metrics(fonts.bold if bold else fonts.regular), split_words)


def widest_piece(cv: Plan, text: str, size: float, bold: bool = False) -> float:
    """Width (pt) of the widest part of a label no line break may enter (a number with its unit, a date,
    a Latin word): no wrapping makes the label narrower than this."""
    from egovdeck.text.textfit import widest_piece as widest

    return widest(text, size, metrics(cv.fonts.bold if bold else cv.fonts.regular))


def wrap_whole(cv: Plan, text: str, width: float, size: float, bold: bool = False) -> list[str]:
    """wrap_text that never cuts a number, date or Latin word: one wider than width (pt) takes a line of its
    own, as wide as it is (egovdeck.text.textfit.wrap_whole); the caller measures the lines it gets."""
    from egovdeck.text.textfit import wrap_whole as whole

    return whole(text, width, size, metrics(cv.fonts.bold if bold else cv.fonts.regular))


def clipped(cv: Plan, text: str, width: float, size: float, bold: bool = False, more: bool = False) -> str:
    """text cut to width (pt) with 「…」 at its end: after the last whole piece that fits (a number, a word),
    inside the first one only when not even that fits. For a label no size or turn can fit. more: the text
    is already the head of a longer one (it ends in 「…」 even when it fits)."""
    from egovdeck.text.textfit import pieces

    if cv.tw(text + ("…" if more else ""), size, bold) <= width + _FUZZ:
        return text + ("…" if more else "")
    ends = [0]
    for piece in pieces(text, units=True):
        ends.append(text.index(piece, ends[-1]) + len(piece))
    for end in reversed(ends[1:]):
        if cv.tw(text[:end] + "…", size, bold) <= width:
            return text[:end] + "…"
    cut = text
    while cut and cv.tw(cut + "…", size, bold) > width:
        cut = cut[:-1]
    return cut + "…"


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


def balanced(cv: Plan, text: str, width: float, size: float, bold: bool = False) -> list[str]:
    """text wrapped to width in as few lines as greedy wrapping needs, the lines made about equally long
    (no one-character last line). A number, date or Latin word is never cut: one wider than width takes
    a line of its own, as wide as it is (`wrap_whole`; the caller measures the lines it gets)."""
    lines = wrap_whole(cv, text, width, size, bold)
    if len(lines) > 1:
        widest = max(width, max(cv.tw(ln, size, bold) for ln in lines))
        even = wrap_text(text, cv.tw(text, size, bold) / len(lines) + size * 1.01, size, cv.fonts, bold,
                         split_words=False)
        if even and len(even) == len(lines) and all(cv.tw(ln, size, bold) <= widest for ln in even):
            return even
    return lines


def category_labels(cv: Plan, cats: Sequence[str], slot: float, size: float, x0: float, max_h: float,
                     time_axis: bool) -> tuple[list[list[str]], bool, float, int]:
    """Lines per category, whether they are rotated 90°, the font size and the thinning step k (only
    every k-th category labelled, the last one always).

    Wrapped at CJK boundaries under the slot first (up to three lines, down to 6.5 pt); then rotated, each
    name wrapped into columns no taller than max_h that fit side by side in the slot; thinned only when
    even that cannot fit (docs/reference/typography.md: shrink, turn, then thin -- a time axis too: a
    new user's six periods were thinned to two in the PDF while the deck turned and named all six). Every
    label stays inside the canvas. time_axis is kept for the callers; it no longer changes the order.
    """
    n = len(cats)
    for sz in [size - 0.5 * k for k in range(int((size - 6.5) / 0.5) + 1)] or [size]:
        wrapped = [wrap_text(c, slot * 0.94, sz, cv.fonts, split_words=False) for c in cats]
        if all(w is not None and len(w) <= 3 for w in wrapped):
            return [list(w) for w in wrapped if w is not None], False, sz, 1
    sz = max(MIN_FONT, min(size, slot * 0.8))
    while True:
        cols = [balanced(cv, c, max_h, sz) for c in cats]
        tall = max(cv.tw(ln, sz) for w in cols for ln in w)
        if (max(len(w) for w in cols) * sz * 1.15 <= slot * 0.95 and tall <= max_h * PIECE_ROOM + _FUZZ) \
                or sz - 0.5 < MIN_FONT:
            break
        sz -= 0.5  # a column too many side by side, or a number or word longer than the room under the plot
    # at the floor, a piece still longer than the room ends in 「…」 (a line is never cut inside a piece)
    cols = [[clipped(cv, ln, max_h * PIECE_ROOM, sz) for ln in w] for w in cols]
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
            out = [balanced(cv, c, cv.w * frac, sz, i in bold) if cv.tw(c, sz, i in bold) > cv.w * frac else [c]
                   for i, c in enumerate(cats)]
            # (a line wider than frac is one number or word no break can shorten: it may take up to 0.46)
            if all(len(w) <= rows and all(cv.tw(ln, sz, i in bold) <= cv.w * 0.46 + _FUZZ for ln in w)
                   for i, w in enumerate(out)):
                return sz, out, thin
    sz, width = MIN_FONT, cv.w * 0.46
    out = []
    for i, c in enumerate(cats):
        w = balanced(cv, c, width, sz, i in bold)
        if len(w) > rows:  # the rest of the name after the last line that fits: 「…」
            w = w[:rows]
            w[-1] = clipped(cv, w[-1], width, sz, i in bold, more=True)
        out.append([clipped(cv, ln, width, sz, i in bold) for ln in w])
    return sz, out, thin


