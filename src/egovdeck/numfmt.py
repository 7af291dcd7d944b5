"""Number formats shared by both renderers: one spec -> Python text and an Excel format code."""

from __future__ import annotations

from dataclasses import dataclass

# Chinese magnitudes: values are divided before drawing, so the deck's embedded
# workbook holds the same (scaled) numbers the PDF shows. Excel has no 10^4 scaling code.
MAGNITUDES = {"": 1.0, "万": 1e4, "亿": 1e8}


@dataclass(frozen=True)
class NumberFormat:
    """How a value is written: decimals, thousands separators, percent sign, a suffix."""

    decimals: int = 0
    thousands: bool = True
    percent: bool = False  # the value is already in percent units (76.8 -> "76.8%")
    suffix: str = ""
    magnitude: str = ""  # "", "万" or "亿": divide by 1e4 / 1e8 and append it

    def scale(self, value: float) -> float:
        return value / MAGNITUDES[self.magnitude]

    def format(self, value: float | None) -> str:
        if value is None:
            return ""
        text = f"{value:,.{self.decimals}f}" if self.thousands else f"{value:.{self.decimals}f}"
        if text.startswith("-"):
            text = "\u2212" + text[1:]  # typographic minus, as matplotlib draws it
        return text + ("%" if self.percent else "") + self.magnitude + self.suffix

    def excel(self) -> str:
        """The equivalent Excel/PowerPoint format code (for pre-scaled values)."""
        base = "#,##0" if self.thousands else "0"
        if self.decimals:
            base += "." + "0" * self.decimals
        tail = ("%" if self.percent else "") + self.magnitude + self.suffix
        if tail:
            base += '"' + tail.replace('"', "") + '"'
        return base


def parse_format(text: str | None, default_decimals: int = 0) -> NumberFormat:
    """Parse a compact format: "0", "0.0", "#,##0", "0.0%", "0.00亿", "#,##0个"."""
    if not text:
        return NumberFormat(decimals=default_decimals)
    rest = text.strip()
    thousands = rest.startswith("#,##")
    if thousands:
        rest = rest[4:]
    digits = ""
    while rest and rest[0] in "0.":
        digits += rest[0]
        rest = rest[1:]
    decimals = len(digits.split(".", 1)[1]) if "." in digits else 0
    percent = rest.startswith("%")
    if percent:
        rest = rest[1:]
    magnitude = rest[0] if rest[:1] in ("万", "亿") else ""
    if magnitude:
        rest = rest[1:]
    return NumberFormat(decimals, thousands, percent, rest, magnitude)
