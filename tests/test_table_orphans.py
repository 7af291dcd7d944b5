"""Table orphans and widows (issue 16, Tables; Pagination): a table piece at the foot of a page or after a
break holds at least two data rows, unless the table is shorter; a one-row table never splits; the deck's
「（续）」 slides do not hold a single row when a neighbouring slide could give it one (CSS orphans/widows,
ReportLab's splitByRow).

hypothesis writes a project: a table of 1-300 rows with cells of 1-400 characters under a heading and a
lead of random length, optionally a second table beside a chart (a side-by-side row that is laid out
stacked when it must split), at A4/A5, portrait or landscape. Each row k of table T starts with the id
「T007」 and its remark ends with 「止t007」, so the rows a page shows are read from the PDF's TD-tagged
characters (pdfplumber) and from the deck's table cells (python-pptx): a row is on a page if its id or its
end mark is there (a row split between pages counts on both).

Synthetic data lives only in the test's temporary folder.
"""

from __future__ import annotations

import csv
from pathlib import Path

import yaml
from hypothesis import Phase, example, given, settings
from hypothesis import strategies as st

CJK = "政府网站数量持续精简各地区推进服务标准化规范化便利化北京上海广东新疆生产建设兵团"
PUNCT = "，。、；：（）《》"
PAGES = {"A4": {}, "A4-landscape": {"orientation": "landscape"}, "A5": {"size": "A5"},
         "A5-landscape": {"size": "A5", "orientation": "landscape"}}
SIDE = {"slots": {"table": {"type": "table"}, "chart": {"type": "chart"}}, "pdf": [["table", "chart"]],
        "slide": {"table": [0.0, 0.0, 0.56, 1.0], "chart": [0.6, 0.0, 0.4, 1.0]}}
# each example builds a PDF (and a deck) of up to ~40 pages: few in `make test`, more nightly
EXAMPLES = 4 if settings.default.max_examples <= 25 else settings.default.max_examples // 10


def _text(seed: int, length: int) -> str:
    out, i = "", seed
    while len(out) < length:
        i = (i * 7919 + 17) % 100003
        out += CJK[i % len(CJK)] if i % 11 else PUNCT[i % len(PUNCT)]
        if i % 37 == 0:
            out += " online "
    return out[:length]


