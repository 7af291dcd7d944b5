"""The bundled CJK fonts: where they are, registering them with ReportLab and matplotlib, metrics, coverage.

egovdeck never falls back to system fonts: every renderer and the text measurer use these files.
"""

from __future__ import annotations

import copy
import functools
from dataclasses import dataclass
from itertools import repeat
from pathlib import Path
from typing import TYPE_CHECKING

from egovdeck.text.autospace import boundaries

if TYPE_CHECKING:
    from egovdeck.text.fontfile import FontFacts

BUNDLED_DIR = Path(__file__).resolve().parents[3] / "fonts"


@dataclass(frozen=True)
class FontSet:
    """A regular and a bold TrueType file of one family."""

    regular: Path
    bold: Path
    family: str = "Egov Sans SC"  # the name table's family (matplotlib, the deck's typeface)
    rl_regular: str = "EgovSansSC"  # ReportLab font names
    rl_bold: str = "EgovSansSC-Bold"

    def files(self) -> tuple[Path, Path]:
        return (self.regular, self.bold)


def bundled_dir() -> Path:
    """fonts/ of the source tree, or the copy installed with the package."""
    if (BUNDLED_DIR / "EgovSansSC-Regular.ttf").exists():
        return BUNDLED_DIR
    return Path(__file__).resolve().parents[1] / "resources" / "fonts"


def default_fonts() -> FontSet:
    d = bundled_dir()
    return FontSet(d / "EgovSansSC-Regular.ttf", d / "EgovSansSC-Bold.ttf")


def _content(path: Path) -> str:
    """The font file's digest (cached by its stat): the caches below are keyed by content, not path,
    so a long-running process (watch, serve) never measures or draws with a replaced file's old glyphs."""
    from egovdeck.files import file_digest

    return file_digest(path)


def _read(path: Path) -> FontFacts:
    return _read_version(path, _content(path))


@functools.cache
def _read_version(path: Path, _digest: str) -> FontFacts:
    from egovdeck.speedflags import on as speed_trick
    from egovdeck.text.fontfile import read_facts

    return read_facts(path, fast=speed_trick("fontfile"))


def family_name(path: Path) -> str:
    return _read(path).family


def coverage(fonts: FontSet) -> frozenset[int]:
    """Code points both weights can draw."""
    return _coverage(fonts, _content(fonts.regular), _content(fonts.bold))


@functools.cache
def _coverage(fonts: FontSet, _regular: str, _bold: str) -> frozenset[int]:
    return frozenset(_read(fonts.regular).advances) & frozenset(_read(fonts.bold).advances)


def missing_chars(text: str, fonts: FontSet) -> list[str]:
    """Characters of text the fonts cannot draw (whitespace and controls excepted)."""
    cov = coverage(fonts)
    return sorted({c for c in text if ord(c) not in cov and not c.isspace()})


def register_reportlab(fonts: FontSet) -> None:
    """Register the two files with ReportLab (once per version of their content)."""
    _register_reportlab(fonts, _content(fonts.regular), _content(fonts.bold))


@functools.cache
def _register_reportlab(fonts: FontSet, _regular: str, _bold: str) -> None:
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    pdfmetrics.registerFont(TTFont(fonts.rl_regular, str(fonts.regular)))
    pdfmetrics.registerFont(TTFont(fonts.rl_bold, str(fonts.bold)))
    pdfmetrics.registerFontFamily(fonts.rl_regular, normal=fonts.rl_regular, bold=fonts.rl_bold,
                                  italic=fonts.rl_regular, boldItalic=fonts.rl_bold)
    addMapping(fonts.rl_regular, 0, 0, fonts.rl_regular)
    addMapping(fonts.rl_regular, 1, 0, fonts.rl_bold)
    # ReportLab's defaults name Helvetica (a canvas's first font, a Drawing's initial state); it would
    # end up in the PDF as an unembedded base-14 font even when no glyph uses it.
    from reportlab import rl_config
    from reportlab.graphics import shapes
    from reportlab.platypus import tables

    rl_config.canvas_basefontname = fonts.rl_regular
    shapes.STATE_DEFAULTS["fontName"] = fonts.rl_regular
    tables.CellStyle.fontname = fonts.rl_regular


def register_matplotlib(fonts: FontSet) -> str:
    """Add the files to matplotlib's font manager and make the family the only one used."""
    return _register_matplotlib(fonts, _content(fonts.regular), _content(fonts.bold))


@functools.cache
def _register_matplotlib(fonts: FontSet, _regular: str, _bold: str) -> str:
    import matplotlib
    from matplotlib import font_manager

    for path in fonts.files():
        font_manager.fontManager.addfont(str(path))
    family = family_name(fonts.regular)
    matplotlib.rcParams.update({
        "font.family": [family],
        "font.sans-serif": [family],
        "axes.unicode_minus": True,
        "svg.fonttype": "none",
        "svg.hashsalt": "egovdeck",
        "svg.id": None,
    })
    return family


