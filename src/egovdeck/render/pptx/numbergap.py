"""No viewer's gap inside a number: every paragraph of the deck's slides and speaker notes (narrative, KPIs,
captions, notes, table cells, titles) goes through egovdeck.text.autospace.tight_numbers, which moves
LibreOffice's Asian–Latin gap from between a minus sign and its digits (「（− 208」) to before the minus.

Applied to the finished slides just before the deck is saved, so every text any slide writer made is
covered, and the fitting measured the same text (the inserted characters are invisible and move the gap,
they add none: egovdeck.text.autospace.gaps counts the same number). Chart parts are not touched: a chart's
texts are laid out by the chart engine, which draws no such gap.
"""

from __future__ import annotations

from pptx.oxml.ns import qn

from egovdeck.text.autospace import tight_numbers
from egovdeck.text.textfit import may_break


def _paragraphs(root):
    return root.iter(qn("a:p"))


def tighten_paragraph(p) -> None:
    """One a:p element: its a:t texts (runs and fields, in order) through tight_numbers."""
    texts = list(p.iter(qn("a:t")))
    if not any("\u2212" in (t.text or "") for t in texts):
        return
    for t, new in zip(texts, tight_numbers([t.text or "" for t in texts], may_break), strict=True):
        if new != (t.text or ""):
            t.text = new


def tighten_numbers(prs) -> None:
    """Every paragraph of every slide and speaker-notes page of the presentation (python-pptx)."""
    for slide in prs.slides:
        for p in _paragraphs(slide.element):
            tighten_paragraph(p)
        if slide.has_notes_slide:
            for p in _paragraphs(slide.notes_slide.element):
                tighten_paragraph(p)
