"""Pagination faults that remained (issue 16, Pagination and Tables), read from the PDF with pdfplumber.

1. Tables with rows taller than a page (one long cell of 50-3000 characters anywhere in a table of 1-300
   rows, A4/A5, portrait/landscape): a page showing one data row alone is a fault, except where a reader
   sees it could not be helped: a whole row filling a page after a full page, the middle of a row taller
   than the page, the start of such a row that
   fills the page when the page before had no room for two of its lines (or the table starts there), its
   end filling a page, or the end of the table's last row. Before the fix a tall row started on a page of
   its own after one or two rows and left the page before two-thirds empty (then a page showed its start
   alone), and a continuation whose first row fitted a page only without 「续表N」 left that label alone on
   a page.
2. Headings before every kind of block (charts of every kind, side-by-side rows that fall back to stacked
   charts, tables, KPI bands, text) on A5 landscape and other pages: no page ends with a heading, a caption
   or a heading and fewer than two lines of its text. Before the fix a section heading, its summary, a
   finding's heading and its one sentence stayed on one page before a stacked side-by-side row, and a
   heading stayed alone above a row of two rankings that filled the next page.

Each row k of the generated table starts with the id 「A007」 and its remark ends with 「止a007」 (as in
tests/test_table_orphans.py): a row is drawn from the page of its id to the page of its end mark. Synthetic
data lives only in the test's temporary folder.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from conftest import examples
from test_table_orphans import PAGES, pdf_pages, write_project

MM = 72 / 25.4
MARGIN = 22 * MM  # the default top and bottom margins
# pt: a page foot with less room than this under its last mark is full: two lines of a cell (12.5 pt each)
# with the cell's padding, which is what a row split at a page foot needs at least, and rounding
FULL_ROOM = 45.0
EXAMPLES = examples("build", 4)


def _strip(text: str) -> str:
    """CJK text and punctuation only: the value cells and ids interleave with a long remark's pieces."""
    return re.sub(r"[0-9A-Za-z,\s]", "", text)


def _lowest_mark(page) -> float:
    """The bottom (pt from the top) of the lowest character, rule or fill inside the body frame."""
    foot = float(page.height) - MARGIN + 1
    marks = [*page.chars, *page.rects, *page.lines, *page.curves]
    return max((m["bottom"] for m in marks if m["top"] >= MARGIN - 1 and m["bottom"] <= foot), default=MARGIN)


def lonely_rows(pdf: Path, rows: int) -> list[str]:
    """Pages showing one data row of table A where a reader sees it could have been helped (module doc)."""
    import pdfplumber

    texts = pdf_pages(pdf)
    start = {k: next((p for p, t in enumerate(texts) if f"A{k:03d}" in t), None) for k in range(rows)}
    end = {k: max((p for p, t in enumerate(texts) if f"止a{k:03d}" in t), default=None) for k in range(rows)}
    lost = [k for k in range(rows) if start[k] is None or end[k] is None]
    assert not lost, f"rows not drawn: {lost}"
    if rows == 1:
        return []
    with pdfplumber.open(pdf) as doc:
        pages = doc.pages
        full = {p: float(pages[p].height) - MARGIN - _lowest_mark(pages[p]) < FULL_ROOM for p in range(len(pages))}
    first, last = min(start.values()), max(end.values())
    bad = []
    for p in range(first, last + 1):
        shown = [k for k in range(rows) if start[k] <= p <= end[k]]
        if len(shown) != 1:
            continue
        k = shown[0]
        if start[k] == end[k]:
            if not (full[p] and (p == first or full[p - 1])):  # a row that fills a page after a full one
                bad.append(f"page {p + 1}: row {k} alone")
        elif start[k] == p and p != first and not full[p - 1]:
            bad.append(f"page {p + 1}: the start of row {k} alone, the page before had room for it")
        elif end[k] == p and start[k] < p and k != rows - 1 and not full[p]:
            bad.append(f"page {p + 1}: the end of row {k} alone on a page with room for the next")
    return bad


