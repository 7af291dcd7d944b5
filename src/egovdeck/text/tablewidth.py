"""Table column widths from content, with a floor, for the PDF brief and the deck alike.

Each column has a *floor*, the widest piece of it that must never break: a number, a date or a
short name (any cell of up to 6 characters without spaces or punctuation, e.g. 北京, 内蒙古自治区),
a header of up to 6 characters (a longer header may wrap, but not inside its 「（单位）」), a Latin
word, the part of a URL between two of its break marks (textfit.links). A text cell breaks between
characters, so its floor is its longest such piece, and, so that a wrapped column is read as lines
and not as a strip of single characters, READABLE characters (or its longest cell, if that is
shorter). Each column
also has a *natural* width, its longest cell or header on one line (the header's part only when the
whole table can have its headers on one line). Every column gets its floor; the width
left over goes first to the columns that need little to reach their natural width, and the rest
is shared by the long text columns, which wrap, in proportion to the width each still lacks (the
auto table layout of CSS 2.1, 17.5.2.2: a column of 260-character remarks gets more than one of
30-character names, not the same share).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from egovdeck.text.textfit import pieces

Measure = Callable[[str, bool], float]  # (text, bold) -> width at the size being tried

HEADER_WHOLE = 6  # a header of up to this many characters never breaks
LONG_WORD = 16  # characters of a Latin run (word, number, URL) that a column's floor keeps on one line
WORD_CHARS = 6  # a cell of up to this many characters without spaces or punctuation is one word
# characters of CJK text a wrapped text column holds a line at least, then at least this many when even that
# does not fit (a column of one or two characters a line is read as a vertical strip, not as text)
READABLE = (5, 3)
_PUNCT = re.compile(r"[\s，。、；：？！（）《》「」『』【】“”‘’,.;:?!()\[\]{}<>/|·…—-]")
_UNIT = re.compile(r"^(.*?)([（(][^（）()]{1,6}[）)])$")


def _atomic(cell: str, raw: object = None) -> bool:
    """A cell that is one unit: a number, a date, a period or a single word."""
    if isinstance(raw, int | float | dt.date) and not isinstance(raw, bool):
        return True
    return _atomic_text(cell)


@lru_cache(maxsize=1 << 16)  # lay_out asks for each cell at every size and padding it tries
def _atomic_text(cell: str) -> bool:
    text = cell.strip()
    if len(text) <= WORD_CHARS and not _PUNCT.search(text):
        return True
    # numbers and dates with their signs, separators and units: 14,474 −3.2% 2020-05-20 2020年5月 1.2万
    return len(text) <= 16 and not re.search(r"\s", text) and bool(re.search(r"\d", text)) and \
        len(re.sub(r"[\d.,%+\-−‰/:年月日季度第万亿千百元个]", "", text)) <= 2


@lru_cache(maxsize=1 << 16)
def _pieces(cell: str) -> tuple[str, ...]:
    """The pieces of a text cell that never break (textfit.pieces: Latin words, numbers and dates, a URL's
    parts between its break marks, a CJK character with the punctuation that may not be separated from
    it), and two CJK characters (the least a line holds)."""
    # a run longer than LONG_WORD with no break in it (a code, a no-break string) is cut where a line ends
    # anyway: as a floor it would squeeze every other column to a character a line
    out = {w[:LONG_WORD] for w in pieces(cell)}  # each once: the width of the widest is what counts
    cjk = [c for c in cell if not c.isascii() and not c.isspace()]
    if cjk:
        out.add("".join(cjk[:2]))
    return tuple(sorted(out)) or (cell[:2],)


def _header_pieces(head: str) -> list[str]:
    if len(head) <= HEADER_WHOLE:
        return [head]
    m = _UNIT.match(head)
    base, unit = (m.group(1), [m.group(2)]) if m else (head, [])
    return [base[i:i + HEADER_WHOLE] for i in range(0, len(base), HEADER_WHOLE)] + unit


def split_unit(head: str) -> tuple[str, str]:
    """A header's name and its 「（单位）」 written after it ("" when it has none): 访问量（人次） ->
    (访问量, （人次）). A wrapped header breaks before its unit, never inside it."""
    m = _UNIT.match(head)
    return (m.group(1), m.group(2)) if m else (head, "")


def _header_halves(head: str) -> list[str]:
    """What a header wrapped for a wide table keeps on one line: half of its name (「服务/事项」, never
    「服务事/项」), its 「（单位）」, and its pieces by the line-breaking rule (a Latin word, 「（%）」)."""
    m = _UNIT.match(head)
    base, unit = (m.group(1), [m.group(2)]) if m else (head, [])
    half = base[:(min(len(base), HEADER_WHOLE) + 1) // 2]
    return [half, *unit, *pieces(head)]


def floors_and_naturals(header: Sequence[str], rows: Sequence[Sequence[str]], raw: Sequence[Sequence[object]],
                        measure: Measure, pad: float, width: float | None = None,
                        headers_whole: bool = True, readable: int = 0) -> tuple[list[float], list[float]]:
    """(floors, naturals) per column, in the units of measure, padding included. With width: when the
    columns with their headers on one line do not fit it, a header's one-line width is left out of the
    natural width, so a header longer than its column's cells wraps at its pieces instead of taking the
    width a long text column needs (a 32-row table of remarks printed them five characters a line under
    numbers with one-line headers). headers_whole=False: a header may wrap in halves (`_header_halves`), for
    tables too wide for whole headers. readable: a column with text cells that wrap is at least this many
    CJK characters wide (or as wide as its longest text cell, if that is less)."""
    floors, naturals, heads = [], [], []
    em = measure("\u4e2d", False)
    for c, head in enumerate(header):
        lo = max(measure(p, True) for p in (_header_pieces(head) if headers_whole else _header_halves(head)))
        heads.append(measure(head, True) + pad)
        hi = text = 0.0
        for r, row in enumerate(rows):
            cell = row[c]
            value = raw[r][c] if r < len(raw) and c < len(raw[r]) else None
            w = measure(cell, False)
            hi = max(hi, w)
            if _atomic(cell, value):
                lo = max(lo, w)
            else:
                lo = max(lo, max(measure(p, False) for p in _pieces(cell)))
                text = max(text, w)
        lo = max(lo, min(text, readable * em))
        floors.append(lo + pad)
        naturals.append(max(hi, lo) + pad)
    whole = [max(n, h) for n, h in zip(naturals, heads, strict=True)]
    if width is None or sum(whole) <= width:
        return floors, whole
    return floors, naturals


def allocate(floors: Sequence[float], naturals: Sequence[float], width: float,
             content: Sequence[float] | None = None) -> list[float] | None:
    """Column widths summing to width, each at least its floor; None when the floors do not fit. The columns
    that need little to reach their natural width get it; the rest is shared by the others in proportion
    to their text (`text_content`, when given: a column of 120 URLs gets more than one of 120 names) or
    else to the width each still lacks, none beyond its natural width."""
    if sum(floors) > width + 1e-6:
        return None
    if sum(naturals) <= width:  # everything on one line: share the slack in proportion
        total = sum(naturals)
        return [width * n / total for n in naturals]
    widths = list(floors)
    extra = width - sum(widths)
    open_ = [i for i in range(len(widths)) if naturals[i] > widths[i]]
    while open_ and extra > 1e-9:
        share = extra / len(open_)
        done = [i for i in open_ if naturals[i] - widths[i] <= share]
        if not done:  # the long columns share what is left, in proportion to their text or what each lacks
            weight = {i: (content[i] if content and content[i] > 0 else naturals[i] - widths[i]) for i in open_}
            total = sum(weight.values())
            full = [i for i in open_ if widths[i] + extra * weight[i] / total >= naturals[i]]
            if full:  # these reach their natural width: the others share the rest
                for i in full:
                    extra -= naturals[i] - widths[i]
                    widths[i] = naturals[i]
                open_ = [i for i in open_ if i not in full]
                continue
            for i in open_:
                widths[i] += extra * weight[i] / total
            extra = 0.0
            break
        for i in done:
            extra -= naturals[i] - widths[i]
            widths[i] = naturals[i]
        open_ = [i for i in open_ if i not in done]
    if extra > 1e-9:
        widths = [w + extra * w / sum(widths) for w in widths]
    return widths


def fallback(floors: Sequence[float], width: float, pad: float) -> list[float]:
    """When even the floors do not fit at the smallest size: in proportion to the floors, never narrower
    than the padding plus a character's room."""
    least = min(pad + 10, width / len(floors))
    total = sum(floors)
    widths = [max(least, width * f / total) for f in floors]
    over = sum(widths) - width
    if over > 0:
        big = [i for i, w in enumerate(widths) if w > least]
        room = sum(widths[i] - least for i in big)
        for i in big:
            widths[i] -= over * (widths[i] - least) / room if room else 0
    return widths


