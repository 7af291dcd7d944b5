"""ChartData -> SVG text for the PDF brief (the deck uses native charts): plan, then paint.

`egovdeck.charts.plan` places every mark, label, tick and legend entry in points from the bundled
font's advance widths (`egovdeck.text.fonts.metrics`); `egovdeck.charts.paint` writes the plan with
matplotlib, used only as the vector writer: nothing is laid out by its tick machinery or a layout
engine, so the figure keeps exactly the requested size, nothing is clipped, and the result is the
same on every machine and in every process.

Text stays text (`svg.fonttype='none'`, set by `register_matplotlib`); `svg_to_drawing` in
`egovdeck.render.pdf.chart` maps the family onto the ReportLab fonts, so the PDF embeds one
subset of our font for the whole document and every label can be extracted.
"""

from __future__ import annotations

from collections.abc import Callable

from egovdeck.charts.paint import paint_svg
from egovdeck.charts.plan import plan_chart
from egovdeck.charts.plan.labels import wrap_text
from egovdeck.charts.scale import nice_ticks
from egovdeck.document.chart import ChartData, ChartRenderError
from egovdeck.document.theme import Theme
from egovdeck.text.fonts import FontSet, missing_chars, register_matplotlib

__all__ = ["ChartRenderError", "nice_ticks", "preload", "render_svg", "wrap_text"]


def render_svg(chart: ChartData, width_pt: float, height_pt: float, theme: Theme, fonts: FontSet) -> str:
    """The chart as SVG text of exactly width_pt × height_pt, text kept as text in the bundled font.

    Deterministic: the same input gives the same string (fixed hash salt, no date/creator metadata).
    Raises ChartRenderError for an unknown kind, an empty chart, a size too small to draw, or a
    character the bundled font cannot draw.
    """
    plan = plan_chart(chart, width_pt, height_pt, theme, fonts)
    bad = missing_chars("".join(plan.texts), fonts)
    if bad:
        raise ChartRenderError(f"chart {chart.id!r}: characters missing from the bundled font: {' '.join(bad)}")
    return paint_svg(plan, register_matplotlib(fonts))


_RENDER_MODULES = ("matplotlib.figure", "matplotlib.backends.backend_svg", "matplotlib.collections",
                   "matplotlib.patches", "matplotlib.font_manager")


def preload(stop: Callable[[], bool] = lambda: False) -> bool:
    """Import what rendering needs (~0.3 s), e.g. before forking workers so none of them pays for it.

    Imports module by module and gives up (returning False) as soon as `stop()` is true, so a process
    warming up on the side can turn to real work the moment it arrives."""
    import importlib

    from egovdeck.compat.matplotlib_internals import no_artist_docstrings

    with no_artist_docstrings():
        for name in _RENDER_MODULES:
            if stop():
                return False
            importlib.import_module(name)
    return True
