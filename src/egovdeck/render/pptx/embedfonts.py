"""Portable deck text: the deck's fonts embedded in it, and font references a substitute can be chosen by.

A deck names its typeface; a machine without it substitutes one. Two things make that safe:

* **Embedded fonts** (ECMA-376 Part 1, §19.2.1.9-10 `p:embeddedFontLst` / `p:embeddedFont`, §15.2.13 Font
  Part): each weight is a part `/ppt/fonts/fontN.fntdata` (content type `application/x-fontdata`, relationship
  `…/relationships/font` from the presentation part), listed under `p:embeddedFontLst` with
  `embedTrueTypeFonts="1"` on `p:presentation`. PresentationML's font parts are Embedded OpenType (EOT, W3C
  Member Submission 2008), not WordprocessingML's GUID-obfuscated `.odttf`: PowerPoint reads and writes EOT
  2.2 (with MicroType Express compression); LibreOffice ≥ 25.8 writes EOT 2.2 without compression (flags 0,
  vcl/source/font/EOTConverter.cxx) and reads either through libeot. egovdeck writes that uncompressed
  form, with TTEMBED_SUBSET set when the font is a subset.
* **Font references with panose, pitchFamily and charset** (DrawingML CT_TextFont): what PowerPoint and
  LibreOffice match a substitute by when the typeface is not installed. They come from the font file
  (OS/2 panose and code-page ranges), never from a table of names.

`embed` modes: "subset" (the characters the deck uses, plus printable ASCII so a number can be retyped),
"full" (the whole font, for decks people will edit), "none".
"""

from __future__ import annotations

import functools
import io
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree

from egovdeck.compat.pptx_internals import xml_part_element
from egovdeck.ooxml import NS, insert_before, qn

if TYPE_CHECKING:
    from egovdeck.charts.native import PartCache

EMBED_MODES = ("subset", "full", "none")
FONT_CONTENT_TYPE = "application/x-fontdata"
RT_FONT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/font"

# EOT header flags (W3C EOT §3, libeot flags.h)
TTEMBED_SUBSET = 0x00000001
EOT_MAGIC = 0x504C
EOT_VERSION = 0x00020002

# Windows LOGFONT charsets (wingdi.h) by OS/2 ulCodePageRange1 bit (OpenType OS/2 table), in the order a
# Chinese deck prefers them; DrawingML writes them as signed bytes (GB2312_CHARSET 134 -> "-122").
_CHARSETS = {"zh-CN": ((18, 134), (20, 136), (17, 128), (19, 129)),  # GB2312, Big5, Shift-JIS, Hangul
             "zh-TW": ((20, 136), (18, 134), (17, 128), (19, 129)),
             "zh-HK": ((20, 136), (18, 134), (17, 128), (19, 129)),
             "ja": ((17, 128), (18, 134), (20, 136), (19, 129)),
             "ko": ((19, 129), (18, 134), (20, 136), (17, 128))}
ANSI_CHARSET, DEFAULT_CHARSET = 0, 1
# LOGFONT lfPitchAndFamily: pitch in the low bits, family in the high nibble
FIXED_PITCH, VARIABLE_PITCH = 1, 2
FF_DONTCARE, FF_ROMAN, FF_SWISS, FF_MODERN, FF_SCRIPT, FF_DECORATIVE = 0x00, 0x10, 0x20, 0x30, 0x40, 0x50


def _signed(byte: int) -> int:
    return byte - 256 if byte > 127 else byte


@dataclass(frozen=True)
class FontRef:
    """The attributes of a DrawingML font reference (a:latin/a:ea/a:cs, p:font) for one font file."""

    panose: str  # the OS/2 PANOSE classification, 10 bytes as 20 hex digits
    pitch_family: int  # LOGFONT lfPitchAndFamily as a signed byte
    charset: int  # LOGFONT lfCharSet as a signed byte

    def attributes(self) -> dict[str, str]:
        return {"panose": self.panose, "pitchFamily": str(self.pitch_family), "charset": str(self.charset)}


