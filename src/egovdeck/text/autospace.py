"""Room a slide viewer adds between Chinese and Latin letters or digits (CJK–Latin autospacing).

LibreOffice Impress (its paragraph option "apply spacing between Asian and non-Asian text", on by default
and not switchable from DrawingML) and PowerPoint draw a gap of about a quarter em where a CJK character
meets a Latin letter or digit: 「2018年12月」 is drawn as 「2018 年 12 月」, wider than the font's advances
add up to. A cell measured without it wraps in the viewer inside a date or number the deck sized to stay
whole. The PDF sets text itself and has no such gap.
"""

from __future__ import annotations

from egovdeck.text.textfit import wide

GAP_EM = 0.25  # the viewer's gap per CJK/Latin boundary, in em (measured on LibreOffice 7 renderings)


def boundaries(text: str) -> int:
    """How many places in text a wide (CJK) character meets an ASCII letter or digit."""
    n = 0
    for a, b in zip(text, text[1:], strict=False):
        if (wide(a) and b.isascii() and b.isalnum()) or (wide(b) and a.isascii() and a.isalnum()):
            n += 1
    return n


def extra_width(text: str, size: float) -> float:
    """The width (points) the viewer adds to text at size points."""
    return boundaries(text) * GAP_EM * size
