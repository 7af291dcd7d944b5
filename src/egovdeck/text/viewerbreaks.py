"""The one line breaker's break opportunities written into a text for a viewer that breaks lines itself.

A slide viewer wraps the deck's text boxes with its own UAX #14 line breaker (LibreOffice: ICU through
i18npool's BreakIterator_Unicode::getLineBreak; PowerPoint: its own), not with egovdeck.text.textfit.breaks.
Where the two disagree the deck's text wraps where the PDF's never does. Read in LibreOffice 25.2's source
(i18npool/source/breakiterator/breakiterator_unicode.cxx, getLineBreak): a break that falls right after
"/" is moved back to the last white space up to 66 characters before it ("Special case for Slash U+002F
SOLIDUS in URI and path names", i#17155), so a URL after 「详见 」 has no break at all; when the URL is wider
than the line, the editing engine then cuts it wherever the line is full: 「zhengc|e」, 「201|8-07」,
「531079|7」. UAX #14 also keeps 「gov.cn」 (IS × AL) and 「content_5310797」 (AL × NU) whole, where the one
breaker breaks a link after . and _, and it breaks after a hyphen or slash before a letter (「e-|mail」,
「and/|or」) and before 「——」「·」「～」, where the kinsoku table does not.

`marked` writes the one breaker's decisions into the links and e-mail addresses of a text (LINK: only there,
so the rest of the deck's text is the brief's character for character) with the two characters UAX #14 gives to an author
(and that the deck's speaker notes and narrative already use for the minus gap, egovdeck.text.autospace):

- ZERO WIDTH SPACE (U+200B, class ZW: no break before it, a break after it, LB7/LB8) at each place the one
  breaker allows a break between two characters a viewer keeps together (two non-Asian, non-space characters:
  inside a link after / . _ - ? & =), and next to every "/" the one breaker breaks at (UAX #14 never breaks
  before "/", and LibreOffice's slash rule then never finds a "/" right before the break);
- WORD JOINER (U+2060, class WJ: no break on either side, LB11; LibreOffice's getLineBreak also glues
  across it) at each place the one breaker forbids and a UAX #14 viewer would break: after "-" "/" "–" "‐"
  before a letter or digit (HY/SY/BA ÷ AL; LibreOffice 25.2 breaks 「2000-|04」 too, where the digits are no
  number of UAX #14's LB25 pattern, 「content/2000-04」), and before the first of the marks the kinsoku table keeps off a line start that UAX #14
  lets start one (「——」「―」「·」「～」「⋯」, class B2/AI/ID).

Both draw nothing, carry no width and take the script of the text before them (autospace._WEAK), so the
deck's fitting, measured on the text without them, stays right; removing them gives the text back (the text
stays editable: no explicit line break is written). PowerPoint documents U+200B as an optional break and
U+2060 as a joiner (Unicode's definitions, which Office's line breaking follows).
"""

from __future__ import annotations

import re

from egovdeck.text.textfit import breaks, wide

ALLOW = "\u200b"  # ZERO WIDTH SPACE: a break opportunity
GLUE = "\u2060"  # WORD JOINER: no break here
MARKS = ALLOW + GLUE

# UAX #14 classes that break after these before a letter (HY, SY, BA) and before these (B2, AI, ID)
VIEWER_BREAKS_AFTER = set("-/\u2013\u2010|")
VIEWER_BREAKS_BEFORE = set("\u2014\u2015\u00b7\uff5e\u22ef")


def _blank(c: str) -> bool:
    return c.isspace() and c != "\u3000"


# where the marks go: links and e-mail addresses, the runs a viewer's breaker gets wrong in ways a reader sees
# (cut anywhere); elsewhere the viewer's UAX #14 breaks are left alone, so the deck's text is the brief's text
# character for character (a caption 「2016—2020年」 compared with the PDF's, a number searched for)
LINK = re.compile(r"(?:[A-Za-z][A-Za-z0-9+.-]*://|www\.)[!-~]+|[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+",
                  re.ASCII)


def links(text: str) -> list[tuple[int, int]]:
    """(start, end) of each link or e-mail address in text."""
    return [m.span() for m in LINK.finditer(text)]


def marks(text: str) -> list[str]:
    """For each index i of text, the mark to write before text[i] ("" none, ALLOW or GLUE), see the module:
    only inside links and e-mail addresses (LINK)."""
    out = [""] * len(text)
    if len(text) < 2:
        return out
    spans = links(text)
    if not spans:
        return out
    ok = breaks(text)
    inside = [False] * len(text)
    for start, end in spans:
        for i in range(start + 1, end):
            inside[i] = True
    for i in range(1, len(text)):
        if not inside[i]:
            continue
        a, b = text[i - 1], text[i]
        if _blank(a) or _blank(b) or a in MARKS or b in MARKS or "\n" in (a, b):
            continue
        if ok[i]:
            if "/" in (a, b) or not (wide(a) or wide(b)):
                out[i] = ALLOW
        elif (a in VIEWER_BREAKS_AFTER and b.isalnum()) or (b in VIEWER_BREAKS_BEFORE and a != b):
            out[i] = GLUE
    return out


def marked(text: str) -> str:
    """text with the one breaker's break opportunities written for a viewer (see the module)."""
    return "".join(m + c for m, c in zip(marks(text), text, strict=True))


def marked_runs(runs: list[str]) -> list[str]:
    """The texts of one paragraph's runs (in order) marked as one text: each mark goes into the run of the
    character it stands before."""
    whole = marks("".join(runs))
    out: list[str] = []
    at = 0
    for text in runs:
        out.append("".join(m + c for m, c in zip(whole[at:at + len(text)], text, strict=True)))
        at += len(text)
    return out


def unmarked(text: str) -> str:
    """text without the marks `marked` writes."""
    return text.translate({ord(c): None for c in MARKS})
