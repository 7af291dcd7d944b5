"""Regenerate the bundled CJK fonts in fonts/ from Debian's fonts-noto-cjk, byte for byte.

    python scripts/build_fonts.py           # rebuild fonts/EgovSansSC-*.ttf and check sha256
    python scripts/build_fonts.py --check   # only check the committed files against SHA256SUMS

Noto Sans CJK SC (face 2 of the .ttc) is subset to fonts/subset-unicodes.txt, its CFF
outlines are converted to TrueType (ReportLab refuses CFF) and the family is renamed to
"Egov Sans SC" (matplotlib would otherwise prefer a system copy of Noto of the same name).
The result is deterministic only with SOURCE_DATE_EPOCH set, so this script pins it.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FONTS = ROOT / "fonts"
SOURCE_DIR = Path("/usr/share/fonts/opentype/noto")
SOURCE_FACE = 2  # Noto Sans CJK SC inside NotoSansCJK-*.ttc
# The fonts-noto-cjk release the committed files were built from (1:20220127+repack1-1).
EPOCH = "1643241600"  # 2022-01-27, the upstream release date
FAMILY = "Egov Sans SC"
PS_FAMILY = "EgovSansSC"
WEIGHTS = {"Regular": "NotoSansCJK-Regular.ttc", "Bold": "NotoSansCJK-Bold.ttc"}
SUMS = FONTS / "SHA256SUMS"


def subset_unicodes() -> list[int]:
    text = (FONTS / "subset-unicodes.txt").read_text(encoding="ascii")
    return [int(tok.strip()[2:], 16) for tok in text.split(",") if tok.strip()]


def _to_quadratic(font) -> None:
    """CFF -> glyf, after fontTools' otf2ttf snippet."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable

    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    quad = {}
    for name in order:
        tt_pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(tt_pen, 1.0, reverse_direction=True))
        quad[name] = tt_pen.glyph()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = quad
    for tag in ("CFF ", "VORG"):
        if tag in font:
            del font[tag]
    glyf.compile(font)
    hmtx = font["hmtx"]
    for name, glyph in glyf.glyphs.items():
        if hasattr(glyph, "xMin"):
            hmtx[name] = (hmtx[name][0], glyph.xMin)
    font["maxp"] = maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for attr in ("maxZones",):
        setattr(maxp, attr, 1)
    for attr in ("maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                 "maxStackElements", "maxSizeOfInstructions", "maxComponentElements"):
        setattr(maxp, attr, 0)
    maxp.compile(font)
    post = font["post"]
    post.formatType = 2.0
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = order
    font.sfntVersion = "\000\001\000\000"


def _rename(font, weight: str) -> None:
    name = font["name"]
    version = name.getDebugName(5) or ""
    full = f"{FAMILY} {weight}" if weight != "Regular" else FAMILY
    new = {
        1: FAMILY,
        2: weight,
        3: f"{version.split(';')[0]};EGOV;{PS_FAMILY}-{weight}",
        4: full,
        6: f"{PS_FAMILY}-{weight}",
    }
    # Typographic family/subfamily names and the CJK-localised names would still say Noto.
    name.names = [rec for rec in name.names if rec.nameID not in (16, 17, 18, 21, 22)]
    name.names = [rec for rec in name.names if not (rec.nameID in new and rec.langID not in (0, 0x409))]
    for rec in name.names:
        if rec.nameID in new:
            rec.string = new[rec.nameID]
    desc = (
        "Egov Sans SC is a modified version of Noto Sans CJK SC (SIL Open Font License 1.1): "
        "subset to GB2312 + Tongyong Guifan Hanzi Biao, outlines converted to TrueType."
    )
    name.setName(desc, 10, 3, 1, 0x409)
    name.setName(desc, 10, 1, 0, 0)


def build_one(weight: str, source: Path) -> bytes:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(source, fontNumber=SOURCE_FACE, lazy=False)
    options = subset.Options()
    options.layout_features = []
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.recalc_timestamp = False
    options.drop_tables += ["VORG", "vhea", "vmtx", "BASE", "DSIG"]
    sub = subset.Subsetter(options)
    sub.populate(unicodes=subset_unicodes())
    sub.subset(font)
    _to_quadratic(font)
    _rename(font, weight)
    font["head"].modified = font["head"].created
    buf = io.BytesIO()
    font.save(buf, reorderTables=True)
    return buf.getvalue()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_sums() -> dict[str, str]:
    sums = {}
    for line in SUMS.read_text().splitlines():
        digest, name = line.split()
        sums[name] = digest
    return sums


def check_committed() -> int:
    bad = 0
    for name, digest in read_sums().items():
        actual = sha256((FONTS / name).read_bytes())
        status = "ok" if actual == digest else "MISMATCH"
        bad += status != "ok"
        print(f"{status:8} {name} {actual}")
    return 1 if bad else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only verify committed files")
    parser.add_argument("--update-sums", action="store_true", help="write SHA256SUMS afresh")
    args = parser.parse_args(argv)
    if args.check:
        return check_committed()
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    missing = [f for f in WEIGHTS.values() if not (SOURCE_DIR / f).exists()]
    if missing:
        print(f"missing {missing} in {SOURCE_DIR}: apt-get install fonts-noto-cjk", file=sys.stderr)
        return 2
    lines, bad = [], 0
    for weight, filename in WEIGHTS.items():
        data = build_one(weight, SOURCE_DIR / filename)
        out = FONTS / f"{PS_FAMILY}-{weight}.ttf"
        out.write_bytes(data)
        lines.append(f"{sha256(data)}  {out.name}")
        print(f"built {out.name}: {len(data):,} bytes sha256 {sha256(data)}")
    if args.update_sums or not SUMS.exists():
        SUMS.write_text("\n".join(lines) + "\n")
        return 0
    expected = read_sums()
    for line in lines:
        digest, name = line.split()
        if expected.get(name) != digest:
            print(f"MISMATCH {name}: expected {expected.get(name)}", file=sys.stderr)
            bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
