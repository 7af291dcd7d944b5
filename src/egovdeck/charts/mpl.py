"""ChartData -> SVG text with matplotlib, for the PDF brief (the deck uses native charts).

The figure is a single full-size axes whose data units are points (x: 0..width, y: 0..height),
and every mark, label, tick and legend entry is placed by this module from the bundled font's
advance widths (`egovdeck.text.fonts.metrics`). matplotlib is only the vector writer: nothing is
laid out by its tick machinery or a layout engine, so the figure keeps exactly the requested
size, nothing is clipped, and the result is the same on every machine and in every process.

Text stays text (`svg.fonttype='none'`, set by `register_matplotlib`); `svg_to_drawing` in
`egovdeck.render.pdf.chart` maps the family onto the ReportLab fonts, so the PDF embeds one
subset of our font for the whole document and every label can be extracted.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from matplotlib.artist import Artist

from egovdeck.charts.scale import clean as _clean
from egovdeck.charts.scale import nice_step as _nice_step
from egovdeck.charts.scale import nice_ticks
from egovdeck.document.chart import ChartData, ChartRenderError, Milestone, Series
from egovdeck.document.chart import ink_on as _ink_on
from egovdeck.document.theme import Theme
from egovdeck.text.fonts import FontSet, metrics, missing_chars, register_matplotlib
from egovdeck.text.numfmt import NumberFormat

SVG_METADATA = {"Date": None, "Creator": None, "Format": None, "Type": None}
PAD = 3.0  # outer padding of the figure, pt
MIN_FONT = 5.5  # never draw labels smaller than this
# Line-breaking rules for Chinese (kinsoku): no line starts with a closing mark or ends with an opening one.
NO_START = set("，。、；：？！）」』》〉】〕”’…—%％·,.;:?!)]}")
NO_END = set("（「『《〈【〔“‘([{")




# ----------------------------------------------------------------------------- small helpers


def _hex(color: str) -> str:
    return "#" + color.lstrip("#")


def _luminance(color: str) -> float:
    c = color.lstrip("#")
    r, g, b = (int(c[i:i + 2], 16) / 255 for i in (0, 2, 4))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _mix(color: str, other: str, t: float) -> str:
    """color blended towards other by t (0 = color, 1 = other), as RRGGBB."""
    a, b = color.lstrip("#"), other.lstrip("#")
    out = [round(int(a[i:i + 2], 16) * (1 - t) + int(b[i:i + 2], 16) * t) for i in (0, 2, 4)]
    return "".join(f"{v:02X}" for v in out)


def _is_breakable_cjk(ch: str) -> bool:
    return ord(ch) >= 0x2E80 or ch in NO_START or ch in NO_END


def _tokens(text: str) -> list[str]:
    """Break opportunities: every CJK character alone; Latin words, numbers and spaces whole;
    a number keeps the character after it (2004年, 12月, 3项)."""
    out: list[str] = []
    word = ""
    for ch in text:
        if ch == " " or _is_breakable_cjk(ch):
            if word and word[-1].isdigit() and ch != " " and ch not in NO_END:
                out.append(word + ch)
                word = ""
                continue
            if word:
                out.append(word)
                word = ""
            out.append(ch)
        else:
            word += ch
    if word:
        out.append(word)
    return out


def wrap_text(text: str, width: float, size: float, fonts: FontSet, bold: bool = False,
              split_words: bool = True) -> list[str] | None:
    """Greedy line breaking of mixed Chinese/Latin text to `width` pt, with simple kinsoku rules.

    A word (or number) wider than the line is split by characters, or, with split_words=False,
    the text is reported as unwrappable (None).
    """
    from egovdeck.text.textfit import wrap_label  # the one line breaker of the PDF, the deck and the charts

    return wrap_label(text, width, size, metrics(fonts.bold if bold else fonts.regular), split_words)


def _decimals_for(values: Sequence[float]) -> int:
    for d in range(0, 6):
        if all(abs(v * 10**d - round(v * 10**d)) < 1e-6 for v in values):
            return d
    return 6


def aligned_ticks(lo: float, hi: float, n: int, floor_zero: bool) -> list[float]:
    """n intervals of one nice step covering [lo, hi]: a secondary axis aligned to the primary's grid."""
    if hi <= lo:
        hi = lo + 1.0
    step = _nice_step((hi - lo) / n)
    for _ in range(60):
        start = math.floor(lo / step + 1e-9) * step
        if floor_zero and start < 0 <= lo:
            start = 0.0
        if start + n * step >= hi - 1e-9 * step:
            return [_clean(start + i * step) for i in range(n + 1)]
        step = _nice_step(step * 1.0001)
    return [_clean(lo + i * (hi - lo) / n) for i in range(n + 1)]


def tick_format(fmt: NumberFormat, ticks: Sequence[float]) -> NumberFormat:
    """The series' format for axis ticks: its separators and percent sign, decimals the ticks need,
    no magnitude/suffix (the unit is printed once, as the axis title)."""
    return NumberFormat(decimals=min(_decimals_for(ticks), 4), thousands=fmt.thousands, percent=fmt.percent)


def repel(positions: list[float], gap: float, lo: float, hi: float) -> list[float]:
    """Move 1-D label centres apart to at least `gap`, keeping them inside [lo, hi] and in order."""
    if not positions:
        return []
    order = sorted(range(len(positions)), key=lambda i: positions[i])
    ys = [positions[i] for i in order]
    for _ in range(len(ys) + 2):
        moved = False
        for i in range(1, len(ys)):
            if ys[i] - ys[i - 1] < gap - 1e-6:
                mid = (ys[i] + ys[i - 1]) / 2
                ys[i - 1], ys[i] = mid - gap / 2, mid + gap / 2
                moved = True
        ys[0] = max(ys[0], lo)
        for i in range(1, len(ys)):
            ys[i] = max(ys[i], ys[i - 1] + gap)
        if ys[-1] > hi:
            ys[-1] = hi
            for i in range(len(ys) - 2, -1, -1):
                ys[i] = min(ys[i], ys[i + 1] - gap)
        if not moved:
            break
    out = [0.0] * len(ys)
    for k, i in enumerate(order):
        out[i] = ys[k]
    return out


# ----------------------------------------------------------------------------- the canvas


class _TextArtist(Artist):
    """Text placed by us, handed straight to renderer.draw_text without matplotlib's layout pass.

    The position is the baseline start (left end, or bottom end when rotated 90°); alignment was
    done with the font's advance widths, which are also what ReportLab uses to draw the PDF.
    Never parsed as mathtext, so '$' needs no escaping.
    """

    def __init__(self, x: float, y: float, s: str, prop, color: str, rotation: float, zorder: float):
        super().__init__()
        self._xy, self._s, self._prop, self._color, self._rot = (x, y), s, prop, color, rotation
        self.set_zorder(zorder)

    def draw(self, renderer) -> None:
        if not self.get_visible():
            return
        x, y = self.get_transform().transform(self._xy)
        if renderer.flipy():
            y = renderer.height - y
        gc = renderer.new_gc()
        gc.set_foreground(self._color)
        renderer.draw_text(gc, x, y, self._s, self._prop, self._rot, ismath=False, mtext=None)
        gc.restore()


