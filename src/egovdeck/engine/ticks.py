"""One value-axis step for a chart, decided with every frame either output draws its value axis in (issue #16:
"the PDF and the deck ... show the same labels").

The resolver picks a round step for a plot of BAR_AXIS_PT (resolve.charts); the drawn plots are known only
here: the PDF's planned chart sizes (`render.pdf.geometry`, a ranking split into side-by-side parts one frame
each, the plot what the names and the value labels' room leave: charts/plan/bars.bar_ticks_fit) and the
deck's native frames (`render.pptx.deck.deck_bar_plots`: a split ranking's shared plot box, at its tick size;
charts/splitbars.ticks_fit). When any of them cannot label every tick of the resolver's step, the step becomes
the least whole multiple that every one of them can (charts/scale.coarser, free ends rounded out to it), so
both outputs label the same ticks (before, the PDF labelled every k-th gridline of a plot narrower than
~100 pt and a split deck ranking every k'-th tick, each a subset of the other's).

Horizontal value axes (bar charts, and column charts the deck draws as a ranking) are checked in every frame;
a vertical one (column and line charts) in the PDF's plot, whose long turned names can leave a plot of ~35 pt
for six ticks (charts/plan/columns.column_ticks_fit); a deck slide's plot is the taller one. A step no multiple of
which fits every frame is kept (each output then thins its own labels); the brief stacks a side-by-side row
whose bar chart has no such step (render.pdf.geometry.bar_axis_crowded), so that is left to a deck plot."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from egovdeck.decktemplate.reader import DeckTemplate
from egovdeck.document.chart import ChartData
from egovdeck.document.report import Document
from egovdeck.document.theme import Theme
from egovdeck.engine.frames import ChartFrames
from egovdeck.text.fonts import FontSet

Check = Callable[[ChartData], bool]


def agree_chart_ticks(doc: Document, fonts: FontSet, theme: Theme, template: DeckTemplate,
                      frames: ChartFrames | None = None) -> Document:
    """doc with each chart's value range and step (y_min, y_max, y_step) such that every frame of both
    outputs labels every tick (see the module docstring). frames: doc's (engine.frames; None: computed here)."""
    from egovdeck.charts.plan.bars import bar_ticks_fit
    from egovdeck.charts.plan.columns import column_ticks_fit
    from egovdeck.charts.scale import coarser
    from egovdeck.charts.splitbars import ticks_fit
    from egovdeck.engine.frames import chart_frames
    from egovdeck.render.pptx.deck import bar_plots_of

    frames = frames or chart_frames(doc, fonts, theme, template)
    sizes, parts, deck = frames.pdf_sizes, frames.pdf_parts, bar_plots_of(frames.native)
    decided: dict[str, ChartData] = {}
    for chart in doc.charts():
        if chart.y_step is None or chart.y_min is None or chart.y_max is None or chart.y_max <= chart.y_min:
            continue
        checks: list[Check] = []
        if chart.kind == "bar":
            checks += [_pdf_check(part, sizes[part.id], theme, fonts, bar_ticks_fit)
                       for part in parts.get(chart.id, [chart]) if part.id in sizes]
        elif chart.kind in ("column", "line") and chart.id in sizes:  # a vertical axis in a short PDF plot
            checks.append(_pdf_check(chart, sizes[chart.id], theme, fonts, column_ticks_fit))
        checks += [_deck_check(part, plot_w, size, ticks_fit) for part, plot_w, size in deck.get(chart.id, [])]
        if all(check(chart) for check in checks):
            continue

        def fits(lo: float, hi: float, step: float, chart: ChartData = chart, checks: list[Check] = checks) -> bool:
            c = replace(chart, y_min=lo, y_max=hi, y_step=step)
            return all(check(c) for check in checks)

        found = coarser(chart.y_min, chart.y_max, chart.y_step, chart.y_min_auto, chart.y_max_auto, fits)
        if found is not None:
            lo, hi, step = found
            decided[chart.id] = replace(chart, y_min=lo, y_max=hi, y_step=step)
    if not decided:
        return doc
    sections = tuple(replace(s, findings=tuple(
        replace(f, blocks={slot: decided.get(b.id, b) if isinstance(b, ChartData) else b
                           for slot, b in f.blocks.items()}) for f in s.findings)) for s in doc.sections)
    return replace(doc, sections=sections)


def _pdf_check(part: ChartData, size: tuple[float, float], theme: Theme, fonts: FontSet, rule) -> Check:
    """Whether the PDF labels every tick of a chart's range and step in `part`'s frame of `size` pt."""
    return lambda c: rule(replace(part, y_min=c.y_min, y_max=c.y_max, y_step=c.y_step), *size, theme, fonts)


def _deck_check(part: ChartData, plot_w: float, size: float, rule) -> Check:
    """Whether the deck labels every tick of a chart's range and step under `part`'s plot of plot_w pt."""
    return lambda c: rule(part, c.y_min, c.y_max, c.y_step, plot_w, size)