def assert_inside_pages(pdf: Path) -> None:
    import pdfplumber

    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            out = [c["text"] for c in page.chars if c["x0"] < -0.5 or c["x1"] > page.width + 0.5
                   or c["top"] < -0.5 or c["bottom"] > page.height + 0.5]
            assert not out, f"page {page.page_number}: characters outside the page: {''.join(out)[:40]}"


def _tall_rows(draw) -> list[int]:
    n = draw(st.integers(1, 300))
    lengths = [draw(st.integers(6, 12)) for _ in range(min(n, 8))] + [8] * max(0, n - 8)
    for _ in range(draw(st.integers(1, 3))):
        lengths[draw(st.integers(0, n - 1))] = draw(st.integers(50, 3000))
    return lengths


@settings(max_examples=EXAMPLES, phases=[Phase.explicit, Phase.reuse, Phase.generate], deadline=None,
          suppress_health_check=list(HealthCheck))
@given(page=st.sampled_from(sorted(PAGES)), a=st.composite(_tall_rows)(), lead=st.integers(0, 1600))
# a 972-character row started a page of its own after two rows (the page before two-thirds empty)
@example(page="A5", a=[11, 11, 972, 12, 7, 11, 7, 11], lead=266)
# 「续表1」 alone on a page: the row fitted a page with the header, not with the label too
@example(page="A4-landscape", a=[6, 10, 2718, 7, 11], lead=163)
@example(page="A5-landscape", a=[501, 8, 7, 12, 11, 11, 1069, 11], lead=1528)
# a 2609-character row that fitted a page alone, but not with a neighbour, left half a page empty and stood
# alone on the next
@example(page="A4-landscape", a=[8, 9, 6, 11, 10, 7, 10, 7, 8, 9, 11, 12, 7, 8, 9, 6, 8, 2772, 7, 6, 9, 2609, 10, 8,
                                 1666, 9, 12, 8, 7, 11, 12, 9, 9, 7, 6, 9, 9, 8, 7, 6], lead=469)
@example(page="A5", a=[9, 8, 9, 7, 9, 6, 9, 12, 11, 11, 8, 7, 11, 7, 1263, 8, 8, 12, 8, 11, 7, 11, 10, 1318, 6,
                       12, 1107, 10, 8, 6, 7, 12, 10, 11, 11, 6, 9, 9, 10, 11], lead=176)
def test_a_row_taller_than_a_page_leaves_no_row_alone(tmp_path_factory, page, a, lead):
    from egovdeck.engine.build import build

    root = tmp_path_factory.mktemp("tall") / "project"
    write_project(root, page, a, [], lead)
    out = root / "output"
    build(root / "reports" / "r.yaml", output_dir=out, use_cache=False, formats=("pdf",))
    pdf = out / "rows.pdf"
    bad = lonely_rows(pdf, len(a))
    assert not bad, f"{page}, rows {[(k, n) for k, n in enumerate(a) if n > 12]}: " + "; ".join(bad)
    drawn = _strip("".join(pdf_pages(pdf)))
    import csv

    with open(root / "data" / "a.csv", encoding="utf-8") as fh:
        remarks = [_strip(r["remark"]) for r in csv.DictReader(fh)]
    assert [k for k, r in enumerate(remarks) if r not in drawn] == [], "text of a row lost"
    assert len(drawn) == sum(map(len, remarks)), "text of a row drawn twice or lost"
    assert_inside_pages(pdf)


# ----------------------------------------------------------------------------- headings before every block

HAN = "北京天津河北山西内蒙古辽宁吉林黑龙江上海江苏浙江安徽福建江西山东河南湖北湖南广东广西海南重庆四川贵州"
SENTENCE = "各地区政府网站集约化建设持续推进，服务能力不断提升。"
TWO = {"slots": {"left": {"type": "chart"}, "right": {"type": "chart"}}, "pdf": [["left", "right"]],
       "slide": {"left": [0.0, 0.0, 0.49, 1.0], "right": [0.51, 0.0, 0.49, 1.0]}}


