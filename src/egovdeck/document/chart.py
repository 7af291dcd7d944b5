"""ChartData: a chart fully resolved against its data, the one input of both chart renderers.

Everything a renderer needs is decided here (order, colours, scaled values, label texts,
formats), so the PDF and the deck cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

from egovdeck.text.numfmt import NumberFormat


def contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two RRGGBB colours (1 to 21)."""
    def rel(color: str) -> float:
        c = color.lstrip("#")
        ch = [int(c[k:k + 2], 16) / 255 for k in (0, 2, 4)]
        r, g, b_ = (v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4 for v in ch)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b_

    la, lb = rel(a), rel(b)
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


def ink_on(fill: str, dark: str) -> str:
    """Text colour on a fill: white or the dark text colour, whichever contrasts more (both renderers)."""
    return "FFFFFF" if contrast("FFFFFF", fill) >= contrast(dark, fill) else dark


class ChartRenderError(ValueError):
    """The chart cannot be drawn with the bundled font (or has nothing to draw)."""


CHART_KINDS = ("column", "bar", "line", "combo", "pie", "doughnut", "timeline")
"""column: vertical bars; bar: horizontal bars (rankings); combo: columns + line on a secondary axis."""


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float | None, ...]  # already scaled by the format's magnitude; None = unknown
    color: str  # hex RRGGBB
    fmt: NumberFormat
    kind: str = "column"  # within a combo: "column" or "line"
    secondary: bool = False  # drawn against the secondary (right) axis
    point_colors: tuple[str, ...] = ()  # per-category colours (highlight, pies); empty = series colour


@dataclass(frozen=True)
class RightAxis:
    """A combo chart's right (secondary) value axis as both outputs draw it: the range [lo, hi] (the deck's
    c:min/c:max) and the tick step (c:majorUnit); the ticks are `egovdeck.charts.scale.axis_ticks(lo, hi,
    step)`, written with the decimals the step needs. Decided once with the PDF's and the deck's frames
    (egovdeck.engine.comboaxes, the rule in egovdeck.charts.comboaxis)."""

    lo: float
    hi: float
    step: float


@dataclass(frozen=True)
class Milestone:
    """One stage of a timeline: a period label, a short title and a description."""

    period: str
    label: str
    text: str = ""


