"""Both outputs' frames of every chart, computed once per build for the engine's four decisions (the value
axes' steps, a combo's axes, the line labels' sides, the data labels shown: engine.ticks, engine.comboaxes,
engine.labelsides, engine.labels; before, each asked for the PDF's plan and the deck's frames itself).

The frames: the PDF's planned chart sizes and split rankings (render.pdf.geometry.pdf_chart_plan) and the
deck's native chart frames (render.pptx.deck.native_chart_frames) and line chart frames
(render.pptx.deck.deck_line_chart_frames). They depend on the document's layout, and on some of what the
decisions change:
- the PDF's plan on a bar chart's value range and step (it stacks a row whose bar chart cannot label its
  axis beside a neighbour, geometry.bar_axis_crowded): planned again when a decision changed one;
- a deck frame's parts are copies of the chart as it was (its axes, its line label sides), and their
  category step and a split ranking's shared plot box follow from the value axis' tick labels
  (deckroom.plot_size, splitbars): the deck frames of a chart a decision changed are computed again, alone;
- the deck's line chart frames on the category names only (Deck._tick_theme): kept.
`ChartFrames.follow` gives the frames for the document after a decision by those rules. The labels' own
decision (engine.labels, the last) changes nothing the frames depend on."""

from __future__ import annotations

from dataclasses import dataclass, replace

from egovdeck.decktemplate.reader import DeckTemplate
from egovdeck.document.chart import ChartData
from egovdeck.document.report import Document
from egovdeck.document.theme import Theme
from egovdeck.text.fonts import FontSet

# the fields of a chart the decisions before the labels' set (engine.ticks, engine.comboaxes, engine.labelsides)
DECIDED = ("y_min", "y_max", "y_step", "y2_axis", "line_label_sides")
# of those, the ones the PDF's plan of the page depends on (of a bar chart: geometry.bar_axis_crowded)
BAR_GEOMETRY = ("y_min", "y_max", "y_step")


@dataclass(frozen=True)
class ChartFrames:
    """pdf_sizes: chart or part id -> (width, height) pt; pdf_parts: chart id -> the parts of a ranking the
    brief splits; native: render.pptx.deck.native_chart_frames; lines: chart id -> (width, height, theme)
    of a line or combo chart's deck frame; charts: chart id -> the chart the frames were computed for."""

    pdf_sizes: dict[str, tuple[float, float]]
    pdf_parts: dict[str, list[ChartData]]
    native: dict[str, list]
    lines: dict[str, tuple[float, float, Theme]]
    charts: dict[str, ChartData]
    fonts: FontSet
    theme: Theme
    template: DeckTemplate

    def follow(self, doc: Document) -> ChartFrames:
        """The frames of `doc`, a decision's result from the document these were computed for (see the
        module docstring): the deck's frames of each chart a decision changed computed again, the PDF's
        plan again only when a bar chart's range or step changed."""
        changed = {c.id: c for c in doc.charts() if (old := self.charts.get(c.id)) is not None
                   and any(getattr(c, k) != getattr(old, k) for k in DECIDED)}
        if not changed:
            return self
        from egovdeck.render.pdf.geometry import pdf_chart_plan
        from egovdeck.render.pptx.deck import native_chart_frames

        sizes, parts = self.pdf_sizes, self.pdf_parts
        if any(c.kind == "bar" and any(getattr(c, k) != getattr(self.charts[cid], k) for k in BAR_GEOMETRY)
               for cid, c in changed.items()):
            sizes, parts = pdf_chart_plan(doc)
        native = {**self.native, **native_chart_frames(doc, self.fonts, self.theme, self.template, set(changed))}
        return replace(self, pdf_sizes=sizes, pdf_parts=parts, native=native, charts={**self.charts, **changed})


def chart_frames(doc: Document, fonts: FontSet, theme: Theme, template: DeckTemplate) -> ChartFrames:
    """Every chart's frames in both outputs for `doc` on the deck `template` (see the module docstring)."""
    from egovdeck.render.pdf.geometry import pdf_chart_plan
    from egovdeck.render.pptx.deck import deck_line_chart_frames, native_chart_frames

    sizes, parts = pdf_chart_plan(doc)
    return ChartFrames(sizes, parts, native_chart_frames(doc, fonts, theme, template),
                       deck_line_chart_frames(doc, fonts, theme, template),
                       {c.id: c for c in doc.charts()}, fonts, theme, template)
