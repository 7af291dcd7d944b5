"""Template text stays legible on the template's artwork: a title in the theme's text colour (tx1, black)
set on the master's navy band (a new user's template: 1.5:1) becomes white, whether the band is a master
or layout shape (filled with an RGB or a scheme colour) or the slide's background.

Read as readers read the deck: the title runs' colour in the slide XML (the template's inherited colour
resolved by the test from what it wrote), and the glyph colour LibreOffice draws (pdfplumber)."""

from __future__ import annotations

import copy

import pytest
from hypothesis import Phase, given, settings
from hypothesis import strategies as st
from lxml import etree

from clients import ROOT, libreoffice_to_pdf

CASE = ROOT / "tests" / "cases" / "layout" / "negative-values-minus"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
P = "http://schemas.openxmlformats.org/presentationml/2006/main"
NS = {"a": A, "p": P}
EMU = 12700


def _lum(rgb: str) -> float:
    def ch(v: int) -> float:
        c = v / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(rgb[i:i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * ch(r) + 0.7152 * ch(g) + 0.0722 * ch(b)


def wcag(a: str, b: str) -> float:
    hi, lo = sorted((_lum(a), _lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def make_template(path, band: str, dk1: str, where: str) -> None:
    """python-pptx's default template at 16:9, its theme's dk1 (the titles' tx1) set to `dk1`, and under the
    content title a band of colour `band`: a master rectangle (`master`), one filled with the scheme colour
    accent1 (`scheme`), a layout rectangle (`layout`), or the master's solid background (`background`)."""
    from pptx import Presentation
    from pptx.dml.color import RGBColor
    from pptx.enum.shapes import MSO_SHAPE
    from pptx.util import Emu

    prs = Presentation()
    prs.slide_width, prs.slide_height = Emu(12192000), Emu(6858000)
    master = prs.slide_master
    theme_part = master.part.part_related_by("http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme")
    theme = etree.fromstring(theme_part.blob)
    scheme = theme.find(".//a:clrScheme", NS)
    for name, value in (("dk1", dk1), ("accent1", band)):
        el = scheme.find(f"a:{name}", NS)
        el.clear()
        etree.SubElement(el, f"{{{A}}}srgbClr", val=value)
    theme_part.blob = etree.tostring(theme, xml_declaration=True, encoding="UTF-8", standalone=True)
    for layout in [master, *prs.slide_layouts]:  # the 4:3 placeholders widened to the 16:9 slide
        for ph in layout.placeholders:  # those with a box of their own (setting an inherited one makes it 0 high)
            if ph.element.find("p:spPr/a:xfrm", NS) is not None:
                ph.left, ph.width = int(ph.left * 4 / 3), int(ph.width * 4 / 3)
    for ph in master.placeholders:
        if ph.placeholder_format.idx == 0:
            ph.top, ph.height = Emu(100000), Emu(700000)
    content = prs.slide_layouts[1]
    if where == "background":
        bg = etree.SubElement(master.element.find("p:cSld", NS), f"{{{P}}}bg")
        master.element.find("p:cSld", NS).insert(0, bg)
        pr = etree.SubElement(bg, f"{{{P}}}bgPr")
        fill = etree.SubElement(pr, f"{{{A}}}solidFill")
        etree.SubElement(fill, f"{{{A}}}srgbClr", val=band)
        etree.SubElement(pr, f"{{{A}}}effectLst")
    else:
        tmp = prs.slides.add_slide(prs.slide_layouts[6])
        rect = tmp.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, 0, prs.slide_width, Emu(900000))
        if where == "scheme":
            rect.fill.solid()
            rect.fill.fore_color.theme_color = 5  # MSO_THEME_COLOR.ACCENT_1
        else:
            rect.fill.solid()
            rect.fill.fore_color.rgb = RGBColor.from_string(band)
        rect.line.fill.background()
        owner = content if where == "layout" else master
        owner.element.find("p:cSld/p:spTree", NS).insert(2, copy.deepcopy(rect.element))
        sld = prs.element.sldIdLst[0]
        prs.part.drop_rel(sld.rId)
        prs.element.sldIdLst.remove(sld)
    prs.save(path)


@pytest.fixture(scope="module")
def document():
    from egovdeck.engine.build import fonts_for, theme_for
    from egovdeck.input.project import load_project
    from egovdeck.resolve.report import build_document

    project = load_project(CASE / "reports" / "case.yaml")
    theme, fonts = theme_for(project), fonts_for(project)
    return build_document(project, theme, fonts), fonts, theme


def _render(document, template, out):
    from egovdeck.decktemplate.reader import TemplateRef
    from egovdeck.render.pptx.deck import render_pptx

    doc, fonts, theme = document
    return render_pptx(doc, out, fonts, theme, None, TemplateRef(template, (), template.name))


def _title_colours(pptx, default: str) -> list[str]:
    """The colour of every run of each content slide's title: its own a:srgbClr, else the template's `default`."""
    from pptx import Presentation

    out = []
    for slide in Presentation(pptx).slides:
        if slide.slide_layout.name != "Title and Content":
            continue
        title = next(s for s in slide.shapes if s.name == "Title")
        for r in title.element.iterfind(".//a:r", NS):
            clr = r.find("a:rPr/a:solidFill/a:srgbClr", NS)
            out.append(clr.get("val").upper() if clr is not None else default)
    return out


rgb = st.integers(0, 0xFFFFFF).map(lambda v: f"{v:06X}")


# no shrinking: a failing example is plain enough, and each one renders a deck
@settings(max_examples=max(6, settings.default.max_examples // 2), phases=(Phase.explicit, Phase.generate))
@given(rgb, rgb, st.sampled_from(["master", "scheme", "layout", "background"]))
def test_content_titles_contrast_with_the_band_or_background_under_them(document, tmp_path_factory, band, dk1, where):
    tmp = tmp_path_factory.mktemp("contrast")
    make_template(tmp / "t.pptx", band, dk1, where)
    _render(document, tmp / "t.pptx", tmp / "deck.pptx")
    colours = _title_colours(tmp / "deck.pptx", dk1)
    assert colours
    for colour in colours:
        # the template's colour where it is legible (3:1, WCAG large text), else black or white
        assert wcag(colour, band) >= 3.0 or colour == dk1 and wcag(dk1, band) >= 3.0, (colour, band, where)
        assert colour == dk1 or colour in ("FFFFFF", "000000")


def test_libreoffice_draws_the_new_users_titles_white_on_the_navy_band(document, tmp_path):
    import pdfplumber

    make_template(tmp_path / "t.pptx", "122B4A", "000000", "master")
    _render(document, tmp_path / "t.pptx", tmp_path / "deck.pptx")
    pdf = libreoffice_to_pdf(tmp_path / "deck.pptx", tmp_path)
    band_bottom = 900000 / EMU
    with pdfplumber.open(pdf) as doc:
        pages = doc.pages[3:]  # after the cover, the agenda and the divider: findings
        titles = [c for page in pages for c in page.chars if c["text"].strip() and c["bottom"] <= band_bottom]
    assert titles
    for c in titles:
        colour = c["non_stroking_color"]
        grey = colour if isinstance(colour, (int, float)) else None
        rgb_ = tuple(colour) if grey is None else (grey, grey, grey)
        if len(rgb_) == 1:
            rgb_ = rgb_ * 3
        hexed = "".join(f"{round(v * 255):02X}" for v in rgb_[:3])
        assert wcag(hexed, "122B4A") >= 3.0, (c["text"], hexed)
