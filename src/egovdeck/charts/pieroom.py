"""Where a deck pie or doughnut and its slice labels go, and which slices carry their label, so that the
labels PowerPoint/LibreOffice draw never touch: the others are named in the chart's legend instead (only they).

Nothing here is left to the renderer's own layout: the pie's square is pinned (`PieLayout.plot`, written as the
plot area's c:layout/c:manualLayout, layoutTarget inner: LibreOffice 25.2 draws the pie exactly there,
measured; PowerPoint honours it too),
and a label's place follows from it by LibreOffice's placement rule (LibreOffice core,
chart2/source/view/charttypes/PieChart.cxx `createTextLabelShape` and
chart2/source/view/main/PolarLabelPositionHelper.cxx):

- pie, c:dLblPos inEnd (LibreOffice's INSIDE): the anchor is on the circle at the slice's middle angle,
  moved 150 (1/100 mm: 4.25 pt) towards the centre; the label's box sits on the inner side of the anchor,
  aligned by the middle angle (counter-clockwise from 3 o'clock): within 5° of 0°: left of the anchor,
  centred on it vertically; 5° to 85°: left of and below it, its top-right corner on the anchor; 85° to 95°:
  below it, centred; and so on round the circle;
- pie, ctr (label_position center; CENTER): the box centred at half the radius (a label_position outside
  is drawn inEnd too: LibreOffice puts a pinned pie's outEnd labels up to 20 pt from its own rule);
- doughnut (no c:dLblPos, LibreOffice's CENTER): the box centred at 0.75 of the radius (RING) on the middle
  angle;
- a box reaching past the chart's edge is pushed back inside it (`m_bPieLabelsAllowToMove`).

The label is a box of two lines (the name, then the share and value; the renderer is told not to wrap them,
`a:bodyPr wrap="none"`), measured with the bundled font. Labels are kept largest slice first, each only when
its box (grown by `label_gap` and SLACK) touches no label kept before it and stays inside the chart frame:
the big slices always keep theirs, the small ones give way. The slices left out are named in a bottom
legend, whose rows (estimated generously, LEGEND_SLACK) are taken from the height before the pie is placed.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from egovdeck.charts.labelfit import label_gap
from egovdeck.document.chart import ChartData
from egovdeck.document.theme import Theme
from egovdeck.text.autospace import extra_width
from egovdeck.text.fonts import default_fonts, metrics

RING = 0.75  # a doughnut's label centre, in radii: LibreOffice 25.2 centres them at 0.75 whatever the hole (measured)
EDGE = 8.0  # pt between the pie and the frame (and the legend), top and bottom
LINE = 1.5  # line pitch of a label, in em (LibreOffice 25.2 with the bundled font: the white box is 3 em tall)
BOX_PAD = 4.0  # pt allowed around a label's text across (its white box is as wide as the text, measured)
BOX_PAD_V = 1.0  # pt allowed over the box's height
INSIDE_SHIFT = 150 / 100 / 25.4 * 72  # LibreOffice's INSIDE anchor offset: 150 (1/100 mm) towards the centre, in pt
# pt more between two predicted boxes: what the prediction of the renderer's text boxes may miss (font
# hinting, rounding to 1/100 mm)
SLACK = {"doughnut": 2.0, "pie": 2.0}
LEGEND_SLACK = 1.05  # legend names are counted this much wider than measured, and 2 pt more
LEGEND_LINE = 1.5  # a legend row's text, in em (LibreOffice 25.2, the bundled font: 1.45)
LEGEND_EDGE = 3.0  # pt more under the legend's last row
MIN_PIE = 0.5  # the pie's diameter and edges take at least this share of the frame's smaller side: a longer
# legend is set smaller (down to the deck's floor for chart text), then its rows take from the pie
Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class PieLayout:
    """The pie's centre and radius (pt from the frame's top-left, y down), each slice's predicted label box
    (None: no label: no value, not positive), the slices that keep their label, the names (in order) the
    bottom legend lists and its text size (pt)."""

    cx: float
    cy: float
    r: float
    boxes: tuple[Box | None, ...]
    labelled: frozenset[int]
    legend: tuple[str, ...]
    legend_size: float

    def plot(self, width_pt: float, height_pt: float) -> tuple[float, float, float, float]:
        """The pie's square as fractions of the frame (x, y, w, h), for c:manualLayout."""
        return ((self.cx - self.r) / width_pt, (self.cy - self.r) / height_pt,
                2 * self.r / width_pt, 2 * self.r / height_pt)


LEGEND_MARGIN = 210 / 100 / 25.4 * 72  # pt LibreOffice keeps between a legend and the chart's sides (VLegend.cxx)


def _mm() -> float:
    return 72 / 25.4


