"""How the data labels of a row of columns fit side by side: one rule for the PDF and the deck.

Neighbouring column labels (centred on their columns, `pitch` pt apart) keep at least `label_gap(size)`
between them: 3.5 pt, or 0.4 em when that is more -- wider than a word space, so two numbers never read
as one (pdfplumber joins characters closer than 3 pt into one word; a reader's eye does the same with
less than a word space). When the labels cannot have that gap
at a readable size, in this order:

1. they shrink, down to the renderer's floor (the PDF's 6.5 pt, the deck's 9 pt);
2. they read upwards (rotated 90°), when one line of the label plus the gap fits the pitch;
3. only every k-th label is drawn, counted from the last category (the latest period keeps its label),
   at the largest size that lets k slots hold a label and the gap; the labels left out are the ones
   the reader can least afford to lose only when k is large, which is what the smallest possible k
   avoids.

Widths are advance widths at 1 pt (multiply by the size), measured with the bundled font by the caller.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

MIN_GAP = 3.5  # pt between two neighbouring labels, at least
GAP_SHARE = 0.4  # ... or this share of the label size when that is more (a word space is 0.25-0.33 em)


def label_gap(size: float) -> float:
    """The least room (pt) between two neighbouring labels of `size` pt."""
    return max(MIN_GAP, GAP_SHARE * size)


@dataclass(frozen=True)
class LabelFit:
    """size: label size (pt); rotated: reading upwards; step: every step-th label drawn (1 = all),
    counted from the last one."""

    size: float
    rotated: bool = False
    step: int = 1
    dropped: frozenset[int] = frozenset()  # labels left out besides the thinning (see deckroom.line_label_fit)

    def shown(self, i: int, n: int) -> bool:
        """Whether label i of n is drawn."""
        return (n - 1 - i) % self.step == 0 and i not in self.dropped


def _need(widths: Sequence[float], size: float) -> float:
    """Centre-to-centre distance two neighbouring flat labels need at `size` (the widest neighbour pair)."""
    if len(widths) < 2:
        return 0.0
    pair = max((a + b) / 2 for a, b in zip(widths, widths[1:], strict=False))
    return pair * size + label_gap(size)


def _sizes(size: float, floor: float) -> list[float]:
    """size, then down in 0.25 pt steps to floor."""
    out = [size]
    s = size
    while s - 0.25 >= floor - 1e-9:
        s = round(s - 0.25, 2)
        out.append(s)
    return out


def fit_labels(widths: Sequence[float], pitch: float, size: float, floor: float,
               rotate: bool = True) -> LabelFit:
    """The placement of labels whose advance widths at 1 pt are `widths` (one per column, in order; an
    unlabelled column counts 0), centred `pitch` pt apart, at most `size` pt and never below `floor`.

    rotate=False leaves out step 2 (a renderer or layout that cannot turn labels)."""
    floor = min(floor, size)
    known = [w for w in widths if w > 0]
    if len(known) < 2 or pitch <= 0:
        return LabelFit(size)
    for s in _sizes(size, floor):
        if _need(widths, s) <= pitch + 1e-9:
            return LabelFit(s)
    if rotate:
        for s in _sizes(size, floor):
            if s + label_gap(s) <= pitch + 1e-9:
                return LabelFit(s, rotated=True)
    widest = max(known)
    step = max(2, math.ceil((widest * floor + label_gap(floor)) / pitch))
    for s in _sizes(size, floor):
        if widest * s + label_gap(s) <= step * pitch + 1e-9:
            return LabelFit(s, step=step)
    return LabelFit(floor, step=step)
