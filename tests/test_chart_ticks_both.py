"""Both outputs print every value-axis tick of a chart, the same ones, in small plots and in split rankings
(issue 16, charts: "the PDF and the deck show the same ..."; the step decided for every frame either output
draws the chart in, egovdeck.engine.ticks).

hypothesis writes a project of one bar or column chart of 1-40 categories (names of 1-14 CJK characters, no
digits), with negative, zero, huge, tiny or mixed values, in a wide slot, beside text or twice side by side
(two narrow slots), on an A4 or A5 page (so rankings too long for their slot are split over side-by-side
charts in the deck and, on A5, in the PDF too), builds the PDF and the deck through the resolver and reads:

- the PDF with pdfplumber: the numbers drawn at the theme's tick size that are no data label (a value of the
  data as its format prints it) are the chart's value-axis tick labels;
- LibreOffice's rendering of the deck: the numbers inside the chart frames that are no data label.

The two sets are equal (on main the PDF labelled every k-th gridline of a plot narrower than ~100 pt, and a
split deck ranking every k'-th tick: each a subset of the other's), each tick label is at least the smallest
chart text size (8 pt in the PDF, 9 pt on a slide), and no two tick labels of one row overlap in the PDF.
"""

from __future__ import annotations

import csv
import tempfile
from collections import defaultdict
from pathlib import Path

import yaml
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from conftest import examples
from readercheck import NUMBER, drawn_runs, value_of

HAN = list("政府网站数量在线服务用户规模平台建设发展信息公开办事栏目移动互联网省级部门城市乡村统计报告")
FAMILIES = ("negative", "zero", "huge", "tiny", "mixed")
FORMATS = {"negative": "#,##0.00", "zero": "#,##0.00", "huge": "#,##0", "tiny": "0.0000", "mixed": "#,##0.0"}
DECIMALS = {"#,##0.00": 2, "#,##0": 0, "0.0000": 4, "#,##0.0": 1}
PDF_TICK_PT = 8.0  # the theme's chart tick size (document/theme.Theme.chart_tick_size), its smallest chart text
SLIDE_MIN_PT = 9.0  # no chart text of a slide is smaller
EXAMPLES = examples("deck", 3)


@st.composite
def chart_case(draw) -> dict:
    """One chart's spec, rows and page: kind, 1-40 categories, a value family, a layout and a page size."""
    kind = draw(st.sampled_from(["bar", "bar", "column"]))
    n = draw(st.integers(1, 40))
    family = draw(st.sampled_from(FAMILIES))
    if family == "negative":
        values = [-draw(st.integers(1, 900000)) / 100 for _ in range(n)]
    elif family == "zero":
        values = [draw(st.sampled_from([0.0, 0.0, 0.0, 1.23, -2.31])) for _ in range(n)]
    elif family == "huge":
        values = [float(draw(st.integers(1, 9 * 10 ** 9))) for _ in range(n)]
    elif family == "tiny":
        values = [draw(st.integers(1, 40)) / 10000 for _ in range(n)]
    else:
        values = [draw(st.integers(-500000, 9000000)) / 10 for _ in range(n)]
    names = draw(st.lists(st.text(st.sampled_from(HAN), min_size=1, max_size=14), min_size=n, max_size=n,
                          unique=True))
    return {"kind": kind, "rows": list(zip(names, values, strict=True)), "format": FORMATS[family],
            "layout": draw(st.sampled_from(["chart-wide", "chart-text", "two-charts"])),
            "page": draw(st.sampled_from(["A4", "A5"]))}


