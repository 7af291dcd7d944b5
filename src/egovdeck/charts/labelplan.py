"""Which data labels a chart shows, decided once for the PDF and the deck (issue #16: "the PDF and the deck
show the same labels").

Each output has its own rules for leaving a label out, at its own frame size: the PDF's plan
(`egovdeck.charts.plan`: labels thinned side by side by `labelfit`, a label that would touch another text,
leave its canvas or cross a column is not drawn, a stacked segment's label only inside a segment it fits,
pie labels in two columns beside the pie) and the deck's (`deck_shown_labels`: `deckroom`'s fit of the
columns' and lines' labels, `segmentroom` for stacked segments, `pieroom` for slices). `agree` runs both
with the frames each output gives the chart (a ranking split into columns: every part at its own size)
and keeps a label only where both draw it; the PDF's plan is then run again with only those labels, and
what it still leaves out (a label moved past a neighbour that is now gone lands elsewhere), and what the
deck's frames would draw touching another label or bar beyond a bar's end (`deckcrowd`), is left out of
both, until nothing changes. A series of side-by-side bars then shows its labels whole or not at all
(`whole_series_left_out`). The result, `ChartData.shown_labels`, is obeyed by both renderers:
`Plan.text` draws no data label outside it, `plan.pie` names the other slices in its legend, and
`native` deletes every other point's label (c:dLbl c:delete) and names the other slices in the legend.

Shapes: a label is (series index, category index) of the chart as resolved (pies: (0, slice index));
frames are (first category, part, width pt, height pt, theme), a part being the chart itself or a slice
of its categories.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace

from egovdeck.charts.deckcrowd import deck_crowded_labels
from egovdeck.charts.deckroom import column_label_fit, line_label_fit, upright_room
from egovdeck.charts.pieroom import labelled_slices
from egovdeck.charts.segmentroom import asks_inside, deck_inside_labels, deck_segment_labels
from egovdeck.charts.splitbars import NAME_SHARE
from egovdeck.document.chart import ChartData, ChartRenderError
from egovdeck.document.theme import Theme
from egovdeck.text.fonts import FontSet, default_fonts, metrics

MIN_LABEL_PT = 9.0  # no chart text of a slide is smaller
LABELLED_KINDS = ("column", "bar", "line", "combo", "pie", "doughnut")

Label = tuple[int, int]
Frame = tuple[int, ChartData, float, float, Theme]


def deck_chart_theme(chart: ChartData, width_pt: float, height_pt: float, theme: Theme) -> Theme:
    """The theme a native chart is drawn with in a frame of width_pt × height_pt: a long ranking's text as
    large as its rows allow (LibreOffice hides category labels that touch), never below MIN_LABEL_PT, and no
    larger than keeps the widest name within NAME_SHARE of the frame; the slide's theme otherwise."""
    if chart.kind != "bar" or not chart.categories:
        return theme
    pitch = height_pt * 0.82 / len(chart.categories)
    widest = max(metrics(default_fonts().regular).width(c, 1.0) for c in chart.categories) or 1.0
    size = max(MIN_LABEL_PT, min(theme.chart_tick_size, pitch / 1.45, NAME_SHARE * width_pt / widest))
    return replace(theme, chart_tick_size=min(theme.chart_tick_size, size),
                   chart_label_size=min(theme.chart_label_size, size))


def _values(chart: ChartData) -> list[Label]:
    return [(j, i) for j, s in enumerate(chart.series) for i, v in enumerate(s.values)
            if v is not None and math.isfinite(v)]


