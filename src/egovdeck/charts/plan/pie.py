"""Plan of pie and doughnut charts: slices clockwise from 12 o'clock, labels in two columns beside the
pie (name lines, then the value line), moved apart so they never touch, each tied to its slice by a
leader line. A label that cannot be placed is left out whole, and its slice named, with its share, in a
legend under the pie.

The pie's size comes from the slot's width and height (issue #16: a pie in a narrow slot of a row of two or
three was drawn 60-70 pt across with 6.5 pt labels, its label columns taking the width while the height
was unused): labels go beside it only when the pie keeps BESIDE_SHARE of the canvas' width and a column
beside it holds every value line and BESIDE_EMS characters a line at label_floor pt or more; otherwise every
slice is named in the legend and the pie takes the room above it (the brief gives a pie the height for
MIN_PIE_SHARE of its width above a legend of every slice: render.pdf.geometry). No text of a pie is
smaller than `label_floor`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from egovdeck.charts.plan.canvas import PAD, Plan, RectMark, TextMark, WedgeMark
from egovdeck.charts.plan.labels import balanced, repel
from egovdeck.charts.plan.legend import Legend
from egovdeck.document.chart import ChartData, ChartRenderError, contrast, ink_on
from egovdeck.document.theme import Theme
from egovdeck.text.fonts import FontSet

PIE_LABEL_FLOOR = 7.0  # pt: no slice label or legend text of a pie is smaller (a theme's smaller label size wins)
MIN_PIE_SHARE = 0.5  # the brief's height for a pie gives it this share of its width above a legend of every slice
BESIDE_SHARE = 0.4  # with its labels beside it, the pie keeps at least this share of the canvas' width
BESIDE_EMS = 5  # a label column beside the pie holds at least this many CJK characters a line, or none is used
LEGEND_GAP = 4.0  # pt between the pie's room and the legend under it
KEY = 7.0  # pt: a legend entry's colour patch
KEY_GAP = 3.0  # pt from the patch to its text
COLUMN_GAP_EMS = 1.2  # between two legend columns, in em
INSIDE_AT = 0.6  # a label inside a pie's slice is centred this far out, in radii


def label_floor(theme: Theme) -> float:
    """The smallest text size (pt) of a pie's labels and legend: PIE_LABEL_FLOOR, or the theme's own label
    size when that is smaller."""
    return min(PIE_LABEL_FLOOR, theme.chart_label_size)


@dataclass
class SliceLegend:
    """The legend under a pie: one entry per slice named there ('名称：41.8%（412）'), in rows of `cols`
    columns (row-major, as the deck's legend), each entry's text wrapped to its column."""

    entries: list[tuple[list[str], str]]  # (lines, colour)
    size: float
    cols: int
    col_w: float
    rows: list[list[int]] = field(default_factory=list)

    @property
    def line_h(self) -> float:
        return self.size * 1.35

    @property
    def height(self) -> float:
        return sum(max(len(self.entries[i][0]) for i in row) * self.line_h for row in self.rows) \
            + max(len(self.rows) - 1, 0) * self.size * 0.3

    def draw(self, cv: Plan, y_top: float) -> None:
        """Rows from y_top down, the columns centred on the canvas."""
        gap = self.size * COLUMN_GAP_EMS
        used = max(len(r) for r in self.rows) if self.rows else 0
        widest = [max((cv.tw(ln, self.size) for i in self.rows_col(c) for ln in self.entries[i][0]), default=0.0)
                  + KEY + KEY_GAP for c in range(used)]
        total = sum(widest) + gap * (used - 1)
        x0 = max(PAD, (cv.w - total) / 2)
        y = y_top
        for row in self.rows:
            x = x0
            for c, i in enumerate(row):
                lines, color = self.entries[i]
                yc = y - self.line_h / 2
                cv.rect(x, yc - KEY / 2, KEY, KEY, color, zorder=6, role="legend")
                for k, ln in enumerate(lines):
                    cv.text(x + KEY + KEY_GAP, yc - k * self.line_h, ln, self.size, cv.theme.text, va="center",
                            role="legend")
                x += widest[c] + gap
            y -= max(len(self.entries[i][0]) for i in row) * self.line_h + self.size * 0.3

    def rows_col(self, c: int) -> list[int]:
        return [r[c] for r in self.rows if c < len(r)]


def slice_legend(cv: Plan, chart: ChartData, named: list[int], width: float,
                 budget: float | None = None) -> SliceLegend | None:
    """The legend naming the slices `named` (their shares with them: ChartData.legend_names) in `width` pt:
    as many columns as the widest entry allows side by side, one column (its texts wrapped) when even one
    entry is wider than the width; text at the theme's legend size, never under label_floor.

    `budget`: the height (pt) the legend may take. A legend taller than that is laid out in more columns
    (its entries wrapped), then at smaller sizes down to label_floor, the first that fits (more columns
    before a smaller size); the least tall of them when none does (issue #16: a pie of 30-40 slices planned
    a page tall drew its one-column legend over its caption and the pie)."""
    if not named:
        return None
    th = cv.theme
    names = chart.legend_names()
    size = max(th.chart_legend_size, label_floor(th))
    legend = _slice_legend(cv, chart, named, width, size, None, names)
    if budget is None or legend.height <= budget:
        return legend
    best = legend
    floor = label_floor(th)
    for sz in [size - 0.5 * k for k in range(int((size - floor) / 0.5) + 1)]:
        name_w = [cv.tw(names[i], sz) for i in named]
        n = len(named)
        for cols in sorted({math.ceil(n / math.ceil(n / c)) for c in range(1, n + 1)}):
            room = (width + sz * COLUMN_GAP_EMS) / cols - sz * COLUMN_GAP_EMS - KEY - KEY_GAP
            if room < sz * BESIDE_EMS:
                break  # a column narrower than BESIDE_EMS characters: more would only wrap more
            # at least this tall (each entry in as many lines as its width needs): laid out only if it may fit
            least = sum(max(math.ceil(w / room) for w in name_w[k:k + cols]) for k in range(0, n, cols))
            if least * sz * 1.35 > budget + 0.01 and least * sz * 1.35 >= best.height - 0.01:
                continue
            other = _slice_legend(cv, chart, named, width, sz, cols, names)
            if other.height < best.height - 0.01:
                best = other
            if other.height <= budget:
                return other
    return best


def _slice_legend(cv: Plan, chart: ChartData, named: list[int], width: float, size: float,
                  cols: int | None, names: list[str]) -> SliceLegend:
    """slice_legend at text `size` in `cols` columns (None: as many as the widest entry on one line allows);
    `names`: chart.legend_names()."""
    th = cv.theme
    s = chart.series[0]
    colors = [s.point_colors[i] if i < len(s.point_colors) and s.point_colors[i] else th.color(i) for i in named]
    gap = size * COLUMN_GAP_EMS
    if cols is None:
        widest = max(cv.tw(names[i], size) for i in named) + KEY + KEY_GAP
        cols = max(1, min(len(named), int((width + gap) // (widest + gap))))
    cols = math.ceil(len(named) / math.ceil(len(named) / cols))  # rows as full as they can be, no lone last row
    col_w = (width + gap) / cols - gap
    room = max(col_w - KEY - KEY_GAP, size * 2)
    entries = [(_entry_lines(cv, names[i], room, size), color) for i, color in zip(named, colors, strict=True)]
    legend = SliceLegend(entries, size, cols, col_w)
    legend.rows = [list(range(k, min(k + cols, len(named)))) for k in range(0, len(named), cols)]
    return legend


def _entry_lines(cv: Plan, name: str, room: float, size: float) -> list[str]:
    """A legend entry's lines in a column of `room` pt (labels.balanced when it is wider; 「名称：」 and the
    value text 「41.8%（412）」 on lines of their own when only that keeps the value whole), remembered for
    the canvas' fonts: a pie's plan lays its legend out many times (slice_legend, _settle, pie_height)."""
    key = (cv.fonts, name, round(room, 3), size)
    lines = _WRAPPED.get(key)
    if lines is None:
        head, sep, value = name.partition("：")  # 「名称：41.8%（412）」: the value text stays whole on its line
        if cv.tw(name, size) <= room:
            lines = [name]
        elif sep and cv.tw(value, size) <= room:
            lines = [*balanced(cv, head + sep, room, size), value]
        else:
            lines = balanced(cv, name, room, size)
        if len(_WRAPPED) > 20000:
            _WRAPPED.clear()
        _WRAPPED[key] = lines
    return list(lines)


_WRAPPED: dict[tuple, list[str]] = {}


def legend_budget(width: float, height: float) -> float:
    """The height (pt) the legend under a pie on a canvas `width` x `height` pt may take (slice_legend's
    budget): what is left when the pie keeps MIN_PIE_SHARE of the width, or half the height when that is less."""
    return height - 2 * PAD - LEGEND_GAP - min(MIN_PIE_SHARE * width, (height - 2 * PAD) / 2)


def legend_height(chart: ChartData, width: float, theme: Theme, fonts: FontSet, named: list[int] | None = None,
                  budget: float | None = None) -> float:
    """Height (pt) of the legend under a pie `width` pt wide naming `named` (default: every slice), with its
    gap above, laid out to fit `budget` pt where it can (slice_legend); for the brief's chart heights
    (render.pdf.geometry)."""
    cv = Plan(width, 100.0, theme, fonts)
    shown = [i for i, t in enumerate(chart.slice_texts()) if t is not None] if named is None else named
    legend = slice_legend(cv, chart, shown, width - 2 * PAD, budget)
    return legend.height + LEGEND_GAP if legend else 0.0


NEED_STEPS = 5  # planned heights tried between a pie's drawn height and its full need (pie_height)
MIN_RADIUS = 20.0  # pt: the smallest pie the plan draws (_radius), its legend taking the rest of the canvas


def pie_height(chart: ChartData, width: float, theme: Theme, fonts: FontSet, room: float | None = None) -> float:
    """The least height (pt) a pie or doughnut `width` pt wide needs, at most `room` where its legend can be
    laid out to fit (more columns, smaller text: slice_legend). Planned so that, whichever of its labels go
    to the legend (the slot's room, or the deck's, leaves them out: charts.labelplan), the pie keeps a
    diameter of MIN_PIE_SHARE of the width above a legend naming every slice (none without data labels);
    then the pie is planned at that height, and when what it draws (labels beside the pie, a shorter legend)
    takes less, the height it draws is the need, if planned at that height it draws the same (issue #16:
    the room of a legend of every slice stayed empty under a pie whose labels fit beside it)."""
    if not chart.data_labels:
        return width * MIN_PIE_SHARE + 2 * PAD
    budget = None if room is None else legend_budget(width, room)
    full = width * MIN_PIE_SHARE + 2 * PAD + legend_height(chart, width, theme, fonts, budget=budget)
    drawn = _drawn(chart, width, full, theme, fonts)
    if drawn is None or drawn[0] >= full - 1.0:
        return full

    def same(height: float) -> bool:
        again = _drawn(chart, width, height, theme, fonts)
        return again is not None and again[1] >= drawn[1] - 0.5 and again[2] == drawn[2]

    if same(drawn[0]):
        return round(drawn[0], 2)
    low, high = drawn[0], full  # the least height that draws the same pie and labels lies between them
    for _ in range(NEED_STEPS):
        mid = (low + high) / 2
        low, high = (low, mid) if same(mid) else (mid, high)
    return round(high, 2)


def _drawn(chart: ChartData, width: float, height: float, theme: Theme,
           fonts: FontSet) -> tuple[float, float, frozenset] | None:
    """(height from the lowest to the highest mark with the padding, the pie's radius, the labelled slices)
    of the pie planned on a `width` x `height` canvas; None if it cannot be planned."""
    cv = Plan(width, height, theme, fonts)
    try:
        plan_pie(cv, chart)
    except ChartRenderError:
        return None
    lows, highs, radius = [], [], 0.0
    for m in cv.marks:
        if isinstance(m, WedgeMark):
            lows.append(m.y - m.r)
            highs.append(m.y + m.r)
            radius = m.r
        elif isinstance(m, TextMark):
            lows.append(m.box[1])
            highs.append(m.box[3])
        elif isinstance(m, RectMark):
            lows.append(m.y)
            highs.append(m.y + m.h)
    if not lows:
        return None
    labelled = frozenset(m.ref for m in cv.text_marks("slice"))
    return max(highs) - min(lows) + 2 * PAD, round(radius, 1), labelled


def pie_least(chart: ChartData, width: float, theme: Theme, fonts: FontSet) -> float:
    """The least height (pt) a pie `width` pt wide can be drawn at with every slice named: the pie at
    MIN_RADIUS above the least tall legend of every slice (slice_legend with no room to spare)."""
    legend = legend_height(chart, width, theme, fonts, budget=0.0) if chart.data_labels else 0.0
    return 2 * MIN_RADIUS + 2 * PAD + legend


def plan_pie(cv: Plan, chart: ChartData) -> None:
    """The pie, its labels, and under it a legend naming the slices whose label found no room (the deck does
    the same: egovdeck.charts.pieroom), the pie made smaller by the legend's height (_settle). Without labels,
    a legend of every slice where `legend:` asks (bottom, top or right; the deck's c:legendPos), as the deck."""
    if not chart.data_labels:
        _unlabelled_pie(cv, chart)
        return
    reserve, beside = _settle(cv, chart)
    left = _place_pie(cv, chart, reserve, beside)
    legend = slice_legend(cv, chart, left, cv.w - 2 * PAD, legend_budget(cv.w, cv.h))
    if legend is not None:
        # right under the pie and its labels (the room kept for it may be more than it needs)
        low = min([m.y - m.r for m in cv.marks if isinstance(m, WedgeMark)]
                  + [b[1] for b in cv.boxes if b[1] > 0.0])
        legend.draw(cv, max(PAD + legend.height, low - LEGEND_GAP))


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


def _settle(cv: Plan, chart: ChartData) -> tuple[float, bool]:
    """The legend's room (pt) under the pie and whether labels go beside it: the room grows, pass by pass,
    to the legend of the slices left out (which a smaller pie may change); when that does not settle, every
    slice's room is kept for the legend and the labels go inside the slices that hold them (or nowhere)."""
    def left(reserve: float, beside: bool) -> float:
        named = _place_pie(Plan(cv.w, cv.h, cv.theme, cv.fonts), chart, reserve, beside)
        legend = slice_legend(cv, chart, named, cv.w - 2 * PAD, legend_budget(cv.w, cv.h))
        return legend.height + LEGEND_GAP if legend else 0.0

    reserve = 0.0
    for _ in range(6):
        need = left(reserve, True)
        if need <= reserve + 0.01:
            return reserve, True
        reserve = need
    every = [i for i, t in enumerate(chart.slice_texts()) if t is not None]
    legend = slice_legend(cv, chart, every, cv.w - 2 * PAD, legend_budget(cv.w, cv.h))
    reserve = legend.height + LEGEND_GAP if legend else 0.0
    return max(reserve, left(reserve, False)), False


def _items(chart: ChartData, theme: Theme) -> list[tuple[str, float, str, str, int]]:
    """(name, value, colour, value text, slice index) of each slice drawn."""
    s = chart.series[0]
    values = chart.slice_texts()
    items = [(c, v, s.point_colors[i] if i < len(s.point_colors) else theme.color(i), values[i], i)
             for i, (c, v) in enumerate(zip(chart.categories, s.values, strict=True)) if values[i] is not None]
    if not items:
        raise ChartRenderError(f"chart {chart.id!r}: a pie needs positive values")
    return items  # type: ignore[return-value]


def _radius(cv: Plan, items, bottom: float, beside: bool) -> tuple[float, float, bool]:
    """The pie's radius (pt), the label size and whether labels go beside it. Beside at the largest size
    (from the theme's down to label_floor) where the pie keeps BESIDE_SHARE of the canvas' width (or all
    the height allows) and 0.26 of its smaller side, with a column beside it that holds every value line and
    BESIDE_EMS characters; the pie then as large as the label columns leave it. Else the pie as large as the
    room above the legend, every slice named in the legend."""
    th = cv.theme
    floor = label_floor(th)
    high = (cv.h - bottom - 2 * PAD) / 2  # the radius the height allows
    whole = max(min((cv.w - 2 * PAD) / 2, high), MIN_RADIUS)
    if not beside:
        return whole, floor, False
    cap = cv.w * 0.3  # a label column never takes more than this; longer names wrap
    size = th.chart_label_size
    while size >= floor - 1e-9:
        lab_w = min(cap, max(max(cv.tw(c, size), cv.tw(t, size)) for c, _, _, t, _ in items))
        need = max(BESIDE_EMS * size, max(cv.tw(t, size) for _, _, _, t, _ in items))
        most = min(cv.w / 2 - PAD - 13 - need, high - size * 1.2)  # the column keeps `need`
        least = max(min(cv.w * BESIDE_SHARE / 2, high - size * 1.2), min(cv.w, cv.h - bottom) * 0.26, 20.0)
        r = min(max((cv.w - 2 * PAD - 2 * (lab_w + 18)) / 2, least), most)
        if r >= least - 1e-9:
            return r, size, True
        size -= 0.5
    return whole, floor, False


def _inside_labels(cv: Plan, chart: ChartData, items, anchors: list[float], pie: tuple[float, float, float],
                   ring: float | None, size: float) -> set[int]:
    """Labels (name, then value) inside the slices that hold them whole, largest slice first: centred at
    INSIDE_AT of the radius (a doughnut's: the ring's middle) on the slice's middle angle, every corner of the
    box inside the slice, in white or the text colour, whichever contrasts more with the fill, and only at
    4.5:1 or more (WCAG 2 AA). Returns the indices (into items) labelled."""
    cx, cy, r = pie
    th = cv.theme
    at = r - ring / 2 if ring else r * INSIDE_AT
    total = sum(v for _, v, _, _, _ in items)
    done: set[int] = set()
    for k in sorted(range(len(items)), key=lambda k: (-items[k][1], k)):
        name, v, color, text, idx = items[k]
        if chart.shown_labels is not None and (0, idx) not in chart.shown_labels:
            continue
        ink = ink_on(color, th.text)
        if contrast(ink, color) < 4.5:
            continue
        a = anchors[k]
        half = v / total * math.pi  # the slice's half angle, radians
        x, y = cx + at * math.cos(a), cy + at * math.sin(a)
        w = max(cv.tw(name, size), cv.tw(text, size))
        h = 2 * size * 1.2
        corners = [(x + dx * w / 2, y + dy * h / 2) for dx in (-1, 0, 1) for dy in (-1, 1)]
        if not all(_in_slice(px - cx, py - cy, a, half, r - 1.0, (r - ring + 1.0) if ring else 0.0)
                   for px, py in corners):
            continue
        boxes = len(cv.boxes)
        if all(cv.text(x, y + (0.6 - 1.2 * j) * size, ln, size, ink, ha="center", avoid=True, role="slice",
                       ref=(0, k), zorder=7) for j, ln in enumerate((name, text))):
            done.add(k)
        else:
            cv.undo_texts(boxes)
    return done


def _in_slice(dx: float, dy: float, mid: float, half: float, outer: float, inner: float) -> bool:
    """Whether the point (dx, dy) from the centre lies in the slice of middle angle `mid` and half angle
    `half` (radians) between the radii `inner` and `outer`, 2 pt clear of its straight edges."""
    d = math.hypot(dx, dy)
    if not inner <= d <= outer:
        return False
    if half >= math.pi:
        return True
    off = abs((math.atan2(dy, dx) - mid + math.pi) % (2 * math.pi) - math.pi)
    return off <= half and d * math.sin(half - off) >= 2.0


def _place_pie(cv: Plan, chart: ChartData, bottom: float, beside: bool = True) -> list[int]:
    """The pie and its labels above `bottom` pt; returns the indices of the slices left without a label."""
    th = cv.theme
    items = _items(chart, th)
    if not chart.data_labels:
        beside = True  # no labels: the pie's size as it always was
    r, size, beside = _radius(cv, items, bottom, beside and chart.data_labels)
    dropped: list[int] = []
    total = sum(v for _, v, _, _, _ in items)
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
    if not beside:
        inside = _inside_labels(cv, chart, items, anchors, (cx, cy, r), width, size)
        return sorted(it[4] for k, it in enumerate(items) if k not in inside)
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
