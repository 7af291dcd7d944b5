"""The PDF brief as a publication: contents that match, continued tables, page labels, unbroken numbers."""

from __future__ import annotations

import re

from conftest import ROOT


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_contents_page_numbers_match_where_the_headings_are(built, pdf_text):
    toc = pdf_text[1]
    entries = re.findall(r"^\s*(\S.*?)\s*(?:\.\s*){3,}(\d+)\s*$", toc, flags=re.M)
    assert len(entries) >= len(built.document.sections) + 4
    for title, number in entries:
        page_no = int(number)  # the file's page number, as in the footer (the cover is page 1)
        page = _squash(pdf_text[page_no - 1])
        assert _squash(title)[:12] in page, (title, number)
        assert f"第{page_no}页" in page


def test_every_body_page_says_which_page_of_how_many(built, pdf_text):
    """「第N页 / 共M页」 is drawn as a form filled in after the last page: two readers must find it."""
    from pypdf import PdfReader

    total = len(pdf_text)  # the file's pages: the footer and a viewer's page count agree (issue 16)
    for n, text in enumerate(pdf_text[1:], start=2):
        assert f"第{n}页/共{total}页" in _squash(text), n
    assert f"第4页/共{total}页" in _squash(PdfReader(built.pdf).pages[3].extract_text())


def test_page_labels_name_the_cover_and_count_as_the_footer(built):
    from pypdf import PdfReader

    reader = PdfReader(built.pdf)
    assert reader.page_labels[0] == "封面"
    assert reader.page_labels[1:4] == ["2", "3", "4"]


def test_long_table_repeats_its_header_and_says_continued(built, tmp_path):
    """A table four times the bundled one must split across pages with 「续表」 and its header repeated."""
    from dataclasses import replace

    from reportlab.platypus import Spacer

    from clients import pdftotext_pages
    from egovdeck.document.report import TableData
    from egovdeck.engine.build import fonts_for, theme_for
    from egovdeck.input.project import load_project
    from egovdeck.render.pdf.brief import render_pdf

    doc = built.document
    sections = []
    for sec in doc.sections:
        findings = []
        for f in sec.findings:
            blocks = {k: (replace(b, rows=b.rows * 4) if isinstance(b, TableData) and len(b.rows) == 32 else b)
                      for k, b in f.blocks.items()}
            findings.append(replace(f, blocks=blocks))
        sections.append(replace(sec, findings=tuple(findings)))
    long_doc = replace(doc, sections=tuple(sections))
    project = load_project(ROOT / "reports" / "egov-2019.yaml")
    out = tmp_path / "long.pdf"
    render_pdf(long_doc, out, lambda c: Spacer(10, 50), fonts_for(project), theme_for(project))
    pages = pdftotext_pages(out)
    table = next(b for s in doc.sections for f in s.findings for b in f.blocks.values()
                 if isinstance(b, TableData) and len(b.rows) == 32)
    continued = [p for p in pages if "续表" in p]
    assert len(continued) >= 2
    for page in continued:
        assert _squash(table.header[0]) in _squash(page) and "同比下降" in page  # the header row is repeated
        assert _squash(table.title) in _squash(page)


def test_numbers_and_latin_words_are_never_split_across_lines(pdf_text):
    # a line ending in a digit followed by a line starting with a digit, both inside body text
    for page in pdf_text:
        lines = [ln.strip() for ln in page.splitlines() if ln.strip()]
        for a, b in zip(lines, lines[1:], strict=False):
            if len(a) > 30 and len(b) > 30:  # narrative lines, not chart ticks or table cells
                assert not (a[-1].isdigit() and b[0].isdigit() and re.search(r"[\u4e00-\u9fff]", a)), (a, b)
                assert not (a[-1].isascii() and a[-1].isalpha() and b[0].isascii() and b[0].isalpha()), (a, b)


def test_data_notes_list_every_dataset_with_its_source(built, pdf_text):
    whole = _squash("".join(pdf_text))
    assert "数据说明" in whole
    notes = whole[whole.index("数据说明", whole.index("数据说明") + 1):]  # the section (the 目录 names it first)
    for ds in built.document.datasets:
        assert _squash(ds.title) in notes, ds.id
        assert _squash(ds.source.removeprefix("资料来源："))[:12] in notes, ds.id
    assert (ROOT / "data" / "README.md").exists()


def test_the_same_inputs_give_the_same_bytes(built, tmp_path):
    from egovdeck.engine.build import build

    again = build(ROOT / "reports" / "egov-2019.yaml", output_dir=tmp_path, cache_dir=tmp_path / "cache")
    for path in again.outputs:
        assert path.read_bytes() == (built.out / path.name).read_bytes(), path.name


REFERENCE_PAGES = (1, 4, 6)  # the cover, a chart with KPIs, the 32-row ranking


def test_rendered_pages_match_the_reference_images(built, tmp_path):
    import subprocess

    import pytest

    from clients import tool
    from imaging import compare

    problems = []
    for page in REFERENCE_PAGES:
        stem = tmp_path / f"page-{page:02d}"
        subprocess.run([tool("pdftoppm"), "-r", "30", "-png", "-singlefile", "-f", str(page), "-l", str(page),
                        str(built.pdf), str(stem)], check=True)
        problems.append(compare(stem.with_suffix(".png"), ROOT / "tests" / "reference" / "pages" /
                                f"page-{page:02d}.png", 1.0, 12.0))
    if any(problems):
        pytest.fail("; ".join(p for p in problems if p))


def test_no_page_opens_with_an_empty_space(built):
    """The space after a figure, table or KPI band that no longer fits under it at a page foot must not
    open the next page: on main, pages 4 and 8 of the bundled brief began 18 pt below the frame's top (that
    space plus the heading's space before), read from the first line's top with pdfplumber."""
    import pdfplumber

    top = 22 * 72 / 25.4  # the frame's top margin (report.margin_mm)
    with pdfplumber.open(built.pdf) as pdf:
        for n, page in enumerate(pdf.pages[2:], start=3):  # after the cover and the 目录
            lines = [ln for ln in page.extract_text_lines() if ln["top"] >= top - 1]
            assert lines and lines[0]["top"] - top < 4, (n, lines[0]["top"] - top, lines[0]["text"][:20])


def test_a_note_comes_before_its_source_as_in_the_deck(pdf_text):
    """注 then 资料来源 under a figure or table (the Chinese statistical convention; the deck sets the note under
    its chart or table and the source line at the slide's foot): the PDF printed the source line first."""
    pairs = 0
    for page in pdf_text:
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        for above, below in zip(lines, lines[1:], strict=False):
            assert not (above.startswith("资料来源") and below.startswith("注：")), (above, below)
            pairs += above.startswith("注：") and below.startswith("资料来源")
    assert pairs >= 3  # the bundled brief's figures with a note and a source
