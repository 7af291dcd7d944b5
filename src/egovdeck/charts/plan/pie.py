"""Plan of pie and doughnut charts: slices clockwise from 12 o'clock, labels in two columns beside the
pie (name lines, then the value line), moved apart so they never touch, each tied to its slice by a
leader line. A label that cannot be placed is left out whole, and its slice named in a legend under the pie.
"""

from __future__ import annotations

import math

from egovdeck.charts.plan.canvas import PAD, Plan
from egovdeck.charts.plan.labels import balanced, repel
from egovdeck.charts.plan.legend import Legend
from egovdeck.document.chart import ChartData, ChartRenderError


def plan_pie(cv: Plan, chart: ChartData) -> None:
    """The pie, its labels, and under it a legend naming the slices whose label found no room (the deck does
    the same: egovdeck.charts.pieroom), the pie made smaller by the legend's height. Without labels, a legend
    of every slice where `legend:` asks (bottom, top or right; the deck's c:legendPos), as the deck."""
    if not chart.data_labels:
        _unlabelled_pie(cv, chart)
        return
    reserve, dropped = 0.0, _place_pie(Plan(cv.w, cv.h, cv.theme, cv.fonts), chart, 0.0)
    legend = None
    for _ in range(3):
        if not dropped:
            break
        legend = _dropped_legend(cv, chart, dropped)
        need = legend.height + 4
        if abs(need - reserve) < 0.01:
            break
        reserve = need
        again = _place_pie(Plan(cv.w, cv.h, cv.theme, cv.fonts), chart, reserve)
        if not again:
            break  # the legend is kept (its room made every label fit): it then names none
        dropped = again
    if legend is not None and dropped:
        legend = _dropped_legend(cv, chart, dropped)
        reserve = max(reserve, legend.height + 4)
        left = _place_pie(cv, chart, reserve)
        if left:
            legend = _dropped_legend(cv, chart, left)
            legend.draw(cv, PAD, PAD + legend.height, cv.w - PAD)
        return
    _place_pie(cv, chart, 0.0)


def _unlabelled_pie(cv: Plan, chart: ChartData) -> None:
    """A pie without labels: every slice named in a legend at chart.legend's side (none: no legend), the pie
    as large as the rest of the canvas allows."""
    th = cv.theme
    s = chart.series[0]
    texts = chart.slice_texts()
    idx = [i for i, t in enumerate(texts) if t is not None]
    if not idx:
        raise ChartRenderError(f"chart {chart.id!r}: a pie needs positive values")
    colors = [s.point_colors[i] if i < len(s.point_colors) and s.point_colors[i] else th.color(i)
              for i in range(len(chart.categories))]
    x0, y0, x1, y1 = PAD, PAD, cv.w - PAD, cv.h - PAD
    if chart.legend:
        legend = Legend([(str(chart.categories[i]), colors[i], "patch") for i in idx], th.chart_legend_size,
                        vertical=chart.legend == "right")
        legend.layout(cv, cv.w - 2 * PAD)
        if legend.vertical:
            x1 -= legend.width + 10
            legend.draw(cv, cv.w - PAD - legend.width, min(cv.h - PAD, cv.h / 2 + legend.height / 2))
        elif chart.legend == "top":
            y1 -= legend.height + 4
            legend.draw(cv, PAD, cv.h - PAD, cv.w - PAD)
        else:
            y0 += legend.height + 4
            legend.draw(cv, PAD, PAD + legend.height, cv.w - PAD)
    r = max(min(x1 - x0, y1 - y0) / 2, 10.0)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    width = r * 0.42 if chart.kind == "doughnut" else None
    total = sum(s.values[i] or 0.0 for i in idx)
    angle = 90.0
    for i in idx:
        sweep = (s.values[i] or 0.0) / total * 360 if total else 0.0
        cv.wedge(cx, cy, r, angle - sweep, angle, colors[i], width)
        angle -= sweep


def _dropped_legend(cv: Plan, chart: ChartData, dropped: list[int]) -> Legend:
    s = chart.series[0]
    th = cv.theme
    names = chart.legend_names()  # with the slice's share: its label was left out
    entries = [(names[i], s.point_colors[i] if i < len(s.point_colors) and s.point_colors[i]
                else th.color(i), "patch") for i in dropped]
    legend = Legend(entries, th.chart_legend_size)
    legend.layout(cv, cv.w - 2 * PAD)
    return legend


