"""ChartData -> Plan: every mark of a PDF chart placed in points, no drawing (the paint step is
`egovdeck.charts.paint`).

One module per kind: `columns` (column, line, combo), `bars` (horizontal rankings), `pie` (pie,
doughnut), `timeline`; shared steps in `axes` (value ranges and ticks), `labels` (wrapping, thinning,
rotating, repelling) and `legend`. `canvas.Plan` is what they lay out on and what they return.
"""

from __future__ import annotations

from collections.abc import Callable

from egovdeck.charts.plan.bars import plan_bars
from egovdeck.charts.plan.canvas import Plan
from egovdeck.charts.plan.columns import plan_columns
from egovdeck.charts.plan.pie import plan_pie
from egovdeck.charts.plan.timeline import plan_timeline
from egovdeck.document.chart import ChartData, ChartRenderError
from egovdeck.document.theme import Theme
from egovdeck.text.fonts import FontSet

PLANNERS: dict[str, Callable[[Plan, ChartData], None]] = {
    "column": plan_columns,
    "line": plan_columns,
    "combo": plan_columns,
    "bar": plan_bars,
    "pie": plan_pie,
    "doughnut": plan_pie,
    "timeline": plan_timeline,
}


def plan_chart(chart: ChartData, width_pt: float, height_pt: float, theme: Theme, fonts: FontSet) -> Plan:
    """The chart laid out on width_pt × height_pt.

    Raises ChartRenderError for an unknown kind, an empty chart or a size too small to draw."""
    if chart.kind not in PLANNERS:
        raise ChartRenderError(f"chart {chart.id!r}: unknown kind {chart.kind!r}")
    if chart.kind != "timeline" and (not chart.series or not chart.categories):
        raise ChartRenderError(f"chart {chart.id!r}: no data to draw")
    plan = Plan(float(width_pt), float(height_pt), theme, fonts, shown=chart.shown_labels)
    PLANNERS[chart.kind](plan, chart)
    return plan