def legend_text_room(width_pt: float, size: float) -> float:
    """The widest line (pt, as measured here: LEGEND_SLACK, 2 pt) a bottom legend entry of a frame width_pt wide
    may have at `size` pt so that LibreOffice 25.2 lays the legend out in columns at all
    (chart2/source/view/main/VLegend.cxx `lcl_placeLegendEntries`, expansion WIDE: the columns are
    (room - 2 x-padding) // (x-offset + key + key gap + widest text); with none the entries are never placed
    and LibreOffice draws every one of them on one line, on top of each other). The room is the frame less
    LEGEND_MARGIN at each side; x-padding 0.33 em, x-offset 0.66 em, the key 0.6 em and 0.22 em to the text
    (each at least 1 mm)."""
    mm = _mm()
    room = width_pt - 2 * LEGEND_MARGIN
    return room - 2 * max(mm, 0.33 * size) - max(mm, 0.66 * size) - (0.6 * size + max(mm, 0.22 * size)) - 2


def _measured(text: str, size: float) -> float:
    m = metrics(default_fonts().regular)
    return max((m.width(ln, size) + extra_width(ln, size)) * LEGEND_SLACK + 2 for ln in text.split("\n"))


def legend_entry(name: str, width_pt: float, size: float) -> str:
    """A legend entry 「名称：41.8%（412）」 with line breaks where it is wider than legend_text_room: after
    the 「：」 when the name and the share each fit a line, else the name wrapped by the one line breaker
    (text.textfit) and the share on a line of its own. LibreOffice would wrap it itself, to the full room,
    which leaves it no column (legend_text_room)."""
    room = legend_text_room(width_pt, size)
    if _measured(name, size) <= room:
        return name
    head, sep, share = name.rpartition("：")
    if not sep:
        head, share = name, ""
    lines = [head + sep] if _measured(head + sep, size) <= room else None
    if lines is None:
        from egovdeck.text.textfit import wrap_label

        m = metrics(default_fonts().regular)
        lines = wrap_label(head + sep, max(room / LEGEND_SLACK - 2 - 0.25 * size, size), size, m) or [head + sep]
    return "\n".join([*lines, share] if share else lines)


