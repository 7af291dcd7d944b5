"""The deck breaks lines where the PDF does: every paragraph of the deck's slides and speaker notes (narrative,
KPIs, captions, notes, table cells, titles) gets the one line breaker's break opportunities written in for the
viewer (egovdeck.text.viewerbreaks: U+200B where egovdeck breaks and a viewer would not, U+2060 where a viewer
would break and egovdeck does not).

Applied to the finished slides just before the deck is saved (before numbergap.tighten_numbers, which reads
the characters around a minus), so every text any slide writer made is covered; the fitting measured the same
text without the marks, which draw nothing and carry no width. Chart parts are not touched: a chart's texts
are laid out by the chart engine (charts/deckroom.py predicts and prevents its wrapping).
"""

from __future__ import annotations

from pptx.oxml.ns import qn

from egovdeck.text.viewerbreaks import marked_runs

_T, _BR, _P = qn("a:t"), qn("a:br"), qn("a:p")


def _lines(p) -> list[list]:
    """The a:t elements of one a:p in order, in groups between its explicit line breaks (a:br)."""
    groups: list[list] = [[]]
    for child in p:
        if child.tag == _BR:
            groups.append([])
        else:
            groups[-1] += list(child.iter(_T))
    return [g for g in groups if g]


def mark_paragraph(p) -> None:
    for texts in _lines(p):
        for t, new in zip(texts, marked_runs([t.text or "" for t in texts]), strict=True):
            if new != (t.text or ""):
                t.text = new


def mark_breaks(prs) -> None:
    """Every paragraph of every slide and speaker-notes page of the presentation (python-pptx)."""
    for slide in prs.slides:
        for p in slide.element.iter(_P):
            mark_paragraph(p)
        if slide.has_notes_slide:
            for p in slide.notes_slide.element.iter(_P):
                mark_paragraph(p)