class _Canvas:
    """A figure measured in points, origin bottom-left. Every mark is an artist of the figure itself:
    an Axes would build ticks, spines and a clip box for each chart (~40 % of the rendering time) only
    for all of them to be switched off."""

    def __init__(self, width: float, height: float, theme: Theme, fonts: FontSet, family: str):
        from matplotlib.figure import Figure
        from matplotlib.transforms import Affine2D

        self.w, self.h = width, height
        self.theme, self.fonts, self.family = theme, fonts, family
        self.fig = Figure(figsize=(width / 72.0, height / 72.0), dpi=72, facecolor="none")
        self.T = Affine2D().scale(1 / 72.0) + self.fig.dpi_scale_trans  # points -> inches -> device
        self.reg = metrics(fonts.regular)
        self.bold = metrics(fonts.bold)
        self.texts: list[str] = []
        self.boxes: list[tuple[float, float, float, float]] = []  # every text drawn: x0, y0, x1, y1
        self._text_artists: list = []
        self._props: dict = {}
        self._rects: dict[float, list] = {}

    # measuring
    def tw(self, text: str, size: float, bold: bool = False) -> float:
        return (self.bold if bold else self.reg).width(text, size)

    def baseline(self, y: float, size: float, va: str) -> float:
        """Baseline for a line whose em box is aligned at y (center/top/bottom/baseline)."""
        asc, desc = self.reg.ascent * size, self.reg.descent * size
        if va == "center":
            return y - (asc - desc) / 2
        if va == "top":
            return y - asc
        if va == "bottom":
            return y + desc
        return y

    # drawing
    def text(self, x: float, y: float, s: str, size: float, color: str, ha: str = "left",
             va: str = "center", bold: bool = False, rotation: float = 0.0, zorder: float = 6,
             halo: str | None = None, avoid: bool = False) -> bool:
        """One line of text; rotation is 0 or 90 (reading upwards, em box centred on x).

        With avoid=True (data labels) the text is left out, and False returned, when its box would leave
        the canvas or touch a text already drawn: a label that cannot be read is better not drawn."""
        if not s:
            return False
        width = self.tw(s, size, bold)
        shift = {"left": 0.0, "center": width / 2, "right": width}[ha]
        if rotation:
            asc, desc = self.reg.ascent * size, self.reg.descent * size
            bx, by = x + (asc - desc) / 2, y - shift
            box = (x - size / 2, by, x + size / 2, by + width)
        else:
            bx, by = x - shift, self.baseline(y, size, va)
            box = (bx, by - self.reg.descent * size, bx + width, by - self.reg.descent * size + size)
        if avoid and not self.free(box):
            return False
        self.texts.append(s)
        self.boxes.append(box)
        if not rotation and halo:
            pad = size * 0.15
            self.rect(bx - pad, by - self.reg.descent * size - pad, width + 2 * pad,
                      size + 2 * pad, halo, zorder=zorder - 0.01)
        artist = _TextArtist(bx, by, s, self._prop(size, bold), _hex(color), rotation, zorder)
        self._text_artists.append(artist)
        self._add(artist)
        return True

    def undo_texts(self, keep: int) -> None:
        """Remove the texts drawn after the first `keep` ones (a label that only partly fitted)."""
        while len(self.boxes) > keep:
            self.boxes.pop()
            self.texts.pop()
            self._text_artists.pop().remove()

    def free(self, box: tuple[float, float, float, float], gap: float = 0.8) -> bool:
        """box lies inside the canvas (within PAD/2) and clear of every text drawn so far."""
        x0, y0, x1, y1 = box
        edge = PAD / 2
        if x0 < edge or y0 < edge or x1 > self.w - edge or y1 > self.h - edge:
            return False
        return all(x1 + gap <= a or b + gap <= x0 or y1 + gap <= c or d + gap <= y0 for a, c, b, d in self.boxes)

    def _prop(self, size: float, bold: bool):
        from matplotlib.font_manager import FontProperties

        key = (size, bold)
        if key not in self._props:
            self._props[key] = FontProperties(family=self.family, size=size,
                                              weight="bold" if bold else "normal")
        return self._props[key]

    def rect(self, x: float, y: float, w: float, h: float, color: str, zorder: float = 3,
             edge: str | None = None, lw: float = 0.0) -> None:
        """Rectangles are batched per z-order into one PolyCollection (fast to draw and to convert)."""
        if w < 0:
            x, w = x + w, -w
        if h < 0:
            y, h = y + h, -h
        self._rects.setdefault(zorder, []).append(
            ([(x, y), (x + w, y), (x + w, y + h), (x, y + h)], _hex(color)))

    def line(self, xs: Sequence[float], ys: Sequence[float], color: str, lw: float = 0.6,
             zorder: float = 1, **kw) -> None:
        from matplotlib.lines import Line2D

        self._add(Line2D(xs, ys, color=_hex(color), linewidth=lw, zorder=zorder, solid_capstyle="butt",
                         solid_joinstyle="round", **kw))

    def dots(self, xs: Sequence[float], ys: Sequence[float], color: str, size: float, zorder: float = 4.5) -> None:
        """Round markers with a thin white ring (the points of a line series)."""
        from matplotlib.lines import Line2D

        self._add(Line2D(xs, ys, linestyle="none", marker="o", markersize=size, markerfacecolor=_hex(color),
                         markeredgecolor="#FFFFFF", markeredgewidth=0.7, zorder=zorder))

    def segments(self, segs: list[tuple[tuple[float, float], tuple[float, float]]], color: str,
                 lw: float = 0.5, zorder: float = 1) -> None:
        from matplotlib.collections import LineCollection

        if segs:
            self._add(LineCollection(segs, colors=_hex(color), linewidths=lw, zorder=zorder, capstyle="butt"))

    def polygon(self, points: Sequence[tuple[float, float]], color: str, zorder: float = 2,
                edge: str | None = None, lw: float = 0.0) -> None:
        from matplotlib.patches import Polygon

        self._add(Polygon(points, closed=True, facecolor=_hex(color), linewidth=lw,
                          edgecolor=_hex(edge) if edge else "none", zorder=zorder))

    def circle(self, x: float, y: float, r: float, color: str, zorder: float = 4,
               edge: str | None = None, lw: float = 0.0) -> None:
        from matplotlib.patches import Circle

        self._add(Circle((x, y), r, facecolor=_hex(color), linewidth=lw, edgecolor=_hex(edge) if edge else "none",
                         zorder=zorder))

    def wedge(self, x: float, y: float, r: float, a0: float, a1: float, color: str,
              width: float | None = None) -> None:
        from matplotlib.patches import Wedge

        self._add(Wedge((x, y), r, a0, a1, width=width, facecolor=_hex(color), edgecolor="#FFFFFF", linewidth=0.8,
                        zorder=3))

    def _add(self, artist) -> None:
        artist.set_transform(self.T)
        self.fig.add_artist(artist)

    def svg(self) -> str:
        from matplotlib.collections import PolyCollection

        for z, items in sorted(self._rects.items()):
            self._add(PolyCollection([v for v, _ in items], facecolors=[c for _, c in items], edgecolors="none",
                                     linewidths=0, zorder=z))
        buf = io.StringIO()
        self.fig.savefig(buf, format="svg", metadata=SVG_METADATA, bbox_inches=None,
                         facecolor="none", edgecolor="none")
        return buf.getvalue()


