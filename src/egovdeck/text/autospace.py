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

LibreOffice's rule, read in its source (editeng ImpEditEngine::CreateLines and InitScriptTypes, i18npool
BreakIteratorImpl::getScriptClass): a paragraph is cut into script runs; a WEAK character (U+2212, spaces,
ZERO WIDTH SPACE, WORD JOINER) joins the run before it; where a run ends and either side is ASIAN, the
run before gets height/5 of extra width. So the minus of 「（−208」 joins 「（」's Asian run and the gap falls
between 「−」 and 「2」, inside the number. Nothing in DrawingML switches the option off (its paragraph
property ParaIsCharacterDistance is not read from a:pPr). `tight_numbers` moves the gap in front of the
minus, where a positive number has it (「（ 208」), and changes nothing a reader sees.
"""

from __future__ import annotations

import unicodedata

GAP_EM = 0.25  # em per change of script (measured 0.24 em in LibreOffice 25.2; 8.2 pt at 34 pt)


def asian(c: str) -> bool:
    """Whether the viewer counts c as Asian text (East Asian Width W or F, or A from U+2000 on)."""
    width = unicodedata.east_asian_width(c)
    return width in ("W", "F") or (width == "A" and ord(c) >= 0x2000)


# the invisible characters tight_numbers writes: SOFT HYPHEN is Latin-1, so non-Asian to the viewer (the
# Latin run it opens takes the minus and the digits); WORD JOINER forbids a line break on both sides of
# it; ZERO WIDTH SPACE keeps a break allowed before the number where the one kinsoku table allows it.
LATIN_OPENER = "\u00ad"
JOINER = "\u2060"
BREAK = "\u200b"
_WEAK = {"\u2212", JOINER, BREAK}


def _neutral(c: str) -> bool:
    return (c.isspace() and c != "\u3000") or c in _WEAK


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


def tight_numbers(runs: list[str], may_break) -> list[str]:
    """The texts of one paragraph's runs (in order) with every minus sign U+2212 written before a digit
    after Asian text (the last visible character before it is Asian: 「（−208」, 「增长−3.2%」, 「，−5」)
    preceded by LATIN_OPENER + JOINER, and BREAK before those where may_break(character before, "−")
    (egovdeck.text.textfit.may_break) allows a line break: LibreOffice then draws its gap before the
    minus, not inside the number, and breaks lines where it did before. The characters are invisible:
    PowerPoint and LibreOffice draw no glyph for them (a soft hyphen shows only where a line breaks at
    it, and the joiner after it forbids that). Text without such a minus comes back unchanged."""
    whole = "".join(runs)
    out: list[str] = []
    before: bool | None = None  # the last visible character's side (asian)
    at = 0
    for text in runs:
        parts: list[str] = []
        for c in text:
            if c == "\u2212" and before and whole[at + 1:at + 2].isdigit():
                previous = whole[at - 1] if at else ""
                parts.append((BREAK if previous and may_break(previous, c) else "") + LATIN_OPENER + JOINER)
            parts.append(c)
            if not _neutral(c):
                before = asian(c)
            at += 1
        out.append("".join(parts))
    return out
