"""Which side of its point a line series' data label goes: one rule for the PDF and the deck.

A label above a point where the line comes down and goes up again (a trough, as where values swing
below zero) sits on the line; two lines close together pile their labels up when both go above. So:
- where several lines of one value axis have a point at a category, the highest one's label goes
  above and the lowest one's below (two lines never share a label spot);
- in a line chart, every other point's label goes below when the point lies below its neighbours'
  mean (a trough, or the low end of a segment at the first or last point), else above. A combo's line
  keeps its labels above: below a point they would meet the labels on the column tops underneath.
"""

from __future__ import annotations

import math

from egovdeck.document.chart import ChartData, Series


def _known(v: float | None) -> bool:
    return v is not None and math.isfinite(v)


def is_line(chart: ChartData, s: Series) -> bool:
    """The series is drawn as a line (all of a line chart's, a combo's line series)."""
    return chart.kind == "line" or (chart.kind == "combo" and s.kind == "line")


def _trough(values: tuple[float | None, ...], i: int) -> bool:
    """values[i] lies below the mean of the points the line joins it to (its known immediate neighbours:
    a missing value breaks the line, so the point beyond a gap does not count)."""
    v = values[i]
    around = [values[k] for k in (i - 1, i + 1) if 0 <= k < len(values) and _known(values[k])]
    return bool(around) and v < sum(around) / len(around)


def labels_below(chart: ChartData) -> set[tuple[int, int]]:
    """(series index, category index) of every line point whose data label goes below the point;
    every other known point of a line series has its label above."""
    lines = [j for j, s in enumerate(chart.series) if is_line(chart, s)]
    below: set[tuple[int, int]] = set()
    for i in range(len(chart.categories)):
        for secondary in (False, True):
            here = [j for j in lines if chart.series[j].secondary == secondary and i < len(chart.series[j].values)
                    and _known(chart.series[j].values[i])]
            if not here:
                continue
            ranked = sorted(here, key=lambda j: chart.series[j].values[i])
            for r, j in enumerate(ranked):
                if len(ranked) > 1 and r == 0:
                    below.add((j, i))
                elif len(ranked) > 1 and r == len(ranked) - 1:
                    continue
                elif chart.kind == "line" and _trough(chart.series[j].values, i):
                    below.add((j, i))
    return below


def crosses(box: tuple[float, float, float, float], p: tuple[float, float], q: tuple[float, float]) -> bool:
    """The segment p-q passes through box (x0, y0, x1, y1) -- Liang-Barsky clipping. A line series is
    drawn as such segments between its known neighbouring points; its data labels and another line's
    must not be crossed by them (issue 16: 「12.4」 with the other line through it)."""
    x0, y0, x1, y1 = box
    dx, dy = q[0] - p[0], q[1] - p[1]
    t0, t1 = 0.0, 1.0
    for edge_p, edge_q in ((-dx, p[0] - x0), (dx, x1 - p[0]), (-dy, p[1] - y0), (dy, y1 - p[1])):
        if edge_p == 0:
            if edge_q < 0:
                return False
            continue
        t = edge_q / edge_p
        if edge_p < 0:
            t0 = max(t0, t)
        else:
            t1 = min(t1, t)
        if t0 > t1:
            return False
    return True


def polylines(xs: list[float], ys_by_line: list[list[float]]) -> list[tuple[tuple[float, float], tuple[float, float]]]:
    """The drawn segments of lines whose points are at xs (pt) and ys (pt, NaN: no value, the line breaks)."""
    out = []
    for ys in ys_by_line:
        for k in range(len(xs) - 1):
            if math.isfinite(ys[k]) and math.isfinite(ys[k + 1]):
                out.append(((xs[k], ys[k]), (xs[k + 1], ys[k + 1])))
    return out
