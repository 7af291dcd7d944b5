"""Metrics for text that must fit wherever the deck is opened, with its font or with a substitute.

A deck names its typeface; where the typeface is missing (and the embedded copy is not read: LibreOffice
before 25.8, Keynote, Google Slides) the reader substitutes one, and LibreOffice also puts a gap between
Chinese and Latin letters or digits ("autospace", about a quarter em: 8.2 pt at 34 pt measured in
LibreOffice 25.2's PDF of the bundled deck), which PowerPoint does not. The deck therefore measures
every non-CJK character at the wider of its own advance and DejaVu Sans's (LibreOffice's fallback on
Linux and the widest common sans: resources/substitute-widths.json, from scripts/build_substitute_widths.py)
and adds AUTOSPACE em wherever the viewer changes between Asian and non-Asian text (the rule and its
measurements: egovdeck.text.autospace). CJK characters are one em in every CJK font, so
Chinese text measures as before. The result is a Metrics (egovdeck.text.fonts) the text fitter uses unchanged.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

from egovdeck.text.autospace import GAP_EM
from egovdeck.text.fonts import Metrics, metrics

WIDTHS = Path(__file__).resolve().parents[1] / "resources" / "substitute-widths.json"
AUTOSPACE = GAP_EM  # em at each change of script (LibreOffice: 8.2 pt at 34 pt, 0.24 em)


@functools.cache
def substitute_advances(face: str) -> dict[int, float]:
    """DejaVu Sans's advance widths (em) by code point; face is "regular" or "bold"."""
    data = json.loads(WIDTHS.read_text(encoding="utf-8"))
    return {int(cp, 16): em for cp, em in data["faces"][face].items()}


def portable_metrics(path: Path, bold: bool = False) -> Metrics:
    """The font's metrics widened for a substitute and LibreOffice's autospace (see the module docstring);
    made once per version of the font file's content."""
    from egovdeck.files import file_digest

    return _portable(path, file_digest(path), bold)


@functools.cache
def _portable(path: Path, _digest: str, bold: bool) -> Metrics:
    return metrics(path).widened(substitute_advances("bold" if bold else "regular"), AUTOSPACE)