# ----------------------------------------------------------------------------- legend


@dataclass
class _Legend:
    entries: list[tuple[str, str, str]]  # (name, colour, "patch" | "line")
    size: float
    rows: list[list[int]] = field(default_factory=list)
    width: float = 0.0
    height: float = 0.0
    vertical: bool = False

    HANDLE = {"patch": 7.0, "line": 16.0}

    def entry_width(self, cv: _Canvas, i: int) -> float:
        name, _, kind = self.entries[i]
        return self.HANDLE[kind] + 4 + cv.tw(name, self.size)

    def layout(self, cv: _Canvas, avail: float) -> None:
        gap = self.size * 1.6
        line_h = self.size * 1.5
        if self.vertical:
            self.rows = [[i] for i in range(len(self.entries))]
            self.width = max(self.entry_width(cv, i) for i in range(len(self.entries)))
        else:
            self.rows, row, used = [], [], 0.0
            for i in range(len(self.entries)):
                w = self.entry_width(cv, i)
                if row and used + gap + w > avail:
                    self.rows.append(row)
                    row, used = [], 0.0
                used += (gap if row else 0) + w
                row.append(i)
            if row:
                self.rows.append(row)
            self.width = max(sum(self.entry_width(cv, i) for i in r) + gap * (len(r) - 1) for r in self.rows)
        self.height = line_h * len(self.rows)

    def draw(self, cv: _Canvas, x0: float, y_top: float, x1: float | None = None) -> None:
        """Rows centred between x0 and x1 (horizontal) or left-aligned at x0 (vertical)."""
        gap = self.size * 1.6
        line_h = self.size * 1.5
        for r, row in enumerate(self.rows):
            yc = y_top - line_h * (r + 0.5)
            row_w = sum(self.entry_width(cv, i) for i in row) + gap * (len(row) - 1)
            x = x0 if (self.vertical or x1 is None) else (x0 + x1 - row_w) / 2
            for i in row:
                name, color, kind = self.entries[i]
                hw = self.HANDLE[kind]
                if kind == "patch":
                    cv.rect(x, yc - hw / 2, hw, hw, color, zorder=6)
                else:
                    cv.line([x, x + hw], [yc, yc], color, lw=1.6, zorder=6)
                    cv.circle(x + hw / 2, yc, 2.4, color, zorder=7, edge="FFFFFF", lw=0.6)
                cv.text(x + hw + 4, yc, name, self.size, cv.theme.text, va="center")
                x += self.entry_width(cv, i) + gap


def _draw_legend(cv, chart: ChartData, legend, x0: float, x1: float, y1: float) -> None:
    """Draw the legend where _legend_room reserved its place."""
    if not legend:
        return
    if legend.vertical:
        legend.draw(cv, cv.w - PAD - legend.width, y1)
    elif chart.legend == "top":
        legend.draw(cv, x0, cv.h - PAD, x1)
    else:
        legend.draw(cv, PAD, PAD + legend.height, cv.w - PAD)


def _legend_room(cv, chart: ChartData, legend) -> tuple[float, float, float]:
    """Lay out the legend and return the room it takes: (top, bottom, right) in points."""
    if not legend:
        return 0.0, 0.0, 0.0
    if legend.vertical:
        legend.layout(cv, cv.w)
        return 0.0, 0.0, legend.width + 10
    legend.layout(cv, cv.w - 2 * PAD)
    return (legend.height + 4, 0.0, 0.0) if chart.legend == "top" else (0.0, legend.height + 4, 0.0)


def _legend_for(chart: ChartData, series: Sequence[Series], theme: Theme) -> _Legend | None:
    if len(series) < 2 or not chart.legend:
        return None
    entries = [(s.name, s.color, "line" if _is_line(chart, s) else "patch") for s in series]
    return _Legend(entries, theme.chart_legend_size, vertical=chart.legend == "right")


def _is_line(chart: ChartData, s: Series) -> bool:
    return chart.kind == "line" or (chart.kind == "combo" and s.kind == "line")


# ----------------------------------------------------------------------------- cartesian frame


@dataclass
class _Axis:
    """A value axis: data range [lo, hi] mapped to [p0, p1] points."""

    lo: float
    hi: float
    ticks: list[float]
    fmt: NumberFormat
    p0: float = 0.0
    p1: float = 1.0

    def pos(self, v: float) -> float:
        return self.p0 + (v - self.lo) / (self.hi - self.lo) * (self.p1 - self.p0)

    def labels(self) -> list[str]:
        return [self.fmt.format(t) for t in self.ticks]


def _align(a: _Axis, b: _Axis, move_a: bool = True) -> None:
    """Give two axes the same extension beyond their first/last tick, so both tick sets sit on
    the same gridlines after either was stretched for label headroom."""
    def ext(ax: _Axis) -> tuple[float, float]:
        span = (ax.ticks[-1] - ax.ticks[0]) or 1.0
        return (ax.ticks[0] - ax.lo) / span, (ax.hi - ax.ticks[-1]) / span

    (al, ah), (bl, bh) = ext(a), ext(b)
    lo, hi = (max(al, bl, 0.0), max(ah, bh, 0.0)) if move_a else (al, ah)
    for ax in ((a, b) if move_a else (b,)):
        span = (ax.ticks[-1] - ax.ticks[0]) or 1.0
        ax.lo, ax.hi = ax.ticks[0] - lo * span, ax.ticks[-1] + hi * span


def _follow(a: _Axis, master: _Axis) -> None:
    """Rebuild axis a (covering its current lo..hi) with master's number of intervals and the same
    relative extension beyond the end ticks, so a's ticks fall on master's gridlines."""
    n = max(len(master.ticks) - 1, 1)
    span_m = (master.ticks[-1] - master.ticks[0]) or 1.0
    el, eh = (master.ticks[0] - master.lo) / span_m, (master.hi - master.ticks[-1]) / span_m
    lo, hi = a.lo, a.hi
    step = _nice_step((hi - lo) / n / (1 + el + eh))
    for _ in range(60):
        start = math.floor(lo / step + 1e-9) * step
        if start < 0 <= lo:
            start = 0.0
        if start - el * n * step <= lo + 1e-9 and start + n * step * (1 + eh) >= hi - 1e-9:
            break
        step = _nice_step(step * 1.0001)
    a.ticks = [_clean(start + i * step) for i in range(n + 1)]
    a.lo, a.hi = start - el * n * step, start + n * step * (1 + eh)
    a.fmt = tick_format(a.fmt, a.ticks)


def _free_lo(chart: ChartData) -> bool:
    """The low end of the value range may move (not pinned by the definition)."""
    return chart.y_min is None or chart.y_min_auto


def _free_hi(chart: ChartData) -> bool:
    return chart.y_max is None or chart.y_max_auto


def _known(values: Sequence[float | None]) -> list[float]:
    return [v for v in values if v is not None and math.isfinite(v)]


