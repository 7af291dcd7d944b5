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

import math
from collections.abc import Callable
from dataclasses import replace

from egovdeck.decktemplate.reader import DeckTemplate
from egovdeck.document.chart import ChartData, ChartRenderError
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
    from egovdeck.render.pptx.deck import bar_plots_of, chart_frames_of

    frames = frames or chart_frames(doc, fonts, theme, template)
    sizes, parts, deck = frames.pdf_sizes, frames.pdf_parts, bar_plots_of(frames.native)
    native = frames.native

    def deck_frames() -> dict:  # the deck's native frames by chart (the build's, engine.frames)
        return chart_frames_of(native)

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
        finer = _finer(chart, checks, lambda c: _label_rooms(c, sizes, parts, deck_frames(), theme, fonts))
        if finer is not None:
            decided[chart.id] = finer
            continue
        if all(check(chart) for check in checks):
            if _room_below(chart):
                low = _low_end(chart, _label_rooms(chart, sizes, parts, deck_frames(), theme, fonts))
                if low != chart.y_min:
                    decided[chart.id] = replace(chart, y_min=low)
            continue

        def fits(lo: float, hi: float, step: float, chart: ChartData = chart, checks: list[Check] = checks) -> bool:
            c = replace(chart, y_min=lo, y_max=hi, y_step=step)
            return all(check(c) for check in checks)

        found = coarser(chart.y_min, chart.y_max, chart.y_step, chart.y_min_auto, chart.y_max_auto, fits)
        if found is not None:
            lo, hi, step = found
            out = replace(chart, y_min=lo, y_max=hi, y_step=step)
            if _room_below(out):
                out = replace(out, y_min=_low_end(out, _label_rooms(out, sizes, parts, deck_frames(), theme, fonts)))
            decided[chart.id] = out
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


# ----------------------------------------------------------------------------- the low end beyond negative bars

LABEL_GAP_PT = 6.0  # pt between a bar's end and its label, and beyond the label (resolve.charts.LABEL_GAP_PT)


def _room_below(chart: ChartData) -> bool:
    """Whether the low end of chart's range is the one the resolver moved for the label beyond its most
    negative bar (resolve.charts.low_end_room): a free low end, outside labels of side-by-side bars or
    columns, a value below zero."""
    return (chart.kind in ("bar", "column") and chart.y_min_auto and not chart.stacked and chart.data_labels
            and chart.label_position in ("auto", "outside") and chart.y_min is not None and chart.y_max is not None
            and chart.y_step is not None and _lowest(chart) < 0)


def _lowest(chart: ChartData) -> float:
    return min((v for s in chart.series if not s.secondary for v in s.values if v is not None), default=0.0)


def _highest(chart: ChartData) -> float:
    return max((v for s in chart.series if not s.secondary for v in s.values if v is not None), default=0.0)


def _label_rooms(chart: ChartData, sizes: dict, parts: dict, deck: dict, theme: Theme,
                 fonts: FontSet) -> list[tuple[float, float]]:
    """(plot length along the value axis, the room a value label beyond its bar's end takes along it), pt,
    in every frame either output draws the chart in: the PDF's plot as its planner lays it out
    (charts.plan.bars.bar_frame: the plot's width and the labels' size; charts.plan.columns.column_frame: the
    plot's height) and the deck's native frames (charts.deckroom.plot_size; a ranking's value axis as
    deck_bar_plots measures it, its labels at the frame's label size and the deck's metrics). Along a bar
    chart's axis a label takes its width, along a column chart's its height (1.4 lines)."""
    from egovdeck.charts.deckroom import deck_metrics, plot_size
    from egovdeck.charts.plan.bars import bar_frame
    from egovdeck.charts.plan.canvas import Plan
    from egovdeck.charts.plan.columns import column_frame
    from egovdeck.charts.splitbars import part_plot
    from egovdeck.text.fonts import metrics

    prim = [s for s in chart.series if not s.secondary]

    def widest(m, size: float) -> float:
        return max((m.width(s.fmt.format(v), size) for s in prim for v in s.values if v is not None), default=0.0)

    rooms: list[tuple[float, float]] = []
    pdf_m = metrics(fonts.regular)
    for part in parts.get(chart.id, [chart]) if chart.kind == "bar" else [chart]:
        if part.id not in sizes:
            continue
        w, h = sizes[part.id]
        cv = Plan(float(w), float(h), theme, fonts, shown=part.shown_labels)
        part = replace(part, y_min=chart.y_min, y_max=chart.y_max, y_step=chart.y_step)
        try:
            if chart.kind == "bar":
                f = bar_frame(cv, part)
                rooms.append((f.x1 - f.x0, widest(pdf_m, f.bar_lfs) + LABEL_GAP_PT))
            else:
                g = column_frame(cv, part)
                rooms.append((g.y1 - g.y0, (widest(pdf_m, g.col_lfs) if g.col_rot else g.col_lfs * 1.4)
                              + LABEL_GAP_PT))
        except ChartRenderError:  # a plot the planner cannot make (under 20 pt): nothing to measure
            continue
    deck_m = deck_metrics()
    for _start, part, w, h, th in deck.get(chart.id, []):
        if part.kind == "bar":
            plot_w = part_plot(part, [part], w, h, th).plot_w
            rooms.append((plot_w, widest(deck_m, th.chart_label_size) + LABEL_GAP_PT))
        else:
            rooms.append((plot_size(chart, w, h, th)[1], th.chart_label_size * 1.4 + LABEL_GAP_PT))
    return [(length, need) for length, need in rooms if length > 0]