def _write_table(root: Path, name: str, lengths: list[int]) -> None:
    mark = name.lower()
    with open(root / "data" / f"{mark}.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "remark", "value"])
        for k, n in enumerate(lengths):
            w.writerow([f"{name}{k:03d}", _text(k, max(0, n - 5)) + f"止{mark}{k:03d}", 1000 + (k * 7919) % 90000])
    (root / "data" / f"{mark}.yaml").write_text(yaml.safe_dump({
        "title": f"生成的表{name}", "file": f"{mark}.csv", "source": "资料来源：合成测试数据", "key": ["id"],
        "columns": {"id": {"type": "text", "label": "编号"}, "remark": {"type": "text", "label": "说明"},
                    "value": {"type": "integer", "label": "数量"}}}, allow_unicode=True), encoding="utf-8")


def write_project(root: Path, page: str, a_lengths: list[int], b_lengths: list[int], lead: int) -> None:
    (root / "data").mkdir(parents=True)
    (root / "reports").mkdir()
    _write_table(root, "A", a_lengths)
    findings = [{"id": "a", "title": "第一张表的标题", "layout": "table",
                 **({"text": _text(99991, lead)} if lead else {}),
                 "slots": {"table": {"dataset": "a", "title": "第一张表", "note": "表中数据为合成数据。"}}}]
    datasets = ["data/a.yaml"]
    if b_lengths:
        _write_table(root, "B", b_lengths)
        datasets.append("data/b.yaml")
        findings.append({"id": "b", "title": "表格在图表旁边", "layout": "table-chart", "text": _text(7, 40),
                         "slots": {"table": {"dataset": "b", "title": "并排的表"},
                                   "chart": {"kind": "bar", "dataset": "b", "x": "id", "y": "value",
                                             "title": "并排的图", "top": 5}}})
    (root / "reports" / "r.yaml").write_text(yaml.safe_dump({
        "report": {"id": "rows", "title": "表格分页", "date": "2020-05-20"}, "page": PAGES[page],
        "datasets": datasets, "layouts": {"table-chart": SIDE},
        "sections": [{"id": "s", "title": "表格", "findings": findings}]}, allow_unicode=True), encoding="utf-8")


def rows_per_piece(texts: list[str], name: str, rows: int) -> list[int]:
    """How many of table `name`'s rows each page (or slide) holding some of them shows, in order."""
    mark = name.lower()
    out = []
    for text in texts:
        shown = {k for k in range(rows) if f"{name}{k:03d}" in text or f"止{mark}{k:03d}" in text}
        if shown:
            out.append(len(shown))
    return out


def check_pieces(pieces: list[int], rows: int, where: str) -> None:
    if rows == 1:
        assert pieces == [1], f"{where}: a one-row table split over {len(pieces)} pages"
    if rows >= 4 and len(pieces) > 1:
        assert min(pieces) >= 2, f"{where}: a piece of a {rows}-row table holds one row: {pieces}"


def pdf_pages(pdf: Path) -> list[str]:
    import pdfplumber

    with pdfplumber.open(pdf) as doc:
        return ["".join(c["text"] for c in p.chars if c.get("tag") == "TD").replace(" ", "") for p in doc.pages]


def deck_slides(pptx: Path) -> list[str]:
    from pptx import Presentation

    return ["".join(c.text for shape in slide.shapes if shape.has_table for r in shape.table.rows
                    for c in r.cells).replace(" ", "").replace("\n", "").replace("\v", "")
            for slide in Presentation(str(pptx)).slides]


def check_tail(pdf: Path, name: str, rows: int) -> None:
    """The table's source line (and note) stand on the page of its last row, under it: a source alone at the
    top of the next page read as the next section's (breaker7's yearbook: 8 of 32 tables)."""
    import pdfplumber

    last = f"{name}{rows - 1:03d}"
    with pdfplumber.open(pdf) as doc:
        texts = ["".join(c["text"] for c in p.chars).replace(" ", "") for p in doc.pages]
    where = [i for i, t in enumerate(texts) if last in t or f"止{name.lower()}{rows - 1:03d}" in t][-1]
    after = texts[where][texts[where].rindex(f"止{name.lower()}{rows - 1:03d}"):]
    assert "资料来源：合成测试数据" in after, f"table {name}: its source is not under its last row (page {where + 1})"
    if name == "A":
        assert "表中数据为合成数据" in after, f"table A: its note is not under its last row (page {where + 1})"


def check_deck(pieces: list[int], rows: int, where: str) -> None:
    """No continuation slide with a single row where its neighbour could have given it one."""
    if rows >= 4:
        for i, n in enumerate(pieces):
            near = pieces[max(0, i - 1):i] + pieces[i + 1:i + 2]
            assert n >= 2 or max(near, default=0) < 3, f"{where}: a slide holds one row beside {near}: {pieces}"


@settings(max_examples=EXAMPLES, phases=[Phase.explicit, Phase.reuse, Phase.generate], deadline=None)
@given(page=st.sampled_from(sorted(PAGES)),
       a=st.lists(st.integers(6, 400), min_size=1, max_size=300).flatmap(
           lambda xs: st.just([x if i % 5 == 0 else min(x, 12) for i, x in enumerate(xs)])),
       b=st.lists(st.integers(6, 120), max_size=60), lead=st.integers(0, 1600))
@example(page="A4", a=[90] * 30, b=[], lead=1480)  # was one row under its header at the page foot
@example(page="A5", a=[8] * 6, b=[8] * 30, lead=0)  # was 「续表」 with one row of the side-by-side table
@example(page="A4", a=[300], b=[], lead=1500)
@example(page="A4", a=[400 if i % 2 == 0 else 12 for i in range(31)], b=[], lead=0)  # was a 1-row slide
@example(page="A5-landscape", a=[8] * 5, b=[], lead=980)  # its source and note were alone on the next page
@example(page="A5-landscape", a=[8] * 5, b=[], lead=200)
def test_table_pieces_hold_two_rows(tmp_path_factory, page, a, b, lead):
    from egovdeck.engine.build import build

    root = tmp_path_factory.mktemp("rows") / "project"
    write_project(root, page, a, b, lead)
    out = root / "output"
    build(root / "reports" / "r.yaml", output_dir=out, use_cache=False, formats=("pdf", "pptx"))
    pages, slides = pdf_pages(out / "rows.pdf"), deck_slides(out / "rows.pptx")
    for name, lengths in (("A", a), ("B", b)):
        if lengths:
            check_pieces(rows_per_piece(pages, name, len(lengths)), len(lengths), f"{page} PDF table {name}")
            check_tail(out / "rows.pdf", name, len(lengths))
            check_deck(rows_per_piece(slides, name, len(lengths)), len(lengths), f"deck table {name}")


@given(heights=st.lists(st.floats(10, 200), min_size=2, max_size=60), room=st.floats(200, 400))
def test_spread_rows_keeps_order_and_room(heights, room):
    """The deck's slides of rows: the same rows in order, each slide within its room, and a slide of one
    row only where no neighbour could give it one."""
    from egovdeck.render.pptx.deck import TABLE_ROWS, spread_rows

    chunks: list[list[int]] = [[]]
    for i, h in enumerate(heights):  # greedy, as a slide fills
        if chunks[-1] and sum(heights[r] for r in chunks[-1]) + h > room:
            chunks.append([])
        chunks[-1].append(i)
    out = spread_rows(chunks, heights, room)
    assert [r for c in out for r in c] == list(range(len(heights)))
    assert len(out) == len(chunks)
    for i, chunk in enumerate(out):
        used = sum(heights[r] for r in chunk)
        assert used <= room or len(chunk) == 1
        if len(chunk) < TABLE_ROWS and len(out) > 1:
            if i > 0 and len(out[i - 1]) > TABLE_ROWS:
                assert used + heights[out[i - 1][-1]] > room
            if i + 1 < len(out) and len(out[i + 1]) > TABLE_ROWS:
                assert used + heights[out[i + 1][0]] > room