def text_content(header: Sequence[str], rows: Sequence[Sequence[str]], raw: Sequence[Sequence[object]],
                 measure: Measure) -> list[float]:
    """Each column's text, as the width of all its cells that wrap (not numbers, dates or short names) on one
    line, in the units of measure: 0 for a column of numbers. A wrapped column needs room in proportion to it
    (its lines per row, hence the table's height, fall as it widens)."""
    out = []
    for c in range(len(header)):
        total = 0.0
        for r, row in enumerate(rows):
            value = raw[r][c] if r < len(raw) and c < len(raw[r]) else None
            if not _atomic(row[c], value):
                total += measure(row[c], False)
        out.append(total)
    return out


def is_fair(widths: Sequence[float], naturals: Sequence[float], content: Sequence[float]) -> bool:
    """Whether text columns that wrap get width in the order of their text (`text_content`): one with more
    text is never narrower than one with less, and a column holding more text than all the others together
    (2000-character remarks beside 25-character names) gets at least half of the text columns' width.
    A layout that is not fair is tried at a smaller size first (the floors of short text columns took
    the width a long one needed: 74 of 306 pt for the remarks, 65 pt each for names and kinds)."""
    wraps = [i for i, n in enumerate(naturals) if content[i] > 0 and widths[i] < n - 1e-6]
    for i in wraps:
        for j in range(len(widths)):
            if content[j] > 0 and content[j] < content[i] and widths[j] > widths[i] + 0.5:
                return False
    texts = [i for i in range(len(widths)) if content[i] > 0]
    if not wraps or len(texts) < 2:
        return True
    top = max(wraps, key=lambda i: content[i])
    rest = sum(content[i] for i in texts if i != top)
    return content[top] <= rest or widths[top] >= 0.5 * sum(widths[i] for i in texts) - 1e-6