def font_ref(path: Path, language: str = "zh-CN") -> FontRef:
    """panose, pitchFamily and charset of a TrueType file (see module docstring)."""
    from egovdeck.files import file_digest

    return _font_ref(path, file_digest(path), language)


@functools.cache
def _font_ref(path: Path, _digest: str, language: str) -> FontRef:
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True) as font:
        os2 = font["OS/2"]
        p = os2.panose
        digits = (p.bFamilyType, p.bSerifStyle, p.bWeight, p.bProportion, p.bContrast, p.bStrokeVariation,
                  p.bArmStyle, p.bLetterForm, p.bMidline, p.bXHeight)
        fixed = p.bProportion == 9 or bool(font["post"].isFixedPitch)
        pages = os2.ulCodePageRange1 if os2.version >= 1 else 0
    return FontRef("".join(f"{d:02X}" for d in digits), _signed(_pitch_family(digits, fixed)),
                   _signed(_charset(pages, language)))


def _pitch_family(panose: tuple[int, ...], fixed: bool) -> int:
    """lfPitchAndFamily from PANOSE (Latin Text: serif style 11-13 sans -> swiss; 2-10 -> roman)."""
    kind, serif = panose[0], panose[1]
    if fixed:
        family = FF_MODERN
    elif kind == 2 and 11 <= serif <= 13:
        family = FF_SWISS
    elif kind == 2 and 2 <= serif <= 10:
        family = FF_ROMAN
    elif kind == 3:
        family = FF_SCRIPT
    elif kind == 4:
        family = FF_DECORATIVE
    else:
        family = FF_DONTCARE
    return family | (FIXED_PITCH if fixed else VARIABLE_PITCH)


def _charset(code_pages: int, language: str) -> int:
    order = _CHARSETS.get(language) or _CHARSETS.get(language.split("-")[0]) or _CHARSETS["zh-CN"]
    for bit, charset in order:
        if code_pages >> bit & 1:
            return charset
    return ANSI_CHARSET if code_pages & 1 else DEFAULT_CHARSET


# ----------------------------------------------------------------------------- font references


_REF_TAGS = frozenset(qn(t) for t in ("a:latin", "a:ea", "a:cs"))


def describe_references(root, refs: dict[str, FontRef]) -> bool:
    """Give every a:latin/a:ea/a:cs under `root` whose typeface is one of `refs` its panose, pitchFamily and
    charset (an explicit one is replaced: it described another font). Returns whether anything changed."""
    changed = False
    for el in root.iter(*_REF_TAGS):
        ref = refs.get(el.get("typeface", ""))
        if ref is None:
            continue
        for key, value in ref.attributes().items():
            if el.get(key) != value:
                el.set(key, value)
                changed = True
    return changed


# ----------------------------------------------------------------------------- font data


def subset_font(path: Path, characters: frozenset[int] | None, cache: PartCache | None = None) -> bytes:
    """The font file, or its subset to `characters` (code points) with every name and layout feature kept.

    `cache`: where subsets are kept by the font's content and the characters (~0.4 s a weight)."""
    if characters is None:
        return path.read_bytes()
    if cache is not None:
        import hashlib

        from egovdeck.files import file_digest

        key = hashlib.sha256(f"{file_digest(path)}:{sorted(characters)}".encode()).hexdigest()[:32]
        data = cache.get(f"{key}.ttf")
        if data is None:
            data = subset_font(path, characters)
            cache.put(f"{key}.ttf", data)
        return data
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.name_legacy = True
    options.layout_features = ["*"]  # vertical forms, full-width punctuation (halt, vert …)
    options.notdef_outline = True
    options.recalc_timestamp = False  # the same bytes every build
    # recalcBBoxes=False: the glyphs are written as they were read (re-encoding each outline costs 0.5 s);
    # only the font's bounding box in 'head' is made that of the glyphs kept
    with TTFont(path, recalcTimestamp=False, recalcBBoxes=False) as font:
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=sorted(characters))
        subsetter.subset(font)
        _head_bounds(font)
        out = io.BytesIO()
        font.save(out)
    return out.getvalue()


