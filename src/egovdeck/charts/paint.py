"""Paint a chart plan (`egovdeck.charts.plan.canvas.Plan`) as SVG text with matplotlib.

The figure has no Axes: every mark of the plan becomes an artist of the figure itself, its
transform mapping points to device units, in the plan's order (rectangles batched into one
PolyCollection per z-order). matplotlib is only the vector writer; nothing is laid out here.
Text stays text (`svg.fonttype='none'`, set by `egovdeck.text.fonts.register_matplotlib`).
"""

from __future__ import annotations

import io

from matplotlib.artist import Artist

from egovdeck.charts.plan.canvas import (
    CircleMark,
    DotsMark,
    LineMark,
    Plan,
    PolygonMark,
    RectMark,
    SegmentsMark,
    TextMark,
    WedgeMark,
)

SVG_METADATA = {"Date": None, "Creator": None, "Format": None, "Type": None}


def _hex(color: str) -> str:
    return "#" + color.lstrip("#")


class _TextArtist(Artist):
    """Text placed by the plan, handed straight to renderer.draw_text without matplotlib's layout pass.

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


def paint_svg(plan: Plan, family: str) -> str:
    """The plan as SVG text of exactly plan.w × plan.h pt; text in the matplotlib font `family`."""
    from matplotlib.collections import LineCollection, PolyCollection
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties
    from matplotlib.lines import Line2D
    from matplotlib.patches import Circle, Polygon, Wedge
    from matplotlib.transforms import Affine2D

    fig = Figure(figsize=(plan.w / 72.0, plan.h / 72.0), dpi=72, facecolor="none")
    to_device = Affine2D().scale(1 / 72.0) + fig.dpi_scale_trans  # points -> inches -> device
    props: dict[tuple[float, bool], FontProperties] = {}
    rects: dict[float, list] = {}

    def add(artist) -> None:
        artist.set_transform(to_device)
        fig.add_artist(artist)

    for m in plan.marks:
        if isinstance(m, RectMark):
            rects.setdefault(m.zorder, []).append(
                ([(m.x, m.y), (m.x + m.w, m.y), (m.x + m.w, m.y + m.h), (m.x, m.y + m.h)], _hex(m.color)))
        elif isinstance(m, TextMark):
            key = (m.size, m.bold)
            if key not in props:
                props[key] = FontProperties(family=family, size=m.size, weight="bold" if m.bold else "normal")
            add(_TextArtist(m.x, m.y, m.text, props[key], _hex(m.color), m.rotation, m.zorder))
        elif isinstance(m, LineMark):
            add(Line2D(m.xs, m.ys, color=_hex(m.color), linewidth=m.lw, zorder=m.zorder, solid_capstyle="butt",
                       solid_joinstyle="round"))
        elif isinstance(m, DotsMark):
            add(Line2D(m.xs, m.ys, linestyle="none", marker="o", markersize=m.size, markerfacecolor=_hex(m.color),
                       markeredgecolor="#FFFFFF", markeredgewidth=0.7, zorder=m.zorder))
        elif isinstance(m, SegmentsMark):
            add(LineCollection(m.segs, colors=_hex(m.color), linewidths=m.lw, zorder=m.zorder, capstyle="butt"))
        elif isinstance(m, PolygonMark):
            add(Polygon(m.points, closed=True, facecolor=_hex(m.color), linewidth=m.lw,
                        edgecolor=_hex(m.edge) if m.edge else "none", zorder=m.zorder))
        elif isinstance(m, CircleMark):
            add(Circle((m.x, m.y), m.r, facecolor=_hex(m.color), linewidth=m.lw,
                       edgecolor=_hex(m.edge) if m.edge else "none", zorder=m.zorder))
        elif isinstance(m, WedgeMark):
            add(Wedge((m.x, m.y), m.r, m.a0, m.a1, width=m.width, facecolor=_hex(m.color), edgecolor="#FFFFFF",
                      linewidth=0.8, zorder=3))
        else:  # pragma: no cover - a new mark type without a painter
            raise TypeError(f"no painter for {type(m).__name__}")
    for z, items in sorted(rects.items()):
        add(PolyCollection([v for v, _ in items], facecolors=[c for _, c in items], edgecolors="none",
                           linewidths=0, zorder=z))
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata=SVG_METADATA, bbox_inches=None, facecolor="none", edgecolor="none")
    return buf.getvalue()