def deck_shown_labels(chart: ChartData, width_pt: float, height_pt: float, theme: Theme,
                      crowd: bool = True) -> set[Label]:
    """The data labels the deck's own rules draw for `chart` in a native chart frame of width_pt × height_pt
    (theme: deck_chart_theme's): a column's or a line's label where `deckroom` thins none out, a stacked
    segment's where `segment_labelled` and `segmentroom` allow, a slice's where `pieroom` does. A line with
    end labels has no other labels in the deck. crowd: less the labels beyond a bar's end that would touch
    another label or bar (`deckcrowd`; False: the caller checks that with the labels it decides on)."""
    if not chart.data_labels or not chart.series or chart.kind not in LABELLED_KINDS:
        return set()
    if chart.kind in ("pie", "doughnut"):
        return {(0, i) for i in labelled_slices(chart, width_pt, height_pt, theme)}
    # the low end's room for a negative bar's label is the resolver's (resolve.charts.low_end_room)
    fit = column_label_fit(chart, width_pt, height_pt, theme, MIN_LABEL_PT)
    lo, hi = upright_room(chart, width_pt, height_pt, theme, fit)
    chart = replace(chart, y_min=lo, y_max=hi)
    line_fit = line_label_fit(chart, width_pt, height_pt, theme, MIN_LABEL_PT)
    inside = deck_segment_labels(chart, width_pt, height_pt, theme) if chart.stacked else set()
    n = len(chart.categories)
    out = set()
    for j, i in _values(chart):
        s = chart.series[j]
        v = s.values[i]
        assert v is not None
        if chart.kind == "line" or (chart.kind == "combo" and s.kind == "line"):
            if not chart.end_labels and (line_fit is None or line_fit.shown(i, n)):
                out.add((j, i))
        elif chart.stacked:
            if chart.segment_labelled(v) and (j, i) in inside:
                out.add((j, i))
        elif fit is None or fit.shown(i, n):
            out.add((j, i))
    if crowd:
        inside = chart.inside_labels if chart.inside_labels is not None or not asks_inside(chart) else \
            frozenset(deck_inside_labels(chart, width_pt, height_pt, theme))
        out -= deck_crowded_labels(replace(chart, shown_labels=frozenset(out), inside_labels=inside),
                                   width_pt, height_pt, theme, MIN_LABEL_PT)
    return out


def pdf_shown_labels(chart: ChartData, width_pt: float, height_pt: float, theme: Theme,
                     fonts: FontSet) -> set[Label]:
    """The data labels the PDF's plan draws for `chart` at width_pt × height_pt (slices of a pie as (0, i));
    none for a chart too small to plan (the renderer reports that)."""
    from egovdeck.charts.plan import plan_chart

    try:
        plan = plan_chart(chart, width_pt, height_pt, theme, fonts)
    except ChartRenderError:
        return set()
    if chart.kind in ("pie", "doughnut"):
        drawn = [i for i, t in enumerate(chart.slice_texts()) if t is not None]  # the plan's items
        return {(0, drawn[m.ref[1]]) for m in plan.text_marks("slice") if m.ref is not None}
    return {m.ref for m in plan.text_marks("data") if m.ref is not None}


def pdf_inside_room(chart: ChartData, width_pt: float, height_pt: float, theme: Theme,
                    fonts: FontSet) -> set[Label]:
    """The bars and columns whose label fits inside them in the PDF's plan at width_pt × height_pt
    (`segmentroom.fits_segment` on the plan's own bar sizes); none for a chart too small to plan."""
    from egovdeck.charts.plan import plan_chart

    try:
        return set(plan_chart(chart, width_pt, height_pt, theme, fonts).inside_room)
    except ChartRenderError:
        return set()


def _part_of(chart: ChartData, start: int, part: ChartData) -> ChartData:
    """`part` (categories start: of chart) carrying chart's shown_labels and inside_labels for its categories."""
    stop = start + len(part.categories)
    return replace(part, shown_labels=chart.labels_in(start, stop), inside_labels=chart.inside_in(start, stop))


def _union(frames: Sequence[Frame], rule) -> set[Label]:
    return {(j, i + start) for start, part, w, h, theme in frames for j, i in rule(part, w, h, theme)}


