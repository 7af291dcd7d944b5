"""Write src/egovdeck/resources/substitute-widths.json: the advance widths (em) of DejaVu Sans and DejaVu Sans
Bold for the non-CJK characters a deck's numbers and Latin words use.

DejaVu Sans is LibreOffice's fallback on Linux for a typeface that is not installed, and the widest of the
common sans faces (its digits are 15-18 % wider than Egov Sans SC's; Arial's, Microsoft YaHei's and SimSun's
are narrower). The deck measures every non-CJK character at the wider of the two widths, so its text fits
whichever is drawn. Run after a DejaVu update: python scripts/build_substitute_widths.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "src" / "egovdeck" / "resources" / "substitute-widths.json"
SOURCES = {"regular": Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),  # Debian fonts-dejavu-core
           "bold": Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")}
# printable ASCII, Latin-1 punctuation and signs, and the general punctuation numbers and units use
CODE_POINTS = [*range(0x20, 0x7F), *range(0xA0, 0xC0), 0xD7, 0xF7, *range(0x2010, 0x2027), 0x2030, 0x2032,
               0x2033, 0x20AC, 0x2103, 0x2122, 0x2212, 0x2264, 0x2265]


def build() -> str:
    from fontTools.ttLib import TTFont

    out = {"faces": {}}
    for face, path in SOURCES.items():
        with TTFont(path, lazy=True) as font:
            out["source"] = f"DejaVu Sans {font['head'].fontRevision:.2f}, advance widths in em"
            cmap, hmtx, upem = font.getBestCmap(), font["hmtx"].metrics, font["head"].unitsPerEm
            out["faces"][face] = {f"{cp:04X}": round(hmtx[cmap[cp]][0] / upem, 4) for cp in CODE_POINTS if cp in cmap}
    return json.dumps(out, indent=1, sort_keys=True) + "\n"


if __name__ == "__main__":
    TARGET.write_text(build(), encoding="utf-8")
    sys.stdout.write(f"wrote {TARGET}\n")
