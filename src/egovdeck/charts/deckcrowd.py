"""Which data labels beyond the bar ends of a deck chart of side-by-side bars would touch: the deck's own
check of the rule the PDF's plan applies (charts/plan/columns, plan/bars: a label that would touch another
label, or another bar, is left out, never moved past it; issue 16).

`deckroom.column_label_fit` spaces a column chart's labels as if every label stood at the same height (the
worst case), and nothing spaced a horizontal bar chart's labels in the deck: with `label_position: inside`
the labels that do not fit inside their bar go beyond its end, where LibreOffice drew one over the next bar's
(issue 16, item 2). Here each shown label's box is placed where the deck draws it, in the order the PDF
places them (series by series, each series' categories in order): inside its bar (`inside_labels`), or beyond
its end (c:dLblPos outEnd), `GAP` pt from it; a label beyond the end that touches a label placed before it or
another bar is left out.

The geometry is segmentroom's (`deck_bar_room`: c:gapWidth 80 for columns, 60 for bars; c:overlap -10, so the
bars of a group are 1.1 bar thicknesses apart), the value axis the chart's pinned range, the text measured with
`deckroom.deck_metrics` at the frame theme's label size (columns: `column_label_fit`'s size and turn)."""

from __future__ import annotations

import math

from egovdeck.charts.deckroom import column_label_fit, deck_metrics
from egovdeck.charts.labelfit import label_gap
from egovdeck.charts.segmentroom import deck_bar_room
from egovdeck.document.chart import ChartData
from egovdeck.document.theme import Theme

GAP = 3.0  # pt between a bar's end and its label beyond it (LibreOffice's outEnd offset, about)

Box = tuple[float, float, float, float]  # along the value axis from, to; across from, to (pt)


def _touch(a: Box, b: Box, gap: float) -> bool:
    return not (a[1] + gap <= b[0] or b[1] + gap <= a[0] or a[3] + gap <= b[2] or b[3] + gap <= a[2])


def deck_crowded_labels(chart: ChartData, width_pt: float, height_pt: float, theme: Theme,
                        floor: float) -> set[tuple[int, int]]:
    """The (series, category) labels of `chart.shown_labels` (None: every value's) beyond their bar's end that
    touch a label placed before them or another bar, in a deck frame of width_pt × height_pt (see the module
    docstring); empty for stacked charts, other kinds, or a single series that does not ask for inside labels.
    floor: the deck's smallest label size (column_label_fit's)."""
    lo, hi = chart.y_min, chart.y_max
    bars = [j for j, s in enumerate(chart.series) if not (chart.kind == "combo" and s.kind == "line")]
    if chart.kind not in ("bar", "column") or chart.stacked or not chart.data_labels or not chart.categories \
            or lo is None or hi is None or hi <= lo or not bars:
        return set()
    inside = chart.inside_labels or frozenset()
    if len(bars) < 2 and not inside:
        return set()
    m = deck_metrics()
    size, turned = theme.chart_label_size, False
    if chart.kind == "column":
        fit = column_label_fit(chart, width_pt, height_pt, theme, floor)
        if fit is not None:
            size, turned = fit.size, fit.rotated
    group, extent = deck_bar_room(chart, width_pt, height_pt, theme)
    k = len(bars)
    thick = group / (k + 0.1 * (k - 1))
    pitch = group * (1.6 if chart.kind == "bar" else 1.8)  # a category's row or slot
    base = 0.0 if lo <= 0 <= hi else lo

    def pos(v: float) -> float:
        return (v - lo) / (hi - lo) * extent

    rects: dict[tuple[int, int], Box] = {}
    for jb, j in enumerate(bars):
        for i, v in enumerate(chart.series[j].values):
            if v is None or not math.isfinite(v):
                continue
            mid = (i + 0.5) * pitch + (jb - (k - 1) / 2) * 1.1 * thick
            a, b = sorted((pos(base), pos(v)))
            rects[(j, i)] = (a, b, mid - thick / 2, mid + thick / 2)
    shown = chart.shown_labels if chart.shown_labels is not None else frozenset(rects)
    gap = label_gap(size)
    placed: list[Box] = []
    out: set[tuple[int, int]] = set()
    for j in bars:
        s = chart.series[j]
        for i, v in enumerate(s.values):
            if (j, i) not in shown or (j, i) not in rects:
                continue
            a, b, c, d = rects[(j, i)]
            if (j, i) in inside:  # within its own bar, which the others keep clear of
                continue
            w = m.width(s.fmt.format(v), size)
            # along the value axis and across it: a flat label on a bar is w along; on a column 1.2 em along,
            # w across (turned on a column: w along, 1.2 em across)
            along, across = (w, size * 1.2) if chart.kind == "bar" or turned else (size * 1.2, w)
            mid = (c + d) / 2
            if v >= base:
                box = (b + GAP, b + GAP + along, mid - across / 2, mid + across / 2)
            else:
                box = (a - GAP - along, a - GAP, mid - across / 2, mid + across / 2)
            others = [r for ref, r in rects.items() if ref != (j, i)]
            if any(_touch(box, p, gap) for p in placed) or any(_touch(box, r, 0.8) for r in others):
                out.add((j, i))
                continue
            placed.append(box)
    return out
