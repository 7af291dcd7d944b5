"""Decide every combo chart's axes once, for the PDF and the deck together (issue 16: "the PDF and the deck
disagree").

A combo's line runs on a right axis chosen to keep it clear of the columns and their labels, and the left
axis' top may be lifted (whole steps of the resolver's ChartData.y_step) to make it room. Both depend on the
geometry: the PDF's chart slot (render.pdf.geometry.pdf_chart_sizes, measured by
charts.plan.columns.line_room) and the deck's native chart frame (render.pptx.deck.deck_chart_frames,
measured by charts.deckroom.line_room). `charts.comboaxis.decide` chooses with every frame at once (the
tighter decides); the result is recorded as ChartData.y2_axis and ChartData.y_max, which both renderers
draw verbatim (the PDF's ticks; the deck's c:min, c:max and c:majorUnit of both value axes). Before, each
renderer chose for its own frame and the brief and the deck printed different right-axis numbers.

This runs before the line labels' sides and the data labels are decided (engine.labelsides, engine.labels):
those are decided on the axes the charts will have.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from egovdeck.decktemplate.reader import DeckTemplate
from egovdeck.document.chart import ChartData
from egovdeck.document.report import Document
from egovdeck.document.theme import Theme
from egovdeck.engine.frames import ChartFrames
from egovdeck.text.fonts import FontSet

Warn = Callable[[str, str, str, str], None]  # (chart id, message, the chart's key it is about, hint)


def with_combo_axes(doc: Document, fonts: FontSet, theme: Theme, template: DeckTemplate,
                    frames: ChartFrames | None = None, warn: Warn | None = None) -> Document:
    """doc with the axes of every combo chart of columns and a line decided (see the module docstring);
    frames: doc's (engine.frames; None: computed here). `warn` is told of each chart whose line no band
    clears of the columns and their labels in both outputs (the fallback axes of `charts.comboaxis.decide`),
    at its `secondary:` key.

    The PDF's plot depends on the axes (the widths of their tick labels, the lifted top): its room is
    measured on the axes decided without any room, then again on the ones decided, and the decision made
    once more with both measurements when they differ. frames: doc's (engine.frames; None: computed here)."""
    combos = [c for c in doc.charts() if c.kind == "combo" and c.series and c.categories]
    if not combos:
        return doc
    from egovdeck.charts.comboaxis import applied, decide
    from egovdeck.charts.deckroom import line_room as deck_room
    from egovdeck.charts.labelplan import MIN_LABEL_PT
    from egovdeck.charts.plan.columns import TICK_PITCH
    from egovdeck.charts.plan.columns import line_room as pdf_room
    from egovdeck.engine.frames import chart_frames
    from egovdeck.render.pptx.deck import chart_frames_of

    frames = frames or chart_frames(doc, fonts, theme, template)
    sizes, deck = frames.pdf_sizes, chart_frames_of(frames.native)
    decided: dict[str, ChartData] = {}
    for chart in combos:
        # each frame's left ticks must stay labelled when its top is lifted: TICK_PITCH lines of its tick size
        rooms = [replace(r, tick_pitch=TICK_PITCH * th.chart_tick_size) for _, part, w, h, th in deck.get(chart.id, [])
                 if (r := deck_room(part, w, h, th, MIN_LABEL_PT)) is not None]
        size = sizes.get(chart.id)
        first = pdf_room(chart, *size, theme, fonts) if size is not None else None
        if first is not None:
            first = replace(first, tick_pitch=TICK_PITCH * theme.chart_tick_size)
            rooms.append(first)
        got = decide(chart, rooms)
        out = applied(chart, got)
        if size is not None and out.y2_axis is not None:
            again = pdf_room(out, *size, theme, fonts)
            if again is not None:
                again = replace(again, tick_pitch=TICK_PITCH * theme.chart_tick_size)
            if again is not None and again != first:
                got = decide(chart, [*rooms, again])
                out = applied(chart, got)
        decided[chart.id] = out
        if warn is not None and got is not None and not got.clear and rooms:
            warn(chart.id, f"chart “{chart.title}”: no right-axis range keeps the line clear of the columns "
                 "and their labels in the PDF and the deck, so the line runs over them", "secondary",
                 ("y2_min/y2_max pin the right axis: leave them out so it can be chosen, "
                  if chart.y2_min is not None or chart.y2_max is not None else "") +
                 "give the chart more height (a wide layout), show fewer column labels (labels: false), "
                 "or pin y_max higher so the columns leave room above them")
    sections = tuple(replace(s, findings=tuple(
        replace(f, blocks={slot: decided.get(b.id, b) if isinstance(b, ChartData) else b
                           for slot, b in f.blocks.items()}) for f in s.findings)) for s in doc.sections)
    return replace(doc, sections=sections)
