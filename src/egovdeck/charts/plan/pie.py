"""Plan of pie and doughnut charts: slices clockwise from 12 o'clock, labels in two columns beside the
pie (name lines, then the value line), moved apart so they never touch, each tied to its slice by a
leader line. A label that cannot be placed is left out whole.
"""

from __future__ import annotations

import math

from egovdeck.charts.plan.canvas import PAD, Plan
from egovdeck.charts.plan.labels import balanced, repel
from egovdeck.document.chart import ChartData, ChartRenderError


def plan_pie(cv: Plan, chart: ChartData) -> None:
    th = cv.theme
    lfs = th.chart_label_size
    s = chart.series[0]
    values = chart.slice_texts()
    items = [(c, v, s.point_colors[i] if i < len(s.point_colors) else th.color(i), values[i])
             for i, (c, v) in enumerate(zip(chart.categories, s.values, strict=True)) if values[i] is not None]
    if not items:
        raise ChartRenderError(f"chart {chart.id!r}: a pie needs positive values")
    total = sum(v for _, v, _, _ in items)
    cap = cv.w * 0.3  # a label column never takes more than this; longer names wrap
    size = lfs
    for _ in range(8):
        lab_w = min(cap, max(max(cv.tw(c, size), cv.tw(t, size)) for c, _, _, t in items))
        line_h = size * 1.2
        r = min((cv.w - 2 * PAD - 2 * (lab_w + 18)) / 2, (cv.h - 2 * PAD - 2 * line_h) / 2)
        if r >= min(cv.w, cv.h) * 0.26 or size <= 6.5:
            break
        size -= 0.5
    r = max(r, 20.0)
    cx, cy = cv.w / 2, cv.h / 2
    width = r * 0.42 if chart.kind == "doughnut" else None
    angle = 90.0
    anchors = []
    for (_, v, color, _) in items:
        sweep = v / total * 360
        cv.wedge(cx, cy, r, angle - sweep, angle, color, width)
        mid = math.radians(angle - sweep / 2)
        anchors.append(mid)
        angle -= sweep
    if not chart.data_labels:
        return
    room = cv.w / 2 - PAD - (r + 13)  # from the label's start to the canvas edge
    names = [balanced(cv, c, max(room, size * 2), size) if cv.tw(c, size) > room else [c] for c, _, _, _ in items]
    block = (max(len(n) for n in names) + 1) * size * 1.2 + 2
    sides: dict[int, list[int]] = {1: [], -1: []}
    for i, a in enumerate(anchors):
        sides[1 if math.cos(a) >= 0 else -1].append(i)
    for side, idx in sides.items():
        want = [cy + (r + 8) * math.sin(anchors[i]) for i in idx]
        ys = repel(want, block, PAD + block / 2, cv.h - PAD - block / 2)
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
            if not ok:  # no room for this slice's label: none of it (the legend-free pie names it in alt text)
                cv.undo_texts(boxes)
                continue
            cv.line([px, kx, ex], [py, yy, yy], th.axis, lw=0.5, zorder=2)
