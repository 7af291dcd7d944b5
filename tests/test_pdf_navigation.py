"""Navigating the brief (issue 14): bookmarks and 目录 links land on the heading or caption and keep the
reader's zoom, the bookmarks panel opens with the file, viewers show the title, and the 目录 reads
title first in content order."""

from __future__ import annotations

import itertools
import re
import subprocess

import pytest

pikepdf = pytest.importorskip("pikepdf")


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _outline(items, out=None):
    out = [] if out is None else out
    for item in items:
        out.append(item)
        _outline(item.children, out)
    return out


def _check_destination(pdf, plumber, dest, title: str) -> None:
    assert dest[1] == "/XYZ", (title, dest)
    left, top, zoom = dest[2], dest[3], dest[4]
    assert left is None and zoom is None, f"{title}: the reader's scroll and zoom are kept"  # /XYZ null top null
    page_index = next(i for i, p in enumerate(pdf.pages) if p.objgen == dest[0].objgen)
    page = plumber.pages[page_index]
    # the title is on that page, in the band just under the destination's top (one or two lines)
    below = float(page.height) - float(top)
    band = page.crop((0, max(0, below - 1), page.width, min(page.height, below + 40)))
    assert _squash(title)[:10] in _squash(band.extract_text() or ""), (title, page_index, float(top))


def test_every_bookmark_lands_on_its_title_and_keeps_the_zoom(built):
    import pdfplumber

    with pikepdf.open(built.pdf) as pdf, pdfplumber.open(built.pdf) as plumber, pdf.open_outline() as outline:
        items = _outline(outline.root)
        assert len(items) >= len(built.document.sections) + 10
        for item in items:
            _check_destination(pdf, plumber, item.destination, item.title)


def test_contents_links_land_on_the_headings(built):
    import pdfplumber

    with pikepdf.open(built.pdf) as pdf, pdfplumber.open(built.pdf) as plumber:
        links = [a for a in pdf.pages[1].obj.get("/Annots", []) if a.Subtype == "/Link"]
        assert links
        titles = {}
        with pdf.open_outline() as outline:
            for item in _outline(outline.root):
                titles[repr(list(item.destination))] = item.title
        for link in links:
            dest = link.get("/Dest") or link.A.D
            assert repr(list(dest)) in titles, "a 目录 link goes where its bookmark goes"
            _check_destination(pdf, plumber, dest, titles[repr(list(dest))])


def test_the_outline_panel_opens_and_viewers_show_the_title(built):
    with pikepdf.open(built.pdf) as pdf:
        assert pdf.Root.PageMode == "/UseOutlines"
        assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
        assert str(pdf.docinfo.Title) == built.document.title


def test_contents_lines_read_title_first_in_content_order(built):
    """pdftotext -raw keeps the content stream's order (as Firefox's viewer and MuPDF read it)."""
    from clients import tool

    raw = subprocess.run([tool("pdftotext"), "-raw", "-f", "2", "-l", "2", str(built.pdf), "-"],
                         capture_output=True, text=True, check=True).stdout
    lines = [line for line in raw.splitlines() if ". . ." in line]
    with pikepdf.open(built.pdf) as pdf, pdf.open_outline() as outline:
        headings = [_squash(i.title) for i in _outline(outline.root) if not re.match(r"^[图表]\d", i.title)]
    assert len(lines) >= len(headings) - 1  # every entry but 目录 itself
    for line in lines:
        m = re.match(r"^(?P<title>[^.\s].*?)\s*(?:\.\s*){3,}(?P<page>\d+)\s*$", line)
        assert m, f"not title, leaders, number: {line!r}"
        assert _squash(m["title"]) in headings, line


LATIN_WORDS = ["portal", "services", "English", "version", "strings", "e-mail", "addresses", "Ministries'", "platforms",
               "https://www.gov.cn/", "v2.10.3", "online", "government"]


@pytest.mark.parametrize("seed", range(3))
def test_contents_entries_never_run_into_their_page_numbers(tmp_path, seed):
    """A 目录 line wraps before the column of its page number and leaders: a long Latin heading whose last
    line ran to the right edge had its last letter drawn on the page number (found by a new user: 「strings」
    over 「4」). Read from pdfplumber's character boxes of the 目录 page, line by line."""
    import csv
    import random

    import pdfplumber
    import yaml

    from egovdeck.engine.build import build

    rng = random.Random(seed)
    (tmp_path / "data").mkdir()
    (tmp_path / "reports").mkdir()
    with open(tmp_path / "data" / "t.csv", "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([["name", "value"], ["北京", "1"], ["上海", "2"]])
    (tmp_path / "data" / "t.yaml").write_text(yaml.safe_dump({
        "title": "表", "file": "t.csv", "source": "资料来源：生成（合成数据）", "key": ["name"],
        "columns": {"name": {"type": "text", "label": "名称"}, "value": {"type": "integer", "label": "数值"}}},
        allow_unicode=True), encoding="utf-8")

    def title(words: int) -> str:
        return "平台：" + " ".join(rng.choice(LATIN_WORDS) for _ in range(words))

    sections = [{"id": f"s{i}", "title": title(rng.randint(4, 14)), "findings": [
        {"id": f"f{i}{j}", "title": title(rng.randint(3, 16)), "layout": "table",
         "slots": {"table": {"dataset": "t", "title": "表"}}} for j in range(3)]} for i in range(4)]
    (tmp_path / "reports" / "r.yaml").write_text(yaml.safe_dump({
        "report": {"id": "toc", "title": "目录测试", "date": "2020-05-20"}, "datasets": ["data/t.yaml"],
        "sections": sections}, allow_unicode=True), encoding="utf-8")
    build(tmp_path / "reports" / "r.yaml", output_dir=tmp_path / "out", use_cache=False, formats=("pdf",))
    with pdfplumber.open(tmp_path / "out" / "toc.pdf") as pdf:
        page = next(p for p in pdf.pages[1:] if "目录" in (p.extract_text() or "")[:40])
        lines: dict[int, list[dict]] = {}
        for c in page.chars:
            if c["text"].strip():
                lines.setdefault(round(c["top"]), []).append(c)
        numbered = 0
        for top, chars in lines.items():
            chars.sort(key=lambda c: c["x0"])
            numbered += chars[-1]["text"].isdigit()
            clash = [(a["text"], b["text"]) for a, b in itertools.pairwise(chars) if b["x0"] < a["x1"] - 0.3]
            assert not clash, f"目录 line at {top} pt: characters drawn over each other: {clash}"
        assert numbered >= len(sections)