@st.composite
def reports(draw) -> dict:
    """A definition (as a dict) and the rows of its one dataset: findings of every kind of block."""
    n = draw(st.integers(2, 40))
    names = []
    for i in range(n):
        k = draw(st.integers(1, 10))
        s = draw(st.integers(0, len(HAN) - k))
        names.append(HAN[s:s + k] + str(i))
    rows = [(name, draw(st.integers(-50, 900)), draw(st.integers(10, 900))) for name in names]
    findings = []
    for i in range(draw(st.integers(2, 5))):
        lead = SENTENCE * draw(st.integers(0, 5))
        lead = lead[:draw(st.integers(0, len(lead)))]
        kind = draw(st.sampled_from(["two", "two", "chart", "table", "kpi"]))
        finding: dict = {"id": f"f{i}", "title": f"第{i + 1}项发现" + "的标题" * draw(st.integers(0, 8))}
        if lead:
            finding["text"] = lead
        if kind == "two":
            k1, k2 = draw(st.sampled_from(["column", "line", "bar", "pie"])), draw(st.sampled_from(["column", "bar"]))
            finding |= {"layout": "two", "slots": {
                "left": {"kind": k1, "dataset": "d", "title": "左图", "x": "name", "y": "b" if k1 == "pie" else "a"},
                "right": {"kind": k2, "dataset": "d", "title": "右图", "x": "name", "y": "b"}}}
        elif kind == "chart":
            k1 = draw(st.sampled_from(["column", "line", "bar", "pie", "combo"]))
            y = ["a", "b"] if k1 == "combo" else ("b" if k1 == "pie" else "a")
            chart = {"kind": k1, "dataset": "d", "title": "单图", "x": "name", "y": y}
            finding |= {"layout": "chart-wide",
                        "slots": {"chart": chart | ({"secondary": ["b"]} if k1 == "combo" else {})}}
        elif kind == "table":
            finding |= {"layout": "table", "slots": {"table": {"dataset": "d", "title": "数据表"}}}
        else:
            finding |= {"layout": "kpi-text", "text": lead or SENTENCE, "slots": {"kpis": [
                {"label": "网站数量", "value": f"{sum(r[2] for r in rows)}个"}, {"label": "地区", "value": f"{n}个"}]}}
        findings.append(finding)
    summary = "前文说明各地区的情况。" * draw(st.integers(0, 12))
    page = draw(st.sampled_from([{"size": "A5", "orientation": "landscape"}, {"size": "A5", "orientation": "landscape"},
                                 {"size": "A5"}, {"orientation": "landscape"}, {}]))
    definition = {"report": {"id": "r", "title": "标题与其后内容", "date": "2020-12-31"}, "page": page,
                  "datasets": ["data/d.yaml"], "layouts": {"two": TWO},
                  "sections": [{"id": "s1", "title": "第一部分", **({"summary": summary} if summary else {}),
                                "findings": findings[:2]},
                               {"id": "s2", "title": "第二部分", "findings": findings[2:]}]}
    if not findings[2:]:
        definition["sections"].pop()
    return {"definition": definition, "rows": rows}


