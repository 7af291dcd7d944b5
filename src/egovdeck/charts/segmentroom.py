"""Which segments of a stacked bar or column chart carry their value label inside: one rule for the PDF
(`egovdeck.charts.plan.bars` / `columns`) and the deck (`egovdeck.charts.native`, c:dLbl c:delete).

A label goes inside its segment only when it fits there with padding: across the bar, its advance width
plus PAD on both sides (columns) or one line height (bars); along the value axis, one line height
(columns) or its width plus PAD on both sides (bars). A label that does not fit is left out in both
outputs (issue #16: white 「57.8」 on a column narrower than the text read 「7.」 in the deck), besides
`ChartData.segment_labelled`'s share-of-range rule.

The deck's geometry is estimated as `egovdeck.charts.deckroom` does (frame less the axes' labels, the
legend and the padding, the text at the wider of the font's and a substitute's widths; c:gapWidth 80 for columns, 60 for bars, c:overlap 100).
"""

from __future__ import annotations

import math

from egovdeck.charts.deckroom import PADDING, deck_metrics, plot_size
from egovdeck.document.chart import ChartData
from egovdeck.document.theme import Theme

PAD = 2.0  # pt between a label and each side of its segment
LINE = 1.15  # a label's line height in ems


def fits_segment(text_w: float, size: float, along: float, across: float, horizontal: bool) -> bool:
    """Whether a label of advance width text_w (pt) at size (pt) fits inside a segment that is `along`
    pt long on the value axis and `across` pt thick (bars: horizontal=True)."""
    along, across = abs(along), abs(across)
    if horizontal:
        return along >= text_w + 2 * PAD and across >= size * LINE
    return along >= size * LINE and across >= text_w + 2 * PAD


def deck_segment_labels(chart: ChartData, width_pt: float, height_pt: float, theme: Theme) -> set[tuple[int, int]]:
    """The (series, category) labels of a stacked chart that fit inside their segment in a deck frame of
    width_pt × height_pt (the deck then deletes every other one); all labelled points for other charts."""
    points = {(j, i) for j, s in enumerate(chart.series) for i, v in enumerate(s.values)
              if v is not None and math.isfinite(v)}
    lo, hi = chart.y_min, chart.y_max
    if (not chart.stacked or chart.kind not in ("bar", "column") or not chart.categories or lo is None
            or hi is None or hi <= lo):
        return points
    m = deck_metrics()
    size = theme.chart_label_size
    thick, extent = deck_bar_room(chart, width_pt, height_pt, theme)
    horizontal = chart.kind == "bar"
    out = set()
    for j, i in points:
        s = chart.series[j]
        v = s.values[i]
        assert v is not None
        if fits_segment(m.width(s.fmt.format(v), size), size, abs(v) / (hi - lo) * extent, thick, horizontal):
            out.add((j, i))
    return out


def asks_inside(chart: ChartData) -> bool:
    """Whether the definition asks a (not stacked) bar or column chart for its labels inside the bars
    (label_position inside or center): `inside_labels` then says which fit there."""
    return (chart.kind in ("bar", "column") and not chart.stacked and chart.data_labels
            and chart.label_position in ("inside", "center"))


def deck_bar_room(chart: ChartData, width_pt: float, height_pt: float, theme: Theme) -> tuple[float, float]:
    """(thickness of a category's bar or group, length of the value axis) in pt of a deck bar or column chart
    in a frame of width_pt × height_pt: c:gapWidth 60 for bars (a group is 1/1.6 of a row), 80 for columns
    (1/1.8); a bar chart's value axis is what the names and the padding leave of the width."""
    n = len(chart.categories)
    if chart.kind == "bar":
        names = max((deck_metrics().width(c, theme.chart_tick_size) for c in chart.categories), default=0.0)
        _, h = plot_size(chart, width_pt, height_pt, theme)
        return h / n / 1.6, width_pt - names - 2 * PADDING
    w, extent = plot_size(chart, width_pt, height_pt, theme)
    return w / n / 1.8, extent


def deck_inside_labels(chart: ChartData, width_pt: float, height_pt: float, theme: Theme) -> set[tuple[int, int]]:
    """The (series, category) labels of a side-by-side bar or column chart that fit inside their bar
    (`fits_segment`) in a deck frame of width_pt × height_pt: a bar's thickness is its share of the group
    (c:gapWidth 80 for columns, 60 for bars; c:overlap -10 between the bars of a group), its length its
    value's share of the pinned range (from zero, or from the range's low end when zero is outside it);
    the rest go beyond the bar end (c:dLblPos outEnd) or are left out (labelplan)."""
    lo, hi = chart.y_min, chart.y_max
    if not asks_inside(chart) or not chart.categories or lo is None or hi is None or hi <= lo:
        return set()
    m = deck_metrics()  # the wider of the font's and the viewer's fallback's widths
    size = theme.chart_label_size
    k = max(len(chart.series), 1)
    group, extent = deck_bar_room(chart, width_pt, height_pt, theme)
    thick = group / (k + 0.1 * (k - 1))
    base = 0.0 if lo <= 0 <= hi else lo
    out = set()
    for j, s in enumerate(chart.series):
        for i, v in enumerate(s.values):
            if v is None or not math.isfinite(v):
                continue
            along = abs(v - base) / (hi - lo) * extent
            if fits_segment(m.width(s.fmt.format(v), size), size, along, thick, chart.kind == "bar"):
                out.add((j, i))
    return out
