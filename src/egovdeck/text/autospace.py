"""Room a slide viewer adds where Asian text meets Latin text (CJK–Latin autospacing): the one rule every
fitted deck text is measured with (egovdeck.text.fonts.Metrics with a non-zero `autospace`).

LibreOffice Impress (its paragraph option "apply spacing between Asian and non-Asian text", on by default
and not switchable from DrawingML) draws a gap of about a quarter em wherever the script changes between
Asian and non-Asian text; PowerPoint with autospace does the same between CJK and Latin letters or digits.
Measured on LibreOffice 25.2's PDF export of one-line boxes at 20 pt (tests/test_autospace.py), with the
deck's font and with a substitute: 0.24 em at each change between

- Asian: East Asian Width W or F (CJK characters, full-width forms and punctuation), and the ambiguous
  (A) marks from U+2000 on that Chinese text uses (“”‘’…— ①): 「年“A”」 has two gaps;
- non-Asian: every other visible character -- ASCII letters and digits, ASCII punctuation and symbols
  (「年%」「年.」「年(」「年/」「5%，」 each have one gap), and Latin-1's ambiguous ones (·±°: 「±，」 has one).
  A rule of letters and digits only missed all these, and a narrative dense in 「增长5.1%，」 wrapped in the
  viewer past the lines it was fitted to.

White space (other than U+3000, which is Asian) and the minus sign U+2212 belong to neither side: they take
the script of the text before them, so 「年 5」 has one gap, 「年 年」 and 「年−年」 none, 「年−5」 and 「5−年」 one.
A character whose side was not measured counts as non-Asian: a gap too many only costs a little room. The PDF sets text itself and has no such gap.
"""

from __future__ import annotations

import unicodedata

GAP_EM = 0.25  # em per change of script (measured 0.24 em in LibreOffice 25.2; 8.2 pt at 34 pt)


def asian(c: str) -> bool:
    """Whether the viewer counts c as Asian text (East Asian Width W or F, or A from U+2000 on)."""
    width = unicodedata.east_asian_width(c)
    return width in ("W", "F") or (width == "A" and ord(c) >= 0x2000)


def _neutral(c: str) -> bool:
    return (c.isspace() and c != "\u3000") or c == "\u2212"


def gaps(text: str) -> list[bool]:
    """For each character of text, whether the viewer puts a gap before it (a change of script since the
    last visible character; white space is skipped)."""
    marks = [False] * len(text)
    before: bool | None = None
    for i, c in enumerate(text):
        if _neutral(c):
            continue
        side = asian(c)
        if before is not None and side != before:
            marks[i] = True
        before = side
    return marks


def boundaries(text: str) -> int:
    """How many gaps the viewer draws in text."""
    return sum(gaps(text))


def extra_width(text: str, size: float) -> float:
    """The width (points) the viewer adds to text at size points."""
    return boundaries(text) * GAP_EM * size
