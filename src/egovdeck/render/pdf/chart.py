"""Chart SVG (from egovdeck.charts.mpl) -> a ReportLab Drawing, a vector flowable for the PDF brief.

svglib resolves every SVG `font-family`/`font-weight` through a font map. Its global map falls
back to fontconfig and finally Helvetica for a family it does not know (which draws Chinese as
empty boxes, silently), and `svglib.fonts.register_font` would register a *second* ReportLab
TTFont object under our font's name. So this module passes its own FontMap to svg2rlg: the
bundled family maps straight onto the ReportLab fonts that `egovdeck.text.fonts.register_reportlab`
registered (once per process), with weight 600-900/bold/bolder -> the bold file; any other
family is an error rather than a silent substitution. svglib's global map is left untouched.
"""

from __future__ import annotations

import functools
import io

from reportlab.graphics.shapes import Drawing
from svglib.fonts import FontMap
from svglib.svglib import svg2rlg

from egovdeck.document.chart import ChartData, ChartRenderError
from egovdeck.document.theme import Theme
from egovdeck.text.fonts import FontSet, family_name, register_reportlab

_BOLD = {"bold", "bolder", "600", "700", "800", "900"}


class _BundledFontMap(FontMap):
    """svglib font lookup: the bundled family only (regular/bold), never a system font."""

    def __init__(self, fonts: FontSet):
        super().__init__()
        self.fonts = fonts
        self.names = {fonts.family.lower(), family_name(fonts.regular).lower(),
                      fonts.rl_regular.lower(), fonts.rl_bold.lower()}

    def find_font(self, font_name: str, weight: str = "normal", style: str = "normal") -> tuple[str, bool]:
        name = str(font_name).strip().strip("'\"").lower()
        if name in self.names:
            bold = str(weight).strip().lower() in _BOLD or name == self.fonts.rl_bold.lower()
            return (self.fonts.rl_bold if bold else self.fonts.rl_regular), True
        # A family we do not bundle: not exact, so svglib tries the next name in the list;
        # svg_to_drawing refuses the drawing if any string ended up in another font.
        return "", False


@functools.cache
def _font_map(fonts: FontSet) -> _BundledFontMap:
    register_reportlab(fonts)  # cached: the TTFonts are registered exactly once per process
    return _BundledFontMap(fonts)


def _check_fonts(drawing: Drawing, fonts: FontSet) -> None:
    from reportlab.graphics.shapes import Group, String

    allowed = {fonts.rl_regular, fonts.rl_bold}
    stack = [drawing]
    while stack:
        node = stack.pop()
        if isinstance(node, String):
            if node.fontName not in allowed:
                raise ChartRenderError(f"chart text {node.text!r} is in font {node.fontName!r}, not the bundled font")
        elif isinstance(node, Group | Drawing):
            stack.extend(node.contents)


def svg_to_drawing(svg: str, fonts: FontSet) -> Drawing:
    """Convert chart SVG text to a ReportLab Drawing of the SVG's size (in pt), text kept as text."""
    fmap = _font_map(fonts)
    drawing = svg2rlg(io.BytesIO(svg.encode("utf-8")), font_map=fmap)
    if drawing is None:
        raise ChartRenderError("svglib could not read the chart SVG")
    _check_fonts(drawing, fonts)
    # renderPDF starts every drawing by selecting STATE_DEFAULTS' font (Helvetica), which would
    # put an unembedded Helvetica into the PDF even though no string uses it.
    drawing.initialFontName = fonts.rl_regular
    return drawing


def chart_flowable(chart: ChartData, width_pt: float, height_pt: float, theme: Theme, fonts: FontSet) -> Drawing:
    """render_svg + svg_to_drawing: a Drawing (a ReportLab flowable) of exactly width_pt × height_pt."""
    from egovdeck.charts.mpl import render_svg  # matplotlib only when a chart is actually drawn

    drawing = svg_to_drawing(render_svg(chart, width_pt, height_pt, theme, fonts), fonts)
    drawing.width, drawing.height = float(width_pt), float(height_pt)
    return drawing