def _head_bounds(font) -> None:
    """head's xMin/yMin/xMax/yMax as the union of the glyphs' boxes (read from each glyph's header)."""
    glyf = font["glyf"]
    boxes = []
    for name in glyf.glyphOrder:
        glyph = glyf.glyphs.get(name)
        data = getattr(glyph, "data", None)
        if data is not None:
            if len(data) >= 10:
                boxes.append(struct.unpack_from(">4h", data, 2))
        elif glyph is not None and getattr(glyph, "numberOfContours", 0):
            boxes.append((glyph.xMin, glyph.yMin, glyph.xMax, glyph.yMax))
    if boxes:
        head = font["head"]
        head.xMin, head.yMin = min(b[0] for b in boxes), min(b[1] for b in boxes)
        head.xMax, head.yMax = max(b[2] for b in boxes), max(b[3] for b in boxes)


def _name(font, name_id: int) -> bytes:
    rec = font["name"].getName(name_id, 3, 1, 0x409) or font["name"].getName(name_id, 3, 1)
    text = rec.toUnicode() if rec is not None else (font["name"].getDebugName(name_id) or "")
    return text.encode("utf-16-le") + b"\0\0" if text else b""


def eot(font_data: bytes, subset: bool) -> bytes:
    """An EOT 2.2 wrapper around an uncompressed TrueType font (W3C EOT File Format §3): the header's
    PANOSE, weight, fsType, Unicode and code-page ranges and checksum adjustment are the font's own;
    names are UTF-16LE with their terminating NUL; no root string, signature or EUDC font."""
    from fontTools.ttLib import TTFont

    with TTFont(io.BytesIO(font_data), lazy=True) as font:
        os2, head = font["OS/2"], font["head"]
        p = os2.panose
        panose = bytes((p.bFamilyType, p.bSerifStyle, p.bWeight, p.bProportion, p.bContrast, p.bStrokeVariation,
                        p.bArmStyle, p.bLetterForm, p.bMidline, p.bXHeight))
        ranges = (os2.ulUnicodeRange1, os2.ulUnicodeRange2, os2.ulUnicodeRange3, os2.ulUnicodeRange4,
                  getattr(os2, "ulCodePageRange1", 0), getattr(os2, "ulCodePageRange2", 0))
        fixed = struct.pack("<II", EOT_VERSION, TTEMBED_SUBSET if subset else 0) + panose + struct.pack(
            "<BBIHH6II4I", DEFAULT_CHARSET, os2.fsSelection & 1, os2.usWeightClass, os2.fsType, EOT_MAGIC,
            *ranges, head.checkSumAdjustment, 0, 0, 0, 0)
        names = b"".join(struct.pack("<HH", 0, len(s)) + s for s in (_name(font, i) for i in (1, 2, 5, 4)))
    # Padding5, RootStringSize 0, RootStringCheckSum of the empty root string, EUDCCodePage 1252,
    # Padding6, SignatureSize 0, EUDCFlags 0, EUDCFontSize 0
    tail = struct.pack("<HHIIHHII", 0, 0, 0x50475342, 1252, 0, 0, 0, 0)
    header_size = 8 + len(fixed) + len(names) + len(tail)
    return struct.pack("<II", header_size + len(font_data), len(font_data)) + fixed + names + tail + font_data


def eot_font_data(data: bytes) -> bytes:
    """The font inside an uncompressed, unencrypted EOT (the inverse of `eot`, for tests and tools)."""
    size, font_size, version, flags = struct.unpack_from("<IIII", data, 0)
    if size != len(data) or version not in (0x00010000, 0x00020001, 0x00020002) or flags & 0x10000004:
        raise ValueError("not an uncompressed EOT")
    return data[size - font_size:]


# ----------------------------------------------------------------------------- the package


# CT_Presentation children after p:embeddedFontLst (it goes before the first of these present)
_AFTER_FONT_LIST = ("p:custShowLst", "p:photoAlbum", "p:custDataLst", "p:kinsoku", "p:defaultTextStyle",
                    "p:modifyVerifier", "p:extLst")


