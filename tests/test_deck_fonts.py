"""Portable deck text: the fonts travel with the deck (embedded, subset), every font reference says what a
substitute should look like, and the text stays in its boxes whether or not the reader has the font."""

from __future__ import annotations

import dataclasses
import io
import re
import struct
import unicodedata
import zipfile
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from lxml import etree

from clients import ROOT, libreoffice_to_pdf
from deckboxes import problems

A = "http://schemas.openxmlformats.org/drawingml/2006/main"
P = "http://schemas.openxmlformats.org/presentationml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS = {"a": A, "p": P, "r": R}
FONTS = ROOT / "fonts"
FAMILY = "Egov Sans SC"


def _eot_font(data: bytes) -> bytes:
    """The TrueType font inside an EOT (W3C Member Submission "Embedded OpenType File Format" §3), read
    here from the header fields, not with egovdeck's writer: EOTSize, FontDataSize, Version, Flags first."""
    eot_size, font_size, version, flags = struct.unpack_from("<IIII", data, 0)
    assert eot_size == len(data)
    assert version in (0x00010000, 0x00020001, 0x00020002)
    assert struct.unpack_from("<H", data, 34)[0] == 0x504C  # MagicNumber
    assert not flags & 0x4 and not flags & 0x10000000  # neither MicroType Express compressed nor XOR-ed
    return data[eot_size - font_size:]


def _libeot_font(data: bytes) -> bytes | None:
    """The font as libeot (the reader LibreOffice and others decode EOT with) returns it, or None without it."""
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("eot")
    if name is None:
        return None
    lib = ctypes.CDLL(name)
    metadata = ctypes.create_string_buffer(4096)  # struct EOTMetadata: room to spare
    out, size = ctypes.POINTER(ctypes.c_uint8)(), ctypes.c_uint()
    result = lib.EOT2ttf_buffer(data, len(data), metadata, ctypes.byref(out), ctypes.byref(size))
    assert result == 0, f"libeot: error {result}"
    font = ctypes.string_at(out, size.value)
    lib.EOTfreeBuffer(out)
    lib.EOTfreeMetadata(metadata)
    return font


