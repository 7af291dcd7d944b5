"""Chinese line breaking for ReportLab paragraphs (wordWrap="CJK").

ReportLab's own CJK splitter knows only part of the rules: its "cannot start a line" set lacks
，；：？！”’》 and it has no "cannot end a line" rule at all, so a line could start with a
full-width comma or end with an opening bracket. This replaces `cjkFragSplit` with
render/textfit.break_lines (the deck's fitter and the chart labels use it too), so the same text
at the same width breaks the same way in the PDF and the deck.
"""

from __future__ import annotations

from egovdeck.text.textfit import break_lines

_installed = False


def _width(u, max_width: float) -> float:
    w = u.width
    if hasattr(w, "normalizedValue"):
        w._normalizer = max_width
        w = w.normalizedValue(max_width)
    return w


def _units(frags, encoding: str) -> list:
    """One cjkU per character, as ReportLab's cjkFragSplit makes them, with each width looked up once
    per (character, font, size) instead of measured per character."""
    from reportlab.lib.utils import isBytes
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus.paragraph import cjkU

    units: list[str] = []  # cjkU units (str subclasses carrying their frag and width)
    new = str.__new__
    for f in frags:
        text = f.text
        if isBytes(text):
            text = text.decode(encoding)
        if not text or hasattr(f, "cbDefn"):
            units.extend(cjkU(t, f, encoding) for t in (text or [text]))
            continue
        widths = _WIDTHS.setdefault((f.fontName, f.fontSize), {})
        for t in text:
            u = new(cjkU, t)
            u._frag = f
            w = widths.get(t)
            if w is None:
                w = widths[t] = stringWidth(t, f.fontName, f.fontSize)
            u._width = w
            units.append(u)
    return units


_WIDTHS: dict[tuple[str, float], dict[str, float]] = {}


def _line(U, maxWidth, widthUsed, extraSpace, lineBreak, calcBounds):
    """ReportLab's makeCJKParaLine, comparing fragments once per run of characters from the same one
    rather than once per character (the result is the same FragLine)."""
    from reportlab.lib.rl_accel import sameFrag
    from reportlab.pdfbase.pdfmetrics import getAscentDescent
    from reportlab.platypus.paragraph import FragLine, imgNormV, imgVRange

    words = []
    CW: list[str] = []
    f0 = FragLine()
    maxSize = maxAscent = minDescent = 0
    prev = None
    for u in U:
        f = u._frag
        if f is prev and not (hasattr(f, "cbDefn") or hasattr(f, "lineBreak")):
            CW.append(u)  # same fragment, same metrics: sameFrag(f, f) holds
            continue
        prev = f
        fontSize = f.fontSize
        cbDefn = getattr(f, "cbDefn", None) if calcBounds else None
        if getattr(cbDefn, "width", 0):
            descent, ascent = imgVRange(imgNormV(cbDefn.height, fontSize), cbDefn.valign, fontSize)
        else:
            ascent, descent = getAscentDescent(f.fontName, fontSize)
        maxSize = max(maxSize, fontSize)
        maxAscent = max(maxAscent, ascent)
        minDescent = min(minDescent, descent)
        if not sameFrag(f0, f):
            f0 = f0.clone()
            f0.text = "".join(CW)
            words.append(f0)
            CW = []
            f0 = f
        CW.append(u)
    if CW:
        f0 = f0.clone()
        f0.text = "".join(CW)
        words.append(f0)
    return FragLine(kind=1, extraSpace=extraSpace, wordCount=1, words=words[1:], fontSize=maxSize, ascent=maxAscent,
                    descent=minDescent, maxWidth=maxWidth, currentWidth=widthUsed, lineBreak=lineBreak)


def _split(frags, maxWidths, calcBounds, encoding="utf8"):
    """ReportLab's cjkFragSplit with the lines chosen by textfit.break_lines (the deck's breaker too)."""
    from reportlab.platypus.paragraph import ParaLines

    U = _units(frags, encoding)
    chars = ["\n" if hasattr(u._frag, "lineBreak") else (str(u) or "\ufffc") for u in U]
    widths = [_width(u, maxWidths[0]) for u in U]
    lines = []
    spans = break_lines(chars, widths, list(maxWidths))
    for k, (start, end, nxt) in enumerate(spans):
        maxWidth = maxWidths[min(k, len(maxWidths) - 1)]
        lineBreak = nxt > end and chars[nxt - 1] == "\n"
        stop = nxt if lineBreak else end  # a forced break keeps its (empty) unit, as ReportLab does
        used = sum(widths[start:end])
        lines.append(_line(U[start:stop], maxWidth, used, maxWidth - used, lineBreak, calcBounds))
    return ParaLines(kind=1, lines=lines)


def _break_lines_cjk(self, maxWidths):
    """Paragraph.breakLinesCJK, always through _split (ReportLab sends one-fragment text elsewhere)."""
    from reportlab.platypus.paragraph import _handleBulletWidth

    if not isinstance(maxWidths, list | tuple):
        maxWidths = [maxWidths]
    self.height = 0
    _handleBulletWidth(self.bulletText, self.style, maxWidths)
    if hasattr(self, "blPara") and getattr(self, "_splitpara", 0):
        return self.blPara
    if not self.frags:
        return _ORIGINAL(self, maxWidths)
    auto = getattr(self, "autoLeading", getattr(self.style, "autoLeading", ""))
    # platypus wraps the same paragraph at the same width many times (tables, KeepTogether, each
    # multiBuild pass): remember the lines per width on the paragraph itself
    key = (tuple(maxWidths), auto)
    memo = self.__dict__.setdefault("_egov_lines", {})
    if key not in memo:
        memo[key] = _split(self.frags, maxWidths, auto not in ("", "off"))
    return memo[key]


_ORIGINAL = None


def install() -> None:
    """Make ReportLab's CJK paragraphs break lines with _split (idempotent)."""
    global _installed, _ORIGINAL
    if _installed:
        return
    from reportlab.platypus.paragraph import Paragraph

    _ORIGINAL = Paragraph.breakLinesCJK
    Paragraph.breakLinesCJK = _break_lines_cjk
    _installed = True
