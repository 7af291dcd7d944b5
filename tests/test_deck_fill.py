"""Deck slides lose nothing and use their room (issue #16), read in LibreOffice's rendering of generated
reports built whole:
- every section title appears on the agenda slides (目录, 目录（续）), however many sections and however long
  (a 32-section agenda was cut after entry 15);
- a table slide's table (its cell fills) takes at least FILL of the height from its caption to the footer,
  or its cells are at the deck's body size (4-5 rows were set at 14 pt in half their slot);
- a line chart's end labels never overlap (LibreOffice drew 「0.1」 over 「0.0」)."""

from __future__ import annotations

import math

import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from clients import libreoffice_to_pdf
from deckboxes import seen

FILL = 0.75
COLUMN_GAP = 16.0  # pt: a gap this wide inside a line separates two columns
BODY = 16.0
CJK = "政务服务数据开放平台建设运行情况规模结构增减变化主要特点存在问题网站门户移动端"
LATIN = "abcdefghijklmnopqrstuvwxyzAPI"
# each example is a whole build and a LibreOffice conversion: a twelfth of the profile's count (2 by default, 41
# in the nightly profile)
SLOW = settings(max_examples=max(1, settings.default.max_examples // 12), deadline=None,
                suppress_health_check=list(HealthCheck))


def _dataset(project, rows: list[tuple[str, float, float]]) -> None:
    from test_whole_reports import _write_dataset

    _write_dataset(project, "d1", {"cats": [r[0] for r in rows], "v1": [r[1] for r in rows],
                                   "v2": [r[2] for r in rows], "remark": None})


def _build(tmp_path, definition: dict, rows):
    from egovdeck.engine.build import build

    project = tmp_path / "p"
    (project / "data").mkdir(parents=True, exist_ok=True)
    (project / "reports").mkdir(exist_ok=True)
    _dataset(project, rows)
    definition = {"report": {"id": "r", "title": "生成报告", "date": "2025-12-01"}, "datasets": ["data/*.yaml"],
                  **definition}
    source = project / "reports" / "r.yaml"
    source.write_text(yaml.safe_dump(definition, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = build(source, output_dir=project / "output", use_cache=False, formats=("pptx",))
    pptx = project / "output" / "r.pptx"
    return result, libreoffice_to_pdf(pptx, project / "lo")


def _pages(pdf):
    import pdfplumber

    with pdfplumber.open(pdf) as doc:
        return [(list(p.chars), list(p.rects), float(p.height)) for p in doc.pages]


def _text(chars) -> str:
    """The page's text in reading order, spaces dropped: lines top to bottom, and in columns (a line's run of
    characters after a gap of more than COLUMN_GAP pt starts a second column, read after the first)."""
    lines: dict[int, list[dict]] = {}
    for c in chars:
        lines.setdefault(round(c["top"]), []).append(c)
    segments: list[tuple[float, int, list[dict]]] = []  # (start x, top, characters)
    for top, line in lines.items():
        line.sort(key=lambda c: c["x0"])
        seg = [line[0]]
        for c in line[1:]:
            if c["x0"] - seg[-1]["x1"] > COLUMN_GAP:
                segments.append((seg[0]["x0"], top, seg))
                seg = [c]
            else:
                seg.append(c)
        segments.append((seg[0]["x0"], top, seg))
    firsts = {top: min(x for x, t, _ in segments if t == top) for top in lines}
    later = [x for x, top, _ in segments if x > firsts[top]]
    split = min(later) - 1 if later else math.inf
    segments.sort(key=lambda seg: (seg[0] >= split, seg[1], seg[0]))
    text = "".join(seen(c["text"]) for _x, _t, seg in segments for c in seg)
    return text.replace(" ", "").replace("\u3000", "")


title = st.text(alphabet=st.sampled_from(list(CJK) + list(LATIN)), min_size=1, max_size=40).filter(
    lambda t: t.strip() != "")


@SLOW
@example(titles=["政府门户网站建设与运行情况：规模、结构、增减变化及其与上年同期相比的主要特点和存在问题"[:40]] * 32)
@given(titles=st.lists(title, min_size=1, max_size=40))
def test_every_section_is_on_the_agenda(tmp_path_factory, titles):
    tmp = tmp_path_factory.mktemp("agenda")
    rows = [("甲", 1.0, 2.0), ("乙", 3.0, 4.0)]
    table = {"dataset": "d1", "title": "表"}
    sections = [{"id": f"s{k}", "title": t.strip(), "findings": [
        {"id": f"f{k}", "title": "发现", "layout": "table", "text": "说明。", "slots": {"table": table}}]}
        for k, t in enumerate(titles)]
    _result, pdf = _build(tmp, {"sections": sections}, rows)
    agenda = ""
    for chars, _rects, _h in _pages(pdf)[1:]:
        text = _text(chars)
        if not text.startswith("目录"):
            break
        agenda += text
    assert "…" not in agenda
    for k, t in enumerate(titles, start=1):
        assert f"{k:02d}" + t.strip().replace(" ", "") in agenda, (k, t, agenda)


@SLOW
@example(n=5, long=True, cols=3)
@given(n=st.integers(1, 12), long=st.booleans(), cols=st.integers(2, 3))
def test_a_table_slide_uses_its_height(tmp_path_factory, n, long, cols):
    tmp = tmp_path_factory.mktemp("table")
    rows = [(("黑龙江省政务服务中心下属单位" if long and i % 2 else "地区") + str(i), 100.0 * i + 7, 1.5 * i)
            for i in range(n)]
    table = {"dataset": "d1", "title": "主要指标", "columns": [{"field": f} for f in ["cat", "v1", "v2"][:cols]]}
    sections = [{"id": "s", "title": "节", "findings": [
        {"id": "f", "title": "发现", "layout": "table", "text": "说明。", "slots": {"table": table}}]}]
    _result, pdf = _build(tmp, {"sections": sections}, rows)
    checked = False
    for chars, rects, height in _pages(pdf):
        caption = [c for c in chars if c["text"] == "表"]
        if not caption:
            continue
        top = min(c["top"] for c in caption)
        footer = min(c["top"] for c in chars if c["top"] > height * 0.85)  # the source line and slide number
        # the table's cells: the filled rectangles between its caption and the footer
        fills = [r for r in rects if r["height"] > 5 and r["width"] > 30 and top < r["top"] and r["bottom"] < footer]
        cells = [c for c in chars if c["text"].isdigit() and top < c["top"] < footer]
        if not fills or not cells:
            continue
        table_bottom = max(r["bottom"] for r in fills)
        size = max(c["size"] for c in cells)
        # the slot: from the caption's top to the footer, less the 12 pt gap the content area keeps above it
        share = (table_bottom - top) / (footer - 12 - top)
        assert size >= BODY - 0.1 or share >= FILL, (n, long, cols, size, share)
        checked = True
    assert checked


def _series_dataset(project, cats: list[str], series: list[list[float]]) -> None:
    import csv

    (project / "data").mkdir(parents=True, exist_ok=True)
    (project / "reports").mkdir(exist_ok=True)
    names = [f"s{j}" for j in range(len(series))]
    with open(project / "data" / "d2.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["cat", *names])
        for i, c in enumerate(cats):
            w.writerow([c, *(s[i] for s in series)])
    columns = {"cat": {"type": "text", "label": "时间"},
               **{n: {"type": "number", "unit": "%", "label": f"指标{j + 1}"} for j, n in enumerate(names)}}
    meta = {"title": "生成数据d2", "file": "d2.csv", "source": "资料来源：测试生成数据", "unit": "%", "key": ["cat"],
            "columns": columns}
    (project / "data" / "d2.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")


@SLOW
@example(ends=[1, 0, 82, 0, 202], top=92, n=30)
@given(ends=st.lists(st.integers(0, 300), min_size=2, max_size=6), top=st.integers(20, 100),
       n=st.integers(3, 40))
def test_end_labels_never_overlap_in_the_deck(tmp_path_factory, ends, top, n):
    """Series ending close together (last values 0.0-3.0 apart by 0.1 steps, one of them maybe far above):
    their end labels, right of the plot, drawn apart in the deck."""
    tmp = tmp_path_factory.mktemp("ends")
    cats = [f"{2000 + i}年" for i in range(n)]
    series = [[round(top * (0.3 + 0.5 * ((i * (j + 3)) % 7) / 7), 1) for i in range(n - 1)] + [e / 10]
              for j, e in enumerate(ends)]
    series[0][-1] = float(top)
    project = tmp / "p"
    _series_dataset(project, cats, series)
    chart = {"kind": "line", "dataset": "d2", "title": "趋势", "x": "cat", "y": [f"s{j}" for j in range(len(ends))],
             "end_labels": True}
    sections = [{"id": "s", "title": "节", "findings": [
        {"id": "f", "title": "发现", "layout": "chart-text", "text": "说明。", "slots": {"chart": chart}}]}]
    _result, pdf = _build(tmp, {"sections": sections}, [("甲", 1.0, 2.0)])
    chars = next(chars for chars, _rects, _h in _pages(pdf) if "趋势" in _text(chars))  # the chart's slide
    height = _pages(pdf)[0][2]
    digits = [c for c in chars if c.get("upright", True) and (c["text"].isdigit() or c["text"] == ".")
              and 0.15 * height < c["top"] < 0.85 * height]  # not the footer's date and slide number
    right = max(c["x0"] for c in digits)
    labels = [c for c in digits if c["x0"] > right - 40]  # the end labels, right of the last point
    assert len(labels) >= 3 * len(ends)
    for i, a in enumerate(labels):
        for b in labels[i + 1:]:
            ox = min(a["x1"], b["x1"]) - max(a["x0"], b["x0"])
            oy = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
            assert not (ox > 0.5 and oy > 0.5), (a["text"], b["text"], a["x0"], a["top"], b["x0"], b["top"])
