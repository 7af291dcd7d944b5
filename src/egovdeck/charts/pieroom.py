"""Which slices of a deck pie or doughnut carry their label, so that the labels PowerPoint/LibreOffice
draw never touch: the others are named in the chart's legend instead (only they).

The deck does not place its own slice labels; the renderer does, at a place that can be predicted:
a doughnut's label is centred on its ring at the slice's middle angle, a pie's (c:dLblPos inEnd) inside
the slice at its outer end. The label is a box of two lines (the name, then the share and value; the
renderer is told not to wrap them, `a:bodyPr wrap="none"`), measured with the bundled font.

Labels are kept largest slice first, each only when its box (grown by `label_gap`) touches no label kept
before it and stays inside the chart frame: the big slices always keep theirs, the small ones give way.

The geometry was measured on LibreOffice 25.2's rendering: the pie fills the frame's height less 8 pt
above and below (a legend at the bottom takes its rows from the height), centred in what is left; the
hole of a doughnut is c:holeSize 55 %.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from egovdeck.charts.labelfit import label_gap
from egovdeck.document.chart import ChartData
from egovdeck.document.theme import Theme
from egovdeck.text.autospace import extra_width
from egovdeck.text.fonts import default_fonts, metrics

HOLE = 0.55  # c:holeSize of the deck's doughnuts
EDGE = 8.0  # pt between the pie and the frame, top and bottom
LINE = 1.2  # line height of a label, in em
BOX_PAD = 4.0  # pt the renderer adds around a label's text (its white box), both ways together
# pt more between two predicted boxes: how closely the renderer's placement is predicted (a doughnut's
# centred labels to a point or two; a pie's inEnd labels move by up to a tenth of the radius)
SLACK = {"doughnut": 2.0, "pie": 6.0}


def _legend_height(names: Sequence[str], width_pt: float, theme: Theme) -> float:
    """Height of a bottom legend listing names (rows of entries side by side: key, name, gap)."""
    if not names:
        return 0.0
    m = metrics(default_fonts().regular)
    size = theme.chart_legend_size
    rows, x = 1, 0.0
    for name in names:
        w = m.width(name, size) + size * 2.5
        if x and x + w > width_pt - 16:
            rows, x = rows + 1, 0.0
        x += w
    return rows * size * 1.5 + 10


def label_boxes(chart: ChartData, width_pt: float, height_pt: float, theme: Theme,
                legend: Sequence[str] = ()) -> list[tuple[float, float, float, float] | None]:
    """The predicted box (x0, y0, x1, y1 in pt from the frame's top-left, y down) of each slice's label,
    None for a slice without a label (no value, not positive); `legend` the names a bottom legend lists."""
    m = metrics(default_fonts().regular)
    size = theme.chart_label_size
    texts = chart.slice_texts()
    values = chart.series[0].values
    total = sum(v for v, t in zip(values, texts, strict=True) if t is not None and v is not None)
    plot_h = height_pt - _legend_height(legend, width_pt, theme)
    r = max(min(width_pt, plot_h) / 2 - EDGE, 10.0)
    cx, cy = width_pt / 2, plot_h / 2
    out: list[tuple[float, float, float, float] | None] = []
    angle = 90.0  # clockwise from 12 o'clock, in the usual mathematical angle
    for cat, v, text in zip(chart.categories, values, texts, strict=True):
        if text is None or v is None or not total:
            out.append(None)
            continue
        sweep = v / total * 360
        mid = math.radians(angle - sweep / 2)
        angle -= sweep
        w = max(m.width(t, size) + extra_width(t, size) for t in (cat, text)) + BOX_PAD  # the viewer's CJK-Latin gaps
        h = 2 * size * LINE + BOX_PAD
        if chart.kind == "doughnut":
            rr = r * (1 + HOLE) / 2
            x, y = cx + rr * math.cos(mid), cy - rr * math.sin(mid)
        else:  # inEnd: inside the slice, short of the circle by the box's reach along the middle ray and
            # a tenth of the radius more (LibreOffice 25.2: centres at 0.55-0.8 of the radius)
            reach = abs(w / 2 * math.cos(mid)) + abs(h / 2 * math.sin(mid))
            rr = max(r - reach - 0.1 * r, 0.0)
            x, y = cx + rr * math.cos(mid), cy - rr * math.sin(mid)
        out.append((x - w / 2, y - h / 2, x + w / 2, y + h / 2))
    return out


def labelled_slices(chart: ChartData, width_pt: float, height_pt: float, theme: Theme) -> set[int]:
    """Indices of the slices whose label the deck draws (see the module docstring); the rest go to the
    legend. Two passes: the legend of the slices left out takes height from the pie."""
    texts = chart.slice_texts()
    values = chart.series[0].values
    order = sorted((i for i, t in enumerate(texts) if t is not None), key=lambda i: (-(values[i] or 0.0), i))
    legend: list[str] = []
    keep: set[int] = set()
    for _ in range(3):
        boxes = label_boxes(chart, width_pt, height_pt, theme, legend)
        gap = label_gap(theme.chart_label_size) + SLACK.get(chart.kind, 6.0)
        placed: list[tuple[float, float, float, float]] = []
        keep = set()
        for i in order:
            b = boxes[i]
            if b is None:
                continue
            inside = b[0] >= 0 and b[1] >= 0 and b[2] <= width_pt and b[3] <= height_pt
            if inside and all(b[2] + gap <= p[0] or p[2] + gap <= b[0] or b[3] + gap <= p[1] or p[3] + gap <= b[1]
                              for p in placed):
                placed.append(b)
                keep.add(i)
        names = [chart.legend_names()[i] for i in range(len(texts)) if texts[i] is not None and i not in keep]
        if names == legend:
            break
        legend = names
    return keep