def _write(root: Path, report: dict) -> Path:
    (root / "data").mkdir(parents=True)
    (root / "reports").mkdir()
    (root / "data" / "d.csv").write_text("name,a,b\n" + "".join(f"{n},{a},{b}\n" for n, a, b in report["rows"]),
                                        encoding="utf-8")
    meta = {"title": "生成的数据", "file": "d.csv", "source": "资料来源：测试生成数据", "unit": "个", "key": ["name"],
            "columns": {"name": {"type": "text", "label": "地区"}, "a": {"type": "integer", "label": "变化"},
                        "b": {"type": "integer", "label": "数量"}}}
    (root / "data" / "d.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
    path = root / "reports" / "r.yaml"
    path.write_text(yaml.safe_dump(report["definition"], allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _size(c: dict) -> float:
    """A character's size as drawn: pdfminer gives a turned glyph's advance as its size, its box across."""
    return c["size"] if c.get("upright", True) else c["x1"] - c["x0"]


NAME_FLOOR = 6.5  # pt: the PDF's chart label floor (charts/labelfit), the least a turned category name may be


def small_turned_text(pdf: Path) -> list[str]:
    """Turned characters (a column or line chart's category names, turned data labels) under NAME_FLOOR."""
    import pdfplumber

    with pdfplumber.open(pdf) as doc:
        return [f"page {page.page_number}: {c['text']} at {_size(c):.1f} pt" for page in doc.pages for c in page.chars
                if not c.get("upright", True) and c["text"].strip() and _size(c) < NAME_FLOOR - 0.05]


def heading_feet(pdf: Path) -> list[str]:
    """Pages whose last heading (bold 12 pt and more) or caption (bold 10 pt 「图N」「表N」「续表N」) has under it on
    the page neither a drawing (a chart, a table's rules and fills) nor other text than body text, and
    fewer than two lines of body text."""
    import pdfplumber

    bad = []
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages[2:]:  # after the cover and the 目录
            foot = float(page.height) - MARGIN + 1
            lines = [ln for ln in page.extract_text_lines(return_chars=True)
                     if ln["top"] >= MARGIN - 1 and ln["bottom"] <= foot]

            def kind(ln: dict) -> str:
                chars = [c for c in ln["chars"] if c["text"].strip()]
                bold = sum("Bold" in c["fontname"] for c in chars) > len(chars) / 2
                size = max(_size(c) for c in chars)
                text = re.sub(r"\s+", "", ln["text"])
                if bold and size >= 12:
                    return "heading"
                if bold and abs(size - 10) < 0.3 and re.match(r"^(续?表|图)\d+", text):
                    return "caption"
                return "body" if abs(size - 10.5) < 0.3 and not bold else "other"

            heads = [i for i, ln in enumerate(lines) if kind(ln) in ("heading", "caption")]
            if not heads:
                continue
            head = lines[heads[-1]]
            below = lines[heads[-1] + 1:]
            drawn = [m for m in [*page.rects, *page.curves, *page.lines, *page.images]
                     if m["top"] > head["bottom"] and m["bottom"] <= foot]
            body = [ln for ln in below if kind(ln) == "body"]
            if not drawn and len(body) == len(below) and (len(body) < 2 or kind(head) == "caption"):
                text = re.sub(r"\s+", "", head["text"])[:24]
                bad.append(f"page {page.page_number} ends with {text!r} and {len(body)} line(s) under it")
    return bad


@settings(max_examples=EXAMPLES, phases=[Phase.explicit, Phase.reuse, Phase.generate], deadline=None,
          suppress_health_check=list(HealthCheck))
@given(report=reports())
def test_no_page_ends_with_a_heading(tmp_path_factory, report):
    from egovdeck.engine.build import build

    root = tmp_path_factory.mktemp("heads") / "project"
    path = _write(root, report)
    build(path, output_dir=root / "output", use_cache=False, formats=("pdf",))
    pdf = root / "output" / "r.pdf"
    bad = heading_feet(pdf)
    assert not bad, "; ".join(bad)
    assert not small_turned_text(pdf)[:5]
    assert_inside_pages(pdf)


def _side_by_side(names: list[str], lead: str, summary: int, kinds: tuple[str, str]) -> dict:
    rows = [(name, 100 + (i * 337) % 800, 50 + (i * 211) % 850) for i, name in enumerate(names)]
    return {"rows": rows, "definition": {
        "report": {"id": "r", "title": "并排图表", "date": "2020-12-31"},
        "page": {"size": "A5", "orientation": "landscape"}, "datasets": ["data/d.yaml"], "layouts": {"two": TWO},
        "sections": [{"id": "s", "title": "第一部分", **({"summary": "前文说明各地区的情况。" * summary} if summary else {}),
                      "findings": [{"id": "f1", "title": "并排图表的标题", "layout": "two", "text": lead, "slots": {
                          "left": {"kind": kinds[0], "dataset": "d", "title": "左图", "x": "name", "y": "a"},
                          "right": {"kind": kinds[1], "dataset": "d", "title": "右图", "x": "name", "y": "b"}}}]}]}}


def test_a5_landscape_heading_keeps_with_a_stacked_row(tmp_path):
    """A section's summary, then a finding's heading and one sentence before a side-by-side row of two
    24-category column charts, too crowded side by side on A5 landscape and so laid out one under the other:
    the heading and its sentence go with the first chart (they were left alone at the foot of the section's
    first page, the charts on the next two)."""
    from egovdeck.engine.build import build

    names = [(HAN * 2)[i * 3:i * 3 + 12] + str(i) for i in range(24)]
    path = _write(tmp_path / "p", _side_by_side(names, SENTENCE[:17], 9, ("column", "column")))
    build(path, output_dir=tmp_path / "p" / "output", use_cache=False, formats=("pdf",))
    pdf = tmp_path / "p" / "output" / "r.pdf"
    assert not heading_feet(pdf)
    import pdfplumber

    with pdfplumber.open(pdf) as doc:
        page = next(p for p in doc.pages[2:] if "并排图表的标题" in re.sub(r"\s", "", p.extract_text() or ""))
        assert "图1" in (page.extract_text() or ""), "the heading is not on the page of the first chart"


def test_a_heading_keeps_with_a_row_of_rankings_that_fills_a_page(tmp_path):
    """Two rankings side by side whose rows need the whole page: the heading above them is drawn on their
    page (the charts give up a little height), not alone at the foot of the page before."""
    from egovdeck.engine.build import build

    names = [(HAN * 2)[i:i + 2 + i % 5] + str(i) for i in range(26)]
    path = _write(tmp_path / "p", _side_by_side(names, "", 0, ("bar", "bar")))
    build(path, output_dir=tmp_path / "p" / "output", use_cache=False, formats=("pdf",))
    pdf = tmp_path / "p" / "output" / "r.pdf"
    assert not heading_feet(pdf)
    assert_inside_pages(pdf)


def test_a5_landscape_stacked_charts_name_their_categories_at_the_floor(tmp_path):
    """40 categories of 12-character names, two column charts side by side on A5 landscape: laid out one under
    the other, their turned names were 5.5 pt; now at least NAME_FLOOR (thinned where more do not fit)."""
    from egovdeck.engine.build import build

    names = [(HAN * 2)[i % 30:i % 30 + 12] + str(i) for i in range(40)]
    path = _write(tmp_path / "p", _side_by_side(names, SENTENCE[:17], 12, ("column", "column")))
    build(path, output_dir=tmp_path / "p" / "output", use_cache=False, formats=("pdf",))
    pdf = tmp_path / "p" / "output" / "r.pdf"
    assert not small_turned_text(pdf)[:5]
    assert not heading_feet(pdf)
    assert_inside_pages(pdf)


# ------------------------------------------------------------------------- pieces of a long cell meet

GAP_LINES = 2  # a blank taller than this many cell lines inside a split cell is a hole


def write_detail_table(root: Path, page: str, lengths: list[int], lead: int) -> None:
    """A six-column table (as an inspection report's: number, site, kind, detail, date, days) whose detail
    cells are `lengths` characters long, under a heading and a lead of `lead` characters."""
    import csv

    from test_table_orphans import _text

    (root / "data").mkdir(parents=True)
    (root / "reports").mkdir()
    with open(root / "data" / "p.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["no", "site", "kind", "detail", "found", "days"])
        for k, n in enumerate(lengths):
            w.writerow([k + 1, f"某厅局网站{k}", "信息更新不及时", _text(k, n), f"2020-0{k % 9 + 1}-1{k % 9}", 15 + k])
    (root / "data" / "p.yaml").write_text(yaml.safe_dump({
        "title": "抽查发现的问题", "file": "p.csv", "source": "资料来源：合成测试数据", "key": ["no"],
        "columns": {"no": {"type": "integer", "label": "序号"}, "site": {"type": "text", "label": "网站名称"},
                    "kind": {"type": "text", "label": "问题类型"}, "detail": {"type": "text", "label": "问题详情"},
                    "found": {"type": "date", "label": "发现日期"},
                    "days": {"type": "integer", "unit": "天", "label": "整改期限"}}}, allow_unicode=True),
        encoding="utf-8")
    from test_table_orphans import PAGES

    (root / "reports" / "r.yaml").write_text(yaml.safe_dump({
        "report": {"id": "rows", "title": "长单元格", "date": "2020-05-20"}, "page": PAGES[page],
        "datasets": ["data/p.yaml"],
        "sections": [{"id": "s", "title": "抽查发现的主要问题", "findings": [
            {"id": "a", "title": "问题清单", "layout": "table", **({"text": _text(99991, lead)} if lead else {}),
             "slots": {"table": {"dataset": "p", "title": "抽查发现的问题"}}}]}]}, allow_unicode=True),
        encoding="utf-8")


def split_cell_gaps(pdf: Path, column: str = "问题详情") -> list[str]:
    """Blanks taller than GAP_LINES lines in the column headed `column` of each page's table: between the
    header and the first line under it, or between two lines of the column (pdfplumber: the TD-tagged
    characters right of this header's start, left of the next header's start)."""
    import pdfplumber

    bad = []
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            lines = page.extract_text_lines(return_chars=True)
            head = next((ln for ln in lines if column in re.sub(r"\s", "", ln["text"])), None)
            if head is None:
                continue
            starts = [c for c in head["chars"] if c["text"].strip()]  # TH, or an artifact when repeated
            at = next((i for i in range(len(starts))
                       if "".join(c["text"] for c in starts[i:i + len(column)]) == column), None)
            if at is None:
                continue
            left = starts[at]["x0"] - 2
            right = min((c["x0"] for c in starts[at + len(column):] if c["x0"] > starts[at]["x1"] + 20),
                        default=float(page.width))
            cells = [c for c in page.chars if c.get("tag") == "TD" and c["text"].strip()
                     and left <= c["x0"] and c["x1"] <= right]
            if not cells:
                continue
            size = max(c["size"] for c in cells)
            rows: dict[float, float] = {}
            for c in cells:
                rows[round(c["top"], 1)] = max(rows.get(round(c["top"], 1), 0.0), c["bottom"])
            # the header's lowest line (a header of two lines: 「整改期限/（天）」), bold as the header is
            prev = max(c["bottom"] for c in page.chars if "Bold" in c["fontname"] and c["text"].strip()
                       and head["top"] - 15 <= c["top"] <= head["bottom"] + 15)
            for top in sorted(rows):
                if top - prev > GAP_LINES * size * 12.5 / 9 + 6:  # lines of the cell style, its padding
                    bad.append(f"page {page.page_number}: {top - prev:.0f} pt blank at {prev:.0f} pt")
                prev = max(prev, rows[top])
    return bad


@settings(max_examples=EXAMPLES, phases=[Phase.explicit, Phase.reuse, Phase.generate], deadline=None,
          suppress_health_check=list(HealthCheck))
@given(page=st.sampled_from(sorted(PAGES)), lengths=st.lists(st.integers(200, 2000), min_size=2, max_size=12),
       lead=st.integers(0, 600))
# as breaker5-B's table on A5: a few lines of a cell under 「续表1」, then a 34 pt blank before its next piece
@example(page="A5", lengths=[830, 1518], lead=412)
def test_a_split_cell_runs_on_without_a_blank(tmp_path_factory, page, lengths, lead):
    from egovdeck.engine.build import build

    root = tmp_path_factory.mktemp("cells") / "project"
    write_detail_table(root, page, lengths, lead)
    out = root / "output"
    build(root / "reports" / "r.yaml", output_dir=out, use_cache=False, formats=("pdf",))
    bad = split_cell_gaps(out / "rows.pdf")
    assert not bad, f"{page}, {lengths}: " + "; ".join(bad)
