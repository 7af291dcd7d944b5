"""Chinese line breaking for ReportLab paragraphs (wordWrap="CJK").

ReportLab's own CJK splitter knows only part of the rules: its "cannot start a line" set lacks
，；：？！”’》 and it has no "cannot end a line" rule at all, so a line could start with a
full-width comma or end with an opening bracket. This replaces `cjkFragSplit` with the same
algorithm plus both rules from render/textfit (the deck's fitter), so the PDF and the deck
break Chinese the same way.
"""

from __future__ import annotations

from egovdeck.render.textfit import NO_END, NO_START

_installed = False


def _atom(c: str) -> bool:
    """Part of a number or Latin word (6.94, 14,474, 76.8%, CNNIC), which is never split."""
    return bool(c) and c.isascii() and (c.isalnum() or c in ".,%+-/:_")


def _may_break(before: str, after: str, cannot_start: set[str]) -> bool:
    if after in cannot_start or before in NO_END:
        return False
    return not (_atom(before) and _atom(after))


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

    units = []
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
    from reportlab.platypus.paragraph import _FUZZ, ParaLines

    cannot_start = NO_START | set("々ーぁぃぅぇぉっゃゅょ")
    U = _units(frags, encoding)
    lines = []
    i = widthUsed = lineStartPos = 0
    maxWidth = maxWidths[0]
    nU = len(U)
    while i < nU:
        u = U[i]
        i += 1
        widthUsed += _width(u, maxWidth)
        lineBreak = hasattr(u.frag, "lineBreak")
        endLine = (widthUsed > maxWidth + _FUZZ and widthUsed > 0) or lineBreak
        if endLine:
            if not lineBreak:
                # u overflows: the line ends before it, or earlier if that break would start a line with
                # closing punctuation, end one with an opening bracket, or split a number or Latin word.
                b = i - 1
                while b > lineStartPos + 1 and not _may_break(U[b - 1], U[b], cannot_start):
                    b -= 1
                i = b if b > lineStartPos + 1 or _may_break(U[b - 1], U[b], cannot_start) else i - 1
                i = max(i, lineStartPos + 1)  # always progress
            extraSpace = maxWidth - sum(_width(U[k], maxWidth) for k in range(lineStartPos, i))
            lines.append(_line(U[lineStartPos:i], maxWidth, maxWidth - extraSpace, extraSpace, lineBreak, calcBounds))
            try:
                maxWidth = maxWidths[len(lines)]
            except IndexError:
                maxWidth = maxWidths[-1]
            lineStartPos = i
            widthUsed = 0
    if widthUsed > 0:
        lines.append(_line(U[lineStartPos:], maxWidth, widthUsed, maxWidth - widthUsed, False, calcBounds))
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
