"""A deck chart's own text as a viewer draws it, with the deck's font and without it (issue 16, Charts; a new
user's report, breaker5 faults 4, 5, 10, 11, 15), and the PDF naming the same things.

hypothesis writes one-finding projects through the production path (definition -> resolver -> both
renderers), LibreOffice renders the deck (tests/clients.py; `bundled_fonts=False`: Egov Sans SC is not
installed and LibreOffice draws Noto Sans CJK and DejaVu Sans, whose digits are 15 % wider), and the tests
read the characters drawn (pdfplumber):

- column data labels side by side never run together, and none touches a tick label of the axes: every
  flat run of characters closer than a word gap that holds a decimal number is one number;
- a category name such as 「2010年」 is never broken between its number and its unit;
- legend entries with long names never overlap;
- a stacked column chart's legend beside the plot lists the series in the same order in both outputs;
- a thinned time axis names the same categories in both outputs.
"""

from __future__ import annotations

import csv
import re
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from conftest import examples
from readercheck import overlaps

EXAMPLES = examples("deck")
HAN = list("政府网站数量在线服务用户规模平台建设发展信息公开办事栏目移动互联网省级部门城市乡村统计报告")
SETTINGS = dict(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck),
                phases=[Phase.explicit, Phase.reuse, Phase.generate])
WORD_GAP = 2.0  # pt: characters closer than this read as one word (a word space at 9-12 pt is 2.3-4 pt)
DECIMAL = re.compile(r"[−-]?\d[\d,]*\.\d+%?")