def _parts(pptx: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(pptx) as z:
        return {n: z.read(n) for n in z.namelist()}


def _embedded(parts: dict[str, bytes]) -> dict[str, bytes]:
    """The embedded font parts by slot (regular, bold), as p:embeddedFontLst and the relationships name them."""
    prs = etree.fromstring(parts["ppt/presentation.xml"])
    rels = {r.get("Id"): r for r in etree.fromstring(parts["ppt/_rels/presentation.xml.rels"])}
    types = etree.fromstring(parts["[Content_Types].xml"])
    out = {}
    for font in prs.iterfind("p:embeddedFontLst/p:embeddedFont", NS):
        assert font.find("p:font", NS).get("typeface") == FAMILY
        for slot in font:
            if slot.tag == f"{{{P}}}font":
                continue
            rel = rels[slot.get(f"{{{R}}}id")]
            assert rel.get("Type") == "http://schemas.openxmlformats.org/officeDocument/2006/relationships/font"
            name = "ppt/" + rel.get("Target")
            declared = [t.get("ContentType") for t in types if t.get("PartName") == "/" + name
                        or t.get("Extension") == name.rsplit(".", 1)[-1]]
            assert declared == ["application/x-fontdata"], declared
            out[etree.QName(slot).localname] = parts[name]
    return out


def _deck_text(parts: dict[str, bytes]) -> set[str]:
    """Every character a reader may see: text runs and fields of slides, layouts, masters, notes, and the
    chart parts' cached categories, series names and values."""
    chars: set[str] = set()
    for name, blob in parts.items():
        if not name.endswith(".xml") or not name.startswith("ppt/") or "/theme" in name:
            continue
        root = etree.fromstring(blob)
        for el in root.iter(f"{{{A}}}t", "{http://schemas.openxmlformats.org/drawingml/2006/chart}v"):
            chars.update(el.text or "")
    return {c for c in chars if not c.isspace()}


# ----------------------------------------------------------------------------- the embedded fonts


def test_the_deck_embeds_a_subset_of_each_weight_covering_every_character(built):
    parts = _parts(built.pptx)
    prs = etree.fromstring(parts["ppt/presentation.xml"])
    assert prs.get("embedTrueTypeFonts") == "1"
    children = [etree.QName(c).localname for c in prs]  # CT_Presentation's sequence: after notesSz
    assert children.index("embeddedFontLst") == children.index("notesSz") + 1
    fonts = _embedded(parts)
    assert set(fonts) == {"regular", "bold"}
    text = _deck_text(parts)
    for slot, data in fonts.items():
        font_data = _eot_font(data)
        decoded = _libeot_font(data)
        if decoded is not None:
            assert decoded == font_data  # an independent EOT reader returns the same font
        original = TTFont(io.BytesIO((FONTS / f"EgovSansSC-{slot.title()}.ttf").read_bytes()))
        font = TTFont(io.BytesIO(font_data))
        cmap = font.getBestCmap()
        # format characters (Cf: the deck's U+200B / U+2060 break marks, U+00AD) are drawn by no font
        missing = sorted(c for c in text if ord(c) not in cmap and unicodedata.category(c) != "Cf")
        assert not missing, f"{slot}: the embedded font lacks {''.join(missing)}"
        assert font["maxp"].numGlyphs < original["maxp"].numGlyphs / 5  # a subset: ~1,000 of 9,498 glyphs
        assert font["OS/2"].usWeightClass == original["OS/2"].usWeightClass
        assert font["name"].getDebugName(1) == original["name"].getDebugName(1)
        for c in "亿次年月政务0123456789.%,":  # same advance widths as the font the deck was measured with
            assert font["hmtx"][cmap[ord(c)]][0] == original["hmtx"][original.getBestCmap()[ord(c)]][0]
        assert len(data) < 160_000, f"{slot}: {len(data)} bytes"


@pytest.fixture(scope="module")
def rendered(built, tmp_path_factory):
    """The bundled deck with deck_fonts full and none (subset is the `built` deck)."""
    from egovdeck.engine.build import fonts_for, theme_for
    from egovdeck.input.project import load_project
    from egovdeck.render.pptx.deck import render_pptx

    project = load_project(ROOT / "reports" / "egov-2019.yaml")
    theme, fonts = theme_for(project), fonts_for(project)
    out = tmp_path_factory.mktemp("deckfonts")
    decks = {}
    for mode in ("full", "none"):
        decks[mode] = out / f"{mode}.pptx"
        render_pptx(dataclasses.replace(built.document, deck_fonts=mode), decks[mode], fonts, theme, 1590000000)
    return decks


def test_full_embeds_the_whole_font_and_none_embeds_nothing(rendered):
    full = _parts(rendered["full"])
    fonts = _embedded(full)
    for slot, data in fonts.items():
        assert _eot_font(data) == (FONTS / f"EgovSansSC-{slot.title()}.ttf").read_bytes()
    assert etree.fromstring(full["ppt/presentation.xml"]).get("saveSubsetFonts") == "0"  # editable: keep all
    none = _parts(rendered["none"])
    assert not [n for n in none if n.startswith("ppt/fonts/")]
    prs = etree.fromstring(none["ppt/presentation.xml"])
    assert prs.find("p:embeddedFontLst", NS) is None and prs.get("embedTrueTypeFonts") != "1"


def test_deck_fonts_is_a_definition_key_and_a_build_option(tmp_path):
    from conftest import copy_project
    from egovdeck.cli.main import main

    definition = copy_project(tmp_path)
    text = definition.read_text(encoding="utf-8")
    definition.write_text(re.sub(r"(\nreport:\n)", r"\1  deck_fonts: none\n", text, count=1), encoding="utf-8")
    assert main(["build", str(definition), "--only", "pptx", "-q", "-o", str(tmp_path / "a")], try_server=False) == 0
    assert not [n for n in _parts(tmp_path / "a" / "egov-2019.pptx") if n.startswith("ppt/fonts/")]
    assert main(["build", str(definition), "--only", "pptx", "-q", "--deck-fonts", "subset", "-o", str(tmp_path / "b")],
                try_server=False) == 0
    assert set(_embedded(_parts(tmp_path / "b" / "egov-2019.pptx"))) == {"regular", "bold"}
    definition.write_text(re.sub(r"(\nreport:\n)", r"\1  deck_fonts: some\n", text, count=1), encoding="utf-8")
    assert main(["validate", str(definition)], try_server=False) == 1


# ----------------------------------------------------------------------------- font references


def test_every_font_reference_carries_panose_pitch_family_and_charset(built):
    os2 = TTFont(io.BytesIO((FONTS / "EgovSansSC-Regular.ttf").read_bytes()))["OS/2"]
    p = os2.panose
    panose = "".join(f"{v:02X}" for v in (p.bFamilyType, p.bSerifStyle, p.bWeight, p.bProportion, p.bContrast,
                                          p.bStrokeVariation, p.bArmStyle, p.bLetterForm, p.bMidline, p.bXHeight))
    assert os2.ulCodePageRange1 & 1 << 18  # the font covers GB2312, so its charset is GB2312_CHARSET (134)
    refs = 0
    for name, blob in _parts(built.pptx).items():
        if not name.endswith(".xml"):
            continue
        root = etree.fromstring(blob)
        for el in root.iter(f"{{{A}}}latin", f"{{{A}}}ea", f"{{{A}}}cs", f"{{{P}}}font"):
            if el.get("typeface") != FAMILY:
                continue
            refs += 1
            assert (el.get("panose"), el.get("pitchFamily"), el.get("charset")) == (panose, "34", "-122"), (name, el.attrib)
    assert refs > 500  # slides, layouts, masters, theme, notes and charts


# ----------------------------------------------------------------------------- with and without the font


def _libreoffice_major() -> int:
    import subprocess

    from egovdeck.engine.preview import soffice_path

    out = subprocess.run([soffice_path(), "--version"], capture_output=True, text=True, timeout=120).stdout
    found = re.search(r"LibreOffice (\d+)\.", out)
    return int(found.group(1)) if found else 0


@pytest.mark.parametrize("bundled_fonts", [True, False], ids=["font-installed", "font-missing"])
def test_text_stays_in_its_box_with_and_without_the_font(built, tmp_path, bundled_fonts, request):
    """LibreOffice draws the deck with Egov Sans SC installed, and without it (a substitute: DejaVu Sans and
    Noto Sans CJK; LibreOffice 25.2 does not read a PPTX's embedded fonts): no text outside its box, no
    one-line box (KPI values, titles, labels) wrapped, no category label broken (tests/deckboxes.py)."""
    import pdfplumber

    pdf = (request.getfixturevalue("built_deck_drawn") if bundled_fonts
           else libreoffice_to_pdf(built.pptx, tmp_path, bundled_fonts=False))
    with pdfplumber.open(pdf) as doc:
        used = {c["fontname"].split("+")[-1] for page in doc.pages for c in page.chars}
    if bundled_fonts:
        assert {"EgovSansSC-Regular", "EgovSansSC-Bold"} <= used, used
    else:  # a substitute, unless the reader took the embedded font (LibreOffice from 25.8) ...
        assert used - {"EgovSansSC-Regular", "EgovSansSC-Bold"}, used
        # ... and for Chinese a Simplified Chinese face (charset GB2312 and lang zh-CN), not the Japanese one
        # (LibreOffice 7.4 drew the Japanese face, issue 13; 25.2 draws the Chinese one, with or without the
        # charset; whether GB2312 changes 7.4's choice could not be checked here, so 7.4 is not held to it)
        if _libreoffice_major() >= 25:
            assert not [n for n in used if re.search(r"CJK(jp|JP)|JP$", n)], used
    assert not problems(built.pptx, pdf)


# ----------------------------------------------------------------------------- measuring for a substitute


def test_substitute_widths_are_dejavu_sans_as_installed():
    """resources/substitute-widths.json is what scripts/build_substitute_widths.py reads from DejaVu Sans."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("widths", ROOT / "scripts" / "build_substitute_widths.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    if not all(p.exists() for p in script.SOURCES.values()):
        pytest.skip("DejaVu Sans is not installed (Debian: fonts-dejavu-core)")
    assert script.TARGET.read_text(encoding="utf-8") == script.build(), "run scripts/build_substitute_widths.py"


def test_portable_metrics_are_never_narrower_than_the_font():
    from hypothesis import given
    from hypothesis import strategies as st

    from egovdeck.text.autospace import boundaries
    from egovdeck.text.fonts import default_fonts, metrics
    from egovdeck.text.substitute import AUTOSPACE, portable_metrics

    fonts = default_fonts()
    own, wide = metrics(fonts.bold), portable_metrics(fonts.bold, bold=True)
    text = st.text(st.sampled_from("0123456789.,%−-ABCxyz 亿次年月政务（）「」，。"), max_size=30)

    @given(text, text)
    def check(a: str, b: str) -> None:
        assert wide.width(a, 10) >= own.width(a, 10) - 1e-9
        # the gaps the join adds (egovdeck.text.autospace; its own test reads them off LibreOffice)
        gap = AUTOSPACE * 10 * (boundaries(a + b) - boundaries(a) - boundaries(b))
        assert abs(wide.width(a + b, 10) - (wide.width(a, 10) + wide.width(b, 10) + gap)) < 1e-6

    check()
    assert wide.width("201.97亿次", 34) > own.width("201.97亿次", 34) * 1.1  # DejaVu digits and one gap
    assert wide.width("政务服务", 34) == own.width("政务服务", 34)  # Chinese measures as before


def test_font_references_follow_the_font_file(tmp_path):
    """pitchFamily and charset come from the file's PANOSE and code pages, not from its name."""
    from fontTools.ttLib import TTFont as Font

    from egovdeck.render.pptx.embedfonts import font_ref

    font = Font(io.BytesIO((FONTS / "EgovSansSC-Regular.ttf").read_bytes()))
    ref = font_ref(FONTS / "EgovSansSC-Regular.ttf")
    assert (ref.pitch_family, ref.charset) == (0x22, 134 - 256)  # FF_SWISS | VARIABLE_PITCH, GB2312_CHARSET
    font["OS/2"].panose.bSerifStyle = 2  # a serif face (cove): roman
    font["OS/2"].ulCodePageRange1 = 1 << 17  # Japanese only
    font.save(tmp_path / "serif.ttf")
    ref = font_ref(tmp_path / "serif.ttf")
    assert (ref.pitch_family, ref.charset, ref.panose[:4]) == (0x12, 128 - 256, "0202")
    assert font_ref(tmp_path / "serif.ttf", "ja").charset == 128 - 256


def test_wide_kpi_values_and_labels_stay_on_one_line_without_the_font(built, tmp_path):
    """Not only the bundled values: KPI values made of the widest characters a substitute has (digits,
    W, %, the minus sign, Chinese/Latin boundaries) on four cards stay on one line in LibreOffice without
    the font, and so do their labels."""
    from egovdeck.document.report import KPIData
    from egovdeck.engine.build import fonts_for, theme_for
    from egovdeck.input.project import load_project
    from egovdeck.render.pptx.deck import render_pptx

    values = (("888,888.88亿次", "WWW政务服务网站访问量（万人次）"), ("−100.0%", "同比增长率（%）MMM"),
              ("12,345,678个", "政务机构微博W数量"), ("99.9万W", "2019年12月—2020年12月"))
    doc = built.document
    sections = []
    for section in doc.sections:
        findings = []
        for f in section.findings:
            blocks = {slot: tuple(KPIData(v, label, "2019年12月") for v, label in values)
                      if isinstance(b, tuple) else b for slot, b in f.blocks.items()}
            findings.append(dataclasses.replace(f, blocks=blocks))
        sections.append(dataclasses.replace(section, findings=tuple(findings)))
    doc = dataclasses.replace(doc, sections=tuple(sections), deck_fonts="none")
    project = load_project(ROOT / "reports" / "egov-2019.yaml")
    deck = tmp_path / "kpis.pptx"
    render_pptx(doc, deck, fonts_for(project), theme_for(project), 1590000000)
    pdf = libreoffice_to_pdf(deck, tmp_path / "pdf", bundled_fonts=False)
    found = problems(deck, pdf)
    assert not found


def _with_categories(doc, chart_kind: str, labels: tuple[str, ...]):
    """doc with the categories of its first `chart_kind` chart replaced by `labels` (values repeated)."""
    from egovdeck.document.chart import ChartData

    sections = []
    done = False
    for section in doc.sections:
        findings = []
        for f in section.findings:
            blocks = dict(f.blocks)
            for slot, b in f.blocks.items():
                if not done and isinstance(b, ChartData) and b.kind == chart_kind:
                    n = len(labels)
                    series = tuple(dataclasses.replace(s, values=tuple((list(s.values) * n)[:n]),
                                                       point_colors=tuple((list(s.point_colors) * n)[:n]))
                                   for s in b.series)
                    blocks[slot] = dataclasses.replace(b, categories=labels, series=series)
                    done = True
            findings.append(dataclasses.replace(f, blocks=blocks))
        sections.append(dataclasses.replace(section, findings=tuple(findings)))
    assert done
    return dataclasses.replace(doc, sections=tuple(sections), deck_fonts="none")


def _tick_sizes(pptx: Path) -> list[float]:
    sizes = []
    for name, blob in _parts(pptx).items():
        if name.startswith("ppt/charts/chart") and name.endswith(".xml"):
            root = etree.fromstring(blob)
            c = "http://schemas.openxmlformats.org/drawingml/2006/chart"
            for rpr in root.iterfind(f".//{{{c}}}catAx/{{{c}}}txPr//{{{A}}}defRPr"):
                sizes.append(int(rpr.get("sz")) / 100)
    return sizes


def test_category_labels_shrink_to_stay_on_one_line_or_are_reported(built, tmp_path):
    from egovdeck.engine.build import fonts_for, theme_for
    from egovdeck.input.project import load_project
    from egovdeck.render.pptx.deck import render_pptx

    project = load_project(ROOT / "reports" / "egov-2019.yaml")
    fonts, theme = fonts_for(project), theme_for(project)
    months = tuple(f"{y}年12月" for y in range(2015, 2021))  # six dates under a line chart beside text
    result = render_pptx(_with_categories(built.document, "line", months), tmp_path / "a.pptx", fonts, theme)
    assert any("category labels at 10 pt" in line and "2015年12月" in line for line in result.fitting)
    assert min(_tick_sizes(tmp_path / "a.pptx")) == 10
    months = tuple(f"{y}年12月" for y in range(2013, 2021))  # eight: no readable size fits them
    result = render_pptx(_with_categories(built.document, "line", months), tmp_path / "b.pptx", fonts, theme)
    # turned by 45° (no date broken) and said in a note; a warning only when even turned they may be thinned
    assert any("turned by 45°" in n and "2013年12月" in n for n in result.fitting) or \
        any("does not fit" in w and "2013年12月" in w for w in result.warnings), (result.fitting, result.warnings)
