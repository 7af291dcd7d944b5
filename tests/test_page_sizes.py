"""Any page the validator accepts gives a right brief (issue 16, "every user's report, every machine").

tests/cases/page-sizes is one report (a 32-category ranking with two highlighted bars, two charts side by
side, six 20-row tables, a cover with subtitle, organisation and author) built once per page: A4 and A5,
portrait and landscape, frames 82 mm wide on A4 and A5 and the least frame margin_mm accepts (80 x 80 mm). Each PDF
is read with pdfplumber as a reader reads it:

- the build exits 0 (never 3: a frame the validator accepts builds);
- the cover is one page (its last line, the date, is on page 1; page 2 is the 目录);
- every page after the cover says 「第N页 / 共M页」 with N its place in the file and M the file's pages;
- no page is empty (nothing but its running header and footer);
- no page holds one or two 目录 entries alone (render/pdf/brief.TOC_TAIL);
- every category of the ranking is named (highlighted ones always), or the build warned.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

HERE = Path(__file__).resolve().parent
PROJECT = HERE / "cases" / "page-sizes"
FOOTER = re.compile(r"第(\d+)页/共(\d+)页")
LEADERS = re.compile(r"(?:\.\s*){3,}\d+\s*$")
PAGES = {
    "A4-portrait": {},
    "A4-landscape": {"orientation": "landscape"},
    "A5-portrait": {"size": "A5"},
    "A5-landscape": {"size": "A5", "orientation": "landscape"},
    "A4-82mm-frame": {"margin_mm": [22, 64, 22, 64]},
    "A5-82mm-frame": {"size": "A5", "margin_mm": [20, 33, 20, 33]},
    # the least frame margin_mm accepts, 80 x 80 mm: no page holds the ranking's 32 rows, so it warns
    "A5-landscape-80mm-square": {"size": "A5", "orientation": "landscape", "margin_mm": [34, 65, 34, 65]},
}


@pytest.fixture(scope="module", params=list(PAGES))
def brief(request, tmp_path_factory):
    """(pdf path, warnings, the ranking's categories and its highlighted ones) for one page setting."""
    import csv

    from egovdeck.engine.build import build

    work = tmp_path_factory.mktemp("pages") / "project"
    shutil.copytree(PROJECT, work)
    definition = work / "reports" / "pages.yaml"
    spec = yaml.safe_load(definition.read_text(encoding="utf-8"))
    spec["page"] = PAGES[request.param]
    definition.write_text(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = build(definition, output_dir=work / "output", cache_dir=work / "cache",
                   formats=("pdf",))
    with (work / "data" / "rank.csv").open(encoding="utf-8") as f:
        provinces = [row["province"] for row in csv.DictReader(f)]
    return request.param, work / "output" / "pages.pdf", result.warnings, provinces, ["四川", "西藏"]


def _texts(pdf: Path) -> list[str]:
    import pdfplumber

    with pdfplumber.open(pdf) as doc:
        return [p.extract_text() or "" for p in doc.pages]


def _body(text: str) -> list[str]:
    """A page's lines but its running header (first line) and footer."""
    lines = [ln for ln in text.splitlines() if ln.strip()]
    return [ln for ln in lines[1:] if not FOOTER.search(re.sub(r"\s+", "", ln))]


def test_cover_is_one_page(brief):
    name, pdf, *_ = brief
    pages = _texts(pdf)
    assert "2020年5月20日" in pages[0], f"{name}: the cover's date is not on page 1"
    assert "2020年5月20日" not in pages[1] and "目录" in pages[1], f"{name}: page 2 is not the 目录"


def test_footer_counts_the_pages_of_the_file(brief):
    name, pdf, *_ = brief
    pages = _texts(pdf)
    assert not FOOTER.search(re.sub(r"\s+", "", pages[0])), "the cover has no footer"
    for n, text in enumerate(pages[1:], start=2):
        found = FOOTER.findall(re.sub(r"\s+", "", text))
        assert found == [(str(n), str(len(pages)))], (name, n, found)


def test_no_page_is_empty(brief):
    name, pdf, *_ = brief
    for n, text in enumerate(_texts(pdf)[1:], start=2):
        assert _body(text), f"{name}: page {n} holds only its running header and footer"


def test_no_contents_entry_alone_on_a_page(brief):
    name, pdf, *_ = brief
    for n, text in enumerate(_texts(pdf)[1:], start=2):
        entries = [ln for ln in _body(text) if LEADERS.search(ln)]
        if entries:
            assert len(entries) >= 3, f"{name}: page {n} holds {len(entries)} 目录 entries alone: {entries}"


def test_every_ranking_category_is_named_or_the_build_warns(brief):
    """The ranking's page: every province's name is drawn at 7.5 pt or more (the tick size, 8 pt, is what a
    ranking with room gets; 5.5 pt is the plan's last resort) or the build warned; the highlighted ones are
    named whatever the room."""
    import pdfplumber

    name, pdf, warnings, provinces, highlighted = brief
    with pdfplumber.open(pdf) as doc:
        page = next(p for p in doc.pages if "各省（区、市）政府网站数量" in (p.extract_text() or ""))
        sized = [(w["text"], w["size"]) for w in page.extract_words(extra_attrs=["size"])]
    named = {text for text, _size in sized}
    assert not [p for p in highlighted if p not in named], f"{name}: highlighted categories unnamed"
    readable = {text for text, size in sized if size >= 7.5}
    missing = [p for p in provinces if p not in readable]
    if missing:
        assert any("cannot name each" in w for w in warnings), f"{name}: {missing} unnamed, no warning"
