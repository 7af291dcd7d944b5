"""Legends of the charts: entries, their rows, the room they take and their place (no drawing)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from egovdeck.charts.linelabels import is_line
from egovdeck.charts.plan.canvas import PAD, Plan
from egovdeck.document.chart import ChartData, Series
from egovdeck.document.theme import Theme


@dataclass
class Legend:
    entries: list[tuple[str, str, str]]  # (name, colour, "patch" | "line")
    size: float
    rows: list[list[int]] = field(default_factory=list)
    width: float = 0.0
    height: float = 0.0
    vertical: bool = False

    HANDLE = {"patch": 7.0, "line": 16.0}

    def entry_width(self, cv: Plan, i: int) -> float:
        name, _, kind = self.entries[i]
        return self.HANDLE[kind] + 4 + cv.tw(name, self.size)

    def layout(self, cv: Plan, avail: float) -> None:
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

    def draw(self, cv: Plan, x0: float, y_top: float, x1: float | None = None) -> None:
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
                    cv.rect(x, yc - hw / 2, hw, hw, color, zorder=6, role="legend")
                else:
                    cv.line([x, x + hw], [yc, yc], color, lw=1.6, zorder=6)
                    cv.circle(x + hw / 2, yc, 2.4, color, zorder=7, edge="FFFFFF", lw=0.6)
                cv.text(x + hw + 4, yc, name, self.size, cv.theme.text, va="center", role="legend")
                x += self.entry_width(cv, i) + gap


def place_legend(cv, chart: ChartData, legend, x0: float, x1: float, y1: float) -> None:
    """Draw the legend where legend_room reserved its place."""
    if not legend:
        return
    if legend.vertical:
        legend.draw(cv, cv.w - PAD - legend.width, y1)
    elif chart.legend == "top":
        legend.draw(cv, x0, cv.h - PAD, x1)
    else:
        legend.draw(cv, PAD, PAD + legend.height, cv.w - PAD)


def legend_room(cv, chart: ChartData, legend) -> tuple[float, float, float]:
    """Lay out the legend and return the room it takes: (top, bottom, right) in points."""
    if not legend:
        return 0.0, 0.0, 0.0
    if legend.vertical:
        legend.layout(cv, cv.w)
        return 0.0, 0.0, legend.width + 10
    legend.layout(cv, cv.w - 2 * PAD)
    return (legend.height + 4, 0.0, 0.0) if chart.legend == "top" else (0.0, legend.height + 4, 0.0)


def stack_ordered(chart: ChartData) -> bool:
    """Whether a chart's legend lists its series last first: columns stacked upwards with the legend beside
    the plot, where the top entry names the top segment (issue #16: "legend order follows the order of the
    bars"). PowerPoint and LibreOffice list a stacked column chart's side legend that way by themselves; the
    PDF's legend follows (tests/test_legend_order.py reads both)."""
    return chart.stacked and chart.kind == "column" and chart.legend == "right"


def legend_for(chart: ChartData, series: Sequence[Series], theme: Theme) -> Legend | None:
    if len(series) < 2 or not chart.legend:
        return None
    entries = [(s.name, s.color, "line" if is_line(chart, s) else "patch") for s in series]
    if stack_ordered(chart):
        entries.reverse()
    return Legend(entries, theme.chart_legend_size, vertical=chart.legend == "right")
