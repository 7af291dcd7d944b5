"""Chart text never breaks inside a number, a date or a Latin word (issue 16, charts and text rules).

Reports are written to a temporary project and built by `egovdeck build`'s engine (the resolver pins the
value ranges, the layouts give the chart boxes), then read back with pdfplumber (tests/labelsplit.py):
two lines of one label that read as a category name cut inside 12,345 / 2024-03 / Autonomous, or between
a number and its unit (「200」 over 「0年」, 「2000」 over 「年」), are a split. The label rule itself
(egovdeck.text.textfit.wrap_label, pieces) is tested on its own too.

Synthetic names and values live only in the test's temporary folder.
"""

from __future__ import annotations

import csv
import re
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

import labelsplit
from conftest import examples
from egovdeck.text.fonts import default_fonts, metrics
from egovdeck.text.textfit import may_break, pieces, wrap_label

HAN = list("政府网站数量在线服务用户规模平台建设发展信息公开办事栏目移动互联网省级部门城市乡村统计报告自治区")
LATIN = ["Guangxi", "Zhuang", "Autonomous", "Region", "CNNIC", "WeChat", "App", "Internet", "Mobile",
         "Municipality", "Internationalization", "OA", "API"]
NUMBERS = ["12,345", "1,000,000", "3.5%", "−2.1%", "76.8", "100", "45", "2.0", "0.15"]
DATES = ["2000年", "2019年", "2024-03", "2019-12-31", "2019年12月31日", "2023年第一季度", "Q1 2024", "2021年3月"]
UNITS = ["人", "次", "个", "万", "亿元", "年", "倍"]

EXAMPLES = examples("build", 4)


@st.composite
def part(draw) -> str:
    kind = draw(st.sampled_from(["han", "latin", "number", "date", "unit"]))
    if kind == "han":
        return "".join(draw(st.lists(st.sampled_from(HAN), min_size=1, max_size=8)))
    if kind == "latin":
        return " " + " ".join(draw(st.lists(st.sampled_from(LATIN), min_size=1, max_size=3))) + " "
    if kind == "number":
        return draw(st.sampled_from(NUMBERS))
    if kind == "date":
        return draw(st.sampled_from(DATES))
    return draw(st.sampled_from(NUMBERS[:6])) + draw(st.sampled_from(UNITS))


@st.composite
def name(draw) -> str:
    """A category name of 1-40 characters mixing CJK, numbers (with separators, decimals, percent, units),
    dates and Latin words."""
    text = re.sub(r"\s+", " ", "".join(draw(st.lists(part(), min_size=1, max_size=6)))).strip()
    return text[:40].strip() or "政务"


@st.composite
def project(draw):
    """(definition, {dataset id: (names, values)}): one to three findings, each a chart in a narrow
    (two-charts, kpi-row) or a wide (chart-text, chart-wide) layout, 1-40 categories (pies up to 8)."""
    datasets: dict[str, tuple[list[str], list[float]]] = {}

    def chart(kind: str) -> dict:
        ds = f"d{len(datasets) + 1}"
        n = draw(st.integers(1, 8 if kind in ("pie", "doughnut") else 40))
        names = draw(st.lists(name(), min_size=n, max_size=n, unique_by=lambda s: re.sub(r"\s+", "", s)))
        lo = 1.0 if kind in ("pie", "doughnut") else -500.0
        values = draw(st.lists(st.floats(lo, 90_000).map(lambda x: round(x, 1)), min_size=n, max_size=n))
        datasets[ds] = (names, values)
        spec = {"kind": kind, "dataset": ds, "title": f"图表{ds}", "x": "cat", "y": "v", "format": "#,##0.0"}
        if kind == "combo":
            spec.update(y=["v", "r"], secondary=["r"])
        return spec

    kinds = st.sampled_from(["column", "line", "combo", "bar", "pie", "doughnut", "column", "line"])
    findings = []
    for i in range(draw(st.integers(1, 3))):
        layout = draw(st.sampled_from(["two-charts", "two-charts", "kpi-row", "chart-text", "chart-wide"]))
        if layout == "two-charts":
            slots = {"left": chart(draw(kinds)), "right": chart(draw(kinds))}
        elif layout == "kpi-row":
            slots = {"kpis": [{"value": "1", "label": "指标"}], "chart": chart("column")}
        else:
            slots = {"chart": chart(draw(kinds))}
        findings.append({"id": f"f{i}", "title": f"发现{i}", "layout": layout, "text": "说明。", "slots": slots})
    definition = {"report": {"id": "labels", "title": "类别名测试", "date": "2020-05-20"},
                  "datasets": ["data/*.yaml"], "sections": [{"id": "s", "title": "类别", "findings": findings}]}
    return definition, datasets