def xml_parts(package):
    """(part, root element, write back) for every XML part of a python-pptx package.

    python-pptx keeps the parts it has a class for (slides, layouts, masters, charts, notes) as parsed
    trees, the others (the theme) as bytes; its public API does not give the tree of the first kind (whose
    `blob` is a fresh serialisation, so editing a parse of it would be lost): compat.xml_part_element."""
    for part in package.iter_parts():
        if not part.partname.endswith(".xml"):
            continue
        root = xml_part_element(part)
        if root is not None:
            yield part, root, lambda: None
            continue
        try:
            root = etree.fromstring(part.blob)
        except etree.XMLSyntaxError:
            continue

        def write_back(part=part, root=root) -> None:
            part.blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

        yield part, root, write_back


def describe_package(package, refs: dict[str, FontRef]) -> None:
    """describe_references on every XML part of the deck (slides, layouts, masters, theme, notes, charts)."""
    for _part, root, write_back in xml_parts(package):
        if describe_references(root, refs):
            write_back()


def used_characters(package) -> frozenset[int]:
    """Every character of every XML part of the deck (slides, layouts, masters, notes, charts: text, cached
    values and number formats), plus printable ASCII, the minus sign and the ideographic space, as code points."""
    chars = {*range(0x20, 0x7F), 0x2212, 0x3000}
    for _part, root, _write_back in xml_parts(package):
        for el in root.iter():
            if isinstance(el.tag, str) and el.text:
                chars.update(map(ord, el.text))
    return frozenset(c for c in chars if c >= 0x20)


def embed_fonts(presentation, family: str, files: tuple[Path, Path], ref: FontRef, mode: str,
                cache: PartCache | None = None) -> list[int]:
    """Embed the regular and bold file of `family` in a python-pptx Presentation (mode "subset" or "full";
    "none" does nothing).

    Adds the font parts, relates them to the presentation part, lists them under p:embeddedFontLst (in
    CT_Presentation's order) and sets embedTrueTypeFonts. Returns the size in bytes of each part.
    `cache`: where the subsets are kept (see subset_font)."""
    if mode not in EMBED_MODES:
        raise ValueError(f"font embedding is one of {', '.join(EMBED_MODES)}, not {mode!r}")
    if mode == "none":
        return []
    from pptx.opc.package import Part
    from pptx.opc.packuri import PackURI

    presentation_part = presentation.part
    package = presentation_part.package
    characters = used_characters(package) if mode == "subset" else None
    prs = presentation.element
    lst = prs.find(qn("p:embeddedFontLst"))
    if lst is not None:  # a corporate template's own embedded fonts stay; an older copy of ours goes
        for old in lst.findall(qn("p:embeddedFont")):
            if old.find(qn("p:font")) is not None and old.find(qn("p:font")).get("typeface") == family:
                lst.remove(old)
    entry = etree.Element(qn("p:embeddedFont"))
    etree.SubElement(entry, qn("p:font"), {"typeface": family, **ref.attributes()})
    sizes = []
    taken = {str(p.partname) for p in package.iter_parts()}
    n = 1
    for tag, path in (("p:regular", files[0]), ("p:bold", files[1])):
        while f"/ppt/fonts/font{n}.fntdata" in taken:
            n += 1
        name = f"/ppt/fonts/font{n}.fntdata"
        taken.add(name)
        blob = eot(subset_font(path, characters, cache), subset=characters is not None)
        part = Part(PackURI(name), FONT_CONTENT_TYPE, package, blob)
        rid = presentation_part.relate_to(part, RT_FONT)
        etree.SubElement(entry, qn(tag), {f"{{{NS['r']}}}id": rid})
        sizes.append(len(blob))
    if lst is None:
        lst = etree.Element(qn("p:embeddedFontLst"))
        insert_before(prs, lst, _AFTER_FONT_LIST)
    lst.append(entry)
    prs.set("embedTrueTypeFonts", "1")
    prs.set("saveSubsetFonts", "1" if characters is not None else "0")
    return sizes
