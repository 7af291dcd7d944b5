"""One theme for both renderers: palette, typefaces and sizes."""

from __future__ import annotations

from dataclasses import dataclass

# A restrained institutional palette; the first colour carries the main series.
DEFAULT_PALETTE = ("1F5FA8", "E07B39", "3A9D8F", "8C6BB1", "C9A227", "6B7B8C", "B5485A", "5DA5DA")


@dataclass(frozen=True)
class Theme:
    """Colours are 6-digit hex without '#'; sizes are points."""

    family: str = "Egov Sans SC"  # typeface name written into the deck and used by matplotlib
    palette: tuple[str, ...] = DEFAULT_PALETTE
    text: str = "222222"
    muted: str = "666666"
    grid: str = "D9D9D9"
    axis: str = "8C8C8C"
    highlight: str = "C8102E"
    accent: str = "1F5FA8"
    dim: str = "A9BCD6"  # non-highlighted bars when a ranking highlights some
    background_band: str = "EEF3F9"
    chart_title_size: float = 11.0
    chart_label_size: float = 8.5
    chart_tick_size: float = 8.0
    chart_legend_size: float = 8.0

    def color(self, index: int) -> str:
        """The index-th colour (6 hex digits): the palette, then, past its end, each palette colour again
        mixed with white or black by ROUND_MIX, so that no two of up to five rounds (40 slices of the default
        palette) share a colour: a 15-slice pie showed slices 0 and 8 in the same blue, and its legend two
        dark-blue entries."""
        n = len(self.palette)
        base = self.palette[index % n]
        mix = ROUND_MIX[(index // n) % len(ROUND_MIX)]
        if not mix:
            return base
        toward = 255 if mix > 0 else 0
        rgb = [int(base[k:k + 2], 16) for k in (0, 2, 4)]
        return "".join(f"{round(c + (toward - c) * abs(mix)):02X}" for c in rgb)


ROUND_MIX = (0.0, 0.5, -0.4, 0.75, -0.6)  # per round through the palette: + toward white, - toward black