class Metrics:
    """Advance widths from the font's hmtx, for measuring text without a renderer.

    `autospace` (em, 0 for the font itself) is added at every gap a slide viewer draws between Asian and
    non-Asian text (egovdeck.text.autospace): a Metrics that stands for the text as any reader may lay it
    out (see egovdeck.text.substitute)."""

    autospace = 0.0

    def __init__(self, path: Path):
        facts = _read(path)
        self.upem, self._adv, self._default = facts.upem, facts.advances, facts.default_advance
        self.ascent = facts.ascender / self.upem
        self.descent = -facts.descender / self.upem

    def width(self, text: str, size: float) -> float:
        """Width of text in the units of size (points in -> points out)."""
        w = sum(map(self._adv.get, map(ord, text), repeat(self._default, len(text)))) * size / self.upem
        if self.autospace and len(text) > 1:
            w += self.autospace * size * boundaries(text)
        return w

    def widened(self, advances: dict[int, float], autospace: float) -> Metrics:
        """These metrics with each code point of `advances` (em) at least that wide, and `autospace` em
        at each gap of egovdeck.text.autospace."""
        m = copy.copy(self)
        m._adv = {**self._adv, **{cp: max(self._adv.get(cp, self._default), round(em * self.upem))
                                  for cp, em in advances.items()}}
        m.autospace = autospace
        return m


def metrics(path: Path) -> Metrics:
    return _metrics(path, _content(path))


@functools.cache
def _metrics(path: Path, _digest: str) -> Metrics:
    return Metrics(path)


_SFNT = (b"\x00\x01\x00\x00", b"true")
_NEEDED = (b"cmap", b"head", b"hhea", b"hmtx", b"maxp", b"name", b"glyf", b"loca")


def font_problem(path: Path, name: str = "") -> tuple[str, str] | None:
    """Why the file cannot serve as egovdeck's font (ReportLab embeds only single TrueType-outline
    fonts that allow embedding), as (message, hint), or None when it can."""
    import struct

    name = name or path.name
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        return f"{name} is a folder, not a font file", "name a .ttf file"
    magic = data[:4]
    if magic == b"ttcf":
        return (f"{name} is a font collection (.ttc) holding several fonts; egovdeck needs one TrueType font",
                f"extract one font: fonttools ttLib -y 0 -o {path.stem}.ttf {path.name} (then name the .ttf here)")
    if magic == b"OTTO":
        return (f"{name} has CFF (PostScript) outlines; the PDF writer (ReportLab) embeds only TrueType outlines",
                "use the TrueType (.ttf) edition of the font, or convert the outlines to TrueType "
                "(e.g. FontForge: File > Generate Fonts > TrueType)")
    if magic in (b"wOFF", b"wOF2"):
        return f"{name} is a web font (WOFF), not a TrueType font", "use the font's .ttf file"
    if magic not in _SFNT:
        try:
            data[:256].decode("utf-8")
            looks = "it looks like a text file"
        except UnicodeDecodeError:
            looks = "it has no font header"
        return f"{name} is not a TrueType font ({looks})", "name a TrueType font file (.ttf)"
    try:
        count = struct.unpack_from(">H", data, 4)[0]
        tables = {tag: (offset, length) for tag, _sum, offset, length in
                  (struct.unpack_from(">4sIII", data, 12 + 16 * i) for i in range(count))}
    except struct.error:
        tables = None
    if tables is None or any(offset + length > len(data) for offset, length in tables.values()):
        return (f"{name} is truncated or damaged (its tables run past the end of the file)",
                "copy the font file again from its source")
    missing = [t.decode() for t in _NEEDED if t not in tables]
    if missing:
        outlines = "CFF (PostScript) outlines" if b"CFF " in tables or b"CFF2" in tables else "no TrueType outlines"
        return (f"{name} lacks the tables {', '.join(missing)} ({outlines}); ReportLab embeds only TrueType outlines",
                "use a TrueType (.ttf) font with glyf outlines")
    if b"OS/2" in tables:
        fs_type = struct.unpack_from(">H", data, tables[b"OS/2"][0] + 8)[0]
        if fs_type == 0x0002 or fs_type & 0x0300:
            return (f"{name}'s licence forbids embedding it in documents (OS/2 fsType {fs_type:#06x})",
                    "use a font whose licence allows embedding (e.g. the bundled Egov Sans SC, Noto, Source Han)")
    try:
        facts = _read(path)
    except Exception as exc:  # noqa: BLE001  (any failure to read it is the file's)
        return f"{name} cannot be read as a font ({exc})", "copy the font file again, or use another TrueType font"
    if not facts.advances:
        return f"{name} maps no characters (an empty cmap)", "use a font that covers Chinese (CJK) characters"
    if not 16 <= facts.upem <= 16384:  # the OpenType 'head' table's allowed range of unitsPerEm
        return (f"{name} is damaged: its units per em ({facts.upem}) are outside 16–16384 (OpenType 'head' table)",
                "copy the font file again from its source, or use another TrueType font")
    return None