def _extent(chart: ChartData, series: Sequence[Series], stacked: bool) -> tuple[float, float]:
    if stacked:
        n = len(chart.categories)
        pos = [sum(v for s in series if (v := s.values[i]) is not None and v > 0) for i in range(n)]
        neg = [sum(v for s in series if (v := s.values[i]) is not None and v < 0) for i in range(n)]
        vals = pos + neg
    else:
        vals = [v for s in series for v in _known(s.values)]
    if not vals:
        return 0.0, 1.0
    return min(vals), max(vals)


def _value_axis(dmin: float, dmax: float, fmt: NumberFormat, nbins: int, user_min: float | None,
                user_max: float | None, zero: bool) -> _Axis:
    lo, hi = (min(dmin, 0.0), max(dmax, 0.0)) if zero else (dmin, dmax)
    if not zero:
        span = (dmax - dmin) or abs(dmax) or 1.0
        if dmin >= 0 and dmin <= 0.45 * dmax:
            lo = 0.0
        else:
            lo = dmin - 0.08 * span
        hi = dmax + 0.08 * span
        if dmax <= 0 and hi > 0:
            hi = 0.0
    if user_min is not None:
        lo = user_min
    if user_max is not None:
        hi = user_max
    if hi <= lo:
        hi = lo + (abs(lo) or 1.0)
    ticks = nice_ticks(lo, hi, nbins)
    # a pinned end is kept exactly; a free end is rounded out to the next tick
    a_lo = lo if user_min is not None else ticks[0]
    a_hi = hi if user_max is not None else ticks[-1]
    eps = (a_hi - a_lo) * 1e-9
    ticks = [t for t in ticks if a_lo - eps <= t <= a_hi + eps]
    if len(ticks) < 2:
        ticks = [a_lo, a_hi]
    return _Axis(a_lo, a_hi, ticks, tick_format(fmt, ticks))


def _balanced(cv: _Canvas, text: str, width: float, size: float) -> list[str]:
    """text wrapped to width in as few lines as greedy wrapping needs, the lines made about equally long
    (no one-character last line)."""
    lines = wrap_text(text, width, size, cv.fonts) or [text]
    if len(lines) > 1:
        even = wrap_text(text, cv.tw(text, size) / len(lines) + size * 1.01, size, cv.fonts)
        if even and len(even) == len(lines) and all(cv.tw(ln, size) <= width for ln in even):
            return even
    return lines


def _category_labels(cv: _Canvas, cats: Sequence[str], slot: float, size: float, x0: float, max_h: float,
                     time_axis: bool) -> tuple[list[list[str]], bool, float, int]:
    """Lines per category, whether they are rotated 90°, the font size and the thinning step k (only
    every k-th category labelled, the last one always).

    Wrapped at CJK boundaries under the slot first (up to three lines, down to 6.5 pt); then a time axis
    is thinned (every k-th period, up to two lines within k slots); other categories are rotated, each
    name wrapped into columns no taller than max_h that fit side by side in the slot; thinned only when
    even that cannot fit. Every label stays inside the canvas.
    """
    n = len(cats)
    for sz in [size - 0.5 * k for k in range(int((size - 6.5) / 0.5) + 1)] or [size]:
        wrapped = [wrap_text(c, slot * 0.94, sz, cv.fonts, split_words=False) for c in cats]
        if all(w is not None and len(w) <= 3 for w in wrapped):
            return [list(w) for w in wrapped if w is not None], False, sz, 1
    if time_axis:
        for k in range(2, n + 1):
            out: list[list[str]] = []
            ok = True
            for i, c in enumerate(cats):
                if (n - 1 - i) % k:
                    out.append([])
                    continue
                cx = x0 + slot * (i + 0.5)
                width = min(k * slot * 0.94, 2 * (cx - PAD), 2 * (cv.w - PAD - cx))
                w = wrap_text(c, width, size, cv.fonts, split_words=False) if width > 0 else None
                if w is None or len(w) > 2:
                    ok = False
                    break
                out.append(w)
            if ok:
                return out, False, size, k
    sz = max(MIN_FONT, min(size, slot * 0.8))
    while True:
        cols = [_balanced(cv, c, max_h, sz) for c in cats]
        if max(len(w) for w in cols) * sz * 1.15 <= slot * 0.95 or sz - 0.5 < MIN_FONT:
            break
        sz -= 0.5
    need = max(len(w) for w in cols) * sz * 1.15
    k = max(1, math.ceil(need / (slot * 0.95)))
    if k > 1:
        cols = [w if (n - 1 - i) % k == 0 else [] for i, w in enumerate(cols)]
    return cols, True, sz, k


def _top_titles(cv: _Canvas, chart: ChartData, left_title: str, right_title: str) -> float:
    """Height reserved at the top for the unit titles."""
    return cv.theme.chart_tick_size * 1.6 if (left_title or right_title) else 0.0


# ----------------------------------------------------------------------------- columns, lines, combo