def _write(root: Path, definition: dict, datasets: dict[str, tuple[list[str], list[float]]]) -> Path:
    (root / "data").mkdir(parents=True)
    (root / "reports").mkdir()
    for ds, (names, values) in datasets.items():
        with open(root / "data" / f"{ds}.csv", "w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["cat", "v", "r"])
            for k, (c, v) in enumerate(zip(names, values, strict=True)):
                w.writerow([c, v, round((k * 7.3) % 20 - 4, 1)])
        meta = {"title": f"生成数据{ds}", "file": f"{ds}.csv", "source": "资料来源：测试生成数据", "unit": "个",
                "key": ["cat"], "columns": {"cat": {"type": "text", "label": "名称"},
                                            "v": {"type": "number", "unit": "个", "label": "数量"},
                                            "r": {"type": "number", "unit": "%", "label": "增速"}}}
        (root / "data" / f"{ds}.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
    src = root / "reports" / "labels.yaml"
    src.write_text(yaml.safe_dump(definition, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return src


def _build(root: Path, definition: dict, datasets: dict, formats=("pdf",)) -> Path:
    from egovdeck.engine.build import build

    src = _write(root, definition, datasets)
    build(src, output_dir=root / "output", use_cache=False, formats=formats)
    return root / "output"


def _names(datasets: dict) -> list[str]:
    return [c for names, _ in datasets.values() for c in names]


# ----------------------------------------------------------------------------- the rule itself


@pytest.fixture(scope="module")
def m():
    return metrics(default_fonts().regular)


@pytest.mark.parametrize("text, expected", [
    ("2000年", ["2000年"]),
    ("2019年12月31日", ["2019年", "12月", "31日"]),
    ("Guangxi Zhuang Autonomous Region", ["Guangxi", "Zhuang", "Autonomous", "Region"]),
    ("政务App下载量12,345次", ["政", "务", "App", "下", "载", "量", "12,345次"]),
    ("2024-03", ["2024-03"]),
    ("增长76.8%，", ["增", "长", "76.8%，"]),
])
def test_label_pieces(text, expected):
    assert pieces(text, units=True) == expected


def test_body_text_keeps_its_breaks_between_a_number_and_chinese():
    """The unit rule is the chart labels' only: a paragraph still breaks 「2019」|「年」 as viewers do."""
    assert may_break("9", "年") and not may_break("9", "年", units=True)
    assert may_break("年", "1", units=True)


@given(text=name(), width=st.floats(8.0, 200.0), size=st.sampled_from([6.5, 9.0, 12.0]))
def test_wrap_label_whole_pieces_or_none(m, text, width, size):
    """With split_words=False a label's lines are whole pieces each within the width, or None; never a
    line cut inside a number, date or Latin word."""
    lines = wrap_label(text, width, size, m, split_words=False)
    if lines is None:
        # the caller shrinks, turns or thins: it was right to refuse (some piece is wider than the line)
        assert any(m.width(p, size) > width - 1e-6 for p in pieces(text, units=True)) or m.width(text, size) > width
        return
    assert all(m.width(ln, size) <= width + 1e-6 for ln in lines)
    flat = re.sub(r"\s+", "", text)
    bad = labelsplit.forbidden(text)
    at = 0
    for ln in lines[:-1]:
        at += len(re.sub(r"\s+", "", ln))
        assert at not in bad, (text, lines)
    assert "".join(re.sub(r"\s+", "", ln) for ln in lines) == flat


# ----------------------------------------------------------------------------- whole builds, read back


def test_the_reader_finds_a_year_cut_inside_its_number():
    """A guard for labelsplit: the forbidden places of a name."""
    assert labelsplit.forbidden("2000年") == {1, 2, 3, 4}
    assert labelsplit.forbidden("Q1 2024") == {1, 3, 4, 5}
    assert 4 not in labelsplit.forbidden("2000年", units=False)
    assert labelsplit.forbidden("政务 App") == {3, 4}


YEARS = [f"{y}年" for y in range(2000, 2025)]


def _years_report() -> tuple[dict, dict]:
    """The known fault: 25 years (2000年-2024年) in a wide chart and side by side; the PDF printed 「200」
    over 「0年」 under each column."""
    values = [round(1000 + 137.3 * i, 1) for i in range(len(YEARS))]
    quarters = [f"{y}年第{q}季度" for y in (2022, 2023, 2024) for q in "一二三四"]
    datasets = {"d1": (YEARS, values), "d2": (quarters, values[:12]),
                "d3": ([f"2024-{k:02d}" for k in range(1, 13)], values[:12]),
                "d4": (["Guangxi Zhuang Autonomous Region", "Inner Mongolia Autonomous Region", "12,345,678人次",
                        "Internationalization", "政务服务App下载量12,345次", "https://www.gov.cn/xinwen"], values[:6])}

    def spec(kind: str, ds: str) -> dict:
        return {"kind": kind, "dataset": ds, "title": f"{kind}{ds}", "x": "cat", "y": "v", "format": "#,##0"}

    findings = [
        {"id": "wide", "title": "年份", "layout": "chart-text", "text": "说明。", "slots": {"chart": spec("column", "d1")}},
        {"id": "two", "title": "年份并排", "layout": "two-charts", "text": "说明。",
         "slots": {"left": spec("column", "d1"), "right": spec("line", "d1")}},
        {"id": "q", "title": "季度与月份", "layout": "two-charts", "text": "说明。",
         "slots": {"left": spec("column", "d2"), "right": spec("line", "d3")}},
        {"id": "names", "title": "长名称", "layout": "two-charts", "text": "说明。",
         "slots": {"left": spec("column", "d4"), "right": spec("pie", "d4")}},
        {"id": "bar", "title": "条形", "layout": "two-charts", "text": "说明。",
         "slots": {"left": spec("bar", "d4"), "right": spec("doughnut", "d4")}},
    ]
    definition = {"report": {"id": "labels", "title": "年份轴", "date": "2020-05-20"}, "datasets": ["data/*.yaml"],
                  "sections": [{"id": "s", "title": "类别", "findings": findings}]}
    return definition, datasets


def test_pdf_year_axis_never_prints_part_of_a_year(tmp_path):
    """Regression: 2000年-2024年 under 25 columns (wide and side by side), quarters, months, long Latin names
    and numbers with separators: every label the PDF prints is whole pieces; a year is never 「200」 over
    「0年」 nor 「2000」 over 「年」."""
    definition, datasets = _years_report()
    out = _build(tmp_path / "years", definition, datasets)
    assert labelsplit.splits(out / "labels.pdf", _names(datasets)) == []
    # the years are printed, whole, on the page of the wide chart (turned or flat, not thinned away)
    import pdfplumber

    with pdfplumber.open(out / "labels.pdf") as doc:
        read = {ln.text for page in doc.pages for ln in labelsplit.lines(page.chars)}
    assert set(YEARS) <= read, sorted(set(YEARS) - read)[:5]


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck),
          phases=[Phase.explicit, Phase.reuse, Phase.generate])  # a build takes seconds: no shrinking
@given(generated=project())
@example(generated=_years_report())
def test_pdf_chart_labels_never_split_a_number_or_word(generated):
    definition, datasets = generated
    with tempfile.TemporaryDirectory(prefix="egov-labels-") as tmp:
        out = _build(Path(tmp) / "p", definition, datasets)
        found = labelsplit.splits(out / "labels.pdf", _names(datasets))
        assert not found, "\n".join(found[:12])


def test_deck_labels_in_libreoffice_never_split_a_number_or_word(tmp_path):
    """The deck's category labels are wrapped (or turned) by LibreOffice itself: read its rendering with
    the same reader. It never cuts a number or a word (ICU line breaking); where it would break a number
    from its unit (「2019年12」 over 「月31日」) the deck turns the labels instead (render/pptx/deck.py)."""
    from clients import libreoffice_to_pdf

    definition, datasets = _years_report()
    e = [f"{y}年12月31日" for y in range(2019, 2025)]
    datasets["d5"] = (e, [1000.0 + 100 * k for k in range(6)])
    definition["sections"][0]["findings"].append(
        {"id": "dates", "title": "日期", "layout": "two-charts", "text": "说明。",
         "slots": {"left": {"kind": "combo", "dataset": "d5", "title": "组合", "x": "cat", "y": ["v", "r"],
                            "secondary": ["r"]},
                   "right": {"kind": "column", "dataset": "d5", "title": "柱形", "x": "cat", "y": "v"}}})
    out = _build(tmp_path / "deck", definition, datasets, formats=("pptx",))
    rendered = libreoffice_to_pdf(out / "labels.pptx", tmp_path / "lo")
    assert labelsplit.splits(rendered, _names(datasets), units=True) == []


def test_deck_turns_only_the_labels_its_viewers_would_cut(tmp_path):
    """In the deck's chart XML: the category labels of months (「2024-」 over 「01」) and of dates with units
    in a narrow frame are turned by 45° (a:bodyPr rot=-2700000 on c:catAx), those that fit on one line or
    wrap only between words (Guangxi Zhuang Autonomous Region) are left to the viewer."""
    import zipfile

    from lxml import etree

    months = [f"2024-{k:02d}" for k in range(1, 13)]
    regions = ["Guangxi Zhuang Autonomous Region", "Inner Mongolia Autonomous Region", "Tibet Autonomous Region"]
    datasets = {"d1": (months, [1000.0 + k for k in range(12)]), "d2": (regions, [1.0, 2.0, 3.0]),
                "d3": (["甲", "乙"], [1.0, 2.0])}
    findings = [{"id": f"f{k}", "title": f"图{k}", "layout": "two-charts", "text": "说明。",
                 "slots": {"left": {"kind": "line", "dataset": ds, "title": ds, "x": "cat", "y": "v"},
                           "right": {"kind": "column", "dataset": ds, "title": ds, "x": "cat", "y": "v"}}}
                for k, ds in enumerate(datasets)]
    definition = {"report": {"id": "labels", "title": "转向", "date": "2020-05-20"}, "datasets": ["data/*.yaml"],
                  "sections": [{"id": "s", "title": "类别", "findings": findings}]}
    out = _build(tmp_path / "turn", definition, datasets, formats=("pptx",))
    ns = {"c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
          "a": "http://schemas.openxmlformats.org/drawingml/2006/main"}
    turned = {}
    with zipfile.ZipFile(out / "labels.pptx") as z:
        for part in sorted(n for n in z.namelist() if re.fullmatch(r"ppt/charts/chart\d+\.xml", n)):
            root = etree.fromstring(z.read(part))
            cats = root.xpath("//c:cat//c:pt/c:v/text()", namespaces=ns)
            rot = root.xpath("//c:catAx/c:txPr/a:bodyPr/@rot", namespaces=ns)
            turned[cats[0]] = rot == ["-2700000"]
    assert turned == {"2024-01": True, regions[0]: False, "甲": False}


def test_pdf_timeline_keeps_numbers_and_words_whole(tmp_path):
    """A timeline of six stages in a narrow box, titles and descriptions with long numbers, dates and Latin
    words: no line of the PDF cuts one (a word wider than its column ends in 「…」 at the last size)."""
    import chartcheck as cc
    from egovdeck.document.chart import ChartData, Milestone

    texts = ["Internationalization", "2019年12月31日前完成12,345,678次办理", "WeChat Mini Programs上线",
             "https://www.gov.cn/xinwen", "办件量100,000,000件", "Guangxi Zhuang Autonomous Region"]
    chart = ChartData(id="tl", kind="timeline", title="阶段", milestones=tuple(
        Milestone(f"{2019 + k}年", t, texts[-1 - k] + "，" + t) for k, t in enumerate(texts)))
    pdf = cc.chart_pdf(chart, 231.0, 185.0, tmp_path / "tl.pdf")
    names = texts + [t + "，" + texts[-1 - k] for k, t in enumerate(texts)] + [texts[-1 - k] + "，" + t for k, t in enumerate(texts)]
    assert labelsplit.splits(pdf, names) == []
    boxes, w, h = cc.char_boxes(pdf)
    assert cc.outside(boxes, w, h) == []
