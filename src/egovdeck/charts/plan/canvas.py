"""The plan of one chart: every mark (text, rectangle, line...) with its place in points, no drawing.

A `Plan` is the canvas the chart kinds lay out on: origin bottom-left, units pt, measured with the
bundled font's advance widths (`egovdeck.text.fonts.metrics`, the widths ReportLab draws the PDF with).
It records marks in drawing order and the box of every text, so a data label can be left out when
it would leave the canvas or touch a text already placed (`text(..., avoid=True)`). The paint step
(`egovdeck.charts.paint`) turns the marks into matplotlib artists; nothing here imports matplotlib.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from egovdeck.document.theme import Theme
from egovdeck.text.fonts import FontSet, metrics

PAD = 3.0  # outer padding of the figure, pt
MIN_FONT = 5.5  # never draw labels smaller than this
STAGGER_GAP = 2.0  # pt between a data label moved out of the way and the text it made way for

Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in pt, origin bottom-left


@dataclass(eq=False)
class TextMark:
    """One line of text. (x, y) is the baseline start (left end, or bottom end when rotated 90°).

    role says what the text is ("tick", "category", "data", "legend", "title", "end", "slice",
    "period", "milestone"); ref is (series index, category index) for a data label, (-1, i) for a
    category label."""

    x: float
    y: float
    text: str
    size: float
    color: str  # RRGGBB
    rotation: float
    bold: bool
    zorder: float
    box: Box
    role: str = ""
    ref: tuple[int, int] | None = None


@dataclass(eq=False)
class RectMark:
    """A filled rectangle (bars, legend patches, label halos); w and h are not negative."""

    x: float
    y: float
    w: float
    h: float
    color: str
    zorder: float
    role: str = ""
    ref: tuple[int, int] | None = None


@dataclass(eq=False)
class LineMark:
    """A polyline; NaN in ys leaves a gap."""

    xs: list[float]
    ys: list[float]
    color: str
    lw: float
    zorder: float


@dataclass(eq=False)
class DotsMark:
    """Round markers of diameter `size` pt with a thin white ring (the points of a line series)."""

    xs: list[float]
    ys: list[float]
    color: str
    size: float
    zorder: float


@dataclass(eq=False)
class SegmentsMark:
    segs: list[tuple[tuple[float, float], tuple[float, float]]]
    color: str
    lw: float
    zorder: float


@dataclass(eq=False)
class PolygonMark:
    points: list[tuple[float, float]]
    color: str
    zorder: float
    edge: str | None
    lw: float


@dataclass(eq=False)
class CircleMark:
    x: float
    y: float
    r: float
    color: str
    zorder: float
    edge: str | None
    lw: float


@dataclass(eq=False)
class WedgeMark:
    """A pie slice from angle a0 to a1 (degrees, counter-clockwise from 3 o'clock); width: ring width
    of a doughnut, None for a full slice."""

    x: float
    y: float
    r: float
    a0: float
    a1: float
    color: str
    width: float | None


Mark = TextMark | RectMark | LineMark | DotsMark | SegmentsMark | PolygonMark | CircleMark | WedgeMark


@dataclass
class Plan:
    """A chart of w × h pt laid out: its marks in drawing order, and what the layout decided.

    plot is the plot area (x0, y0, x1, y1) of a cartesian chart, None for pies and timelines."""

    w: float
    h: float
    theme: Theme
    fonts: FontSet
    marks: list[Mark] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)  # every text placed, in order
    boxes: list[Box] = field(default_factory=list)  # obstacles: every text placed, plus line markers
    plot: Box | None = None
    # the data labels (role "data", by ref) the chart may draw at all (ChartData.shown_labels: decided with
    # the deck's frame too); None: every one that finds room
    shown: frozenset[tuple[int, int]] | None = None
    category_step: int = 1  # a vertical chart's category names: every k-th named, from the first (plan.labels)
    # the bars and columns (by ref) whose data label fits inside them in this plan (segmentroom.fits_segment),
    # for deciding `ChartData.inside_labels` with the deck's frame too (charts.labelplan)
    inside_room: set[tuple[int, int]] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.reg = metrics(self.fonts.regular)
        self.bold = metrics(self.fonts.bold)
        self._text_marks: list[TextMark] = []

    # ------------------------------------------------------------------ measuring

    def tw(self, text: str, size: float, bold: bool = False) -> float:
        """Advance width of text in pt."""
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

    def free(self, box: Box, gap: float = 0.8, xgap: float | None = None) -> bool:
        """box lies inside the canvas (within PAD/2) and clear of every text placed so far: gap pt above and
        below, xgap (default gap) pt beside."""
        x0, y0, x1, y1 = box
        xg = gap if xgap is None else xgap
        edge = PAD / 2
        if x0 < edge or y0 < edge or x1 > self.w - edge or y1 > self.h - edge:
            return False
        return all(x1 + xg <= a or b + xg <= x0 or y1 + gap <= c or d + gap <= y0 for a, c, b, d in self.boxes)

    def _place(self, x: float, y: float, s: str, size: float, ha: str, va: str, bold: bool,
               rotation: float) -> tuple[float, float, float, Box]:
        """Baseline start, advance width and box of a text placed as `text` would place it."""
        width = self.tw(s, size, bold)
        shift = {"left": 0.0, "center": width / 2, "right": width}[ha]
        if rotation:
            asc, desc = self.reg.ascent * size, self.reg.descent * size
            bx, by = x + (asc - desc) / 2, y - shift
            return bx, by, width, (x - size / 2, by, x + size / 2, by + width)
        bx, by = x - shift, self.baseline(y, size, va)
        return bx, by, width, (bx, by - self.reg.descent * size, bx + width, by - self.reg.descent * size + size)

    def text_box(self, x: float, y: float, s: str, size: float, ha: str = "left", va: str = "center",
                 bold: bool = False, rotation: float = 0.0) -> Box:
        """The box `text` would give this text (nothing is placed)."""
        return self._place(x, y, s, size, ha, va, bold, rotation)[3]

    def blocking(self, box: Box, gap: float = 0.8, xgap: float | None = None) -> list[Box]:
        """The boxes already placed that box would touch (within gap above and below, xgap beside)."""
        x0, y0, x1, y1 = box
        xg = gap if xgap is None else xgap
        return [b for b in self.boxes
                if not (x1 + xg <= b[0] or b[2] + xg <= x0 or y1 + gap <= b[1] or b[3] + gap <= y0)]

    # ------------------------------------------------------------------ placing

    def text(self, x: float, y: float, s: str, size: float, color: str, ha: str = "left",
             va: str = "center", bold: bool = False, rotation: float = 0.0, zorder: float = 6,
             halo: str | None = None, avoid: bool = False, role: str = "",
             ref: tuple[int, int] | None = None, gap: float = 0.8) -> bool:
        """One line of text; rotation is 0 or 90 (reading upwards, em box centred on x).

        With avoid=True (data labels) the text is left out, and False returned, when its box would leave
        the canvas, touch a text already placed above or below it, or come closer than gap pt beside it
        (two labels on one line closer than a word space read as one): a label that cannot be read is
        better not drawn."""
        if not s or (role == "data" and ref is not None and self.shown is not None and ref not in self.shown):
            return False
        bx, by, width, box = self._place(x, y, s, size, ha, va, bold, rotation)
        if avoid and not self.free(box, xgap=gap):
            return False
        self.texts.append(s)
        self.boxes.append(box)
        if not rotation and halo:
            pad = size * 0.15
            self.rect(bx - pad, by - self.reg.descent * size - pad, width + 2 * pad,
                      size + 2 * pad, halo, zorder=zorder - 0.01, role="halo")
        mark = TextMark(bx, by, s, size, color.lstrip("#"), rotation, bold, zorder, box, role, ref)
        self._text_marks.append(mark)
        self.marks.append(mark)
        return True

    def text_out(self, x: float, y: float, s: str, size: float, color: str, away: tuple[int, int],
                 tries: int = 3, within: Box | None = None, **kw) -> bool:
        """A data label placed like text(..., avoid=True); when it would touch a text already placed it is
        moved on in the direction `away` ((1, 0) right, (-1, 0) left, (0, 1) up, (0, -1) down) just past
        what it touches, up to `tries` times, instead of being left out. A moved label stays inside
        `within` (the plot area: legends and titles are placed after the data labels); it is still left
        out (False) when it would leave that box or the canvas."""
        dx, dy = away
        ha, va, bold, rotation = kw.get("ha", "left"), kw.get("va", "center"), kw.get("bold", False), \
            kw.get("rotation", 0.0)
        for attempt in range(tries):
            box = self.text_box(x, y, s, size, ha, va, bold, rotation)
            if attempt and within is not None and not (
                    within[0] - 0.01 <= box[0] and box[2] <= within[2] + 0.01
                    and within[1] - 0.01 <= box[1] and box[3] <= within[3] + 0.01):
                return False
            if self.text(x, y, s, size, color, avoid=True, **kw):
                return True
            hit = self.blocking(box, xgap=kw.get("gap", 0.8))
            if not hit:  # off the canvas: nowhere further out to go
                return False
            if dx > 0:
                x += max(b[2] for b in hit) + STAGGER_GAP - box[0]
            elif dx < 0:
                x -= box[2] - (min(b[0] for b in hit) - STAGGER_GAP)
            elif dy > 0:
                y += max(b[3] for b in hit) + STAGGER_GAP - box[1]
            else:
                y -= box[3] - (min(b[1] for b in hit) - STAGGER_GAP)
        return False

    def undo_texts(self, keep: int) -> None:
        """Remove the texts placed after the first `keep` ones (a label that only partly fitted)."""
        while len(self.boxes) > keep:
            self.boxes.pop()
            self.texts.pop()
            mark = self._text_marks.pop()
            for k in range(len(self.marks) - 1, -1, -1):
                if self.marks[k] is mark:
                    del self.marks[k]
                    break

    def rect(self, x: float, y: float, w: float, h: float, color: str, zorder: float = 3,
             role: str = "", ref: tuple[int, int] | None = None) -> None:
        if w < 0:
            x, w = x + w, -w
        if h < 0:
            y, h = y + h, -h
        self.marks.append(RectMark(x, y, w, h, color.lstrip("#"), zorder, role, ref))

    def line(self, xs: Sequence[float], ys: Sequence[float], color: str, lw: float = 0.6,
             zorder: float = 1) -> None:
        self.marks.append(LineMark(list(xs), list(ys), color.lstrip("#"), lw, zorder))

    def dots(self, xs: Sequence[float], ys: Sequence[float], color: str, size: float, zorder: float = 4.5) -> None:
        self.marks.append(DotsMark(list(xs), list(ys), color.lstrip("#"), size, zorder))

    def segments(self, segs: list[tuple[tuple[float, float], tuple[float, float]]], color: str,
                 lw: float = 0.5, zorder: float = 1) -> None:
        if segs:
            self.marks.append(SegmentsMark(segs, color.lstrip("#"), lw, zorder))

    def polygon(self, points: Sequence[tuple[float, float]], color: str, zorder: float = 2,
                edge: str | None = None, lw: float = 0.0) -> None:
        self.marks.append(PolygonMark(list(points), color.lstrip("#"), zorder, edge, lw))

    def circle(self, x: float, y: float, r: float, color: str, zorder: float = 4,
               edge: str | None = None, lw: float = 0.0) -> None:
        self.marks.append(CircleMark(x, y, r, color.lstrip("#"), zorder, edge, lw))

    def wedge(self, x: float, y: float, r: float, a0: float, a1: float, color: str,
              width: float | None = None) -> None:
        self.marks.append(WedgeMark(x, y, r, a0, a1, color.lstrip("#"), width))

    # ------------------------------------------------------------------ reading

    def text_marks(self, role: str | None = None) -> list[TextMark]:
        """The text marks in drawing order, of one role or all."""
        return [m for m in self.marks if isinstance(m, TextMark) and (role is None or m.role == role)]

    def rect_marks(self, role: str | None = None) -> list[RectMark]:
        return [m for m in self.marks if isinstance(m, RectMark) and (role is None or m.role == role)]
