"""Room for the data labels of a deck chart: beyond its column tops (upright_room), side by
side on its columns (column_label_fit), and for a combo's line above the columns (line_room: what the deck
measures for the one decision of a combo's axes, egovdeck.charts.comboaxis).

PowerPoint and LibreOffice put a bar's outside label (c:dLblPos outEnd) beyond the bar end whatever the
axis range: when the resolver's round range ends at the most negative value, the label of that bar runs
past the plot into the category names at the low side (c:tickLblPos low); at the high end it runs past
the chart frame. The low end's room is decided once for both outputs by the resolver
(egovdeck.resolve.charts.low_end_room, whole steps, so c:min stays a tick); the high end grows here
without a tick, as the PDF's does (egovdeck.charts.plan).

The plot's extent is estimated from the chart frame less the category names and the renderers' inner
padding; an end the definition pinned is never moved. Every text is measured with `deck_metrics`: the wider
of the bundled font's advance and a substitute's (egovdeck.text.substitute), since a viewer without the
deck's font draws it with another one (LibreOffice without Egov Sans SC: DejaVu Sans digits, 15 % wider;
26 column labels 0.40 0.45 … then ran together), and the labels must keep their gaps there too.
"""

from __future__ import annotations

import math
from dataclasses import replace

from egovdeck.charts.comboaxis import LineRoom, upper_ticks, with_axes
from egovdeck.charts.labelfit import LabelFit, fit_labels, label_gap
from egovdeck.charts.linelabels import ABOVE, BELOW, LabelFrame, is_line, polylines
from egovdeck.charts.scale import round_step
from egovdeck.document.chart import ChartData
from egovdeck.document.theme import Theme
from egovdeck.text.fonts import Metrics, default_fonts
from egovdeck.text.substitute import portable_metrics

PADDING = 14.0  # pt the chart frame keeps around its plot area and between labels and plot (both sides)
LABEL_GAP = 6.0  # pt between a bar end and its label, and beyond the label


def deck_metrics() -> Metrics:
    """The metrics a deck chart's text is measured with: the bundled font's, each non-CJK character at the
    wider of its advance and the substitute's, with LibreOffice's gap between scripts
    (egovdeck.text.substitute.portable_metrics)."""
    return portable_metrics(default_fonts().regular)


def _step(chart: ChartData) -> float:
    """The value axis' tick step (the resolver's, ChartData.y_step, which the PDF draws too): a range moved
    by whole steps keeps both outputs' ticks on the same values."""
    assert chart.y_min is not None and chart.y_max is not None
    return chart.y_step or round_step(chart.y_min, chart.y_max)


def upright_room(chart: ChartData, width_pt: float, height_pt: float, theme: Theme,
                 fit: LabelFit | None) -> tuple[float | None, float | None]:
    """(y_min, y_max) for a column chart whose data labels read upwards (fit.rotated, column_label_fit):
    the free high end of the resolver's range (y_max_auto) moved up until the longest label, `LABEL_GAP`
    from its column's end, fits within the plot beyond the highest column. The chart's own range otherwise;
    the low end is the resolver's, moved once for both outputs (resolve.charts.low_end_room).

    An upright label is as long as its text (「1,000」 at 12 pt: 30 pt); PowerPoint and LibreOffice put it
    beyond the column's end whatever the range, so a range ending just above the tallest column lets its
    label run past the plot and the chart frame (LibreOffice, 18 columns near 787 in 427 × 372 pt on a
    0–800 range: 「787」 2 pt above the frame). A flat label is 1.4 em high, which the frame's padding above
    the plot holds. The PDF extends its high end the same way (egovdeck.charts.plan.columns._headroom):
    exactly, without a tick above the last one (LibreOffice then draws no tick there either)."""
    lo, hi = chart.y_min, chart.y_max
    if (chart.kind != "column" or chart.stacked or not chart.data_labels or fit is None or not fit.rotated
            or chart.label_position not in ("auto", "outside") or lo is None or hi is None or hi <= lo):
        return lo, hi
    values = [v for s in chart.series for v in s.values if v is not None and math.isfinite(v)]
    if not values:
        return lo, hi
    m = deck_metrics()
    _, extent = plot_size(chart, width_pt, height_pt, theme)
    need = max(m.width(s.fmt.format(v), fit.size) for s in chart.series for v in s.values
               if v is not None and math.isfinite(v)) + LABEL_GAP
    if extent <= 0 or need / extent >= 0.5:
        return lo, hi
    frac = need / extent
    dmax = max(values)
    for _ in range(20):  # the label's room, as a share of the range, beyond the highest column
        if not (chart.y_max_auto and dmax > 0 and hi - max(dmax, 0.0) < frac * (hi - lo)):
            break
        # exactly to the room, without a tick above the last one, as the PDF (plan.columns._headroom)
        hi = max(hi, (max(dmax, 0.0) - frac * lo) / (1 - frac) * (1 + 1e-9))
    return lo, hi


