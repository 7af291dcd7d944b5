"""Room for the data labels of a deck bar/column chart beyond its bar ends, on its value axis.

PowerPoint and LibreOffice put a bar's outside label (c:dLblPos outEnd) beyond the bar end whatever the
axis range: when the resolver's round range ends at the most negative value, the label of that bar runs
past the plot into the category names at the low side (c:tickLblPos low); at the high end it runs past
the chart frame. The PDF extends a free end of the range by the label's width (egovdeck.charts.plan);
this gives the deck the same room, rounded out to the axis's step so the ticks stay round numbers.

The plot's extent is estimated from the chart frame less the category names (bundled font widths) and
the renderers' inner padding; an end the definition pinned is never moved.
"""

from __future__ import annotations

import math

from egovdeck.charts.scale import clean, nice_step
from egovdeck.document.chart import ChartData
from egovdeck.document.theme import Theme
from egovdeck.text.fonts import default_fonts, metrics

PADDING = 14.0  # pt the chart frame keeps around its plot area and between labels and plot (both sides)
LABEL_GAP = 6.0  # pt between a bar end and its label, and beyond the label


def _step(lo: float, hi: float) -> float:
    return nice_step((hi - lo) / 8)


def label_room(chart: ChartData, width_pt: float, height_pt: float, theme: Theme) -> tuple[float | None, float | None]:
    """(y_min, y_max) for a non-stacked bar or column chart with outside data labels: the chart's range,
    its low end (when the resolver chose it) moved down by whole steps until the widest label fits beyond
    the most negative bar. The chart's own range when nothing needs to move (or another kind of chart).

    Only the low end: there the labels meet the category names (c:tickLblPos low)."""
    lo, hi = chart.y_min, chart.y_max
    if (chart.kind not in ("bar", "column") or chart.stacked or not chart.data_labels
            or chart.label_position not in ("auto", "outside") or lo is None or hi is None or hi <= lo):
        return lo, hi
    values = [v for s in chart.series for v in s.values if v is not None and math.isfinite(v)]
    if not values:
        return lo, hi
    m = metrics(default_fonts().regular)
    if chart.kind == "bar":
        names = max((m.width(c, theme.chart_tick_size) for c in chart.categories), default=0.0)
        extent = width_pt - names - 2 * PADDING
        need = max(m.width(s.fmt.format(v), theme.chart_label_size) for s in chart.series for v in s.values
                   if v is not None and math.isfinite(v)) + LABEL_GAP
    else:
        extent = height_pt - theme.chart_tick_size * 2.6 - 2 * PADDING - (
            theme.chart_legend_size * 2 if chart.legend in ("top", "bottom") and len(chart.series) > 1 else 0)
        need = theme.chart_label_size * 1.4 + LABEL_GAP
    if extent <= 0:
        return lo, hi
    frac = need / extent
    if frac >= 0.5:
        return lo, hi
    dmin = min(values)
    step = _step(lo, hi)
    if not (chart.y_min_auto and dmin < 0):
        return lo, hi
    for _ in range(20):  # the label's room, as a share of the range, beyond the most negative bar
        if dmin - lo >= frac * (hi - lo):
            break
        lo = clean(math.floor(lo / step + 1e-9) * step - step)
    return lo, hi
