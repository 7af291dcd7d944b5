"""A table beside a chart (a user layout with the two slots side by side) that is too long for the room it
finds: it continues like every other table (issue 16, Tables; Pagination).

hypothesis writes a project whose finding puts a table of 1-300 rows (short cells, long cells, cells longer
than a column's piece) beside a bar chart, the table left or right, under a lead of random length, after an
optional finding that takes the first 表 and 图 numbers. The PDF is read the way readers read it (pdfplumber
character boxes and marked-content tags, the outline):
- every body cell's characters printed exactly once (the TD-tagged text over all pages, as a multiset), the
  rows in order;
- the table's header row once on each page the table is on, the caption 「表N」 on its first page and
  「续表N」 (N the table's number) on each page it continues on;
- the chart's caption 「图M」 printed once, numbered after the charts before it, its chart drawn;
- every bookmark opens the page that shows its caption, in the band under its destination;
- no character outside the page's text frame, no two characters on top of each other.

Synthetic data lives only in the test's temporary folder.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import pytest
import yaml
from hypothesis import Phase, example, given, settings
from hypothesis import strategies as st

from readercheck import drawn_runs, pdf_problems

HEAD = "地区名称"  # the name column's header: a run of its own wherever the header row is drawn
CJK = "政府网站数量持续精简各地区推进服务标准化规范化便利化北京上海广东新疆生产建设兵团"
PUNCT = "，。、；：（）《》"
LAYOUT = {"slots": {"table": {"type": "table"}, "chart": {"type": "chart"}},
          "slide": {"table": [0.0, 0.0, 0.56, 1.0], "chart": [0.6, 0.0, 0.4, 1.0]}}


def _remark(k: int, length: int) -> str:
    """A remark of `length` characters (CJK, punctuation, a Latin word), different for each row k."""
    words = ["CNNIC", "online", "portal"]
    out, i = "", k
    while len(out) < length:
        i = (i * 7919 + 17) % 100003
        out += CJK[i % len(CJK)] if i % 11 else PUNCT[i % len(PUNCT)]
        if i % 37 == 0:
            out += words[i % 3]
    out = out[:length]
    return out if length else "—"


def write_project(root: Path, rows: int, long_every: int, long_len: int, lead: int, table_first: bool,
                  before: bool, categories: int) -> dict:
    """A project in root: data/t.csv (rows), reports/r.yaml; returns what the checks need."""
    (root / "data").mkdir(parents=True)
    (root / "reports").mkdir()
    names = [f"区{k}号" for k in range(rows)]
    remarks = [_remark(k, long_len if long_every and k % long_every == 0 else 3) for k in range(rows)]
    values = [1000 + (k * 7919) % 90000 for k in range(rows)]
    with open(root / "data" / "t.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["name", "remark", "value"])
        w.writerows(zip(names, remarks, values, strict=True))
    (root / "data" / "t.yaml").write_text(yaml.safe_dump({
        "title": "生成的表", "file": "t.csv", "source": "资料来源：合成测试数据", "key": ["name"],
        "columns": {"name": {"type": "text", "label": HEAD}, "remark": {"type": "text", "label": "说明"},
                    "value": {"type": "integer", "label": "数量"}}}, allow_unicode=True), encoding="utf-8")
    findings = []
    if before:  # takes 表1 and 图1
        findings.append({"id": "before", "title": "在前的发现", "layout": "table",
                         "text": "在前的说明。" * 3,
                         "slots": {"table": {"dataset": "t", "title": "在前的表", "top": 3,
                                             "columns": [{"field": "name", "label": "前表地区"},
                                                         {"field": "remark"}, {"field": "value"}]}}})
        findings.append({"id": "fig", "title": "在前的图", "layout": "chart-text",
                         "slots": {"chart": {"kind": "column", "dataset": "t", "x": "name", "y": "value",
                                             "title": "在前的图", "top": 3}}})
    side = {"id": "side", "title": "表格在图表旁边", "layout": "table-chart",
            "slots": {"table": {"dataset": "t", "title": "并排的表"},
                      "chart": {"kind": "bar", "dataset": "t", "x": "name", "y": "value", "title": "并排的图",
                                "top": categories}}}
    if lead:
        side["text"] = _remark(99991, lead)
    findings.append(side)
    findings.append({"id": "after", "title": "在后的发现", "layout": "kpi-text", "text": "在后的说明。" * 4,
                     "slots": {"kpis": [{"value": "1", "label": "指标"}]}})
    layout = dict(LAYOUT, pdf=[["table", "chart"] if table_first else ["chart", "table"]])
    (root / "reports" / "r.yaml").write_text(yaml.safe_dump({
        "report": {"id": "side", "title": "表格与图表并排", "date": "2020-05-20"}, "datasets": ["data/t.yaml"],
        "layouts": {"table-chart": layout},
        "sections": [{"id": "s", "title": "并排", "findings": findings}]}, allow_unicode=True), encoding="utf-8")
    return {"names": names, "remarks": remarks, "values": values, "table": 2 if before else 1,
            "figure": 2 if before else 1, "before_rows": min(3, rows) if before else 0}


def _build(root: Path, formats: tuple[str, ...] = ("pdf",)) -> Path:
    from egovdeck.engine.build import build

    out = root / "output"
    build(root / "reports" / "r.yaml", output_dir=out, use_cache=False, formats=formats)
    return out


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def check_brief(pdf: Path, want: dict) -> None:
    """The reader's checks of the module docstring, on the brief of write_project's report."""
    import pdfplumber
    import pikepdf

    n, m = want["table"], want["figure"]
    with pdfplumber.open(pdf) as doc:
        pages = [[c for c in p.chars if c["text"].strip()] for p in doc.pages]
        width = float(doc.pages[0].width)
    # the table's body: its cells' text, tagged TD (the earlier table's rows come first)
    cells = "".join(c["text"] for chars in pages for c in chars if c.get("tag") == "TD")
    earlier = want["before_rows"]
    expected = "".join(f"{a}{b}{v:,}" for a, b, v in zip(want["names"][:earlier], want["remarks"],
                                                          want["values"], strict=False))
    expected += "".join(f"{a}{b}{v:,}" for a, b, v in zip(want["names"], want["remarks"], want["values"],
                                                          strict=True))
    lost = Counter(_squash(expected)) - Counter(cells)
    doubled = Counter(cells) - Counter(_squash(expected))
    assert not lost and not doubled, f"cell characters lost {dict(lost)} or printed twice {dict(doubled)}"
    order = [int(k) for k in re.findall(r"区(\d+)号", cells)]
    assert order == list(range(earlier)) + list(range(len(want["names"]))), "rows out of order or repeated"

    # pages the table is on: the ones with TD text past the earlier table's (drawn first, row by row)
    runs = [[_squash(t) for t, _c in drawn_runs(chars)] for chars in pages]
    skip, on = len(_squash(expected)) - len(_squash("".join(
        f"{a}{b}{v:,}" for a, b, v in zip(want["names"], want["remarks"], want["values"], strict=True)))), []
    for i, chars in enumerate(pages):
        td = sum(c.get("tag") == "TD" for c in chars)
        if td > skip:
            on.append(i)
        skip = max(0, skip - td)
    assert on, "the table is not in the brief"
    assert on == list(range(on[0], on[-1] + 1)), f"the table skips pages: {on}"
    for k, i in enumerate(on):
        heads = sum(r == HEAD for r in runs[i])
        assert heads == 1, f"page {i + 1}: the table's header row is drawn {heads} times"
        continued = [r for r in runs[i] if r.startswith("续表")]
        captions = [r for r in runs[i] if re.match(rf"^表{n}(?!\d)", r)]
        if k == 0:
            assert captions and not continued, f"page {i + 1}: the table's first page has no caption 表{n}"
        else:
            assert len(continued) == 1 and re.match(rf"^续表{n}(?!\d)", continued[0]), \
                f"page {i + 1}: the continuation is labelled {continued}, not once 续表{n}"
    figure_caps = [(i, r) for i, rs in enumerate(runs) for r in rs if re.match(rf"^图{m}(?!\d)", r)]
    assert len(figure_caps) == 1, f"the chart's caption 图{m} is printed {len(figure_caps)} times"
    assert any(c.get("tag") == "Figure" for c in pages[figure_caps[0][0]]), "the chart is not on its caption's page"

    # no character outside the text frame (the running header and footer included), none on another
    body = [c for chars in pages[1:] for c in chars]
    left = min(c["x0"] for c in body)
    right = max(max(c["x1"] for c in body), width - left)
    for i, chars in enumerate(pages[1:], start=2):
        for c in chars:
            assert left - 1 <= c["x0"] and c["x1"] <= right + 1, f"page {i}: {c['text']!r} outside the frame"
    assert not pdf_problems(pdf)

    # bookmarks: each opens the page showing its title, in the band under its destination
    def walk(items):
        for item in items:
            yield item
            yield from walk(item.children)

    with pikepdf.open(pdf) as doc, pdfplumber.open(pdf) as plumber, doc.open_outline() as outline:
        for item in walk(outline.root):
            dest = item.destination
            page_index = next(i for i, p in enumerate(doc.pages) if p.objgen == dest[0].objgen)
            page = plumber.pages[page_index]
            below = float(page.height) - float(dest[3])
            band = page.crop((0, max(0, below - 1), page.width, min(page.height, below + 40)))
            assert _squash(item.title)[:8] in _squash(band.extract_text() or ""), \
                f"bookmark {item.title!r} opens page {page_index + 1} at {below:.0f} pt, which does not show it"


# each example builds a brief of up to ~30 pages: a few in `make test`, a tenth of the profile's count nightly
EXAMPLES = 6 if settings.default.max_examples <= 25 else settings.default.max_examples // 10


@settings(max_examples=EXAMPLES, phases=[Phase.explicit, Phase.reuse, Phase.generate])
@given(rows=st.integers(1, 300), long_every=st.integers(0, 9), long_len=st.integers(10, 400),
       lead=st.one_of(st.integers(0, 40), st.integers(0, 600)), table_first=st.booleans(), before=st.booleans(), categories=st.integers(2, 30))
# a row a little shorter than a page under a heading and a one-line lead: on main it split inside the row and
# continued without 「续表1」
@example(rows=33, long_every=0, long_len=10, lead=20, table_first=True, before=False, categories=5)
@example(rows=31, long_every=0, long_len=10, lead=0, table_first=False, before=True, categories=12)
def test_a_table_beside_a_chart_continues_like_every_table(tmp_path_factory, rows, long_every, long_len, lead,
                                                           table_first, before, categories):
    root = tmp_path_factory.mktemp("side")
    want = write_project(root, rows, long_every, long_len, lead, table_first, before, categories)
    out = _build(root)
    check_brief(out / "side.pdf", want)


def _deck_tables(pptx: Path) -> list[tuple[int, str, float, list[list[str]]]]:
    """Every table of the deck: (slide number, its caption, its width in pt, rows of cell texts)."""
    from pptx import Presentation

    out = []
    for n, slide in enumerate(Presentation(str(pptx)).slides, start=1):
        captions = [sh.text_frame.text for sh in slide.shapes if sh.name == "Table title"]
        for sh in slide.shapes:
            if sh.has_table:
                out.append((n, captions[0] if captions else "", sh.width / 12700,
                            [[c.text for c in r.cells] for r in sh.table.rows]))
    return out


@pytest.mark.parametrize(("rows", "long_every", "long_len"), [(60, 5, 120), (24, 3, 1500)])
def test_a_deck_table_beside_a_chart_continues_over_the_whole_slide(tmp_path, rows, long_every, long_len):
    """On its first slide the table keeps its slot beside the chart; its 「（续）」 slides show the table
    alone, over the slide's whole content width, under 「续表N」, every row (a row cut between lines at the
    first slide's foot continues with the rest of its text), in order, nothing lost or doubled; LibreOffice
    draws every character inside a box of its slide, none on another."""
    want = write_project(tmp_path, rows, long_every, long_len, 20, True, False, 8)
    out = _build(tmp_path, ("pptx",))
    tables = _deck_tables(out / "side.pptx")
    assert len(tables) > 1, "the table should continue"
    first, *rest = tables
    assert first[1].startswith("表1")
    for n, caption, width, _rows in rest:
        assert caption.startswith("续表1"), (n, caption)
        assert width > 1.5 * first[2], f"slide {n}: the continued table keeps its slot's width beside no chart"
    body = [row for _n, _c, _w, t in tables for row in t[1:]]
    names = [row[0] for row in body if row[0]]
    assert names == want["names"], "rows lost, repeated or out of order"
    assert _squash("".join(row[1] for row in body)) == _squash("".join(want["remarks"]))
    assert [row[2] for row in body if row[2]] == [f"{v:,}" for v in want["values"]]

    from clients import libreoffice_to_pdf
    from readercheck import deck_problems

    rendered = libreoffice_to_pdf(out / "side.pptx", tmp_path / "lo")
    assert not deck_problems(out / "side.pptx", rendered)