LEGEND_TEXT_SHARE = 0.3  # of the frame's width a legend beside the plot gives its names (LibreOffice 25.2: 258 of 880 pt)
LEGEND_BOX = 40.0  # pt a legend beside the plot takes besides its names: its keys, padding, the gap to the plot


def side_legend_width(chart: ChartData, width_pt: float, theme: Theme) -> float:
    """The width (pt) a legend left or right of a vertical chart's plot takes from a frame width_pt wide
    (0 for a legend above or below, or none): its widest series name (deck_metrics, at the legend size, a
    longer one wraps at LEGEND_TEXT_SHARE of the frame) and LEGEND_BOX. Measured in LibreOffice 25.2: four
    names up to 23 characters at 11 pt in an 880 pt frame left a plot of 478 pt."""
    if chart.legend not in ("left", "right") or len(chart.series) < 2 or chart.kind in ("pie", "doughnut"):
        return 0.0
    m = deck_metrics()
    widest = max(m.width(s.name, theme.chart_legend_size) for s in chart.series)
    return min(widest, LEGEND_TEXT_SHARE * width_pt) + LEGEND_BOX


LEGEND_KEY = 2.5  # em a legend entry takes besides its name: its key and the gap after it (a line's key is the wider)
LEGEND_ROW = 1.4  # em a legend line is high


def legend_names(chart: ChartData, width_pt: float, theme: Theme) -> list[str]:
    """The series names as a legend above or below a vertical chart's plot shows them in a frame width_pt
    wide: a name whose entry is wider than the legend's room (the frame less PADDING on each side) broken
    into lines ("\n", at legal breaks: textfit.wrap_label) that fit it. PowerPoint and LibreOffice then put
    each entry on its own row; left to themselves, LibreOffice 25.2 drew two names of 40 and 47 characters
    on top of each other, each wrapped at the frame's width (issue #16). Other legends: the names as they are."""
    from egovdeck.text.textfit import wrap_label

    names = [s.name for s in chart.series]
    if chart.legend not in ("top", "bottom") or len(chart.series) < 2 or chart.kind in ("pie", "doughnut"):
        return names
    m, size = deck_metrics(), theme.chart_legend_size
    room = width_pt - 2 * PADDING - LEGEND_KEY * size
    return [n if m.width(n, size) <= room else "\n".join(wrap_label(n, room, size, m) or [n]) for n in names]