def _draw_vertical(cv: _Canvas, chart: ChartData) -> None:
    """column / line / combo: categories along x, values up."""
    th = cv.theme
    tfs = th.chart_tick_size
    lfs = th.chart_label_size
    cats = list(chart.categories)
    n = max(len(cats), 1)
    prim = [s for s in chart.series if not s.secondary]
    sec = [s for s in chart.series if s.secondary]
    if not prim:
        prim, sec = sec, []
    is_line = chart.kind == "line"
    bars = [s for s in prim + sec if not _is_line(chart, s)]
    stacked = chart.stacked and chart.kind == "column"

    legend = _legend_for(chart, chart.series, th)
    top = PAD + _top_titles(cv, chart, chart.y_title, chart.y2_title if sec else "")
    bottom = PAD
    right = PAD
    dt, db, dr = _legend_room(cv, chart, legend)
    top, bottom, right = top + dt, bottom + db, right + dr
    x_title_h = tfs * 1.6 if chart.x_title else 0.0
    bottom += x_title_h
    top += tfs * 0.6  # the top tick label sticks out half a line

    # end labels (lines): reserve their width on the right
    end_w = 0.0
    if chart.end_labels:
        for s in chart.series:
            kv = _known(s.values)
            if kv and _is_line(chart, s):
                last = [v for v in s.values if v is not None][-1]
                end_w = max(end_w, cv.tw(s.fmt.format(last), lfs))
        if end_w:
            end_w += 7

    # Two passes: the tick count depends on the plot height, the margins on the tick labels.
    ph = cv.h * 0.65
    left_fmt = prim[0].fmt
    for _ in range(2):
        nb = max(3, min(6, int(ph / 38)))
        dmin, dmax = _extent(chart, prim, stacked and not is_line)
        zero = not is_line and not all(_is_line(chart, s) for s in prim)
        if chart.kind == "combo" and chart.y_max is None and sec and dmax > 0:
            dmax = dmax / 0.62  # columns in the lower part, the line above them
        ax1 = _value_axis(dmin, dmax, left_fmt, nb, chart.y_min, chart.y_max, zero)
        ax2 = None
        if sec:
            smin, smax = _extent(chart, sec, False)
            nint = len(ax1.ticks) - 1
            if chart.y2_min is not None or chart.y2_max is not None:
                ax2 = _value_axis(smin, smax, sec[0].fmt, nint, chart.y2_min, chart.y2_max, False)
            else:
                span = (smax - smin) or abs(smax) or 1.0
                rng = span / 0.30
                lo2 = smin - 0.60 * rng
                if smin >= 0 and lo2 < 0:
                    lo2 = 0.0
                hi2 = max(smax + 0.1 * span, lo2 + (smax - lo2) / 0.92)
                t2 = aligned_ticks(lo2, hi2, nint, floor_zero=smin >= 0)
                ax2 = _Axis(t2[0], t2[-1], t2, tick_format(sec[0].fmt, t2))
        left = PAD + max(cv.tw(t, tfs) for t in ax1.labels()) + 5
        r = right + end_w
        if ax2:
            r = max(r, right + max(cv.tw(t, tfs) for t in ax2.labels()) + 5)
        pw = cv.w - left - r
        slot = pw / n
        wrapped, rotated, cfs, thin = _category_labels(cv, cats, slot, tfs, left, cv.h * 0.4, is_line)
        if rotated:
            cat_h = max((cv.tw(ln, cfs) for w in wrapped for ln in w), default=0) + 5
        else:
            cat_h = max(len(w) for w in wrapped) * cfs * 1.2 + 5 + (3 if thin > 1 else 0)
        ph = cv.h - top - bottom - cat_h
    if ph < 20 or pw < 20:
        raise ChartRenderError(f"chart {chart.id!r}: {cv.w:.0f}×{cv.h:.0f} pt is too small")
    x0, x1 = left, left + pw
    y0, y1 = bottom + cat_h, bottom + cat_h + ph

    # bars: widths
    nb_series = 1 if stacked else max(len(bars), 1)
    group_w = slot * (0.62 if nb_series == 1 else 0.78)
    bar_w = group_w / nb_series

    # data label size for columns (shrink, then rotate, so that neighbours never touch)
    col_lfs, col_rot = lfs, False
    if bars and chart.data_labels and not stacked:
        widest = max((cv.tw(s.fmt.format(v), lfs) for s in bars for v in _known(s.values)), default=0)
        pitch = bar_w if nb_series > 1 else slot
        if widest > pitch - 1.5:
            col_lfs = max(MIN_FONT + 1, lfs * (pitch - 1.5) / widest)
            if widest * col_lfs / lfs > pitch - 1.0:
                col_lfs, col_rot = min(lfs, max(MIN_FONT + 1, bar_w * 0.9)), True

    # headroom above/below for data labels (extend the axis beyond the last gridline if needed)
    def headroom(axis: _Axis, ss: Sequence[Series], label_size: float, rot: bool, is_ln: bool) -> None:
        if not chart.data_labels or not ss:
            return
        kv = [v for s in ss for v in _known(s.values)] if not (stacked and not is_ln) else []
        if stacked and not is_ln:
            return
        need = (max(cv.tw(s.fmt.format(v), label_size) for s in ss for v in _known(s.values)) + 4) if rot \
            else label_size * 1.35 + 3
        frac = need / ph
        vmax, vmin = max(kv, default=0), min(kv, default=0)
        if vmax > axis.lo and frac < 0.5:
            hi_need = axis.lo + (vmax - axis.lo) / (1 - frac)
            if hi_need > axis.hi and _free_hi(chart):
                axis.hi = hi_need
        if vmin < 0 and vmin < axis.hi and frac < 0.5:
            lo_need = axis.hi - (axis.hi - vmin) / (1 - frac)
            if lo_need < axis.lo and _free_lo(chart):
                axis.lo = lo_need

    headroom(ax1, [s for s in prim if not _is_line(chart, s)], col_lfs, col_rot, False)
    headroom(ax1, [s for s in prim if _is_line(chart, s)], lfs, False, True)
    if ax2:
        headroom(ax2, sec, lfs, False, True)
        # an axis is "fixed" when the definition pins its top, or a bottom other than 0
        fixed1 = not _free_hi(chart) or (not _free_lo(chart) and chart.y_min != 0)
        fixed2 = chart.y2_max is not None or chart.y2_min not in (None, 0)
        if not fixed1 and fixed2:
            _follow(ax1, ax2)  # the left axis adopts the right one's grid
        elif not fixed2:
            _align(ax1, ax2, move_a=not fixed1)
    ax1.p0, ax1.p1 = y0, y1
    if ax2:
        ax2.p0, ax2.p1 = y0, y1

    # grid, baseline, ticks
    grid = [((x0, ax1.pos(t)), (x1, ax1.pos(t))) for t in ax1.ticks if abs(t) > 1e-12 or ax1.lo >= 0 and t != ax1.lo]
    grid = [g for g in grid if y0 + 0.1 < g[0][1] <= y1 + 0.01]
    cv.segments(grid, th.grid, lw=0.5, zorder=1)
    base_y = ax1.pos(0.0) if ax1.lo <= 0 <= ax1.hi else y0
    cv.segments([((x0, base_y), (x1, base_y))], th.axis, lw=0.8, zorder=5)
    if base_y > y0 + 0.5:  # negative values: keep a light frame line at the bottom too
        cv.segments([((x0, y0), (x1, y0))], th.grid, lw=0.5, zorder=1)
    for t, lab in zip(ax1.ticks, ax1.labels(), strict=True):
        yy = ax1.pos(t)
        if y0 - 0.5 <= yy <= y1 + 0.5:
            cv.text(x0 - 5, yy, lab, tfs, th.muted, ha="right")
    if ax2:
        for t, lab in zip(ax2.ticks, ax2.labels(), strict=True):
            yy = ax2.pos(t)
            if y0 - 0.5 <= yy <= y1 + 0.5:
                cv.text(x1 + 5, yy, lab, tfs, th.muted, ha="left")
    title_y = cv.h - PAD - (legend.height + 4 if legend and chart.legend == "top" else 0) - tfs * 0.6
    if chart.y_title:
        cv.text(PAD, title_y, chart.y_title, tfs, th.muted, ha="left")
    if ax2 and chart.y2_title:
        cv.text(cv.w - PAD, title_y, chart.y2_title, tfs, th.muted, ha="right")

    # category labels
    if thin > 1:  # short tick marks show the periods whose label was left out
        cv.segments([((x0 + slot * (i + 0.5), y0), (x0 + slot * (i + 0.5), y0 - 3)) for i in range(n)],
                    th.axis, lw=0.6, zorder=5)
    for i, lines in enumerate(wrapped):
        cx = x0 + slot * (i + 0.5)
        if thin > 1 and not rotated:
            for k, ln in enumerate(lines):
                cv.text(cx, y0 - 6 - cfs * 1.2 * k, ln, cfs, th.text, ha="center", va="top")
            continue
        if rotated:  # columns of a wrapped name side by side, first on the left, reading upwards
            half = len(lines) * cfs * 1.15 / 2
            cx = min(max(cx, PAD + half), cv.w - PAD - half)
            tall = max((cv.tw(ln, cfs) for ln in lines), default=0)
            if lines and not cv.free((cx - half, y0 - 5 - tall, cx + half, y0 - 5), gap=0.3):
                continue  # moved inside the canvas it would touch its neighbour: thinned out instead
            for k, ln in enumerate(lines):
                cv.text(cx + (k - (len(lines) - 1) / 2) * cfs * 1.15, y0 - 5, ln, cfs, th.text, ha="right",
                        rotation=90)
        else:
            for k, ln in enumerate(lines):
                cv.text(cx, y0 - 4 - cfs * 1.2 * k, ln, cfs, th.text, ha="center", va="top")
    if chart.x_title:
        cv.text((x0 + x1) / 2, bottom - x_title_h + tfs * 0.7, chart.x_title, tfs, th.muted, ha="center")

    # columns
    def axis_of(s: Series) -> _Axis:
        return ax2 if (s.secondary and ax2) else ax1

    # the points of line series are obstacles for every data label: no label covers a marker
    for s in chart.series:
        if _is_line(chart, s):
            for i, v in enumerate(s.values):
                if v is not None and math.isfinite(v):
                    px, py = x0 + slot * (i + 0.5), axis_of(s).pos(v)
                    cv.boxes.append((px - 2.6, py - 2.6, px + 2.6, py + 2.6))

    if stacked:
        pos_top = [0.0] * n
        neg_top = [0.0] * n
        for s in bars:
            axis = axis_of(s)
            for i, v in enumerate(s.values):
                if v is None or v == 0:
                    continue
                base = pos_top[i] if v > 0 else neg_top[i]
                cx = x0 + slot * (i + 0.5)
                ya, yb = axis.pos(base), axis.pos(base + v)
                color = s.point_colors[i] if i < len(s.point_colors) else s.color
                cv.rect(cx - bar_w / 2, ya, bar_w, yb - ya, color)
                if v > 0:
                    pos_top[i] += v
                else:
                    neg_top[i] += v
                if chart.data_labels and chart.segment_labelled(v) and abs(yb - ya) >= lfs * 1.15:
                    ink = _ink_on(color, th.text)
                    cv.text(cx, (ya + yb) / 2, s.fmt.format(v), lfs, ink, ha="center", avoid=True)
    else:
        for j, s in enumerate(bars):
            axis = axis_of(s)
            for i, v in enumerate(s.values):
                if v is None:
                    continue
                cx = x0 + slot * (i + 0.5) - group_w / 2 + bar_w * (j + 0.5)
                ya, yb = axis.pos(0.0 if axis.lo <= 0 <= axis.hi else axis.lo), axis.pos(v)
                color = s.point_colors[i] if i < len(s.point_colors) else s.color
                gap = 0.6 if nb_series > 1 else 0.0
                cv.rect(cx - bar_w / 2 + gap, ya, bar_w - 2 * gap, yb - ya, color)
                if not chart.data_labels:
                    continue
                label = s.fmt.format(v)
                inside = chart.label_position in ("inside", "center")
                fits = abs(yb - ya) >= col_lfs * 1.6 and cv.tw(label, col_lfs) <= bar_w - 2
                if inside and fits and not col_rot:
                    ink = _ink_on(color, th.text)
                    yy = (ya + yb) / 2 if chart.label_position == "center" else \
                        yb - math.copysign(col_lfs * 0.75 + 2, yb - ya)
                    cv.text(cx, yy, label, col_lfs, ink, ha="center", avoid=True)
                elif col_rot:
                    if v >= 0:
                        cv.text(cx, yb + 3, label, col_lfs, th.text, ha="left", rotation=90, avoid=True)
                    else:
                        cv.text(cx, yb - 3, label, col_lfs, th.text, ha="right", rotation=90, avoid=True)
                else:
                    off = col_lfs * 0.6 + 2.5
                    yy = yb + (off if v >= 0 else -off)
                    if (yy + col_lfs * 0.6 > y1 + 1 or yy - col_lfs * 0.6 < y0 - 1) and fits:
                        # a pinned range leaves no room beyond the bar end: inside it, contrasting ink
                        yy = yb - math.copysign(col_lfs * 0.75 + 2, yb - ya)
                        cv.text(cx, yy, label, col_lfs, _ink_on(color, th.text), ha="center", avoid=True)
                    else:
                        cv.text(cx, yy, label, col_lfs, th.text, ha="center", avoid=True)

    # lines
    lines = [s for s in prim + sec if _is_line(chart, s)]
    n_lines = len(lines)
    for s in lines:
        axis = axis_of(s)
        xs = [x0 + slot * (i + 0.5) for i in range(n)]
        ys = [axis.pos(v) if v is not None else math.nan for v in s.values]
        cv.line(xs, ys, s.color, lw=1.8, zorder=4)
        cv.dots(xs, ys, s.color, size=4.2, zorder=4.5)
    if lines and (chart.data_labels or chart.end_labels):
        _line_labels(cv, chart, lines, axis_of, x0, slot, n, n_lines, lfs, x1)

    _draw_legend(cv, chart, legend, x0, x1, y1)


