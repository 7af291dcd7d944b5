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