@dataclass(frozen=True)
class TableLayout:
    """A table's cell font size (pt), cell padding (left + right, pt) and column widths (pt, summing to the
    width asked for). headers_whole: every header of up to HEADER_WHOLE characters is on one line;
    kept: every number, date and word is whole (False: even the loosest tier did not fit, and the columns
    are in proportion to their floors, which breaks them: the caller warns with `too_wide`, and `needed` is
    the width, pt, the floors would have taken)."""
    size: float
    pad: float
    widths: list[float]
    headers_whole: bool = True
    kept: bool = True
    needed: float = 0.0


def lay_out(header: Sequence[str], rows: Sequence[Sequence[str]], raw: Sequence[Sequence[object]],
            measure_at: Callable[[float], Measure], sizes: Sequence[float], pads: Sequence[float],
            width: float) -> TableLayout:
    """The first layout that keeps every floor, tried in this order: each size (largest first) with each
    padding (widest first) and whole headers; then the same with headers wrapped at their pieces (a header
    of four characters over two lines is how printed statistical tables set narrow columns); each first
    with text columns at least READABLE[0] characters wide, then READABLE[1]; then the smallest size and
    padding in proportion to the floors (kept=False). Numbers are the last thing broken: a 12-column table
    used to go straight from whole headers to numbers cut digit by digit, and a 7-column table 7 pt too
    wide for A5 went to a column of names one character a line with its scores cut (99.|7)."""
    memo: dict[float, Measure] = {}

    def measured(size: float) -> Measure:  # each text measured once per size, whatever the tier
        if size not in memo:
            widths: dict[tuple[str, bool], float] = {}
            m = measure_at(size)

            def measure(text: str, bold: bool) -> float:
                w = widths.get((text, bold))
                if w is None:
                    w = widths[(text, bold)] = m(text, bold)
                return w
            memo[size] = measure
        return memo[size]

    content = text_content(header, rows, raw, measured(sizes[0]))
    for fair in (True, False):
        for readable in READABLE:
            for whole in (True, False):
                for pad in pads:
                    for size in sizes:
                        floors, naturals = floors_and_naturals(header, rows, raw, measured(size), pad, width, whole,
                                                               readable)
                        widths = allocate(floors, naturals, width, content)
                        if widths is not None and (not fair or is_fair(widths, naturals, content)):
                            return TableLayout(size, pad, widths, whole)
    size, pad = sizes[-1], pads[-1]
    floors, _ = floors_and_naturals(header, rows, raw, measured(size), pad, width, False)
    return TableLayout(size, pad, fallback(floors, width, pad), False, False, sum(floors))


def too_wide(title: str, layout: TableLayout) -> str:
    """The warning for a table whose numbers are broken (layout.kept is False)."""
    return (f"table “{title}”: its {len(layout.widths)} columns need {layout.needed:.0f} pt at {layout.size:g} pt "
            f"to keep numbers and words whole, the frame is {sum(layout.widths):.0f} pt wide: some are broken "
            "across lines; show fewer columns (columns:), split the table in two, or use a wider page")