def _line_labels(cv: _Canvas, chart: ChartData, lines: list[Series], axis_of, x0: float, slot: float,
                 n: int, n_lines: int, lfs: float, x1: float) -> None:
    th = cv.theme
    multi = n_lines > 1 or chart.kind == "combo"
    if chart.end_labels:
        ends = []
        for s in lines:
            idx = [i for i, v in enumerate(s.values) if v is not None]
            if idx:
                i = idx[-1]
                ends.append((s, i, axis_of(s).pos(s.values[i])))
        ys = repel([e[2] for e in ends], lfs * 1.25, 0, cv.h)
        for (s, i, _), yy in zip(ends, ys, strict=True):
            xx = x0 + slot * (i + 0.5) + 6
            cv.text(xx, yy, s.fmt.format(s.values[i]), lfs, s.color if multi else th.text, ha="left", bold=True, avoid=True)
        if not chart.data_labels:
            return
    if not chart.data_labels:
        return
    for i in range(n):
        known = [(s, s.values[i]) for s in lines if s.values[i] is not None]
        if not known:
            continue
        # highest value's label above, the lowest below (two lines never share a label spot)
        ranked = sorted(known, key=lambda sv: axis_of(sv[0]).pos(sv[1]))
        for r, (s, v) in enumerate(ranked):
            if chart.end_labels and i == max(k for k, vv in enumerate(s.values) if vv is not None):
                continue
            yy = axis_of(s).pos(v)
            below = len(ranked) > 1 and r == 0
            off = lfs * 0.6 + 4
            halo = "FFFFFF" if chart.kind == "combo" else None
            cv.text(x0 + slot * (i + 0.5), yy - off if below else yy + off, s.fmt.format(v), lfs,
                    s.color if multi else th.text, ha="center", halo=halo, zorder=7, avoid=True)


# ----------------------------------------------------------------------------- horizontal bars