def _write(root: Path, case: dict) -> Path:
    (root / "data").mkdir(parents=True)
    (root / "reports").mkdir()
    with open(root / "data" / "d.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["cat", "v"])
        w.writerows(case["rows"])
    meta = {"title": "生成数据", "file": "d.csv", "source": "资料来源：测试生成数据", "unit": "个", "key": ["cat"],
            "columns": {"cat": {"type": "text", "label": "名称"}, "v": {"type": "number", "unit": "个", "label": "指标"}}}
    (root / "data" / "d.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
    chart = {"kind": case["kind"], "dataset": "d", "x": "cat", "y": "v", "format": case["format"], "title": "生成图表"}
    if case["kind"] == "bar":
        chart["sort"] = "desc"
    slots = {"chart": chart} if case["layout"] != "two-charts" else {
        "left": chart, "right": {**chart, "title": "同一图表"}}
    definition = {"report": {"id": "ticks", "title": "刻度一致", "date": "2020-05-20", "organisation": "测试组"},
                  "page": {"size": case["page"]},
                  "datasets": ["data/*.yaml"],
                  "sections": [{"id": "s1", "title": "图表", "findings": [
                      {"id": "f1", "title": "两种输出的刻度", "layout": case["layout"], "text": "正文说明。",
                       "slots": slots}]}]}
    src = root / "reports" / "ticks.yaml"
    src.write_text(yaml.safe_dump(definition, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return src


def _labels(case: dict) -> set[float]:
    """The values the data labels print (magnitudes: LibreOffice 25.2 draws negative bars' labels positive)."""
    d = DECIMALS[case["format"]]
    return {abs(round(v, d)) for _c, v in case["rows"]}


def _ticks(chars: list[dict], labels: set[float]) -> list[tuple[str, dict]]:
    """(number, its first character) of every number drawn alone in chars (not in a text such as 「第3页」)
    that is no data label."""
    out = []
    for text, first in drawn_runs(chars):
        if not NUMBER.fullmatch(text.strip()):
            continue
        for x in NUMBER.findall(text):
            v = value_of(x)
            if not any(abs(abs(v) - lab) <= 1e-9 * max(1.0, lab) for lab in labels):
                out.append((x.replace("−", "-"), first))
    return out


def _pdf_ticks(pdf: Path, labels: set[float]) -> tuple[set[str], list[str]]:
    """The PDF's tick labels and what is wrong with them (a label under the tick size, two labels of one row
    overlapping)."""
    import pdfplumber

    found: set[str] = set()
    problems = []
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            chars = [c for c in page.chars if c.get("upright", True) and abs(c["size"] - PDF_TICK_PT) < 0.6]
            ticks = [t for t, _first in _ticks(chars, labels)]
            found |= set(ticks)
            rows: dict[int, list[dict]] = defaultdict(list)
            for c in chars:
                if c["text"].strip():
                    rows[round(c["bottom"])].append(c)
            for row in rows.values():  # two labels of one row overlap: a character starts inside another
                row.sort(key=lambda c: c["x0"])
                problems += [f"page {page.page_number}: {a['text']!r} and {b['text']!r} overlap at {b['x0']:.1f}"
                             for a, b in zip(row, row[1:], strict=False) if b["x0"] < a["x1"] - 0.3]
    return found, problems


def _deck_ticks(pptx: Path, rendered: Path, labels: set[float]) -> tuple[set[str], list[str]]:
    """The deck's tick labels as LibreOffice draws them (numbers inside the chart frames that are no data
    label), and those smaller than a slide's smallest chart text."""
    import pdfplumber

    import deckboxes

    _boxes, frames = deckboxes.deck_boxes(pptx)
    found: set[str] = set()
    problems = []
    with pdfplumber.open(rendered) as doc:
        for frame in frames:
            page = doc.pages[frame.slide - 1]
            chars = [c for c in page.chars if c.get("upright", True) and frame.x0 - 2 <= c["x0"]
                     and c["x1"] <= frame.x1 + 2 and frame.top - 2 <= c["top"] and c["bottom"] <= frame.bottom + 2]
            for text, first in _ticks(chars, labels):
                found.add(text)
                if first["size"] < SLIDE_MIN_PT - 0.05:
                    problems.append(f"slide {frame.slide}: tick label {text} at {first['size']:.1f} pt")
    return found, problems


def _check(case: dict) -> None:
    from clients import libreoffice_to_pdf
    from egovdeck.engine.build import build

    with tempfile.TemporaryDirectory(prefix="egov-ticks-") as tmp:
        root = Path(tmp) / "ticks"
        src = _write(root, case)
        out = root / "output"
        build(src, output_dir=out, use_cache=False, formats=("pdf", "pptx"))
        labels = _labels(case)
        pdf, pdf_problems = _pdf_ticks(out / "ticks.pdf", labels)
        rendered = libreoffice_to_pdf(out / "ticks.pptx", root / "lo")
        deck, deck_problems = _deck_ticks(out / "ticks.pptx", rendered, labels)
    what = f"{case['kind']} of {len(case['rows'])} on {case['layout']}, {case['page']}"
    assert pdf == deck, (f"{what}: ticks only in the PDF {sorted(pdf - deck, key=value_of)}, only in the deck "
                         f"{sorted(deck - pdf, key=value_of)} (PDF {sorted(pdf, key=value_of)})")
    assert not pdf_problems and not deck_problems, (what, pdf_problems[:6], deck_problems[:6])


NARROW = {"kind": "bar", "layout": "two-charts", "page": "A5", "format": "#,##0.0",
          "rows": [(f"在线政务服务平台{'甲乙丙丁戊己庚辛'[i]}", v) for i, v in
                   enumerate([812345.7, 523456.1, 401234.3, 298765.9, -123456.7, 98765.3, 45678.9, 12345.1])]}
# 36 names of ten characters beside the narrative: the deck splits them over two charts whose plots (~119 pt at
# 11 pt) hold two tick labels, not the resolver's four; on main the split deck ranking labelled every other tick
# (0, 20,000) while the PDF labelled 0, 10,000, 20,000 and 30,000
SPLIT = {"kind": "bar", "layout": "chart-text", "page": "A4", "format": "#,##0.0",
         "rows": [("".join(HAN[(i * k + 3) % len(HAN)] for k in range(1, 10)) + HAN[i % len(HAN)],
                   round(29876.3 - 811.7 * i, 1)) for i in range(36)]}

# two rankings side by side on A5 whose names and labels leave a plot of ~40 pt: no step has room for two tick
# labels there; the PDF labelled only −1,000,000 where the deck drew −1,000,000, 0 and 1,000,000 (the row is now
# stacked, render/pdf/geometry.bar_axis_crowded)
CROWDED = {"kind": "bar", "layout": "two-charts", "page": "A5", "format": "#,##0.0", "rows": [
    ("府互设", 206.3), ("村", 140796.3), ("移告", -932.7), ("设市用村互", -857.0), ("展乡计", 257.0),
    ("模公站报乡在", 899999.9), ("开网网办级线", -1720.0), ("信报息栏", -2389.4), ("部报设城用台数栏平村市城动府", 383113.3),
    ("城府市市动联栏用站动站门告", -34371.3), ("省发计平互规", -2808.6), ("动模", -5.4), ("城政报门府数级", 2.8),
    ("互政统规门政用联事公在开", 659.1), ("台府建", 1597.3), ("在线政务服务用户规模", -111.5), ("省", -5941.5),
    ("互计门省", -33.4), ("用计数展发互数报服", -3390.3), ("报报平规台台建府网发", 135.6), ("设务开平", 48305.7)]}


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck),
          phases=[Phase.explicit, Phase.reuse, Phase.generate])  # a build and a conversion take ~15 s
@example(case=NARROW)
@example(case=SPLIT)
@example(case=CROWDED)
@given(case=chart_case())
def test_both_outputs_print_every_tick_alike(case):
    _check(case)
