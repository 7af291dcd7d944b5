"""Chinese line breaking for ReportLab paragraphs (wordWrap="CJK").

ReportLab's own CJK splitter knows only part of the rules: its "cannot start a line" set lacks
，；：？！”’》 and it has no "cannot end a line" rule at all, so a line could start with a
full-width comma or end with an opening bracket. This replaces `cjkFragSplit` with the same
algorithm plus both rules from render/textfit (the deck's fitter), so the PDF and the deck
break Chinese the same way.
"""

from __future__ import annotations

from unicodedata import category

from egovdeck.render.textfit import NO_END, NO_START

_installed = False


def _split(frags, maxWidths, calcBounds, encoding="utf8"):
    from reportlab.lib.utils import isBytes
    from reportlab.platypus.paragraph import _FUZZ, ParaLines, cjkU, makeCJKParaLine

    cannot_start = NO_START | set("々ーぁぃぅぇぉっゃゅょ")
    U = []
    for f in frags:
        text = f.text
        if isBytes(text):
            text = text.decode(encoding)
        if text:
            U.extend([cjkU(t, f, encoding) for t in text])
        else:
            U.append(cjkU(text, f, encoding))
    lines = []
    i = widthUsed = lineStartPos = 0
    maxWidth = maxWidths[0]
    nU = len(U)
    while i < nU:
        u = U[i]
        i += 1
        w = u.width
        if hasattr(w, "normalizedValue"):
            w._normalizer = maxWidth
            w = w.normalizedValue(maxWidth)
        widthUsed += w
        lineBreak = hasattr(u.frag, "lineBreak")
        endLine = (widthUsed > maxWidth + _FUZZ and widthUsed > 0) or lineBreak
        if endLine:
            extraSpace = maxWidth - widthUsed
            if not lineBreak:
                # Inside a Latin word or a number: back up to the space or CJK character before it.
                if ord(u) < 0x3000 and str(u) not in cannot_start:
                    limit = (lineStartPos + i) >> 1
                    for j in range(i - 1, limit, -1):
                        uj = U[j]
                        if (uj and category(uj) == "Zs") or ord(uj) >= 0x3000:
                            if j + 1 < i:
                                extraSpace += sum(U[k].width for k in range(j + 2, i))
                                i = j + 2
                                u = U[j + 1]
                                w = u.width
                            break
                if str(u) in cannot_start and i > lineStartPos + 2 and str(U[i - 2]) not in cannot_start:
                    # A mark that cannot start a line: take the character before it down with it.
                    i -= 2
                    extraSpace += w + U[i].width
                elif str(u) not in cannot_start and i > lineStartPos + 1:
                    i -= 1
                    extraSpace += w
                # An opening bracket or quote may not end the line: move it down too.
                while i > lineStartPos + 1 and str(U[i - 1]) in NO_END:
                    i -= 1
                    extraSpace += U[i].width
            lines.append(makeCJKParaLine(U[lineStartPos:i], maxWidth, maxWidth - extraSpace, extraSpace, lineBreak,
                                         calcBounds))
            try:
                maxWidth = maxWidths[len(lines)]
            except IndexError:
                maxWidth = maxWidths[-1]
            lineStartPos = i
            widthUsed = 0
    if widthUsed > 0:
        lines.append(makeCJKParaLine(U[lineStartPos:], maxWidth, widthUsed, maxWidth - widthUsed, False, calcBounds))
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
