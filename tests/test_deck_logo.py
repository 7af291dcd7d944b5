"""report.logo on both covers (a new user: "printed on the PDF cover, not on the deck's"; the reference says "printed
on the cover"). Read from the outputs: the PDF's first page has the image; the deck's first slide has it, and in
LibreOffice's rendering of the deck the image's box touches no character of the cover, on egovdeck's template and
on python-pptx's own (4:3, its title and subtitle placeholders across the slide)."""

from __future__ import annotations

import pytest

from clients import libreoffice_to_pdf
from conftest import copy_project


def _logo(path, transparent: bool) -> None:
    from PIL import Image, ImageDraw

    im = Image.new("RGBA", (300, 120), (0, 0, 0, 0) if transparent else (255, 255, 255, 255))
    d = ImageDraw.Draw(im)
    d.ellipse((10, 10, 110, 110), fill="#C00000")
    d.rectangle((130, 40, 290, 80), fill="#1F5FA8")
    im.save(path)


@pytest.mark.parametrize("template", ["", "python-pptx"])
def test_the_logo_is_on_both_covers_clear_of_their_text(tmp_path, template):
    import pdfplumber
    from pptx import Presentation

    from egovdeck.engine.build import build

    definition = copy_project(tmp_path / "p")
    (tmp_path / "p" / "assets").mkdir()
    _logo(tmp_path / "p" / "assets" / "logo.png", transparent=not template)
    text = definition.read_text(encoding="utf-8")
    extra = "  logo: assets/logo.png\n"
    if template:
        Presentation().save(str(tmp_path / "p" / "assets" / "plain.pptx"))
        text = text.replace("\nsections:", "\ntheme:\n  template: assets/plain.pptx\n\nsections:", 1) \
            if "\ntheme:" not in text else text.replace("\ntheme:\n", "\ntheme:\n  template: assets/plain.pptx\n", 1)
    definition.write_text(text.replace("report:\n", "report:\n" + extra, 1), encoding="utf-8")
    build(definition, output_dir=tmp_path / "out", use_cache=False)
    with pdfplumber.open(tmp_path / "out" / "egov-2019.pdf") as pdf:
        assert len(pdf.pages[0].images) == 1
    deck = tmp_path / "out" / "egov-2019.pptx"
    cover = Presentation(str(deck)).slides[0]
    assert [s.name for s in cover.shapes if s.shape_type == 13] == ["Logo"]  # MSO_SHAPE_TYPE.PICTURE
    rendered = libreoffice_to_pdf(deck, tmp_path / "lo")
    with pdfplumber.open(rendered) as pdf:
        page = pdf.pages[0]
        assert page.images  # LibreOffice may draw a PNG with transparency as two images: their union
        im = {"x0": min(i["x0"] for i in page.images), "x1": max(i["x1"] for i in page.images),
              "top": min(i["top"] for i in page.images), "bottom": max(i["bottom"] for i in page.images)}
        assert im["x0"] >= 0 and im["x1"] <= page.width and im["top"] >= 0 and im["bottom"] <= page.height
        over = [c["text"] for c in page.chars if c["text"].strip() and c["x0"] < im["x1"] and im["x0"] < c["x1"]
                and c["top"] < im["bottom"] and im["top"] < c["bottom"]]
        assert not over, over
        assert im["bottom"] - im["top"] >= 0.05 * page.height  # a logo, not a speck
