"""Boxes on a slide, in points (a template's placeholders and artwork; where egovdeck draws)."""

from __future__ import annotations

from dataclasses import dataclass

from pptx.enum.shapes import PP_PLACEHOLDER

EMU_PER_PT = 12700
FOOTER_TYPES = (PP_PLACEHOLDER.DATE, PP_PLACEHOLDER.FOOTER, PP_PLACEHOLDER.SLIDE_NUMBER)


def pt(emu) -> float:
    """EMU (English Metric Units, 12,700 a point) -> points; None counts as 0."""
    return float(emu or 0) / EMU_PER_PT


@dataclass(frozen=True)
class Box:
    """A rectangle in points."""

    x: float
    y: float
    w: float
    h: float

    @property
    def bottom(self) -> float:
        return self.y + self.h

    @property
    def right(self) -> float:
        return self.x + self.w