@dataclass(frozen=True)
class ChartData:
    id: str
    kind: str  # one of CHART_KINDS
    title: str
    categories: tuple[str, ...] = ()
    series: tuple[Series, ...] = ()
    stacked: bool = False
    data_labels: bool = True
    label_position: str = "auto"  # auto | outside | inside | center
    legend: str | None = "bottom"  # bottom | top | right | None
    x_title: str = ""
    y_title: str = ""
    y2_title: str = ""
    y_min: float | None = None
    y_max: float | None = None
    y2_min: float | None = None
    y2_max: float | None = None
    # True when the resolver chose y_min / y_max (a round range from the data), False when the definition
    # pinned it: the PDF may then extend a chosen end beyond its last tick to make room for data labels.
    y_min_auto: bool = False
    y_max_auto: bool = False
    # the value axis' tick step, chosen with the range by the resolver (egovdeck.charts.scale.axis_ticks):
    # both outputs draw ticks y_min, y_min + y_step ... with the decimals the step needs; None: no range
    y_step: float | None = None
    # a combo's right axis, decided for both outputs (with its left top y_max lifted, by whole steps, where its
    # line needs the room: egovdeck.charts.comboaxis.decide); None: not decided (a chart drawn on its own: a
    # renderer then decides by the same rule for its own frame alone)
    y2_axis: RightAxis | None = None
    source: str = ""  # 「资料来源：...」 line, drawn under the chart by the page/slide, not inside
    note: str = ""
    alt_text: str = ""
    milestones: tuple[Milestone, ...] = ()
    end_labels: bool = False  # line charts: label the last point of each series
    dataset: str = ""  # the dataset id it was drawn from (for the 数据说明 page)
    # (series, category) of every data label both outputs draw (pie/doughnut: (0, slice)), decided once
    # with the PDF's and the deck's frames known (egovdeck.charts.labelplan); None: not decided yet (each
    # renderer then applies its own rules, as a chart drawn on its own)
    shown_labels: frozenset[tuple[int, int]] | None = None
    # line data labels, per series, per category: "t" above the point, "b" below, "" none -- decided once
    # for the PDF and the deck together (egovdeck.charts.linelabels.decide_sides); () not yet decided: a
    # renderer then decides with its own geometry only
    line_label_sides: tuple[tuple[str, ...], ...] = ()
    # a vertical chart's category names: every category_step-th one named, counted from the first (the
    # deck's c:tickLblSkip, and where LibreOffice's own thinning starts), the same categories in both
    # outputs: decided once with both frames known (egovdeck.engine.labels); 1: every one
    category_step: int = 1
    # label_position inside/center of side-by-side bars and columns: the (series, category) labels drawn
    # inside their bar, decided once where the label fits in the bar in both outputs' frames (width and
    # length: egovdeck.charts.segmentroom.fits_segment); every other label goes beyond its bar's end, or is
    # left out (shown_labels). None: not decided (a renderer then asks its own geometry alone)
    inside_labels: frozenset[tuple[int, int]] | None = None

    def all_text(self) -> list[str]:
        """Every string that will be drawn (for the glyph check and tests)."""
        out = [self.title, self.x_title, self.y_title, self.y2_title, self.source, self.note]
        out += list(self.categories)
        for s in self.series:
            out.append(s.name)
            out += [s.fmt.format(v) for v in s.values if v is not None]
        for m in self.milestones:
            out += [m.period, m.label, m.text]
        return [t for t in out if t]

    def labels_in(self, start: int, stop: int) -> frozenset[tuple[int, int]] | None:
        """shown_labels of the part of this chart with categories start:stop (a split ranking), counted
        from the part's first category; None when not decided."""
        if self.shown_labels is None:
            return None
        return frozenset((j, i - start) for j, i in self.shown_labels if start <= i < stop)

    def inside_in(self, start: int, stop: int) -> frozenset[tuple[int, int]] | None:
        """inside_labels of the part of this chart with categories start:stop, as labels_in."""
        if self.inside_labels is None:
            return None
        return frozenset((j, i - start) for j, i in self.inside_labels if start <= i < stop)

    def segment_labelled(self, v: float) -> bool:
        """Stacked charts: a segment carries its value label when it spans at least 7 % of the value
        range (the same rule in the PDF and the deck; a thinner segment has no room for one)."""
        if self.y_min is None or self.y_max is None or self.y_max <= self.y_min:
            return True
        return abs(v) >= 0.07 * (self.y_max - self.y_min)

    def legend_names(self) -> list[str]:
        """Each pie/doughnut slice as its legend names it when its label is left out for want of room:
        「name：share（value）」, so that no slice's share is lost (a narrow doughnut printed four names and
        not one share); a slice without a value keeps its name."""
        return [f"{c}：{t}" if t is not None else str(c) for c, t in zip(self.categories, self.slice_texts(),
                                                                          strict=True)]

    def slice_texts(self) -> list[str | None]:
        """The value line of each pie/doughnut slice label, the same in the PDF and the deck: the value
        itself when the values are shares adding up to 100 %, else 「share（value）」; None for a slice
        that is not drawn (no value, or not positive)."""
        s = self.series[0]
        vals = [v if v is not None and v > 0 else None for v in s.values]
        total = sum(v for v in vals if v is not None)
        if not total:
            return [None] * len(vals)
        out: list[str | None] = []
        for v in vals:
            if v is None:
                out.append(None)
            elif s.fmt.percent and abs(total - 100) < 0.5:
                out.append(s.fmt.format(v))
            else:
                share = NumberFormat(decimals=1, percent=True).format(v / total * 100)
                out.append(f"{share}（{s.fmt.format(v)}）")
        return out
