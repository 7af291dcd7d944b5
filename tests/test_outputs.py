"""The bundled briefing, read the way its readers read it: extracted text, fonts, slides, charts, notes."""

from __future__ import annotations

import re
import subprocess
import zipfile

import pytest
from lxml import etree

from clients import pdffonts_rows, tool

A = "http://schemas.openxmlformats.org/drawingml/2006/main"
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


# ----------------------------------------------------------------------------- PDF


def test_pdf_has_section_titles_narrative_numbers_and_chart_labels(pdf_text, built):
    text = squash("".join(pdf_text))
    for section in built.document.sections:
        assert squash(section.title) in text
    # numbers that the narrative takes from the data
    for number in ("6.94亿人", "76.8%", "14,474个", "3,488个", "909个", "82,937个", "2077.29万篇"):
        assert number in text, number
    # chart labels: categories and data labels of the PDF's vector charts are real text
    for label in ("2020年3月", "新疆生产建设兵团", "信息公开", "17,962", "14,474", "孕育期"):
        assert label in text, label
    assert "资料来源：CNNIC" in text


def test_pdf_fonts_are_embedded_subsets_and_never_type3(built):
    rows = pdffonts_rows(built.pdf)
    assert rows
    for row in rows:
        assert row["emb"] == "yes" and row["sub"] == "yes", row
        assert "Type 3" not in row["type"], row
        assert "Helvetica" not in row["name"], row
        assert "EgovSansSC" in row["name"], row


def test_pdf_structure_metadata_outline_and_page_numbers(built, pdf_text):
    from pypdf import PdfReader

    reader = PdfReader(built.pdf)
    meta = reader.metadata
    assert meta.title == built.document.title
    assert meta.creator.startswith("egovdeck")
    assert reader.trailer["/Root"]["/Lang"] == "zh-CN"
    titles = [o.title for o in _flatten(reader.outline)]
    for section in built.document.sections:
        assert any(section.title in t for t in titles)
    assert any(t.startswith("图1") for t in titles)
    total = len(reader.pages)
    assert f"第2页 / 共{total}页" in pdf_text[1]
    assert f"第{total}页 / 共{total}页" in pdf_text[-1]
    assert "第" not in pdf_text[0]  # the cover has no footer


def _flatten(outline):
    for item in outline:
        if isinstance(item, list):
            yield from _flatten(item)
        else:
            yield item


def test_pdf_lines_never_start_with_closing_punctuation(pdf_text):
    bad = []
    for n, page in enumerate(pdf_text, start=1):
        for line in page.splitlines():
            stripped = line.strip()
            if stripped and stripped[0] in "，。、；：？！）》」』】":
                bad.append((n, stripped[:30]))
    assert not bad


def test_pdf_passes_qpdf_check(built):
    proc = subprocess.run([tool("qpdf"), "--check", str(built.pdf)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


# ----------------------------------------------------------------------------- PPTX


def test_deck_is_16_9_with_native_charts_and_notes(built):
    from pptx import Presentation

    prs = Presentation(built.pptx)
    assert (prs.slide_width, prs.slide_height) == (12192000, 6858000)
    charts = [sh for s in prs.slides for sh in s.shapes if sh.has_chart]
    assert len(charts) >= 6
    with zipfile.ZipFile(built.pptx) as z:
        assert len([n for n in z.namelist() if re.fullmatch(r"ppt/charts/chart\d+\.xml", n)]) == len(charts)
        assert not [n for n in z.namelist() if n.startswith("ppt/media/")], "charts must not be pictures"
    titles = [_title(s) for s in prs.slides]
    for finding in (f for sec in built.document.sections for f in sec.findings):
        assert finding.title in titles
    for slide in prs.slides:
        assert slide.has_notes_slide and slide.notes_slide.notes_text_frame.text.strip(), _title(slide)


def _title(slide) -> str:
    for sh in slide.shapes:
        if sh.name == "Title":
            return sh.text_frame.text
    return ""


def test_every_cjk_run_has_an_east_asian_typeface(built):
    missing = []
    with zipfile.ZipFile(built.pptx) as z:
        parts = [n for n in z.namelist() if re.fullmatch(r"ppt/(slides/slide|notesSlides/notesSlide)\d+\.xml", n)]
        for name in parts:
            root = etree.fromstring(z.read(name))
            for run in root.iter(f"{{{A}}}r"):
                text = run.findtext(f"{{{A}}}t") or ""
                rpr = run.find(f"{{{A}}}rPr")
                ea = rpr.find(f"{{{A}}}ea") if rpr is not None else None
                if CJK.search(text) and (ea is None or ea.get("typeface") != "Egov Sans SC"
                                         or rpr.get("lang") != "zh-CN"):
                    missing.append((name, text[:20]))
        theme = etree.fromstring(z.read("ppt/theme/theme1.xml"))
        assert [ea.get("typeface") for ea in theme.iterfind(f".//{{{A}}}fontScheme/*/{{{A}}}ea")] == ["Egov Sans SC"] * 2
    assert not missing


def test_every_chart_has_alt_text_and_east_asian_chart_text(built):
    from pptx import Presentation

    prs = Presentation(built.pptx)
    for slide in prs.slides:
        for sh in slide.shapes:
            if sh.has_chart:
                descr = sh._element.xpath("./p:nvGraphicFramePr/p:cNvPr")[0].get("descr")
                assert descr and len(descr) > 10
                xml = etree.tostring(sh.chart._chartSpace).decode()
                assert 'typeface="Egov Sans SC"' in xml and "<a:ea " in xml


def test_no_shape_extends_past_the_slide(built):
    from pptx import Presentation

    prs = Presentation(built.pptx)
    for i, slide in enumerate(prs.slides, start=1):
        for sh in slide.shapes:
            assert sh.left >= 0 and sh.top >= 0, (i, sh.name)
            assert sh.left + sh.width <= prs.slide_width, (i, sh.name)
            assert sh.top + sh.height <= prs.slide_height, (i, sh.name)


def test_libreoffice_opens_and_converts_the_deck(built, built_deck_drawn):
    pdf = built_deck_drawn
    from pypdf import PdfReader

    assert len(PdfReader(pdf).pages) == built.result.slides
    text = subprocess.run([tool("pdftotext"), str(pdf), "-"], capture_output=True, text=True).stdout
    assert "在线政务服务" in squash(text)


@pytest.mark.parametrize("kind", ["pdf", "pptx"])
def test_outputs_are_small(built, kind):
    size = (built.pdf if kind == "pdf" else built.pptx).stat().st_size
    if kind == "pptx":  # the embedded font subsets (two weights, ~72 kB each in the zip) are budgeted apart
        with zipfile.ZipFile(built.pptx) as z:
            fonts = sum(i.compress_size for i in z.infolist() if i.filename.startswith("ppt/fonts/"))
        assert 0 < fonts < 200_000
        size -= fonts
    assert size < {"pdf": 600_000, "pptx": 300_000}[kind]