def _bar_category_labels(cv: _Canvas, cats: Sequence[str], pitch: float, size: float,
                         bold: set[int]) -> tuple[float, list[list[str]], int]:
    """Font size, lines per category name and thinning step of a horizontal bar chart's category labels.

    Names wrap at CJK boundaries within a third (then nearly half) of the chart width in as many lines
    as a row holds, the font shrinking to MIN_FONT if needed; a name that still does not fit ends in 「…」.
    Rows lower than one line of MIN_FONT cannot all be named: every k-th is, from the first.
    """
    line = 1.15
    cfs = max(MIN_FONT, min(size, pitch / 1.25))
    thin = max(1, math.ceil(MIN_FONT * line * 1.05 / pitch)) if pitch < MIN_FONT * line * 1.05 else 1
    rows = max(1, int(pitch * thin / (cfs * line)))
    for frac in (0.34, 0.46):
        for sz in (cfs, max(MIN_FONT, cfs - 1), MIN_FONT):
            rows = max(1, int(pitch * thin / (sz * line)))
            out = [_balanced(cv, c, cv.w * frac, sz) if cv.tw(c, sz, i in bold) > cv.w * frac else [c]
                   for i, c in enumerate(cats)]
            if all(len(w) <= rows for w in out):
                return sz, out, thin
    sz, width = MIN_FONT, cv.w * 0.46
    out = []
    for c in cats:
        w = _balanced(cv, c, width, sz)
        if len(w) > rows:
            w = w[:rows]
            last = w[-1]
            while last and cv.tw(last + "…", sz) > width:
                last = last[:-1]
            w[-1] = last + "…"
        out.append(w)
    return sz, out, thin


def _draw_bars(cv: _Canvas, chart: ChartData) -> None:
    th = cv.theme
    tfs, lfs = th.chart_tick_size, th.chart_label_size
    cats = list(chart.categories)
    n = max(len(cats), 1)
    series = list(chart.series)
    stacked = chart.stacked
    legend = _legend_for(chart, series, th)
    top = PAD + _top_titles(cv, chart, chart.x_title, chart.y_title)
    bottom = PAD
    right = PAD
    dt, db, dr = _legend_room(cv, chart, legend)
    top, bottom, right = top + dt, bottom + db, right + dr
    show_ticks = True
    tick_h = tfs * 1.5
    bottom += tick_h

    ph = cv.h - top - bottom
    pitch = ph / n
    hl = {i for s in series for i, col in enumerate(s.point_colors) if col.upper() == th.highlight.upper()}
    cfs, wrapped, thin = _bar_category_labels(cv, cats, pitch, tfs, hl)
    label_w = max(cv.tw(ln, cfs, bold=i in hl) for i, w in enumerate(wrapped) for ln in w)
    left = PAD + label_w + 6

    dmin, dmax = _extent(chart, series, stacked)
    pw = cv.w - left - right
    nb = max(3, min(6, int(pw / 60)))
    axis = _value_axis(dmin, dmax, series[0].fmt, nb, chart.y_min, chart.y_max, True)
    bar_lfs = max(MIN_FONT, min(lfs, pitch / 1.2))
    # room beside the bars for the value labels: a free end of the value range (none, or the round range
    # the resolver chose) is extended beyond its last tick; a range the definition pinned is kept
    if chart.data_labels and not stacked:
        bold_any = bool(hl)
        widest = max((cv.tw(s.fmt.format(v), bar_lfs, bold=bold_any) for s in series for v in _known(s.values)),
                     default=0)
        frac = (widest + 6) / pw
        if dmax > 0 and frac < 0.6:
            need = axis.lo + (dmax - axis.lo) / (1 - frac)
            if need > axis.hi and _free_hi(chart):
                axis.hi = need
        if dmin < 0 and frac < 0.6:
            need = axis.hi - (axis.hi - dmin) / (1 - frac)
            if need < axis.lo and _free_lo(chart):
                axis.lo = need
    # the last tick label is centred on its gridline: keep it inside the figure
    last_w = cv.tw(axis.labels()[-1], tfs) / 2
    x0, x1 = left, cv.w - right
    axis.p0, axis.p1 = x0, x1
    over = axis.pos(axis.ticks[-1]) + last_w - (cv.w - PAD)
    if over > 0:
        x1 -= over
        axis.p1 = x1
    y1 = cv.h - top
    y0 = y1 - ph

    def row_y(i: int) -> float:  # first category at the top
        return y1 - pitch * (i + 0.5)

    # grid (vertical), baseline, tick labels
    grid = [((axis.pos(t), y0), (axis.pos(t), y1)) for t in axis.ticks if abs(t) > 1e-12]
    cv.segments(grid, th.grid, lw=0.5, zorder=1)
    bx = axis.pos(0.0) if axis.lo <= 0 <= axis.hi else x0
    cv.segments([((bx, y0), (bx, y1))], th.axis, lw=0.8, zorder=5)
    if show_ticks:
        for t, lab in zip(axis.ticks, axis.labels(), strict=True):
            cv.text(axis.pos(t), y0 - 3, lab, tfs, th.muted, ha="center", va="top")
    if chart.x_title:
        cv.text(PAD, cv.h - PAD - tfs * 0.6, chart.x_title, tfs, th.muted, ha="left")
    if chart.y_title:
        cv.text(x1, cv.h - PAD - tfs * 0.6, chart.y_title, tfs, th.muted, ha="right")

    # category labels
    for i, lines in enumerate(wrapped):
        if i % thin:
            continue
        yc = row_y(i)
        bold = i in hl
        k0 = (len(lines) - 1) / 2
        for k, ln in enumerate(lines):
            cv.text(x0 - 6, yc + (k0 - k) * cfs * 1.15, ln, cfs, th.text, ha="right", bold=bold)

    # bars
    k = 1 if stacked else len(series)
    group = pitch * (0.72 if k == 1 else 0.82)
    thick = group / k
    pos_acc = [0.0] * n
    neg_acc = [0.0] * n
    for j, s in enumerate(series):
        for i, v in enumerate(s.values):
            if v is None:
                continue
            color = s.point_colors[i] if i < len(s.point_colors) else s.color
            if stacked:
                base = pos_acc[i] if v > 0 else neg_acc[i]
                yc = row_y(i)
            else:
                base = 0.0 if axis.lo <= 0 <= axis.hi else axis.lo
                yc = row_y(i) + group / 2 - thick * (j + 0.5)
            xa, xb = axis.pos(base), axis.pos(base + v)
            gap = 0.4 if (k > 1) else 0.0
            cv.rect(xa, yc - thick / 2 + gap, xb - xa, thick - 2 * gap, color)
            label = s.fmt.format(v)
            if stacked:
                if v > 0:
                    pos_acc[i] += v
                else:
                    neg_acc[i] += v
                if chart.data_labels and chart.segment_labelled(v) and abs(xb - xa) >= cv.tw(label, bar_lfs) + 4:
                    ink = _ink_on(color, th.text)
                    cv.text((xa + xb) / 2, yc, label, bar_lfs, ink, ha="center", avoid=True)
            elif chart.data_labels:
                bold = i in hl
                lw = cv.tw(label, bar_lfs, bold)
                # beyond the bar end; inside it (contrasting ink) when a pinned range leaves no room there
                if v >= 0:
                    if xb + 3 + lw <= cv.w - PAD or xb - xa < lw + 6:
                        cv.text(min(xb + 3, cv.w - PAD - lw), yc, label, bar_lfs, th.text, ha="left", bold=bold, avoid=True)
                    else:
                        cv.text(xb - 3, yc, label, bar_lfs, _ink_on(color, th.text), ha="right", bold=bold, avoid=True)
                elif xb - 3 - lw >= x0 or xa - xb < lw + 6:
                    cv.text(max(xb - 3, x0 + lw), yc, label, bar_lfs, th.text, ha="right", bold=bold, avoid=True)
                else:
                    cv.text(xb + 3, yc, label, bar_lfs, _ink_on(color, th.text), ha="left", bold=bold, avoid=True)

    _draw_legend(cv, chart, legend, x0, x1, y1)


