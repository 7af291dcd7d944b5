"""Which side of its point a line series' data label goes, decided once for the PDF and the deck.

The preferred side (`labels_below`):
- where several lines of one value axis have a point at a category, the highest one's label goes
  above and the lowest one's below (two lines never share a label spot);
- in a line chart, every other point's label goes below when the point lies below its neighbours'
  mean (a trough, or the low end of a segment at the first or last point), else above. A combo's line
  keeps its labels above: below a point they would meet the labels on the column tops underneath.

The decision (`decide_sides`): each label is tried on its preferred side, then on the other, in every
output's geometry at once (`LabelFrame`: the PDF's plan, the deck's predicted plot); it is shown on the
first side where, in every frame, it crosses no drawn line segment (any series'), covers no marker,
keeps clear of the other texts and columns and of the labels already chosen, and stays inside the
frame; else it is left out of both (issue 16: another line ran through a label in both outputs, and a
label moved off a line in the PDF alone stood on the other side of the deck's). The result is recorded
in `ChartData.line_label_sides` and obeyed by both renderers.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from egovdeck.document.chart import ChartData, Series

Box = tuple[float, float, float, float]  # x0, y0, x1, y1 (pt, y up)
Segment = tuple[tuple[float, float], tuple[float, float]]

ABOVE, BELOW, LEFT_OUT = "t", "b", ""


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
    """(series index, category index) of every line point whose data label prefers to go below the point;
    every other known point of a line series prefers above."""
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
                elif chart.kind == "line" and chart.label_position != "inside" and _trough(chart.series[j].values, i):
                    below.add((j, i))
    if chart.label_position == "inside":  # the definition asks for labels under their points
        below |= {(j, i) for j in lines for i, v in enumerate(chart.series[j].values) if _known(v)}
    return below


def crosses(box: Box, p: tuple[float, float], q: tuple[float, float]) -> bool:
    """The segment p-q passes through box (x0, y0, x1, y1) -- Liang-Barsky clipping. A line series is
    drawn as such segments between its known neighbouring points."""
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


def polylines(xs: Sequence[float], ys_by_line: Sequence[Sequence[float]]) -> list[Segment]:
    """The drawn segments of lines whose points are at xs (pt) and ys (pt, NaN: no value, the line breaks)."""
    out = []
    for ys in ys_by_line:
        for k in range(len(xs) - 1):
            if math.isfinite(ys[k]) and math.isfinite(ys[k + 1]):
                out.append(((xs[k], ys[k]), (xs[k + 1], ys[k + 1])))
    return out


def _touch(a: Box, b: Box, gap_x: float, gap_y: float) -> bool:
    return not (a[2] + gap_x <= b[0] or b[2] + gap_x <= a[0] or a[3] + gap_y <= b[1] or b[3] + gap_y <= a[1])


@dataclass
class LabelFrame:
    """One output's geometry for the line labels of a chart (pt, y up, any origin).

    labels: (series, category, side) -> the label's box there; markers: the boxes of every line point;
    segments: every drawn line segment; obstacles: the other texts and the columns; bounds: the box the
    labels stay inside; gap_x / gap_y: the room kept between two labels beside / above each other;
    clear: the room kept between a label and a line or marker."""

    name: str
    labels: dict[tuple[int, int, str], Box]
    markers: list[Box]
    segments: list[Segment]
    obstacles: list[Box] = field(default_factory=list)
    bounds: Box = (-math.inf, -math.inf, math.inf, math.inf)
    gap_x: float = 2.0
    gap_y: float = 0.8
    clear: float = 0.5
    shown: set[tuple[int, int]] | None = None  # the labels this output has room for at all (None: every one)

    def fits(self, j: int, i: int, side: str, chosen: list[Box]) -> bool:
        box = self.labels.get((j, i, side))
        if box is None or (self.shown is not None and (j, i) not in self.shown):
            return False
        x0, y0, x1, y1 = box
        b = self.bounds
        if x0 < b[0] or y0 < b[1] or x1 > b[2] or y1 > b[3]:
            return False
        c = self.clear
        grown = (x0 - c, y0 - c, x1 + c, y1 + c)
        if any(crosses(grown, p, q) for p, q in self.segments):
            return False
        if any(_touch(grown, m, 0.0, 0.0) for m in self.markers):
            return False
        if any(_touch(box, o, 0.8, 0.8) for o in self.obstacles):
            return False
        return not any(_touch(box, o, self.gap_x, self.gap_y) for o in chosen)


def label_order(chart: ChartData) -> list[tuple[int, int]]:
    """The line labels in the order they claim their room: each series' last point and highlighted points
    (a colour of their own) first, then the rest from the last category back."""
    lines = [j for j, s in enumerate(chart.series) if is_line(chart, s)]
    known = [(j, i) for j in lines for i, v in enumerate(chart.series[j].values) if _known(v)]
    return sorted(known, key=lambda ji: (not important(chart, *ji), -ji[1], ji[0]))


def important(chart: ChartData, j: int, i: int) -> bool:
    """The label of series j at category i is one a reader looks for: the series' last known point, or a
    point highlighted with a colour of its own."""
    s = chart.series[j]
    return is_last(chart, j, i) or (i < len(s.point_colors) and bool(s.point_colors[i]) and s.point_colors[i] != s.color)


def is_last(chart: ChartData, j: int, i: int) -> bool:
    """Category i holds series j's last known value."""
    return i == max((k for k, v in enumerate(chart.series[j].values) if _known(v)), default=-1)


def decide_sides(chart: ChartData, frames: Sequence[LabelFrame]) -> tuple[tuple[str, ...], ...]:
    """Per series, per category: "t" (label above its point), "b" (below) or "" (no label), the same for
    every frame. Series that are not lines, unknown values, charts without data labels, and with end labels
    each line's last point (its end label) get ""."""
    out = [[LEFT_OUT] * len(chart.categories) for _ in chart.series]
    if not chart.data_labels:
        return tuple(tuple(r) for r in out)
    below = labels_below(chart)
    chosen: list[list[Box]] = [[] for _ in frames]
    for j, i in label_order(chart):
        if chart.end_labels and is_last(chart, j, i):
            continue  # the end label (right of the point, placed before: an obstacle in every frame) says it
        pref = BELOW if (j, i) in below else ABOVE
        for side in (pref, ABOVE if pref == BELOW else BELOW):
            if all(f.fits(j, i, side, chosen[k]) for k, f in enumerate(frames)):
                out[j][i] = side
                for k, f in enumerate(frames):
                    chosen[k].append(f.labels[(j, i, side)])
                break
    return tuple(tuple(r) for r in out)


def left_out_warnings(chart: ChartData, sides: tuple[tuple[str, ...], ...]) -> list[str]:
    """A warning for every last or highlighted point whose label `decide_sides` left out."""
    out: list[str] = []
    if not chart.data_labels:
        return out
    for j, s in enumerate(chart.series):
        if not is_line(chart, s) or j >= len(sides):
            continue
        for i, v in enumerate(s.values):
            if _known(v) and i < len(sides[j]) and sides[j][i] == LEFT_OUT and important(chart, j, i) \
                    and not (chart.end_labels and is_last(chart, j, i)):
                out.append(f"chart “{chart.title}”: the data label “{s.fmt.format(v)}” of “{s.name}” at "
                           f"“{chart.categories[i]}” is left out: above and below its point another line, a "
                           "marker or a label is in the way (in the PDF or the deck); a larger chart or "
                           "fewer series would show it")
    return out