def _place_pie(cv: Plan, chart: ChartData, bottom: float) -> list[int]:
    """The pie and its labels above `bottom` pt; returns the indices of the slices left without a label."""
    th = cv.theme
    lfs = th.chart_label_size
    s = chart.series[0]
    values = chart.slice_texts()
    items = [(c, v, s.point_colors[i] if i < len(s.point_colors) else th.color(i), values[i], i)
             for i, (c, v) in enumerate(zip(chart.categories, s.values, strict=True)) if values[i] is not None]
    dropped: list[int] = []
    if not items:
        raise ChartRenderError(f"chart {chart.id!r}: a pie needs positive values")
    total = sum(v for _, v, _, _, _ in items)
    cap = cv.w * 0.3  # a label column never takes more than this; longer names wrap
    size = lfs
    for _ in range(8):
        lab_w = min(cap, max(max(cv.tw(c, size), cv.tw(t, size)) for c, _, _, t, _ in items))
        line_h = size * 1.2
        r = min((cv.w - 2 * PAD - 2 * (lab_w + 18)) / 2, (cv.h - bottom - 2 * PAD - 2 * line_h) / 2)
        if r >= min(cv.w, cv.h - bottom) * 0.26 or size <= 6.5:
            break
        size -= 0.5
    r = max(r, 20.0)
    cx, cy = cv.w / 2, bottom + (cv.h - bottom) / 2
    if bottom:
        cv.boxes.append((0.0, 0.0, cv.w, bottom))  # the legend's room: no label there
    width = r * 0.42 if chart.kind == "doughnut" else None
    angle = 90.0
    anchors = []
    for (_, v, color, _, _) in items:
        sweep = v / total * 360
        cv.wedge(cx, cy, r, angle - sweep, angle, color, width)
        mid = math.radians(angle - sweep / 2)
        anchors.append(mid)
        angle -= sweep
    if not chart.data_labels:
        return []
    room = cv.w / 2 - PAD - (r + 13)  # from the label's start to the canvas edge
    names = [balanced(cv, c, max(room, size * 2), size) if cv.tw(c, size) > room else [c] for c, _, _, _, _ in items]
    block = (max(len(n) for n in names) + 1) * size * 1.2 + 2
    sides: dict[int, list[int]] = {1: [], -1: []}
    for i, a in enumerate(anchors):
        sides[1 if math.cos(a) >= 0 else -1].append(i)
    for side, idx in sides.items():
        if chart.shown_labels is not None:  # decided with the deck's frame too (charts.labelplan)
            dropped += [items[i][4] for i in idx if (0, items[i][4]) not in chart.shown_labels]
            idx[:] = [i for i in idx if (0, items[i][4]) in chart.shown_labels]
        fits = max(int((cv.h - bottom - 2 * PAD) // block), 0)
        while len(idx) > fits:  # a column holds this many labels: the smallest slices give way
            small = min(idx, key=lambda i: (items[i][1], -i))
            idx.remove(small)
            dropped.append(items[small][4])
        want = [cy + (r + 8) * math.sin(anchors[i]) for i in idx]
        ys = repel(want, block, bottom + PAD + block / 2, cv.h - PAD - block / 2)
        for i, yy in zip(idx, ys, strict=True):
            a = anchors[i]
            px, py = cx + r * math.cos(a), cy + r * math.sin(a)
            ex = cx + side * (r + 10)
            kx = cx + (r + 5) * math.cos(a) if abs(yy - py) < r else ex
            tx = ex + side * 3
            ha = "left" if side > 0 else "right"
            lines = [*names[i], items[i][3]]
            top = yy + (len(lines) - 1) * size * 0.6
            boxes = len(cv.boxes)
            ok = all(cv.text(tx, top - k * size * 1.2, ln, size, th.text if k < len(lines) - 1 else th.muted,
                             ha=ha, avoid=True, role="slice", ref=(0, i)) for k, ln in enumerate(lines))
            if not ok:  # no room for this slice's label: none of it (the legend under the pie names it)
                cv.undo_texts(boxes)
                dropped.append(items[i][4])
                continue
            cv.line([px, kx, ex], [py, yy, yy], th.axis, lw=0.5, zorder=2)
    return sorted(dropped)