# ----------------------------------------------------------------------------- pie / doughnut


def _draw_pie(cv: _Canvas, chart: ChartData) -> None:
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
    names = [_balanced(cv, c, max(room, size * 2), size) if cv.tw(c, size) > room else [c] for c, _, _, _ in items]
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
                             ha=ha, avoid=True) for k, ln in enumerate(lines))
            if not ok:  # no room for this slice's label: none of it (the legend-free pie names it in alt text)
                cv.undo_texts(boxes)
                continue
            cv.line([px, kx, ex], [py, yy, yy], th.axis, lw=0.5, zorder=2)


# ----------------------------------------------------------------------------- timeline


def _draw_timeline(cv: _Canvas, chart: ChartData) -> None:
    th = cv.theme
    stones: list[Milestone] = list(chart.milestones) or [Milestone(c, "") for c in chart.categories]
    if not stones:
        raise ChartRenderError(f"chart {chart.id!r}: a timeline needs milestones")
    n = len(stones)
    col = (cv.w - 2 * PAD) / n
    inner = col - 10
    pfs = th.chart_title_size + 1
    for lab_fs, txt_fs in ((th.chart_label_size + 1, th.chart_label_size), (9.0, 8.0), (8.5, 7.5),
                           (8.0, 7.0), (7.5, 6.5)):
        lab_lines = [wrap_text(m.label, inner, lab_fs, cv.fonts, bold=True) if m.label else [] for m in stones]
        txt_lines = [wrap_text(m.text, inner, txt_fs, cv.fonts) if m.text else [] for m in stones]
        below = max(len(a) * lab_fs * 1.3 + (len(b) * txt_fs * 1.45 + 4 if b else 0)
                    for a, b in zip(lab_lines, txt_lines, strict=True))
        above = pfs * 1.4 + 8
        band = 10.0
        total = above + band + 10 + below
        if total <= cv.h - 2 * PAD:
            break
    avail_lines = None
    if total > cv.h - 2 * PAD:  # still too tall: cut the descriptions with an ellipsis
        room = cv.h - 2 * PAD - (above + band + 10) - max(len(a) for a in lab_lines) * lab_fs * 1.3 - 4
        avail_lines = max(1, int(room / (txt_fs * 1.45)))
        txt_lines = [ln if len(ln) <= avail_lines else ln[:avail_lines - 1] + [ln[avail_lines - 1][:-1] + "…"]
                     for ln in txt_lines]
        total = cv.h - 2 * PAD
    y_top = cv.h - PAD - max(0.0, (cv.h - 2 * PAD - total) * 0.5)
    band_y = y_top - above - band / 2
    # the band: one segment per stage, darker towards the present, ending in an arrow head
    x_start, x_end = PAD, cv.w - PAD
    head = min(14.0, col * 0.2)
    for i in range(n):
        xa = x_start + col * i
        xb = x_start + col * (i + 1) - (head if i == n - 1 else 0)
        shade = _mix(th.accent, "FFFFFF", 0.72 - 0.5 * (i / max(n - 1, 1)))
        cv.rect(xa, band_y - band / 2, xb - xa + (0.3 if i < n - 1 else 0), band, shade, zorder=2)
        if i == n - 1:
            cv.polygon([(xb, band_y - band / 2 - 4), (x_end, band_y), (xb, band_y + band / 2 + 4)], shade)
    for i, m in enumerate(stones):
        cx = x_start + col * (i + 0.5)
        cv.circle(cx, band_y, 6.5, th.accent, zorder=4, edge="FFFFFF", lw=1.6)
        cv.text(cx, band_y + band / 2 + 8 + pfs * 0.5, m.period, pfs, th.accent, ha="center", bold=True)
        y = band_y - band / 2 - 10
        for ln in lab_lines[i]:
            cv.text(cx, y, ln, lab_fs, th.text, ha="center", va="top", bold=True)
            y -= lab_fs * 1.3
        y -= 4
        for ln in txt_lines[i]:
            cv.text(cx, y, ln, txt_fs, th.muted, ha="center", va="top")
            y -= txt_fs * 1.45


# ----------------------------------------------------------------------------- entry point

_DRAW = {
    "column": _draw_vertical,
    "line": _draw_vertical,
    "combo": _draw_vertical,
    "bar": _draw_bars,
    "pie": _draw_pie,
    "doughnut": _draw_pie,
    "timeline": _draw_timeline,
}


def render_svg(chart: ChartData, width_pt: float, height_pt: float, theme: Theme, fonts: FontSet) -> str:
    """The chart as SVG text of exactly width_pt × height_pt, text kept as text in the bundled font.

    Deterministic: the same input gives the same string (fixed hash salt, no date/creator metadata).
    Raises ChartRenderError for an unknown kind, an empty chart, a size too small to draw, or a
    character the bundled font cannot draw.
    """
    if chart.kind not in _DRAW:
        raise ChartRenderError(f"chart {chart.id!r}: unknown kind {chart.kind!r}")
    if chart.kind != "timeline" and (not chart.series or not chart.categories):
        raise ChartRenderError(f"chart {chart.id!r}: no data to draw")
    family = register_matplotlib(fonts)
    cv = _Canvas(float(width_pt), float(height_pt), theme, fonts, family)
    _DRAW[chart.kind](cv, chart)
    bad = missing_chars("".join(cv.texts), fonts)
    if bad:
        raise ChartRenderError(f"chart {chart.id!r}: characters missing from the bundled font: {' '.join(bad)}")
    return cv.svg()


_RENDER_MODULES = ("matplotlib.figure", "matplotlib.backends.backend_svg", "matplotlib.collections",
                   "matplotlib.patches", "matplotlib.font_manager")


def preload(stop: Callable[[], bool] = lambda: False) -> bool:
    """Import what rendering needs (~0.3 s), e.g. before forking workers so none of them pays for it.

    Imports module by module and gives up (returning False) as soon as `stop()` is true, so a process
    warming up on the side can turn to real work the moment it arrives."""
    import importlib

    import matplotlib.artist

    # matplotlib composes a long docstring for the set() of every Artist subclass while the class is
    # created (0.1-0.2 s of its import time); nothing here reads them, the signatures are still made.
    kwdoc = matplotlib.artist.kwdoc
    matplotlib.artist.kwdoc = lambda _artist: ""
    try:
        for name in _RENDER_MODULES:
            if stop():
                return False
            importlib.import_module(name)
    finally:
        matplotlib.artist.kwdoc = kwdoc
    return True
