"""A user's own deck template never makes the deck's texts overlap (issue 16): templates generated with
python-pptx — the content layout's title at the top, the bottom or the left, its body left or right, a band
on the master, slides of 4:3, 16:10, 16:9 or square — and a small case project built through the whole
build; the LibreOffice render of the deck is read with pdfplumber: no two glyph boxes of different lines
overlap and no glyph lies outside the slide. A square slide is refused by `validate` (exit 1, located)."""

from __future__ import annotations

import shutil
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from clients import ROOT, libreoffice_to_pdf
from deckboxes import seen

CASE = ROOT / "tests" / "cases" / "layout" / "negative-values-minus"
SIZES = {"4:3": (10.0, 7.5), "16:10": (12.0, 7.5), "16:9": (13.333, 7.5), "square": (10.0, 10.0)}


def make_template(path: Path, size: str, title: str, body: str, band: bool) -> None:
    """A template like a new user's (their mk_tpl.py): the content layout's title at `title`, body at `body`."""
    from pptx import Presentation
    from pptx.enum.shapes import MSO_SHAPE
    from pptx.util import Inches

    prs = Presentation()
    w_in, h_in = SIZES[size]
    prs.slide_width, prs.slide_height = Inches(w_in), Inches(h_in)
    W, H = prs.slide_width, prs.slide_height
    if band:  # a dark band down the left of the master
        tmp = prs.slides.add_slide(prs.slide_layouts[6])
        shape = tmp.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, 0, int(W * 0.06), H)
        prs.slide_master.shapes._spTree.insert(2, shape._element)
        rid = prs.slides._sldIdLst[0].rId
        prs.part.drop_rel(rid)
        prs.slides._sldIdLst.remove(prs.slides._sldIdLst[0])
    for ph in prs.slide_master.placeholders:
        ph.left, ph.width = int(W * 0.08), int(W * 0.88)
    boxes = {"top": (0.08, 0.04, 0.88, 0.14), "bottom": (0.08, 0.86, 0.70, 0.11), "left": (0.08, 0.10, 0.20, 0.78)}
    bodies = {("top", "right"): (0.30, 0.22, 0.66, 0.66), ("top", "left"): (0.08, 0.22, 0.66, 0.66),
              ("bottom", "right"): (0.30, 0.04, 0.67, 0.78), ("bottom", "left"): (0.08, 0.04, 0.67, 0.78),
              ("left", "right"): (0.32, 0.10, 0.64, 0.78), ("left", "left"): (0.32, 0.10, 0.50, 0.78)}
    content = prs.slide_layouts[1]
    for ph in content.placeholders:
        idx = ph.placeholder_format.idx
        frac = boxes[title] if idx == 0 else bodies[title, body] if idx == 1 else None
        if frac is not None:
            ph.left, ph.top, ph.width, ph.height = (int(f * d) for f, d in zip(frac, (W, H, W, H), strict=True))
    prs.save(path)


def _project(tmp: Path, long: bool) -> Path:
    for name in ("reports", "data"):
        shutil.copytree(CASE / name, tmp / name, dirs_exist_ok=True)
    (tmp / "templates").mkdir(exist_ok=True)
    definition = tmp / "reports" / "case.yaml"
    text = (CASE / "reports" / "case.yaml").read_text(encoding="utf-8")
    text = text.replace("datasets:\n", "theme:\n  template: templates/t.pptx\n\ndatasets:\n", 1)
    if long:  # a long section name (the kicker), long source lines and a note: they reach across the slide
        text = text.replace("    title: 负值\n", "    title: 负值与减号——各省政府网站数量同比下降与增速有正有负的全部情形\n", 1)
        text = text.replace('            format: "0.0%"\n', '            format: "0.0%"\n            source: '
                            + "资料来源：" + "国务院办公厅政府信息与政务公开办公室《全国政府网站抽查情况通报》，" * 3
                            + '\n            note: 注：西藏为负值。\n', 1)
    definition.write_text(text, encoding="utf-8")
    return definition


def overlaps(pdf: Path) -> list[str]:
    """Pairs of glyphs whose boxes (the middle 80 % of their height) overlap, and glyphs
    outside the page, as pdfplumber reads LibreOffice's render."""
    import pdfplumber

    found = []
    with pdfplumber.open(pdf) as doc:
        for n, page in enumerate(doc.pages, start=1):
            # horizontal glyphs (a chart's turned category labels have axis-aligned boxes that overlap by design)
            chars = [c for c in page.chars if seen(c["text"]).strip() and c["upright"]
                     and abs(c["matrix"][1]) < 1e-3 and abs(c["matrix"][2]) < 1e-3]
            for c in chars:
                if c["x0"] < -1 or c["top"] < -1 or c["x1"] > page.width + 1 or c["bottom"] > page.height + 1:
                    found.append(f"slide {n}: “{c['text']}” outside the slide")
            boxes = []
            for c in chars:
                pad = (c["bottom"] - c["top"]) * 0.1
                boxes.append((c["x0"] + 0.5, c["top"] + pad, c["x1"] - 0.5, c["bottom"] - pad, c))
            for i, a in enumerate(boxes):
                for b in boxes[i + 1:]:
                    if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]:
                        found.append(f"slide {n}: “{a[4]['text']}” over “{b[4]['text']}”")
    return found


@settings(max_examples=max(4, settings.default.max_examples // 5), deadline=None,
          phases=(Phase.explicit, Phase.generate), suppress_health_check=list(HealthCheck))
@given(st.sampled_from(sorted(SIZES)), st.sampled_from(["top", "bottom", "left"]), st.sampled_from(["left", "right"]),
       st.booleans(), st.booleans())
def test_no_text_of_the_deck_overlaps_on_a_users_template(tmp_path_factory, size, title, body, band, long):
    from egovdeck.cli.main import main

    tmp = tmp_path_factory.mktemp("place")
    definition = _project(tmp, long)
    make_template(tmp / "templates" / "t.pptx", size, title, body, band)
    rc = main(["validate", str(definition)], try_server=False)
    if size == "square":
        assert rc == 1
        return
    assert rc == 0
    out = tmp / "out"
    assert main(["build", str(definition), "--only", "pptx", "-o", str(out), "-q", "--no-cache"],
                try_server=False) == 0
    pdf = libreoffice_to_pdf(next(out.glob("*.pptx")), tmp / "lo")
    assert overlaps(pdf) == []


def test_a_title_at_the_foot_keeps_the_kicker_and_source_apart(tmp_path):
    """The new user's case: title at the bottom, body upper right, band on the master."""
    test_no_text_of_the_deck_overlaps_on_a_users_template.hypothesis.inner_test(
        _Factory(tmp_path), "16:9", "bottom", "right", True, True)


class _Factory:
    def __init__(self, tmp: Path):
        self.tmp, self.n = tmp, 0

    def mktemp(self, name: str) -> Path:
        self.n += 1
        path = self.tmp / f"{name}{self.n}"
        path.mkdir()
        return path
