"""ChartData: a chart fully resolved against its data, the one input of both chart renderers.

Everything a renderer needs is decided here (order, colours, scaled values, label texts,
formats), so the PDF and the deck cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

from egovdeck.numfmt import NumberFormat


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
    source: str = ""  # 「资料来源：...」 line, drawn under the chart by the page/slide, not inside
    note: str = ""
    alt_text: str = ""
    milestones: tuple[Milestone, ...] = ()
    end_labels: bool = False  # line charts: label the last point of each series
    dataset: str = ""  # the dataset id it was drawn from (for the 数据说明 page)

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
