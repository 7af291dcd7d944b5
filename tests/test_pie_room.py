"""Pies and doughnuts use their slot's room (issue 16, charts: a pie in a narrow slot was drawn 60-70 pt
across with 6.5 pt labels, its label columns taking the width while the slot's height went unused).

hypothesis writes a project of one row of one, two or three pies and doughnuts of 2-20 slices named with
1-20 characters, builds the PDF and the deck through the resolver, and reads them as a reader would:

- the PDF (pdfplumber): each pie's wedges (the filled curves of its /Figure) span at least MIN_SHARE of
  the slot's width; no chart character is smaller than FLOOR_PT; no two characters on top of each other,
  no chart text past the text frame or into its neighbour (readercheck.pdf_problems);
- the deck as LibreOffice draws it: no two characters on top of each other, none outside its slide's
  boxes (readercheck.deck_problems); a legend entry that LibreOffice cannot lay out in its columns is
  drawn with every other entry on one line;
- both: the same slices carry a label beside or on the pie, the others are named in the legend with
  their share (「名称：41.8%（412）」): a label's value line stands under the name, a legend entry's share
  follows 「：」 (labelled_values).
"""

from __future__ import annotations

import csv
import re
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, Phase, assume, example, given, settings
from hypothesis import strategies as st

from conftest import examples
from readercheck import deck_problems, drawn_runs, pdf_problems

HAN = list("政府网站数量在线服务用户规模平台建设发展信息公开办事栏目移动互联网省级部门城市乡村统计报告")
EXAMPLES = examples("deck", 3)
MIN_SHARE = 0.4  # a pie's diameter, of its slot's width
FLOOR_PT = 7.0  # no text of a PDF chart is smaller (charts/plan/pie.label_floor with the default theme)
COLUMN_GAP = 20.0  # pt between side-by-side slots of the brief (the layout's rule, not a measurement)
VALUE = re.compile(r"\d+\.\d%（(\d+)）")


@st.composite
def pie(draw, used: set[int]) -> dict:
    """A pie or doughnut of 2-20 slices, values 1-999 all different across the report."""
    n = draw(st.integers(2, 20))
    values = draw(st.lists(st.integers(1, 999), min_size=n, max_size=n, unique=True))
    assume(not used & set(values))
    used |= set(values)
    names = draw(st.lists(st.text(st.sampled_from(HAN), min_size=1, max_size=20), min_size=n, max_size=n,
                          unique=True))
    return {"kind": draw(st.sampled_from(["pie", "doughnut"])), "rows": list(zip(names, values, strict=True))}


@st.composite
def row(draw) -> tuple[str, list[dict]]:
    """A page size and a row of one to three pies."""
    used: set[int] = set()
    return draw(st.sampled_from(["A4", "A5"])), [draw(pie(used)) for _ in range(draw(st.integers(1, 3)))]


LAYOUTS = {
    1: ("chart-wide", ["chart"]),
    2: ("two-charts", ["left", "right"]),
    3: ("three-pies", ["a", "b", "c"]),
}