def _write(root: Path, layout: str, charts: list[dict]) -> Path:
    """A project of one finding with `charts` (each: spec, rows [category, v1, …], series names) in `layout`."""
    (root / "data").mkdir(parents=True)
    (root / "reports").mkdir()
    slots = {}
    for k, c in enumerate(charts, start=1):
        ds = f"d{k}"
        names = c["names"]
        with open(root / "data" / f"{ds}.csv", "w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["cat"] + [f"v{j + 1}" for j in range(len(names))])
            w.writerows(c["rows"])
        columns = {"cat": {"type": "text", "label": "名称"}}
        columns.update({f"v{j + 1}": {"type": "number", "unit": c.get("units", ["个"] * len(names))[j], "label": n}
                        for j, n in enumerate(names)})
        meta = {"title": f"生成数据{k}", "file": f"{ds}.csv", "source": "资料来源：测试生成数据", "unit": "个",
                "key": ["cat"], "columns": columns}
        (root / "data" / f"{ds}.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
        slot = ["chart", "left", "right"][0 if layout != "two-charts" else k]
        slots[slot] = {"x": "cat", "y": [f"v{j + 1}" for j in range(len(names))], **c["spec"], "dataset": ds,
                       "title": f"生成图表{'甲乙'[k - 1]}"}
    definition = {"report": {"id": "deckcharts", "title": "图表文字", "date": "2020-05-20", "organisation": "测试组"},
                  "datasets": ["data/*.yaml"],
                  "sections": [{"id": "s1", "title": "图表", "findings": [
                      {"id": "f1", "title": "图表中的文字", "layout": layout, "text": "正文说明。", "slots": slots}]}]}
    src = root / "reports" / "deckcharts.yaml"
    src.write_text(yaml.safe_dump(definition, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return src


def _build(root: Path, layout: str, charts: list[dict]) -> tuple[Path, Path]:
    from egovdeck.engine.build import build

    src = _write(root, layout, charts)
    out = root / "output"
    build(src, output_dir=out, use_cache=False, formats=("pdf", "pptx"))
    return out / "deckcharts.pdf", out / "deckcharts.pptx"


def _deck(pptx: Path, root: Path, font: bool) -> Path:
    from clients import libreoffice_to_pdf

    return libreoffice_to_pdf(pptx, root / ("lo-font" if font else "lo-nofont"), bundled_fonts=font)


def _upright_words(page) -> list[dict]:
    return [w for w in page.extract_words(x_tolerance=WORD_GAP, y_tolerance=1.0, keep_blank_chars=False)
            if w.get("upright", True)]


def _line_starts(page) -> list[dict]:
    """The upright words that begin a line: no word on the same baseline ends within half an em to their
    left (LibreOffice's gap between a digit and a CJK character, about a quarter em, keeps 「2010 年」 one
    line)."""
    words = _upright_words(page)
    out = []
    for w in words:
        em = w["bottom"] - w["top"]
        if not any(abs(v["bottom"] - w["bottom"]) < 0.2 * em and 0 <= w["x0"] - v["x1"] < 0.5 * em
                   for v in words if v is not w):
            out.append(w)
    return out


# ----------------------------------------------------------------------------- (4) column labels


@st.composite
def labelled_columns(draw) -> tuple[str, list[dict]]:
    """Columns of 12-40 half-years with two-decimal labels (0.10-9.99), alone or with a rate on a right axis."""
    n = draw(st.integers(12, 40))
    combo = draw(st.booleans())
    cents = draw(st.lists(st.integers(10, 999), min_size=n, max_size=n))
    rows = [[f"{2000 + i // 2}年{6 if i % 2 == 0 else 12}月", c / 100] for i, c in enumerate(cents)]
    names = ["用户规模"]
    spec: dict = {"kind": "column", "format": "0.00"}
    units = ["亿人"]
    if combo:
        rates = draw(st.lists(st.integers(-150, 150), min_size=n, max_size=n))
        rows = [r + [p / 10] for r, p in zip(rows, rates, strict=True)]
        names.append("环比增长率")
        units.append("%")
        spec = {"kind": "combo", "format": "0.00", "secondary": ["v2"], "format2": "0.0%"}
    layout = draw(st.sampled_from(["chart-wide", "chart-text", "two-charts"]))
    chart = {"spec": spec, "rows": rows, "names": names, "units": units}
    return layout, [chart, chart] if layout == "two-charts" else [chart]


BREAKER_ROWS = [[f"{2008 + i // 2}年{6 if i % 2 == 0 else 12}月", v, r] for i, (v, r) in enumerate(zip(
    [0.40, 0.45, 0.45, 0.50, 0.49, 0.48, 0.60, 0.67, 0.80, 0.79, 0.88, 1.06, 1.24, 1.25, 1.40, 1.45, 1.39, 1.51,
     1.89, 2.00, 2.22, 2.27, 2.44, 2.79, 2.50, 2.68],
    [0.0, -0.2, 0.2, -12.1, 0.0, 3.0, -7.9, 14.3, -3.4, 3.0, 0.0, 12.5, 5.1, -0.2, 0.2, 3.0, -12.1, 14.3, 3.0,
     -7.9, 0.0, 12.5, -3.4, 5.1, -0.2, 5.1], strict=True))]
BREAKER_COMBO = {"spec": {"kind": "combo", "format": "0.00", "secondary": ["v2"], "format2": "0.0%"},
                 "rows": BREAKER_ROWS, "names": ["在线政务服务用户规模", "半年环比增长率"], "units": ["亿人", "%"]}


@settings(**SETTINGS)
@given(case=labelled_columns())
@example(case=("chart-wide", [BREAKER_COMBO]))  # breaker5 A slide 4: 0.400.450.450.50… without the font
@example(case=("two-charts", [BREAKER_COMBO, BREAKER_COMBO]))  # slide 11: 「2.68」 on the right axis' 「−100%」
def test_column_labels_keep_a_word_gap_without_the_font(case):
    import pdfplumber

    layout, charts = case
    with tempfile.TemporaryDirectory(prefix="egov-deckcharts-") as tmp:
        root = Path(tmp) / "p"
        _pdf, pptx = _build(root, layout, charts)
        rendered = _deck(pptx, root, font=False)
        bad = []
        with pdfplumber.open(rendered) as doc:
            for k, page in enumerate(doc.pages, start=1):
                for w in _upright_words(page):
                    text = w["text"]
                    if "." in text and any(ch.isdigit() for ch in text) and not DECIMAL.fullmatch(text):
                        bad.append((k, text))
    assert not bad, f"{layout}, {len(charts[0]['rows'])} categories: texts run together without the font: {bad[:6]}"


# ----------------------------------------------------------------------------- (10) a number and its unit


def _long_name(draw, lo: int, hi: int) -> str:
    return draw(st.text(st.sampled_from(HAN + list("（）、")), min_size=lo, max_size=hi))


@st.composite
def stacked_years(draw) -> tuple[str, list[dict]]:
    """Stacked columns of 6-16 years (「2010年」) with 2-4 series of long names, the legend beside or under."""
    n = draw(st.integers(6, 16))
    k = draw(st.integers(2, 4))
    names = [f"{'甲乙丙丁'[j]}{_long_name(draw, 4, 26)}" for j in range(k)]
    values = draw(st.lists(st.integers(1, 90000), min_size=n * k, max_size=n * k))
    rows = [[f"{2010 + i}年"] + [values[j * n + i] for j in range(k)] for i in range(n)]
    legend = draw(st.sampled_from(["right", "right", "bottom"]))
    spec = {"kind": "column", "stacked": True, "legend": legend, "format": "#,##0", "labels": False}
    layout = draw(st.sampled_from(["chart-wide", "chart-text"]))
    return layout, [{"spec": spec, "rows": rows, "names": names}]


BREAKER_STACK = {"spec": {"kind": "column", "stacked": True, "legend": "right", "format": "#,##0", "labels": False},
                 "rows": [[f"{2010 + i}年", 800 + 11000 * i, 60 + 2000 * i, 50000 + 17000 * i, -1200 + 900 * i]
                          for i in range(11)],
                 "names": ["经新浪平台认证的政务机构微博账号数量（不含公务人员个人账号）", "今日头条政务头条号开通数量",
                           "政务微信公众号数量（含服务号与订阅号）", "政务抖音号较上年净增数量"]}


@settings(**SETTINGS)
@given(case=stacked_years())
@example(case=("chart-wide", [BREAKER_STACK]))  # breaker5 A slide 14: 2010 over 年 without the font
def test_category_names_keep_their_unit_without_the_font(case):
    import pdfplumber

    layout, charts = case
    with tempfile.TemporaryDirectory(prefix="egov-deckcharts-") as tmp:
        root = Path(tmp) / "p"
        _pdf, pptx = _build(root, layout, charts)
        rendered = _deck(pptx, root, font=False)
        with pdfplumber.open(rendered) as doc:
            alone = [(k, w["text"]) for k, page in enumerate(doc.pages, start=1) for w in _line_starts(page)
                     if w["text"].startswith("年")]
    assert not alone, f"{layout}: a category name broken between its year and 年: {alone[:4]}"


# ----------------------------------------------------------------------------- (5) long legend names


@st.composite
def long_legends(draw) -> tuple[str, list[dict]]:
    """Lines of 2-3 series whose names are 20-50 characters long, the legend under the plot."""
    k = draw(st.integers(2, 3))
    n = draw(st.integers(4, 20))
    names = [f"{'甲乙丙'[j]}{_long_name(draw, 19, 49)}" for j in range(k)]
    values = draw(st.lists(st.integers(0, 1000), min_size=n * k, max_size=n * k))
    rows = [[f"{2000 + i}年"] + [values[j * n + i] / 10 for j in range(k)] for i in range(n)]
    kind = draw(st.sampled_from(["line", "column"]))
    spec = {"kind": kind, "legend": "bottom", "format": "0.0", "labels": False}
    layout = draw(st.sampled_from(["two-charts", "chart-text", "chart-wide"]))
    chart = {"spec": spec, "rows": rows, "names": names}
    return layout, [chart, chart] if layout == "two-charts" else [chart]


BREAKER_LEGEND = {"spec": {"kind": "line", "legend": "bottom", "format": "0.0", "labels": False},
                  "rows": [[f"{2006 + i // 2}年{6 if i % 2 == 0 else 12}月", 10 + i * 0.3, 8 + i * 1.1]
                           for i in range(29)],
                  "names": ["东部地区（北京、天津、河北、上海、江苏、浙江、福建、山东、广东、海南）网上可办率",
                            "西部地区（内蒙古、广西、重庆、四川、贵州、云南、西藏、陕西、甘肃、青海、宁夏、新疆）网上可办率"]}


@settings(**SETTINGS)
@given(case=long_legends(), font=st.booleans())
@example(case=("two-charts", [BREAKER_LEGEND, BREAKER_LEGEND]), font=False)  # breaker5 A slide 11, 图7
@example(case=("two-charts", [BREAKER_LEGEND, BREAKER_LEGEND]), font=True)
def test_long_legend_names_never_overlap(case, font):
    import pdfplumber

    layout, charts = case
    with tempfile.TemporaryDirectory(prefix="egov-deckcharts-") as tmp:
        root = Path(tmp) / "p"
        _pdf, pptx = _build(root, layout, charts)
        rendered = _deck(pptx, root, font=font)
        with pdfplumber.open(rendered) as doc:
            found = [(k, a["text"], b["text"]) for k, page in enumerate(doc.pages, start=1)
                     for a, b in overlaps(page.chars)]
    assert not found, f"{layout}, font installed: {font}: characters drawn over each other: {found[:6]}"


# ----------------------------------------------------------------------------- (11) legend order


def _legend_order(pdf: Path, names: list[str]) -> list[list[str]]:
    """Per page, the series names in reading order (top-down, then left to right), each found by its
    first characters (a wrapped name starts on its first line)."""
    import pdfplumber

    out = []
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            words = sorted(_upright_words(page), key=lambda w: (round(w["top"]), w["x0"]))
            seen = [n for w in words for n in names if w["text"].startswith(n[:4])]
            if seen:
                out.append(seen)
    return out


@st.composite
def stacked_right(draw) -> tuple[str, list[dict]]:
    k = draw(st.integers(2, 5))
    n = draw(st.integers(3, 12))
    names = [f"{'甲乙丙丁戊'[j]}{'子丑寅卯辰'[j]}{_long_name(draw, 2, 14)}" for j in range(k)]
    values = draw(st.lists(st.integers(1, 9000), min_size=n * k, max_size=n * k))
    rows = [[f"{2010 + i}年"] + [values[j * n + i] for j in range(k)] for i in range(n)]
    spec = {"kind": "column", "stacked": True, "legend": "right", "format": "#,##0", "labels": False}
    return draw(st.sampled_from(["chart-wide", "chart-text"])), [{"spec": spec, "rows": rows, "names": names}]


@settings(**SETTINGS)
@given(case=stacked_right())
@example(case=("chart-wide", [BREAKER_STACK]))  # breaker5 A 图13: PDF data order, deck stack order
def test_stacked_legend_lists_the_series_in_one_order_in_both(case):
    layout, charts = case
    names = charts[0]["names"]
    with tempfile.TemporaryDirectory(prefix="egov-deckcharts-") as tmp:
        root = Path(tmp) / "p"
        pdf, pptx = _build(root, layout, charts)
        in_pdf = _legend_order(pdf, names)
        in_deck = _legend_order(_deck(pptx, root, font=True), names)
    assert in_pdf and in_deck, (in_pdf, in_deck)
    assert in_pdf[0] == in_deck[0], f"legend order: PDF {in_pdf[0]}, deck {in_deck[0]}"
    assert in_pdf[0] == names[::-1], f"the top entry names the top segment: {in_pdf[0]}"


# ----------------------------------------------------------------------------- (15) thinned time axes


def _years(pdf: Path, years: set[str]) -> set[str]:
    """The category years (four digits) drawn anywhere in pdf, flat or turned: runs of digits in drawing
    order (a turned label's characters follow each other)."""
    import pdfplumber

    found = set()
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            run = ""
            for c in page.chars + [{"text": " "}]:
                if c["text"].isdigit():
                    run += c["text"]
                    continue
                if run in years:
                    found.add(run)
                run = ""
    return found


@st.composite
def time_axes(draw) -> tuple[str, list[dict]]:
    """A line or column chart of 14-40 years (1901年…), no data labels, in a slot narrow enough to thin."""
    n = draw(st.integers(14, 40))
    kind = draw(st.sampled_from(["line", "column"]))
    values = draw(st.lists(st.integers(0, 500), min_size=n, max_size=n))
    rows = [[f"{1901 + i}年", v / 10] for i, v in enumerate(values)]
    layout = draw(st.sampled_from(["two-charts", "chart-text"]))
    chart = {"spec": {"kind": kind, "format": "0.0", "labels": False}, "rows": rows, "names": ["指标"]}
    return layout, [chart, chart] if layout == "two-charts" else [chart]


HALF_YEARS = {"spec": {"kind": "line", "format": "0.0", "labels": False},
              "rows": [[f"{1901 + i}年", 12 + (i % 5)] for i in range(26)], "names": ["占网民比例"]}


@settings(**SETTINGS)
@given(case=time_axes())
@example(case=("chart-text", [HALF_YEARS]))  # breaker5 A 图2: the PDF named the Decembers, the deck the Junes
def test_thinned_time_axis_names_the_same_categories_in_both(case):
    layout, charts = case
    years = {r[0][:4] for r in charts[0]["rows"]}
    with tempfile.TemporaryDirectory(prefix="egov-deckcharts-") as tmp:
        root = Path(tmp) / "p"
        pdf, pptx = _build(root, layout, charts)
        in_pdf = _years(pdf, years)
        in_deck = _years(_deck(pptx, root, font=True), years)
    assert in_pdf == in_deck, (f"{layout}, {len(years)} years: named only in the PDF {sorted(in_pdf - in_deck)}, "
                               f"only in the deck {sorted(in_deck - in_pdf)}")