def agree(chart: ChartData, pdf_frames: Sequence[Frame], deck_frames: Sequence[Frame],
          fonts: FontSet) -> ChartData:
    """chart with shown_labels: the labels both outputs draw in their frames (see the module docstring).
    An output that does not show the chart (no frame) has no say; a chart of neither is returned as is."""
    if chart.kind not in LABELLED_KINDS or not (pdf_frames or deck_frames) or not chart.series:
        return chart
    shown = set(_values(chart)) if chart.kind not in ("pie", "doughnut") else \
        {(0, i) for i, t in enumerate(chart.slice_texts()) if t is not None}
    if not chart.data_labels:
        return replace(chart, shown_labels=frozenset())
    if asks_inside(chart):  # inside where the label fits in its bar in every frame of both outputs
        inside = set(_values(chart)) & _union(deck_frames, deck_inside_labels) if deck_frames else set(_values(chart))
        if pdf_frames:
            inside &= _union(pdf_frames, lambda p, w, h, th: pdf_inside_room(p, w, h, th, fonts))
        chart = replace(chart, inside_labels=frozenset(inside))
    if deck_frames:  # the deck's crowding with the labels decided (_settle)
        shown &= _union([(start, _part_of(chart, start, part), w, h, th) for start, part, w, h, th in deck_frames],
                        lambda p, w, h, th: deck_shown_labels(p, w, h, th, crowd=False))
    base = set(shown)
    shown = _settle(chart, base, pdf_frames, deck_frames, fonts)
    bars = labelled_bar_series(chart)
    dropped: set[int] = set()
    while len(bars) - len(dropped) > 1:  # whole series (see whole_series_left_out)
        low = _short_series(shown, [j for j in bars if j not in dropped])
        if low is None:
            break
        dropped.add(low)
        shown = _settle(chart, {lab for lab in base if lab[0] not in dropped}, pdf_frames, deck_frames, fonts)
    return replace(chart, shown_labels=frozenset(shown))


def _settle(chart: ChartData, shown: set[Label], pdf_frames: Sequence[Frame], deck_frames: Sequence[Frame],
            fonts: FontSet) -> set[Label]:
    """The labels of `shown` the PDF's plan still draws when asked for `shown` alone, less those beyond a bar's
    end that would touch another label or bar in a deck frame (`deckcrowd`), until nothing changes."""
    for _ in range(8):
        decided = replace(chart, shown_labels=frozenset(shown))
        drawn = set(shown)
        if pdf_frames:
            frames = [(start, _part_of(decided, start, part), w, h, theme) for start, part, w, h, theme in pdf_frames]
            drawn &= _union(frames, lambda p, w, h, th: pdf_shown_labels(p, w, h, th, fonts))
        if deck_frames:
            frames = [(start, _part_of(decided, start, part), w, h, theme) for start, part, w, h, theme in deck_frames]
            drawn -= _union(frames, lambda p, w, h, th: deck_crowded_labels(p, w, h, th, MIN_LABEL_PT))
        if drawn >= shown:
            break
        shown = shown & drawn
    return shown


# A series of bars keeps its labels when it keeps at least this share of as many as the best-labelled series
# keeps; else it shows none (whole_series_left_out)
KEEP_SHARE = 0.75


def labelled_bar_series(chart: ChartData) -> list[int]:
    """The series whose data labels the whole-series rule counts: the bars or columns of a chart drawn side by
    side (not stacked; a combo's columns, not its line) that have a value to label."""
    if chart.kind not in ("column", "bar", "combo") or chart.stacked or not chart.data_labels:
        return []
    return [j for j, s in enumerate(chart.series) if not (chart.kind == "combo" and s.kind == "line")
            and any(v is not None and math.isfinite(v) for v in s.values)]


def _short_series(shown: set[Label], series: list[int]) -> int | None:
    """The first of `series` that keeps fewer than KEEP_SHARE of the labels the best-labelled one keeps."""
    counts = {j: sum(1 for jj, _ in shown if jj == j) for j in series}
    best = max(counts.values(), default=0)
    return next((j for j in series if best > 0 and counts[j] < KEEP_SHARE * best), None)


def whole_series_left_out(chart: ChartData) -> list[int]:
    """The series of side-by-side bars or columns that show no data label although they have values and the
    chart asks for labels (after `agree`).

    The rule (issue 16: a label that would touch its neighbour's is left out, never moved past it, so in a
    grouped chart of 4-5 series only a scatter of the later series' labels was left): the series are
    labelled in order, each where its labels do not touch those of the series before it that kept theirs;
    a series that keeps fewer than KEEP_SHARE of as many labels as the best-labelled series shows none at all
    (its room goes to the series after it), in both outputs. A chart too crowded for any label lists every
    series."""
    bars = labelled_bar_series(chart)
    if len(bars) < 2 or chart.shown_labels is None:
        return []
    kept = {j for j, _ in chart.shown_labels}
    return [j for j in bars if j not in kept]