def _low_end(chart: ChartData, rooms: list[tuple[float, float]]) -> float:
    """The low end of chart's range for the label beyond its most negative bar: the highest whole step of
    ChartData.y_step at or below the data whose room holds the label in every one of `rooms` (the tighter
    frame decides), the plot's high end grown for the labels beyond the highest bar as the renderers grow it;
    the resolver's low end (chosen for a plot of resolve.charts.BAR_AXIS_PT) when no frame is known or a
    label takes half a plot or more. Before, the resolver's low end left a band of empty steps under small
    negative bars on a wide or tall plot."""
    from egovdeck.charts.scale import anchors_agree, clean

    lo0, hi, step = chart.y_min, chart.y_max, chart.y_step
    assert lo0 is not None and hi is not None and step is not None
    fracs = [need / length for length, need in rooms]
    if not fracs or max(fracs) >= 0.5:
        return lo0
    frac = max(fracs)
    dmin, dmax = _lowest(chart), _highest(chart)
    lo = clean(math.floor(min(dmin, 0.0) / step + 1e-9) * step)
    for _ in range(40):
        top = max(hi, lo + (dmax - lo) / (1 - frac)) if dmax > 0 else hi
        if dmin - lo >= frac * (top - lo) - 1e-9 * step and anchors_agree(lo, hi, step):
            return lo
        lo = clean(lo - step)
    return lo0


def _finer(chart: ChartData, checks: list[Check], rooms: Callable[[ChartData], list[tuple[float, float]]]
           ) -> ChartData | None:
    """A bar chart's range and step with more of the round intervals the resolver aims at (scale.AXIS_BINS)
    where every frame of both outputs labels each of them, or None. The resolver coarsened a ranking's step
    until its tick labels fit a plot of resolve.charts.BAR_AXIS_PT (100 pt), so a wide plot showed three
    ticks where it had room for five; the finer step is taken only when it fits every frame (the same ticks
    in both outputs), the low end moved for a negative bar's label as `_low_end` moves it. Only a range
    both of whose ends the resolver chose."""
    from egovdeck.charts.plan.axes import extent
    from egovdeck.charts.scale import AXIS_BINS, auto_axis, axis_ticks
    from egovdeck.resolve.charts import zero_label_room

    if chart.kind != "bar" or not checks or not (chart.y_min_auto and chart.y_max_auto):
        return None
    assert chart.y_min is not None and chart.y_max is not None and chart.y_step is not None
    now = len(axis_ticks(chart.y_min, chart.y_max, chart.y_step).values) - 1
    prim = [s for s in chart.series if not s.secondary]
    dmin, dmax = extent(chart, prim, chart.stacked)
    for bins in range(AXIS_BINS, 1, -1):
        lo, hi, step = auto_axis(dmin, dmax, zero=True, nbins=bins)
        hi = zero_label_room(lo, hi, step, dmax, chart.kind, chart.data_labels and not chart.stacked
                             and chart.label_position in ("auto", "outside"))
        if not step < chart.y_step * (1 - 1e-9):
            break  # no finer than the resolver's
        c = replace(chart, y_min=lo, y_max=hi, y_step=step)
        if _room_below(c):
            c = replace(c, y_min=_low_end(c, rooms(c)))
        if len(axis_ticks(c.y_min if c.y_min is not None else lo, hi, step).values) - 1 > now and \
                all(check(c) for check in checks):
            return c
    return None