def legend_height(chart: ChartData, width_pt: float, theme: Theme) -> float:
    """The height (pt) a legend above or below a vertical chart's plot takes in a frame width_pt wide (0
    for none or one beside the plot): its entries (legend_names) side by side in rows of equal columns, as
    many columns as the widest entry allows."""
    if chart.legend not in ("top", "bottom") or len(chart.series) < 2 or chart.kind in ("pie", "doughnut"):
        return 0.0
    m, size = deck_metrics(), theme.chart_legend_size
    names = legend_names(chart, width_pt, theme)
    widths = [max(m.width(line, size) for line in n.split("\n")) + LEGEND_KEY * size for n in names]
    room = width_pt - 2 * PADDING
    if sum(widths) <= room:
        return LEGEND_ROW * size * max(n.count("\n") + 1 for n in names) + 0.6 * size
    cols = max(1, int(room // max(widths)))
    rows = [names[i:i + cols] for i in range(0, len(names), cols)]
    return sum(LEGEND_ROW * size * max(n.count("\n") + 1 for n in r) for r in rows) + 0.6 * size


def _end_label_width(chart: ChartData, theme: Theme) -> float:
    """The room (pt) a line chart's end labels (right of the last point, c:dLblPos r) take from its plot
    beyond the frame's right padding (LibreOffice 25.2: 「19.8%」 at 12 pt narrowed a 554 pt frame's plot
    by 22 pt)."""
    if chart.kind != "line" or not chart.end_labels:
        return 0.0
    m = deck_metrics()
    lasts = [next((v for v in reversed(s.values) if v is not None and math.isfinite(v)), None) for s in chart.series]
    widest = max((m.width(s.fmt.format(v), theme.chart_label_size) for s, v in zip(chart.series, lasts, strict=True)
                  if v is not None), default=0.0)
    return max(0.0, widest + 4 - PADDING) if widest else 0.0


def end_label_shifts(chart: ChartData, width_pt: float, height_pt: float, theme: Theme) -> dict[int, float]:
    """{series index: pt to move its end label down (negative: up)} for a line chart with end_labels in a
    native frame of width_pt × height_pt: the labels' centres at their last points on the plot `plot_size`
    predicts (the value range the chart pins, y_min .. y_max), moved apart to 1.25 em by the PDF's rule
    (charts.plan.labels.repel, which keeps them inside the plot and in the same order: lower first, a tie in
    series order), so that the deck separates them as the PDF does (LibreOffice drew 「0.1」 over 「0.0」
    at the same spot). A series whose label stays put is not listed; other charts give {}."""
    from egovdeck.charts.plan.labels import repel

    if chart.kind != "line" or not chart.end_labels or not chart.series:
        return {}
    _pw, ph = plot_size(chart, width_pt, height_pt, theme)
    vals = [v for s in chart.series for v in s.values if v is not None and math.isfinite(v)] or [0.0]
    lo, hi = chart.y_min, chart.y_max
    if lo is None or hi is None or hi <= lo:
        lo, hi = min(vals), max(vals)
    ends: list[tuple[int, float]] = []
    for j, s in enumerate(chart.series):
        last = next((v for v in reversed(s.values) if v is not None and math.isfinite(v)), None)
        if last is not None:
            ends.append((j, (last - lo) / ((hi - lo) or 1.0) * ph))
    moved = repel([y for _j, y in ends], theme.chart_label_size * 1.25, 0.0, ph)
    return {j: y - m for (j, y), m in zip(ends, moved, strict=True) if abs(y - m) > 0.05}


def plot_size(chart: ChartData, width_pt: float, height_pt: float, theme: Theme) -> tuple[float, float]:
    """(width, height) of a vertical chart's plot area in the deck, estimated from its frame: the
    frame less the value axes' tick labels and unit titles (deck_metrics, the titles read
    horizontally beside the axes), the category names, the legend (side_legend_width beside the plot) and
    the padding. Checked against
    LibreOffice's rendering (a combo of 427 pt: 303 pt estimated 296)."""
    m = deck_metrics()

    def ticks_w(series) -> float:
        top = max((abs(v) for s in series for v in s.values if v is not None and math.isfinite(v)), default=0.0)
        top = max(top, abs(chart.y_max or 0.0), abs(chart.y_min or 0.0)) if series and not series[0].secondary \
            else top
        return m.width(series[0].fmt.format(top) if series else "", theme.chart_tick_size) + 6 if series else 0.0

    prim = [s for s in chart.series if not s.secondary] or list(chart.series)
    sec = [s for s in chart.series if s.secondary and chart.kind == "combo"]
    titles = sum(m.width(t, theme.chart_tick_size) + 6 for t in (chart.y_title, chart.y2_title if sec else "") if t)
    w = width_pt - 2 * PADDING - ticks_w(prim) - (ticks_w(sec) if sec else 0.0) - titles \
        - side_legend_width(chart, width_pt, theme) - _end_label_width(chart, theme)
    h = height_pt - theme.chart_tick_size * 2.6 - 2 * PADDING - legend_height(chart, width_pt, theme)
    return w, h


def column_label_fit(chart: ChartData, width_pt: float, height_pt: float, theme: Theme,
                     floor: float) -> LabelFit | None:
    """The deck's placement of a column or combo chart's column data labels (`egovdeck.charts.labelfit`,
    the PDF's rule) in a frame of width_pt × height_pt; None for other charts or without labels.

    The slot of a category is the plot width over the categories; side by side, a column is the slot's
    share after PowerPoint's gap (c:gapWidth 80: a group is 1/1.8 of the slot)."""
    if chart.kind not in ("column", "combo") or chart.stacked or not chart.data_labels or not chart.categories:
        return None
    bars = [s for s in chart.series if not (chart.kind == "combo" and s.kind == "line")]
    if not bars:
        return None
    m = deck_metrics()
    pw, _ = plot_size(chart, width_pt, height_pt, theme)
    n = len(chart.categories)
    slot = pw / n
    bar_w = slot / 1.8 / len(bars)
    size = theme.chart_label_size
    if len(bars) == 1:
        s = bars[0]
        widths = [m.width(s.fmt.format(v), 1.0) if v is not None else 0.0 for v in s.values]
        return _clear_of_the_axes(fit_labels(widths, slot, size, floor, rotate=True), widths, slot, _right_axis(chart))
    widths = [m.width(s.fmt.format(v), 1.0) if (v := s.values[i]) is not None else 0.0 for i in range(n) for s in bars]
    fit = fit_labels(widths, bar_w, size, floor, rotate=True)
    if fit.step > 1:
        group = [sum(widths[i * len(bars):(i + 1) * len(bars)]) + label_gap(floor) * (len(bars) - 1)
                 for i in range(n)]
        cat = fit_labels(group, slot, size, floor, rotate=False)
        fit = LabelFit(cat.size, False, cat.step)
        # the labels of one category still stand each over its own column, bar_w apart: they must not
        # touch there either (LibreOffice drew 「181」 on 「134」, issue 16) -- smaller, else none at all
        pairs = [(widths[i * len(bars) + k] + widths[i * len(bars) + k + 1]) / 2 for i in range(n)
                 for k in range(len(bars) - 1) if widths[i * len(bars) + k] and widths[i * len(bars) + k + 1]]
        need = max(pairs, default=0.0)
        sizes = [x for x in _label_sizes(fit.size, floor) if need * x + label_gap(x) <= bar_w + 1e-9]
        if sizes:
            fit = replace(fit, size=sizes[0])
        else:
            fit = replace(fit, dropped=frozenset(range(n)))
    return fit


def _label_sizes(size: float, floor: float) -> list[float]:
    """size, then down in 0.25 pt steps to floor (labelfit's steps)."""
    out = [size]
    while out[-1] - 0.25 >= floor - 1e-9:
        out.append(round(out[-1] - 0.25, 2))
    return out


def line_room(chart: ChartData, width_pt: float, height_pt: float, theme: Theme, floor: float) -> LineRoom | None:
    """The deck's room for a combo's line (`egovdeck.charts.comboaxis.LineRoom`) in a native chart frame of
    width_pt × height_pt: the plot `plot_size` predicts; above each category's columns, the label drawn there
    as `column_label_fit` places it (flat 1.3 em high, turned as long as its text, 4 pt more), the labels' gap
    and 4 pt for the marker; under the top, the line's own label (1.4 em and 6 pt; 4 pt without labels).
    None for other charts, or a plot of 40 pt or less (nothing is kept clear there)."""
    bars = [s for s in chart.series if s.kind != "line"]
    if chart.kind != "combo" or not bars or not chart.categories:
        return None
    _, ph = plot_size(chart, width_pt, height_pt, theme)
    if ph <= 40:
        return None
    fit = column_label_fit(chart, width_pt, height_pt, theme, floor)
    m = deck_metrics()  # the wider of the bundled font's and the viewer's fallback's widths
    lfs = theme.chart_label_size
    n = len(chart.categories)
    above = []
    for i in range(n):
        vals = [v for s in bars if (v := s.values[i]) is not None and math.isfinite(v)]
        label_h = 0.0
        if (chart.data_labels and not chart.stacked and fit is not None and fit.shown(i, n) and vals
                and max(vals) >= 0):
            label_h = (max(m.width(s.fmt.format(v), fit.size) for s in bars if (v := s.values[i]) is not None)
                       if fit.rotated else fit.size * 1.3) + 4
        above.append(label_h + label_gap(lfs) + 4)
    return LineRoom(ph, tuple(above), lfs * 1.4 + 6 if chart.data_labels else 4.0)


def line_label_fit(chart: ChartData, width_pt: float, height_pt: float, theme: Theme,
                   floor: float) -> LabelFit | None:
    """The deck's placement of the data labels of a line or a combo's line (labelfit's rule, flat: smaller,
    then every k-th from the last); None without labels or for other charts. The widest label of all
    line series decides, so that the lines keep their labels at the same categories."""
    if chart.kind not in ("line", "combo") or not chart.data_labels or chart.end_labels or not chart.categories:
        return None
    lines = [s for s in chart.series if chart.kind == "line" or s.kind == "line"]
    if not lines:
        return None
    m = deck_metrics()
    pw, _ = plot_size(chart, width_pt, height_pt, theme)
    n = len(chart.categories)
    widths = [max((m.width(s.fmt.format(v), 1.0) for s in lines if (v := s.values[i]) is not None), default=0.0)
              for i in range(n)]
    return _clear_of_the_axes(fit_labels(widths, pw / n, theme.chart_label_size, floor, rotate=False), widths, pw / n,
                             _right_axis(chart))


EDGE_PAD = 2.5  # pt between a vertical chart's plot edge and the tick labels beside it (LibreOffice 25.2: 2.8)


def _right_axis(chart: ChartData) -> bool:
    """Whether a vertical chart has tick labels right of its plot (a combo's secondary axis)."""
    return chart.kind == "combo" and any(s.secondary for s in chart.series)


def _clear_of_the_axes(fit: LabelFit, widths: list[float], pitch: float, right_axis: bool = True) -> LabelFit:
    """fit with the first and last shown labels left out when, flat and centred over their point or column,
    they would come closer than `label_gap` to the value axes' tick labels beside the plot (LibreOffice, 34
    categories: 「10.2%」 over 「10,000」; a combo of 26: 「2.68」 touching the right axis' 「−100%」): half the
    label and the gap wider than half the slot (`pitch` pt) and the axis' padding. widths: labels' advances
    at 1 pt; right_axis: whether tick labels stand right of the plot too (a combo's secondary axis)."""
    if fit.rotated:
        return fit
    n = len(widths)
    shown = [i for i in range(n) if widths[i] and fit.shown(i, n)]
    edges = {i for i in shown[:1] if widths[i] * fit.size / 2 + label_gap(fit.size) > pitch / 2 + EDGE_PAD}
    # no tick labels on the right of a plot without a secondary axis: only the frame's padding to keep
    edges |= {i for i in shown[-1:] if widths[i] * fit.size / 2 + (label_gap(fit.size) if right_axis else 0.0)
              > pitch / 2 + (EDGE_PAD if right_axis else 4.0)}
    return replace(fit, dropped=fit.dropped | frozenset(edges)) if edges else fit


MARKER = 5.0  # pt: the deck's line marker (charts.native._marker), a highlighted point's is 6
COLUMN_MARGIN = 0.1  # share of the plot height a combo's label below its point keeps from the columns (prediction error)
LINE_LABEL_LIFT = 2.0  # pt between a marker's edge and its label's box (LibreOffice 25.2, dLblPos t / b)


def deck_label_frame(chart: ChartData, width_pt: float, height_pt: float, theme: Theme,
                     floor: float) -> LabelFrame | None:
    """The deck's geometry of a line or combo chart's line labels (`egovdeck.charts.linelabels.LabelFrame`)
    in a frame of width_pt × height_pt, on the plot `plot_size` predicts, with the value ranges
    `charts.native` writes (the resolver's, a combo's lifted top and right axis' ticks); None for other
    charts. A label (at `line_label_fit`'s size, 1.25 em high) is centred over or under its point, clear
    of its 5 pt marker; the combo's columns and their labels are obstacles; labels `line_label_fit` leaves
    out (thinned, or past the plot's edge over the axes' tick labels) are never shown."""
    if chart.kind not in ("line", "combo") or not chart.categories or not chart.series:
        return None
    w, h = width_pt, height_pt
    if chart.kind == "combo" and chart.y2_axis is None:  # a chart drawn on its own: its axes for this frame
        chart = with_axes(chart, [r for r in [line_room(chart, w, h, theme, floor)] if r is not None])
    fit = column_label_fit(chart, w, h, theme, floor)
    line_fit = line_label_fit(chart, w, h, theme, floor)
    size = line_fit.size if line_fit is not None else theme.chart_label_size
    pw, ph = plot_size(chart, w, h, theme)
    n = len(chart.categories)
    slot = pw / n
    m = deck_metrics()

    def extent(series) -> tuple[float, float]:
        vals = [v for s in series for v in s.values if v is not None and math.isfinite(v)] or [0.0]
        return min(vals), max(vals)

    prim = [s for s in chart.series if not (chart.kind == "combo" and s.secondary)]
    lo, hi = chart.y_min, chart.y_max
    if lo is None or hi is None or hi <= lo:
        lo, hi = extent(prim or chart.series)
    sec = [s for s in chart.series if chart.kind == "combo" and s.secondary]
    lo2, hi2 = lo, hi
    if sec and chart.y2_axis is not None:  # the right axis decided for both outputs (charts.comboaxis)
        lo2, hi2 = chart.y2_axis.lo, chart.y2_axis.hi
    elif sec:
        t = upper_ticks(*extent(sec), 5)
        lo2, hi2 = t[0], t[-1]

    def ypos(s, v: float) -> float:
        a, b = (lo2, hi2) if s in sec else (lo, hi)
        return (v - a) / ((b - a) or 1.0) * ph

    xs = [slot * (i + 0.5) for i in range(n)]
    crowded = max(m.width(c, theme.chart_tick_size) for c in chart.categories) > slot * 0.9
    labels: dict[tuple[int, int, str], tuple[float, float, float, float]] = {}
    markers, ys_by_line, shown = [], [], set()
    for j, s in enumerate(chart.series):
        if not is_line(chart, s):
            continue
        ys = [ypos(s, v) if v is not None and math.isfinite(v) else math.nan for v in s.values]
        ys_by_line.append(ys)
        for i, yy in enumerate(ys):
            if not math.isfinite(yy):
                continue
            r = (6.0 if i < len(s.point_colors) and s.point_colors[i] and s.point_colors[i] != s.color
                 else MARKER) / 2
            markers.append((xs[i] - r, yy - r, xs[i] + r, yy + r))
            tw, th = m.width(s.fmt.format(s.values[i]), size), size * 1.25
            labels[(j, i, ABOVE)] = (xs[i] - tw / 2, yy + r + LINE_LABEL_LIFT, xs[i] + tw / 2,
                                     yy + r + LINE_LABEL_LIFT + th)
            # below its point a combo's label keeps a margin from the columns and their labels for the plot's
            # predicted height: category names too wide for their slot, which LibreOffice wraps or turns, make
            # the plot lower than plot_size says (it put a line label below its point on an upright column
            # label, 34 categories)
            margin = COLUMN_MARGIN * ph if chart.kind == "combo" and crowded else 0.0
            labels[(j, i, BELOW)] = (xs[i] - tw / 2, yy - r - LINE_LABEL_LIFT - th - margin, xs[i] + tw / 2,
                                     yy - r - LINE_LABEL_LIFT)
            if line_fit is None or line_fit.shown(i, n):
                shown.add((j, i))
    obstacles = []
    if chart.end_labels:  # right of each line's last point (c:dLblPos r), bold
        for s in chart.series:
            last = max((i for i, v in enumerate(s.values) if v is not None and math.isfinite(v)), default=None)
            if is_line(chart, s) and last is not None:
                yy, tw = ypos(s, s.values[last]), m.width(s.fmt.format(s.values[last]), size) * 1.05
                x = xs[last] + MARKER / 2 + LINE_LABEL_LIFT
                obstacles.append((x, yy - size * 0.625, x + tw, yy + size * 0.625))
    bars = [s for s in chart.series if not is_line(chart, s)]
    if bars and not chart.stacked:  # the columns side by side, each with its label room above
        group = slot / 1.8
        bw = group / len(bars)
        label_h = 0.0
        if chart.data_labels and fit is not None:
            label_h = (max((m.width(s.fmt.format(v), fit.size) for s in bars for v in s.values if v is not None),
                           default=0.0) if fit.rotated else fit.size * 1.3) + LABEL_GAP / 2
        base = ypos(bars[0], max(lo, 0.0)) if lo < 0 < hi else 0.0
        for k, s in enumerate(bars):
            for i, v in enumerate(s.values):
                if v is None or not math.isfinite(v):
                    continue
                x0 = slot * i + (slot - group) / 2 + bw * k
                top = ypos(s, v)
                room = label_h if fit is not None and fit.shown(i, n) else 0.0
                obstacles.append((x0, min(base, top) - (room if v < 0 else 0.0), x0 + bw,
                                  max(base, top) + (room if v >= 0 else 0.0)))
    elif bars:  # stacked: the stack of each category
        for i in range(n):
            pos = sum(v for s in bars if (v := s.values[i]) is not None and v > 0)
            neg = sum(v for s in bars if (v := s.values[i]) is not None and v < 0)
            group = slot / 1.8
            obstacles.append((slot * i + (slot - group) / 2, ypos(bars[0], neg), slot * i + (slot + group) / 2,
                              ypos(bars[0], pos)))
    return LabelFrame("deck", labels, markers, polylines(xs, ys_by_line), obstacles=obstacles,
                      bounds=(-math.inf, -2.0, math.inf, ph + PADDING * 0.6), gap_x=label_gap(size), gap_y=1.0,
                      shown=shown)