def _write(root: Path, charts: list[dict], page: str = "A4") -> Path:
    (root / "data").mkdir(parents=True)
    (root / "reports").mkdir()
    layout, names = LAYOUTS[len(charts)]
    slots = {}
    for k, (slot, c) in enumerate(zip(names, charts, strict=True), start=1):
        with open(root / "data" / f"d{k}.csv", "w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["cat", "v1"])
            w.writerows(c["rows"])
        meta = {"title": f"生成数据{k}", "file": f"d{k}.csv", "source": "资料来源：测试生成数据", "unit": "个",
                "key": ["cat"], "columns": {"cat": {"type": "text", "label": "名称"},
                                            "v1": {"type": "number", "unit": "个", "label": "数量"}}}
        (root / "data" / f"d{k}.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
        slots[slot] = {"kind": c["kind"], "dataset": f"d{k}", "x": "cat", "y": "v1", "format": "0",
                       "title": f"生成饼图{'甲乙丙'[k - 1]}"}
    definition = {
        "report": {"id": "pies", "title": "饼图的空间", "date": "2020-05-20", "organisation": "测试组"},
        "page": {"size": page},
        "datasets": ["data/*.yaml"],
        "layouts": {"three-pies": {"slots": {s: {"type": "chart"} for s in "abc"}, "pdf": [["a", "b", "c"]],
                                   "slide": {"a": [0.0, 0.0, 0.32, 1.0], "b": [0.34, 0.0, 0.32, 1.0],
                                             "c": [0.68, 0.0, 0.32, 1.0]}}},
        "sections": [{"id": "s1", "title": "饼图", "findings": [
            {"id": "f1", "title": "一行饼图", "layout": layout, "text": "正文说明。", "slots": slots}]}]}
    src = root / "reports" / "pies.yaml"
    src.write_text(yaml.safe_dump(definition, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return src


def _pdf_pies(pdf: Path) -> tuple[list[tuple[int, float, float, float, float]], float, float, list[list[dict]],
                                  list[list[dict]]]:
    """The wedges' bounding box (page, x0, top, x1, bottom) of each pie (its /Figure's filled curves); the
    text frame's left edge and width; the characters of the charts and the others (captions, source lines,
    text), page by page."""
    import pdfplumber

    hulls: dict[tuple[int, int], list[float]] = {}
    chars: list[list[dict]] = []
    others: list[list[dict]] = []
    with pdfplumber.open(pdf) as doc:
        body = [c for p in doc.pages for c in p.chars if c.get("tag") != "Figure" and c["size"] >= 8]
        left = min(c["x0"] for c in body)
        frame = float(doc.pages[0].width) - 2 * left
        for n, page in enumerate(doc.pages):
            for cv in page.curves:
                if cv.get("tag") == "Figure" and cv.get("fill"):
                    key = (n, cv["mcid"])
                    h = hulls.setdefault(key, [cv["x0"], cv["top"], cv["x1"], cv["bottom"]])
                    h[:] = [min(h[0], cv["x0"]), min(h[1], cv["top"]), max(h[2], cv["x1"]), max(h[3], cv["bottom"])]
            chars.append([c for c in page.chars if c.get("tag") == "Figure" and c["text"].strip()])
            others.append([c for c in page.chars if c.get("tag") != "Figure" and c["text"].strip()])
    boxes = [(k[0], *hulls[k]) for k in sorted(hulls)]
    return boxes, left, frame, chars, others


def labelled_values(chars: list[dict], wanted: set[int]) -> set[int]:
    """The values drawn as a slice's label (the value line 「41.8%（412）」 on a line of its own, under the
    name), not in a legend entry (「名称：41.8%（412）」: the share on the entry's line, or on a line of its
    own under a line ending in 「：」)."""
    out = set()
    runs = drawn_runs(chars)
    for text, first in runs:
        for m in VALUE.finditer(text.replace(" ", "")):
            v = int(m.group(1))
            if v not in wanted or m.start() != 0:
                continue
            above = [t for t, f in runs if abs(f["x0"] - first["x0"]) < 2
                     and 0 < first["top"] - f["top"] < 2 * first["size"]]
            if not any(t.rstrip().endswith("：") for t in above):
                out.add(v)
    return out


def _deck_labelled(rendered: Path, wanted: set[int]) -> set[int]:
    import pdfplumber

    with pdfplumber.open(rendered) as doc:
        return {v for page in doc.pages for v in labelled_values(page.chars, wanted)}


def slot_widths(boxes: list[tuple[int, float, float, float, float]], frame: float) -> list[float]:
    """The width (pt) of the slot of each pie (page, x0, top, x1, bottom) as the brief prints it: the pies
    of one printed row (on one page, overlapping in height) share the frame, COLUMN_GAP apart."""
    out = []
    for page, _x0, top, _x1, bottom in boxes:
        m = sum(1 for p, _, t, _, b in boxes if p == page and t < bottom and top < b)
        out.append((frame - COLUMN_GAP * (m - 1)) / m)
    return out


def check_row(charts: list[dict], root: Path, page: str = "A4") -> list[str]:
    from clients import libreoffice_to_pdf
    from egovdeck.engine.build import build

    src = _write(root, charts, page)
    out = root / "output"
    build(src, output_dir=out, use_cache=False, formats=("pdf", "pptx"))
    pdf, pptx = out / "pies.pdf", out / "pies.pptx"
    found = list(pdf_problems(pdf))
    boxes, left, frame, chars, others = _pdf_pies(pdf)
    wanted = {v for c in charts for _, v in c["rows"]}
    in_pdf = {v for page in chars for v in labelled_values(page, wanted)}
    k = len(charts)
    if len(boxes) != k:
        found.append(f"{len(boxes)} pies drawn, {k} wanted")
    for j, (b, slot) in enumerate(zip(boxes, slot_widths(boxes, frame), strict=True)):
        across = max(b[3] - b[1], b[4] - b[2])
        if across < MIN_SHARE * slot - 1.0:  # 1 pt: the drawn outline of a planned 92.4 pt pie measures 91.8
            found.append(f"pie {j + 1} is {across:.0f} pt across in a slot of {slot:.0f} pt "
                         f"(at least {MIN_SHARE * slot:.0f})")
    for page, x0, top, x1, bottom in boxes:  # a pie drawn over its caption or the text (its canvas too short)
        hit = [c for c in others[page] if min(x1, c["x1"]) - max(x0, c["x0"]) > 0.5
               and min(bottom, c["bottom"]) - max(top, c["top"]) > 0.5]
        if hit:
            found.append(f"a pie drawn over “{''.join(c['text'] for c in hit[:12])}” on page {page + 1}")
    small = sorted({round(c["size"], 2) for page in chars for c in page if c["size"] < FLOOR_PT - 0.01})
    if small:
        found.append(f"chart text of {small} pt in the PDF (the floor is {FLOOR_PT} pt)")
    rendered = libreoffice_to_pdf(pptx, root / "lo")
    found += deck_problems(pptx, rendered)
    in_deck = _deck_labelled(rendered, wanted)
    if in_pdf != in_deck:
        found.append(f"labelled only in the PDF: {sorted(in_pdf - in_deck)}, only in the deck: "
                     f"{sorted(in_deck - in_pdf)}")
    return found


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck),
          phases=[Phase.explicit, Phase.reuse, Phase.generate])
@given(case=row())
def test_a_pie_uses_its_slot_and_both_outputs_label_the_same_slices(case):
    page, charts = case
    with tempfile.TemporaryDirectory(prefix="egov-pies-") as tmp:
        found = check_row(charts, Path(tmp) / "pies", page)
    assert not found, f"{page}, {[(c['kind'], len(c['rows'])) for c in charts]}: " + "; ".join(found[:6])


LONG = ["开部建线动告线计省办计在信门", "发级息平数城发线台网网告网规目门站政互线", "告信栏告栏动府台模级设告城数目平目服府",
        "设息统量乡公城服栏", "门移设平线网省规信门", "网层台计府省级栏站", "联信用信数公办统办城展开建规息目线服部政",
        "城政互务台办网", "息服建级互站公", "规线级线用台设服政联村", "量门户网开动市统级办村网乡目站开", "省设动公村栏发栏门栏网栏务",
        "政互乡网目部平网动计", "站设台设乡省省目站互信政站服网线", "数互网量网"]


def test_a_row_of_three_pies_with_long_names():
    """The case of the issue's note: three pies of 5, 9 and 15 slices with names of 4-20 characters side by
    side (on main: 60-70 pt pies, 6.5 pt labels, legends running into each other in both outputs)."""
    charts = [{"kind": kind, "rows": [(name, v) for name, v in zip(LONG[:n], values, strict=False)]}
              for kind, n, values in (("pie", 5, [308, 283, 194, 126, 71]),
                                      ("doughnut", 9, [430, 370, 340, 329, 298, 296, 141, 113, 58]),
                                      ("pie", 15, [496, 490, 443, 431, 419, 384, 350, 312, 229, 177, 175, 169,
                                                   119, 91, 45]))]
    with tempfile.TemporaryDirectory(prefix="egov-pies-") as tmp:
        found = check_row(charts, Path(tmp) / "pies")
    assert not found, "; ".join(found[:6])



# ------------------------------------------------------------------ a pie on the page (issue 16, Pagination)

def _pie_report(root: Path, page: dict, before: int, n: int, name_len: int, lead: int, kind: str = "pie") -> Path:
    """A report whose second finding (a heading, `lead` sentences) ends with a pie of `n` slices named with
    `name_len` characters, after a first finding of `before` sentences and a column chart."""
    (root / "data").mkdir(parents=True)
    (root / "reports").mkdir()
    with open(root / "data" / "d.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["name", "b"])
        w.writerows([("".join(HAN[(i * 3 + j) % len(HAN)] for j in range(name_len)) + str(i), 900 - i * 7)
                     for i in range(n)])
    meta = {"title": "生成的数据", "file": "d.csv", "source": "资料来源：测试生成数据", "unit": "个", "key": ["name"],
            "columns": {"name": {"type": "text", "label": "地区"}, "b": {"type": "integer", "label": "数量"}}}
    (root / "data" / "d.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
    sentence = "各地区政府网站集约化建设持续推进，服务能力不断提升。"
    findings = [{"id": "f0", "title": "第一项发现", "text": sentence * max(before, 1), "layout": "chart-wide",
                 "slots": {"chart": {"kind": "column", "dataset": "d", "title": "柱图", "x": "name", "y": "b"}}},
                {"id": "f1", "title": "第二项发现", "text": sentence * max(lead, 1), "layout": "chart-wide",
                 "slots": {"chart": {"kind": kind, "dataset": "d", "title": "饼图", "x": "name", "y": "b"}}}]
    definition = {"report": {"id": "r", "title": "饼图分页", "date": "2020-12-31"}, "page": page,
                  "datasets": ["data/d.yaml"], "sections": [{"id": "s1", "title": "第一部分", "findings": findings}]}
    src = root / "reports" / "r.yaml"
    src.write_text(yaml.safe_dump(definition, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return src


def lonely_heads(pdf: Path) -> list[str]:
    """Body pages holding nothing but a heading and at most two lines of text (no chart, table or more
    text) while a page follows: the heading was left behind by what it introduces."""
    import pdfplumber

    from test_pagination_more import MARGIN

    bad = []
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages[2:-1]:
            foot = float(page.height) - MARGIN + 1
            lines = [ln for ln in page.extract_text_lines(return_chars=True)
                     if ln["top"] >= MARGIN - 1 and ln["bottom"] <= foot and ln["text"].strip()]
            drawn = [m for m in [*page.rects, *page.curves, *page.images]
                     if m["top"] >= MARGIN - 1 and m["bottom"] <= foot]
            heads = [ln for ln in lines if all("Bold" in c["fontname"] for c in ln["chars"] if c["text"].strip())]
            if heads and not drawn and len(lines) - len(heads) <= 2:
                bad.append(f"page {page.page_number}: only {[ln['text'][:16] for ln in lines]}")
    return bad


PIE_PAGES = [{"size": "A5"}, {}, {"size": "A5", "orientation": "landscape"}, {"orientation": "landscape"}]


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck),
          phases=[Phase.explicit, Phase.reuse, Phase.generate])
@given(page=st.sampled_from(PIE_PAGES), before=st.integers(0, 12), n=st.integers(2, 40),
       name_len=st.integers(1, 20), lead=st.integers(0, 6), kind=st.sampled_from(["pie", "doughnut"]))
# a 40-slice pie planned a page tall on A5: its one-column legend ran over the caption, the heading and out of
# the page; at 30 slices the pie shrank to a dot under its legend
@example(page={"size": "A5"}, before=3, n=40, name_len=12, lead=1, kind="pie")
@example(page={"size": "A5"}, before=3, n=30, name_len=12, lead=1, kind="pie")
def test_a_pie_stays_with_its_heading_and_inside_its_box(tmp_path_factory, page, before, n, name_len, lead, kind):
    from egovdeck.engine.build import build
    from test_pagination_more import assert_inside_pages, heading_feet

    # an A5 landscape page (295 pt of frame) cannot hold a heading, a lead and the least legend of more than
    # about 20 slices of long names: that pie takes a page of its own (a known limit, issue 16's note)
    assume(page.get("orientation") != "landscape" or page.get("size") != "A5" or (n <= 20 and name_len <= 12))
    root = tmp_path_factory.mktemp("piepage") / "p"
    src = _pie_report(root, page, before, n, name_len, lead, kind)
    build(src, output_dir=root / "output", use_cache=False, formats=("pdf",))
    pdf = root / "output" / "r.pdf"
    found = list(pdf_problems(pdf)) + heading_feet(pdf) + lonely_heads(pdf)
    boxes, _left, _frame, _chars, others = _pdf_pies(pdf)
    for pg, x0, top, x1, bottom in boxes:
        hit = [c for c in others[pg] if min(x1, c["x1"]) - max(x0, c["x0"]) > 0.5
               and min(bottom, c["bottom"]) - max(top, c["top"]) > 0.5]
        if hit:
            found.append(f"a pie drawn over “{''.join(c['text'] for c in hit[:12])}” on page {pg + 1}")
    assert not found, f"{page}, {n} slices of {name_len}: " + "; ".join(found[:6])
    assert_inside_pages(pdf)


def pie_blanks(pdf: Path) -> list[tuple[float, float]]:
    """For each figure: the blank (pt) between its caption and the highest mark of its chart, and between
    the lowest mark and its source line (pdfplumber: the /Figure's characters, curves, lines and fills)."""
    import pdfplumber

    out = []
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            lines = page.extract_text_lines()
            caps = [ln for ln in lines if re.match(r"^图\d", ln["text"].replace(" ", ""))]
            sources = [ln["top"] for ln in lines if ln["text"].startswith("资料来源")]
            marks = [m for m in [*page.chars, *page.curves, *page.lines, *page.rects] if m.get("tag") == "Figure"]
            for cap in caps:
                below = [t for t in sources if t > cap["bottom"]]
                mine = [m for m in marks if below and cap["bottom"] - 1 <= m["top"] and m["bottom"] <= min(below) + 1]
                if mine:
                    out.append((min(m["top"] for m in mine) - cap["bottom"], min(below) - max(m["bottom"] for m in mine)))
    return out


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck),
          phases=[Phase.explicit, Phase.reuse, Phase.generate])
@given(page=st.sampled_from(["A4", "A5"]), n=st.integers(2, 12), name_len=st.integers(1, 6))
def test_no_room_is_kept_for_a_legend_the_pie_does_not_draw(tmp_path_factory, page, n, name_len):
    """A pie in a `chart-text` slot is planned as tall as it draws (charts.plan.pie.pie_height): it sits in
    the middle of its box, no more blank under it than above it (a legend of every slice's room, kept
    where the labels fit beside the pie, was left empty at the bottom)."""
    rows = [("".join(HAN[(i * 5 + j) % len(HAN)] for j in range(name_len)) + str(i), 300 - i * 19) for i in range(n)]
    _assert_centred(tmp_path_factory, page, n, rows)


PROVINCES = [("北京上海", 300), ("广东江苏", 200), ("浙江山东", 150), ("江苏河南", 100), ("浙江湖北", 80),
             ("湖南河北", 60), ("四川重庆", 50), ("贵州云南", 40)]


def test_a_pie_with_its_labels_beside_it_keeps_no_legend_room(tmp_path_factory):
    """On A5 a pie of 8 slices whose labels fit beside it kept 23.5 pt blank under it and 12.9 above: the
    room of a legend of every slice it did not draw."""
    _assert_centred(tmp_path_factory, "A5", len(PROVINCES), PROVINCES)


def _assert_centred(tmp_path_factory, page: str, n: int, rows: list) -> None:
    from egovdeck.engine.build import build

    root = tmp_path_factory.mktemp("pieblank") / "p"
    src = _write(root, [{"kind": "pie", "rows": rows}], page)
    src.write_text(src.read_text(encoding="utf-8").replace("chart-wide", "chart-text"), encoding="utf-8")
    build(src, output_dir=root / "output", use_cache=False, formats=("pdf",))
    blanks = pie_blanks(root / "output" / "pies.pdf")
    assert blanks, "no figure found"
    for above, below in blanks:
        assert below <= above + 6.0, f"{page}, {n} slices: {below:.1f} pt blank under the pie, {above:.1f} above"