def _legend_height(names: Sequence[str], width_pt: float, size: float) -> float:
    """Height (pt) of a bottom legend listing `names` (legend_entry's: their line breaks in them) at `size`
    pt, as LibreOffice 25.2 lays it out (chart2/source/view/main/VLegend.cxx `lcl_placeLegendEntries`, a
    bottom legend's expansion WIDE): the entries row by row in as many columns as the widest entry fits
    side by side (key 0.6 em, 1 mm to the text, 0.66 em between columns, 0.33 em at the sides). Rows
    LEGEND_LINE em a line and 1 mm apart, 1 mm above and below; widths counted generously (LEGEND_SLACK)."""
    if not names:
        return 0.0
    mm = _mm()
    key = 0.6 * size + max(mm, 0.22 * size)
    gap = max(mm, 0.66 * size)
    room = width_pt - 2 * max(mm, 0.33 * size)
    widths = [_measured(n, size) for n in names]
    cols = max(1, min(len(names), int(room // (max(widths) + key + gap))))
    cols = math.ceil(len(names) / math.ceil(len(names) / cols))
    rows = math.ceil(len(names) / cols)
    lines = [n.count("\n") + 1 for n in names]
    height = sum(max(lines[r * cols:(r + 1) * cols]) for r in range(rows)) * LEGEND_LINE * size
    return height + (rows + 1) * max(mm, 0.2 * size) + LEGEND_EDGE


def _box(kind: str, cx: float, cy: float, r: float, mid: float, w: float, h: float, place: str = "inside") -> Box:
    """The box (w x h pt) of a label whose slice's middle angle is `mid` (degrees, counter-clockwise from
    3 o'clock), placed as LibreOffice places it (module docstring); `place` the pie's label position:
    inside (inEnd), outside (outEnd) or center (ctr)."""
    ux, uy = math.cos(math.radians(mid)), -math.sin(math.radians(mid))  # y down
    if kind == "doughnut" or place == "center":
        rr = r * RING if kind == "doughnut" else r / 2
        x, y = cx + rr * ux, cy + rr * uy
        return (x - w / 2, y - h / 2, x + w / 2, y + h / 2)
    out = 1 if place == "outside" else -1  # OUTSIDE: 150 outwards, the box on the outer side of the anchor
    ax, ay = cx + (r + out * INSIDE_SHIFT) * ux, cy + (r + out * INSIDE_SHIFT) * uy
    a = mid % 360.0
    if a <= 5 or a >= 355:
        hx, vy = -1, 0  # (inside) left of the anchor, centred on it vertically
    elif a < 85:
        hx, vy = -1, 1  # left of and below the anchor
    elif a <= 95:
        hx, vy = 0, 1  # below
    elif a < 175:
        hx, vy = 1, 1  # right and below
    elif a <= 185:
        hx, vy = 1, 0  # right
    elif a < 265:
        hx, vy = 1, -1  # right and above
    elif a <= 275:
        hx, vy = 0, -1  # above
    else:
        hx, vy = -1, -1  # left and above
    hx, vy = -out * hx, -out * vy
    x0 = ax - w / 2 + hx * w / 2
    y0 = ay - h / 2 + vy * h / 2
    return (x0, y0, x0 + w, y0 + h)


def _inside(b: Box, width_pt: float, height_pt: float) -> Box:
    """The box pushed back inside the frame, as LibreOffice does."""
    dx = -b[0] if b[0] < 0 else (width_pt - b[2] if b[2] > width_pt else 0.0)
    dy = -b[1] if b[1] < 0 else (height_pt - b[3] if b[3] > height_pt else 0.0)
    return (b[0] + dx, b[1] + dy, b[2] + dx, b[3] + dy)


def legend_size(names: Sequence[str], width_pt: float, height_pt: float, theme: Theme, floor: float) -> float:
    """The legend's text size: the theme's, or smaller, down to `floor`, while its rows would leave the pie
    less than MIN_PIE of the frame's smaller side."""
    size = theme.chart_legend_size

    def height(sz: float) -> float:
        return _legend_height([legend_entry(n, width_pt, sz) for n in names], width_pt, sz)

    while size > floor and height_pt - height(size) < MIN_PIE * min(width_pt, height_pt):
        size -= 0.5
    return max(size, floor)


def label_boxes(chart: ChartData, width_pt: float, height_pt: float, theme: Theme,
                legend: Sequence[str] = (), size_legend: float | None = None
                ) -> tuple[tuple[float, float, float], list[Box | None]]:
    """The pie (cx, cy, r in pt) above a bottom legend listing `legend` (at `size_legend` pt, default the
    theme's), and the predicted box (x0, y0, x1, y1 in pt from the frame's top-left, y down) of each slice's
    label, None for a slice without a label."""
    m = metrics(default_fonts().regular)
    size = theme.chart_label_size
    texts = chart.slice_texts()
    values = chart.series[0].values
    total = sum(v for v, t in zip(values, texts, strict=True) if t is not None and v is not None)
    legend_h = _legend_height(legend, width_pt, size_legend or theme.chart_legend_size)
    plot_h = height_pt - legend_h
    r = max(min(width_pt, plot_h) / 2 - EDGE, 10.0)
    cx, cy = width_pt / 2, plot_h / 2
    out: list[Box | None] = []
    angle = 90.0  # clockwise from 12 o'clock, in the usual mathematical angle
    for cat, v, text in zip(chart.categories, values, texts, strict=True):
        if text is None or v is None or not total:
            out.append(None)
            continue
        sweep = v / total * 360
        mid = angle - sweep / 2
        angle -= sweep
        w = max(m.width(t, size) + extra_width(t, size) for t in (cat, text)) + BOX_PAD  # the viewer's CJK-Latin gaps
        h = 2 * size * LINE + BOX_PAD_V
        place = "center" if chart.label_position == "center" else "inside"  # native.py: outside drawn inside
        out.append(_inside(_box(chart.kind, cx, cy, r, mid, w, h, place), width_pt, height_pt))
    return (cx, cy, r), out


def pie_layout(chart: ChartData, width_pt: float, height_pt: float, theme: Theme,
               floor: float = 9.0, only: set[int] | None = None) -> PieLayout:
    """The pie, its labels and legend (see the module docstring). The legend of the slices left out takes
    height from the pie, which moves every label: passes until no more slices are left out, a slice once
    named in the legend staying there (the legend only grows, so this ends within one pass a slice).
    only: the slices that may carry a label (the ones both outputs label, charts.labelplan); the others are
    named in the legend from the start. None: every slice may."""
    texts = chart.slice_texts()
    values = chart.series[0].values
    order = sorted((i for i, t in enumerate(texts) if t is not None), key=lambda i: (-(values[i] or 0.0), i))
    out: set[int] = set() if only is None else {i for i in order if i not in only}  # the slices the legend names
    gap = label_gap(theme.chart_label_size) + SLACK.get(chart.kind, 2.0)
    while True:
        names = [chart.legend_names()[i] for i in sorted(out)]  # with their shares (native, plan/pie)
        size = legend_size(names, width_pt, height_pt, theme, min(floor, theme.chart_legend_size))
        legend = [legend_entry(n, width_pt, size) for n in names]  # as written into the chart's categories
        (cx, cy, r), boxes = label_boxes(chart, width_pt, height_pt, theme, legend, size)
        if not chart.data_labels:
            return PieLayout(cx, cy, r, tuple(boxes), frozenset(), (), size)
        bottom = cy + r + EDGE  # the legend's top, or the frame's foot
        placed: list[Box] = []
        keep: set[int] = set()
        for i in order:
            b = boxes[i]
            if b is None or i in out:
                continue
            inside = b[0] >= 0 and b[1] >= 0 and b[2] <= width_pt and b[3] <= min(height_pt, bottom)
            if inside and all(b[2] + gap <= p[0] or p[2] + gap <= b[0] or b[3] + gap <= p[1] or p[3] + gap <= b[1]
                              for p in placed):
                placed.append(b)
                keep.add(i)
        left = {i for i in order if i not in keep}
        if left == out:
            return PieLayout(cx, cy, r, tuple(boxes), frozenset(keep), tuple(legend), size)
        out |= left


def labelled_slices(chart: ChartData, width_pt: float, height_pt: float, theme: Theme) -> set[int]:
    """Indices of the slices whose label the deck draws; the rest go to the legend."""
    return set(pie_layout(chart, width_pt, height_pt, theme).labelled)
