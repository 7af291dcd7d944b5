"""Decide every line chart's data labels once, for the PDF and the deck together.

A label of a line (or of a combo's line) goes above its point, below it, or is left out; which, depends on
both outputs' geometry: the PDF's chart slot (render.pdf.geometry.pdf_chart_sizes, planned by
charts.plan.columns.line_label_frame) and the deck's native chart frame (render.pptx.deck.deck_line_chart_frames,
its plot predicted by charts.deckroom.deck_label_frame). `charts.linelabels.decide_sides` keeps a label
only on a side clear of every line, marker and other label in both; the result is recorded in
`ChartData.line_label_sides`, which both renderers obey (before, each output chose for its own frame, and
a label another line ran through in the deck was moved in the PDF alone: issue 16).
"""

from __future__ import annotations

from dataclasses import replace

from egovdeck.charts.linelabels import decide_sides, left_out_warnings
from egovdeck.document.chart import ChartData
from egovdeck.document.report import Document
from egovdeck.document.theme import Theme
from egovdeck.engine.frames import ChartFrames
from egovdeck.text.fonts import FontSet


def with_line_label_sides(doc: Document, fonts: FontSet, theme: Theme, template=None,
                          frames: ChartFrames | None = None) -> tuple[Document, list[str]]:
    """doc with `line_label_sides` set on every line and combo chart that has data labels, and a warning for
    each last or highlighted point whose label neither output can show. template: the deck's
    (a decktemplate TemplateRef; None: egovdeck's own); frames: doc's (engine.frames; None: computed here)."""
    charts = [c for c in doc.charts() if c.kind in ("line", "combo") and c.data_labels and c.series and c.categories]
    if not charts:
        return doc, []
    from egovdeck.charts.deckroom import deck_label_frame
    from egovdeck.charts.native import MIN_LABEL_PT
    from egovdeck.charts.plan.columns import line_label_frame
    from egovdeck.render.pdf.geometry import pdf_chart_sizes
    from egovdeck.render.pptx.deck import deck_line_chart_frames

    if frames is not None:
        pdf_sizes, deck_frames = frames.pdf_sizes, frames.lines
    else:
        pdf_sizes, deck_frames = pdf_chart_sizes(doc), deck_line_chart_frames(doc, fonts, theme, template)
    decided: dict[str, ChartData] = {}
    warnings: list[str] = []
    for chart in charts:
        found = []
        if chart.id in pdf_sizes:
            w, h = pdf_sizes[chart.id]
            found.append(line_label_frame(chart, w, h, theme, fonts))
        if chart.id in deck_frames:
            w, h, slide_theme = deck_frames[chart.id]
            found.append(deck_label_frame(chart, w, h, slide_theme, MIN_LABEL_PT))
        label_frames = [f for f in found if f is not None]
        if not label_frames:
            continue
        sides = decide_sides(chart, label_frames)
        decided[chart.id] = replace(chart, line_label_sides=sides)
        warnings += left_out_warnings(chart, sides)
    if not decided:
        return doc, warnings
    sections = tuple(replace(s, findings=tuple(
        replace(f, blocks={k: decided.get(b.id, b) if isinstance(b, ChartData) else b for k, b in f.blocks.items()})
        for f in s.findings)) for s in doc.sections)
    return replace(doc, sections=sections), warnings
