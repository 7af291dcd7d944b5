"""Chart layout rules, read back the way a reader meets them.

PDF side: the chart is resolved from a spec and data (the production path: the resolver pins the value
range), drawn alone on a page of exactly its size, and pdfplumber's character boxes are checked: no
character off the canvas, no two texts drawn over each other. Deck side: the chart XML.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

import chartcheck as cc
from egovdeck.charts.native import add_native_chart
from egovdeck.ooxml import qn

HERE = Path(__file__).resolve().parent
CASES = HERE.parents[1] / "shared" / "cases" / "layout"
SIZES = [(482.0, 202.0), (231.0, 185.0), (482.0, 270.0), (482.0, 506.0)]  # the built-in layouts' chart boxes


# ----------------------------------------------------------------------------- helpers


def native_xml(chart) -> etree._Element:
    from pptx import Presentation
    from pptx.util import Emu

    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    frame = add_native_chart(slide, chart, Emu(0), Emu(0), Emu(8 * 914400), Emu(4 * 914400), cc.THEME)
    return etree.fromstring(frame.chart.part.blob)


def one_series(cats, values, kind="column", **extra):
    ds = cc.dataset([{"x": n, "y": v} for n, v in zip(cats, values, strict=True)], {"x": "text", "y": "number"})
    return cc.resolve({"kind": kind, "x": "x", "y": "y", **extra}, ds)


def two_series(cats, a, b, kind="bar", **extra):
    rows = [{"x": n, "a": u, "b": v} for n, u, v in zip(cats, a, b, strict=True)]
    ds = cc.dataset(rows, {"x": "text", "a": "number", "b": "number"})
    return cc.resolve({"kind": kind, "x": "x", "y": ["a", "b"], **extra}, ds)


# ----------------------------------------------------------------------------- PDF side


def test_bar_labels_stay_inside_with_the_resolver_range(tmp_path):
    """Figure 6 of the bundled brief: the resolver pins a round range, the widest (bold, highlighted)
    label must still get room inside the canvas."""
    chart = one_series(["市级", "省级及以下", "省级", "部委", "县级"], [0.2398, 0.197, 0.1682, 0.1556, 0.0604],
                       kind="bar", format="0.00%", highlight=["市级"])
    assert chart.y_max_auto  # the resolver chose the range
    assert cc.problems(chart, 482, 270, tmp_path / "c.pdf") == []


@pytest.mark.parametrize("kind", ["bar", "column"])
def test_negative_labels_beyond_the_bar_end_and_clear_of_category_labels(kind, tmp_path):
    chart = one_series(["2015年", "2016年", "2017年", "2018年", "2019年", "2020年"],
                       [12.5, -3.2, -8.8, -19.7, 0.4, 6.1], kind=kind, format="0.0")
    assert cc.problems(chart, 482, 270, tmp_path / "c.pdf") == []
    import pdfplumber

    with pdfplumber.open(tmp_path / "c.pdf") as d:
        words = {w["text"]: w for w in d.pages[0].extract_words()}
    label, cat, zero = words["−19.7"], words["2018年"], words["0"]
    if kind == "column":  # hangs below its bar, above the category labels at the low side
        assert zero["bottom"] < label["top"] and label["bottom"] < cat["top"]
    else:  # left of its bar's end, right of the category labels
        assert cat["x1"] < label["x0"]


def test_pinned_range_puts_labels_inside_the_bar(tmp_path):
    chart = one_series(["甲", "乙", "丙"], [100, 80, -100], kind="bar", y_min=-100, y_max=100, format="0")
    assert not chart.y_max_auto
    assert cc.problems(chart, 300, 160, tmp_path / "c.pdf") == []


@pytest.mark.parametrize("kind", ["column", "line"])
@pytest.mark.parametrize("size", [(231.0, 185.0), (482.0, 270.0)])
def test_long_category_names_all_shown_inside(kind, size, tmp_path):
    names = ["社会保障卡申领与补换", "不动产登记信息查询", "个人所得税综合所得汇算清缴", "出入境证件办理预约",
             "医保异地就医直接结算备案", "公积金提取与贷款进度查询", "营业执照设立变更登记", "新冠疫苗接种记录查询"]
    chart = one_series(names, [320, 280, 260, 240, 220, 200, 180, 160], kind=kind)
    pdf = tmp_path / "c.pdf"
    assert cc.problems(chart, *size, pdf) == []
    text = cc.text_of(pdf)
    for n in names:  # every name, whole (wrapped lines follow each other in reading order)
        assert all(ch in text for ch in n)
    assert sum(text.count(n[-1]) for n in names) >= len(names)


def test_time_axis_is_thinned_inside_the_canvas(tmp_path):
    periods = [f"{y}年{m}月" for y in range(2018, 2021) for m in range(1, 13)]
    chart = one_series(periods, [float(i % 7 - 3) for i in range(len(periods))], kind="line", labels=False)
    pdf = tmp_path / "c.pdf"
    assert cc.problems(chart, 231, 185, pdf) == []
    # counted from the first period, as the deck's c:tickLblSkip and LibreOffice's own thinning count (the two
    # outputs name the same periods: ChartData.category_step, tests/test_deck_chart_text.py)
    assert "2018年1月" in cc.text_of(pdf)


CJK = "政务服务网站数量省级市县部委平台用户办件量互联网在线一体化"
LATIN = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456789 "
names_st = st.text(alphabet=st.sampled_from(CJK + LATIN), min_size=1, max_size=40).map(str.strip).filter(bool)
value_st = st.one_of(st.just(0.0), st.floats(-5000, 5000, allow_nan=False).map(lambda v: round(v, 1)))


@given(
    kind=st.sampled_from(["column", "bar", "line", "combo", "pie", "doughnut"]),
    names=st.lists(names_st, min_size=1, max_size=40, unique=True),
    data=st.data(),
    size=st.sampled_from(SIZES),
)
def test_property_no_text_off_canvas_or_over_text(kind, names, data, size, tmp_path_factory):
    n = len(names)
    if kind in ("pie", "doughnut"):
        names = names[:8]
        n = len(names)
        a = data.draw(st.lists(st.floats(0.5, 1000).map(lambda v: round(v, 1)), min_size=n, max_size=n))
        chart = one_series(names, a, kind=kind)
    else:
        a = data.draw(st.lists(value_st, min_size=n, max_size=n))
        two = kind == "combo" or data.draw(st.booleans())
        if two:
            b = data.draw(st.lists(value_st, min_size=n, max_size=n))
            extra = {"secondary": ["b"]} if kind == "combo" else {}
            chart = two_series(names, a, b, kind=kind, **extra)
        else:
            chart = one_series(names, a, kind=kind)
    pdf = tmp_path_factory.mktemp("prop") / "c.pdf"
    try:
        found = cc.problems(chart, *size, pdf)
    except Exception as exc:  # a chart too small to draw is a clean ChartRenderError, never a crash
        from egovdeck.document.chart import ChartRenderError

        assert isinstance(exc, ChartRenderError), exc
        return
    boxes, w, h = cc.char_boxes(pdf)
    assert cc.outside(boxes, w, h) == [], found
    # the category names must never be drawn over each other or over data labels
    assert cc.overlaps(boxes) == [], found[:5]


# ----------------------------------------------------------------------------- deck side


@pytest.mark.parametrize("kind", ["bar", "column", "line"])
def test_deck_category_labels_at_the_low_side_with_negatives(kind):
    xml = native_xml(one_series(["甲", "乙", "丙"], [3.0, -2.0, 1.0], kind=kind))
    assert xml.find(f".//{qn('c:catAx')}/{qn('c:tickLblPos')}").get("val") == "low"
    xml = native_xml(one_series(["甲", "乙", "丙"], [3.0, 2.0, 1.0], kind=kind))
    assert xml.find(f".//{qn('c:catAx')}/{qn('c:tickLblPos')}").get("val") == "nextTo"


def test_deck_grouped_bars_legend_follows_the_bars():
    """The first series is the top bar of each group and the first legend entry, and the first category
    is at the top: written bottom-up (last category, last series first) on a plain category axis."""
    chart = two_series(["四川", "山东", "西藏"], [1066, 1121, 120], [909, 864, 156], kind="bar",
                       names={"a": "2018年", "b": "2019年"})
    xml = native_xml(chart)
    cat_ax = xml.find(f".//{qn('c:catAx')}")
    assert cat_ax.find(f"{qn('c:scaling')}/{qn('c:orientation')}").get("val") == "minMax"
    sers = xml.findall(f".//{qn('c:barChart')}/{qn('c:ser')}")
    names = [s.find(f".//{qn('c:tx')}//{qn('c:v')}").text for s in sers]
    orders = [int(s.find(qn("c:order")).get("val")) for s in sers]
    by_order = [n for _, n in sorted(zip(orders, names, strict=True))]
    assert by_order == ["2019年", "2018年"]  # bottom-up: the last drawn (top) is 2018年
    cats = [p.text for p in sers[0].findall(f"{qn('c:cat')}//{qn('c:pt')}/{qn('c:v')}")]
    assert cats == ["西藏", "山东", "四川"]
    vals = [p.text for p in sers[0].findall(f"{qn('c:val')}//{qn('c:pt')}/{qn('c:v')}")]
    assert [float(v) for v in vals] == [156, 864, 909]  # 2019年 values follow their categories


def test_deck_single_series_ranking_reads_top_down():
    xml = native_xml(one_series(["甲", "乙", "丙"], [3.0, 2.0, 1.0], kind="bar"))
    cat_ax = xml.find(f".//{qn('c:catAx')}")
    assert cat_ax.find(f"{qn('c:scaling')}/{qn('c:orientation')}").get("val") == "maxMin"


# ----------------------------------------------------------------------------- the case folders
# tests/cases/layout/NAME: copies of the layout cases of issue 16, built as a user builds them.


def _build_case(name: str, tmp_path: Path, monkeypatch) -> tuple[Path, Path, Path]:
    from egovdeck.cli import main as cli

    work = tmp_path / name
    shutil.copytree(HERE / "cases" / "layout" / name, work)
    monkeypatch.chdir(work)
    assert cli.main(["build", "--no-server", "reports/case.yaml"], try_server=False) == 0
    pdf = next((work / "output").glob("*.pdf"))
    return work, pdf, pdf.with_suffix(".pptx")


def _case_charts(work: Path):
    """Every chart of the case as the build resolved it, with its PDF size."""
    from egovdeck.document.chart import ChartData
    from egovdeck.engine.build import fonts_for, theme_for
    from egovdeck.input.project import load_project
    from egovdeck.render.pdf.geometry import pdf_chart_sizes
    from egovdeck.resolve.report import build_document

    project = load_project(work / "reports" / "case.yaml")
    doc = build_document(project, theme_for(project), fonts_for(project))
    sizes = pdf_chart_sizes(doc)
    charts = [b for s in doc.sections for f in s.findings for b in f.blocks.values() if isinstance(b, ChartData)]
    return doc, [(c, *sizes[c.id]) for c in charts]


def _inside_frame(pdf: Path, doc) -> list[str]:
    """Characters of the brief beyond the page's left/right margins (a chart label past the margin)."""
    import pdfplumber

    mm = 72 / 25.4
    _top, right, _bottom, left = doc.margin_mm
    out = []
    with pdfplumber.open(pdf) as d:
        for no, page in enumerate(d.pages, 1):
            for ch in page.chars:
                if ch["text"].strip() and (ch["x1"] > page.width - right * mm + 0.5 or ch["x0"] < left * mm - 0.5):
                    out.append(f"page {no}: {ch['text']!r} at {ch['x0']:.1f}..{ch['x1']:.1f}")
    return out


def _deck_charts(pptx: Path) -> list[etree._Element]:
    import zipfile

    with zipfile.ZipFile(pptx) as z:
        return [etree.fromstring(z.read(n)) for n in sorted(z.namelist()) if n.startswith("ppt/charts/chart")]


@pytest.mark.parametrize("name", ["bar-category-order", "long-category-labels", "negative-values-minus"])
def test_case_charts_readable(name, tmp_path, monkeypatch):
    work, pdf, pptx = _build_case(name, tmp_path, monkeypatch)
    doc, charts = _case_charts(work)
    assert _inside_frame(pdf, doc) == []
    for chart, w, h in charts:
        assert cc.problems(chart, w, h, tmp_path / f"{chart.id}.pdf") == [], chart.id
        text = cc.text_of(tmp_path / f"{chart.id}.pdf")
        for c in chart.categories:  # every category named (wrapped lines are consecutive characters)
            assert all(ch in text for ch in c), (chart.id, c)
    decks = _deck_charts(pptx)
    assert len(decks) == len(charts)
    if name == "negative-values-minus":
        for xml in decks:
            assert xml.find(f".//{qn('c:catAx')}/{qn('c:tickLblPos')}").get("val") == "low"


def test_case_bar_category_order(tmp_path, monkeypatch):
    import pdfplumber

    _work, pdf, pptx = _build_case("bar-category-order", tmp_path, monkeypatch)
    # PDF: the ranking reads top-down (四川 909 first), the legend lists 2018年 before 2019年
    with pdfplumber.open(pdf) as d:
        words = [w for p in d.pages for w in p.extract_words()]
        pages = [p.extract_text() or "" for p in d.pages]
    first = next(t for t in pages if "2019年各省政府网站数量" in t)
    assert first.index("四川") < first.index("西藏")
    two = next(i for i, t in enumerate(pages) if "2018与2019年各省政府网站数量" in t)
    with pdfplumber.open(pdf) as d:
        ws = d.pages[two].extract_words()
    legend = [w for w in ws if w["text"] in ("2018年", "2019年")]
    assert [w["text"] for w in sorted(legend, key=lambda w: (w["top"], w["x0"]))][-2:] == ["2018年", "2019年"]
    assert words
    # deck: the two-series chart is written bottom-up, so bars and legend agree (2018年 on top and first)
    xml = _deck_charts(pptx)[1]
    sers = xml.findall(f".//{qn('c:barChart')}/{qn('c:ser')}")
    top = max(sers, key=lambda s: int(s.find(qn("c:order")).get("val")))
    assert top.find(f".//{qn('c:tx')}//{qn('c:v')}").text == "2018年"
    assert xml.find(f".//{qn('c:catAx')}/{qn('c:scaling')}/{qn('c:orientation')}").get("val") == "minMax"
    cats = [p.text for p in top.findall(f"{qn('c:cat')}//{qn('c:pt')}/{qn('c:v')}")]
    assert cats[-1] == "四川"  # the last written is the top row


def test_deck_captions_carry_the_pdf_figure_numbers(built):
    """Every chart title on a slide starts with the 图N the PDF gives the same chart."""
    import re

    import pdfplumber
    from pptx import Presentation

    with pdfplumber.open(built.pdf) as d:
        pdf_text = re.sub(r"\s+", "", "".join(p.extract_text() or "" for p in d.pages))
    pdf_numbers = {m.group(2): m.group(1) for m in re.finditer(r"(图\d+)(\S{2,12})", pdf_text)}
    deck = [sh.text_frame.text for slide in Presentation(str(built.pptx)).slides for sh in slide.shapes
            if sh.name == "Chart title"]
    assert deck
    for caption in deck:
        m = re.match(r"(图\d+)\u3000(.+)", caption.replace("\n", ""))
        assert m, caption
        title = re.sub(r"\s+", "", m.group(2))
        assert f"{m.group(1)}{title}" in pdf_text, caption
    assert len({c.split("\u3000")[0] for c in deck}) == len(deck)  # one number per chart
    assert pdf_numbers


# ----------------------------------------------------------------------------- deck: rankings, pies


PROVINCES = ("北京", "天津", "河北", "山西", "内蒙古", "辽宁", "吉林", "黑龙江", "上海", "江苏", "浙江", "安徽", "福建",
             "江西", "山东", "河南", "湖北", "湖南", "广东", "广西", "海南", "重庆", "四川", "贵州", "云南", "西藏", "陕西",
             "甘肃", "青海", "宁夏", "新疆", "新疆生产建设兵团")


def _ranking_deck(tmp_path, n: int):
    """A one-finding report with an n-category ranking, built to a deck in-process."""
    from egovdeck.cli import main as cli

    cats = [PROVINCES[i % 32] + (str(i // 32) if i >= 32 else "") for i in range(n)]
    (tmp_path / "data").mkdir()
    (tmp_path / "reports").mkdir()
    (tmp_path / "data" / "p.csv").write_text("province,n\n" + "".join(f"{c},{900 - i * 7}\n" for i, c in
                                                                        enumerate(cats)), encoding="utf-8")
    (tmp_path / "data" / "p.yaml").write_text(
        "title: 政府网站数量\nfile: p.csv\nsource: 测试\ncolumns:\n  province: {type: text}\n"
        "  n: {type: integer, unit: 个}\n", encoding="utf-8")
    (tmp_path / "reports" / "r.yaml").write_text(
        "report: {id: rank, title: 排名测试, date: 2020-05-20}\ndatasets: [data/*.yaml]\nsections:\n"
        "  - id: s\n    title: 排名\n    findings:\n      - id: f\n        title: 各省数量\n"
        "        layout: chart-wide\n        slots:\n          chart: {kind: bar, dataset: p, x: province, y: n,"
        " sort: desc}\n", encoding="utf-8")
    return cli, cats


def _slide_charts(pptx: Path) -> list[list[etree._Element]]:
    from pptx import Presentation

    out = []
    for slide in Presentation(str(pptx)).slides:
        charts = [etree.fromstring(sh.chart.part.blob) for sh in slide.shapes if sh.has_chart]
        if charts:
            out.append(charts)
    return out


def _label_sizes(xml) -> list[float]:
    return [int(e.get("sz")) / 100 for e in xml.iter(qn("a:defRPr")) if e.get("sz")]


def test_deck_ranking_of_32_split_with_readable_labels(tmp_path, monkeypatch, capsys):
    cli, cats = _ranking_deck(tmp_path, 32)
    monkeypatch.chdir(tmp_path)
    assert cli.main(["build", "--no-server", "--only", "pptx", "reports/r.yaml"], try_server=False) == 0
    (charts,) = _slide_charts(tmp_path / "output" / "rank.pptx")
    assert len(charts) == 2
    names = [v.text for xml in charts for v in xml.find(f".//{qn('c:cat')}").iter(qn("c:v"))]
    assert sorted(names) == sorted(cats)  # every province once, over the two columns
    for xml in charts:
        assert min(_label_sizes(xml)) >= 9
        scaling = xml.find(f".//{qn('c:valAx')}/{qn('c:scaling')}")
        assert scaling.find(qn("c:max")) is not None  # one value range for both columns
    maxes = {xml.find(f".//{qn('c:valAx')}/{qn('c:scaling')}/{qn('c:max')}").get("val") for xml in charts}
    assert len(maxes) == 1
    assert "warning" not in capsys.readouterr().err


def test_deck_ranking_too_long_continues_on_more_slides(tmp_path, monkeypatch, capsys):
    """160 names: more than one slot can hold at 9 pt; the ranking continues on following slides (图N（续）),
    every name once, in order, never smaller than 9 pt (it used to warn and leave names out)."""
    cli, cats = _ranking_deck(tmp_path, 160)
    monkeypatch.chdir(tmp_path)
    assert cli.main(["build", "--no-server", "--only", "pptx", "reports/r.yaml"], try_server=False) == 0
    slides = _slide_charts(tmp_path / "output" / "rank.pptx")
    assert len(slides) > 1
    names = [v.text for charts in slides for xml in charts for v in xml.find(f".//{qn('c:cat')}").iter(qn("c:v"))]
    assert [n for n in names if n] == cats
    for charts in slides:
        for xml in charts:
            assert min(_label_sizes(xml)) >= 9  # never silently smaller
    # the continued rows' data labels were decided with their own slides' frames: they keep them (their
    # labels were all deleted when only the first slide's frames had a say)
    for charts in slides[1:]:
        for xml in charts:
            points = [v for v in xml.find(f".//{qn('c:val')}").iter(qn("c:v"))]
            deleted = [d for d in xml.iter(qn("c:dLbl")) if d.find(qn("c:delete")) is not None]
            assert len(deleted) < len(points), "every label of a continued part deleted"


@pytest.mark.parametrize("kind", ["pie", "doughnut"])
@pytest.mark.parametrize("fmt", [None, "0.0%"])
def test_pie_labels_same_text_in_both_outputs_and_contrast(kind, fmt, tmp_path):
    from egovdeck.document.chart import contrast

    cats = ["信息公开", "网上办事", "政务动态", "其他", "互动交流", "专题"]
    values = [16.24, 3.63, 3.30, 1.33, 0.9, 0.5] if fmt is None else [55.0, 20.0, 10.0, 8.0, 5.0, 2.0]
    chart = one_series(cats, values, kind=kind, **({"format": fmt} if fmt else {}))
    texts = chart.slice_texts()
    pdf = tmp_path / "c.pdf"
    assert cc.problems(chart, 231, 185, pdf) == []
    squashed = cc.text_of(pdf)
    for c, t in zip(cats, texts, strict=True):  # the PDF: name and value line of every slice
        assert c in squashed and t.replace(" ", "") in squashed
    if fmt is None:
        assert all("（" in t for t in texts)  # share（value） in both outputs
    xml = native_xml(chart)
    fills = [dpt.find(f".//{qn('a:srgbClr')}").get("val") for dpt in xml.iter(qn("c:dPt"))]
    legend_deleted = {int(e.find(qn("c:idx")).get("val")) for e in xml.iter(qn("c:legendEntry"))}
    for i, lbl in enumerate(xml.iter(qn("c:dLbl"))):
        if lbl.find(qn("c:delete")) is not None:  # no room for its label: the legend names this slice
            assert xml.find(f".//{qn('c:legend')}") is not None and i not in legend_deleted
            continue
        assert i in legend_deleted or xml.find(f".//{qn('c:legend')}") is None
        runs = ["".join(t.text for t in p.iter(qn("a:t"))) for p in lbl.find(qn("c:tx")).iter(qn("a:p"))]
        assert runs == [cats[i], texts[i]]  # the deck: the same two lines
        ink = lbl.find(f".//{qn('a:rPr')}//{qn('a:srgbClr')}").get("val")
        box = lbl.find(f"{qn('c:spPr')}/{qn('a:solidFill')}/{qn('a:srgbClr')}")
        pos = lbl.find(qn("c:dLblPos"))
        ground = box.get("val") if box is not None else (
            "FFFFFF" if pos is not None and pos.get("val") == "outEnd" else fills[i])
        assert contrast(ink, ground) >= 4.5, (cats[i], ink, ground)


def test_small_stacked_segments_same_rule_in_both_outputs(tmp_path):
    chart = two_series(["甲", "乙", "丙"], [100, 90, 80], [2, 50, 3], kind="column", stacked=True)
    thin = [v for s in chart.series for v in s.values if not chart.segment_labelled(v)]
    assert thin == [2, 3]
    pdf = tmp_path / "c.pdf"
    assert cc.problems(chart, 482, 202, pdf) == []
    import pdfplumber

    with pdfplumber.open(pdf) as d:
        words = {w["text"] for w in d.pages[0].extract_words()}
    assert "50" in words and "2" not in words and "3" not in words
    chart = two_series(["甲", "乙", "丙"], [100, 90, 80], [2, 50, 3], kind="bar", stacked=True)
    xml = native_xml(chart)
    deleted = {(i, lbl.find(qn("c:idx")).get("val")) for i, ser in enumerate(xml.iter(qn("c:ser")))
               for lbl in ser.iter(qn("c:dLbl")) if lbl.find(qn("c:delete")) is not None}
    assert deleted == {(1, "0"), (1, "2")}


@given(
    kind=st.sampled_from(["column", "bar", "line", "combo"]),
    n=st.integers(1, 40),
    two=st.booleans(),
    data=st.data(),
)
def test_property_native_axes_and_legend(kind, n, two, data):
    cats = [f"类{i}" for i in range(n)]
    a = data.draw(st.lists(value_st, min_size=n, max_size=n))
    if kind == "combo" or two:
        b = data.draw(st.lists(value_st, min_size=n, max_size=n))
        chart = two_series(cats, a, b, kind=kind, **({"secondary": ["b"]} if kind == "combo" else {}))
    else:
        chart = one_series(cats, a, kind=kind)
    xml = native_xml(chart)
    prim = [v for s in chart.series if not s.secondary for v in s.values if v is not None]
    pos = xml.find(f".//{qn('c:catAx')}/{qn('c:tickLblPos')}").get("val")
    assert pos == ("low" if min(prim, default=0) < 0 else "nextTo")
    sers = xml.findall(f".//{qn('c:barChart')}/{qn('c:ser')}")
    if kind == "bar" and len(chart.series) > 1:  # written bottom-up: the first series/category on top
        top = max(sers, key=lambda s: int(s.find(qn("c:order")).get("val")))
        assert top.find(f".//{qn('c:tx')}//{qn('c:v')}").text == chart.series[0].name
        assert [v.text for v in top.find(qn("c:cat")).iter(qn("c:v"))][-1] == cats[0]
    elif kind == "bar":
        orient = xml.find(f".//{qn('c:catAx')}/{qn('c:scaling')}/{qn('c:orientation')}").get("val")
        assert orient == "maxMin"
    for s in xml.iter(qn("c:ser")):  # labels beyond the bar end, never a position PowerPoint rejects
        lp = s.find(f"{qn('c:dLbls')}/{qn('c:dLblPos')}")
        if lp is not None and s.getparent().tag == qn("c:barChart"):
            assert lp.get("val") == "outEnd"


@pytest.mark.parametrize(("unit", "fmt", "title"), [
    ("元", "0.0万", "万元"), ("人", "0.00亿", "亿人"), ("万人", "0.0万", "亿人"), ("", "#,##0万", "万"), ("元", "#,##0", "元"),
])
def test_the_value_axis_title_is_in_the_unit_the_ticks_are_read_in(tmp_path, unit, fmt, title):
    """A column in 元 printed with 0.0万 has its ticks divided by 10^4: the axis is titled 万元, not 元 (a new
    user's chart read 元 over ticks of 0–40000 that were 万元). Read from the PDF's text and the deck's XML."""
    from chartcheck import chart_pdf, dataset, resolve, text_of
    from test_native_chart import NS, build_pptx, chart_xml

    ds = dataset([{"region": r, "v": v} for r, v in (("北京", 312379340), ("上海", 213066210))],
                 {"region": "text", "v": "number"}, {"v": unit})
    chart = resolve({"kind": "column", "x": "region", "y": "v", "format": fmt}, ds)
    assert chart.y_title == title
    assert title in text_of(chart_pdf(chart, 300, 220, tmp_path / "c.pdf"))
    assert ["".join(t.itertext()) for t in chart_xml(build_pptx([chart])).iterfind(".//c:valAx/c:title", NS)] == [title]


@pytest.mark.parametrize("slices", [9, 15, 40])
def test_every_slice_of_a_pie_has_its_own_colour(slices):
    """Past the palette's eight colours a slice took the colour of the slice eight before it (a 15-slice pie
    showed two dark-blue legend entries): each slice's fill in the deck's chart XML is distinct."""
    from chartcheck import dataset, resolve
    from test_native_chart import NS, build_pptx, chart_xml

    ds = dataset([{"name": f"类别{i}", "v": 100 - i} for i in range(slices)], {"name": "text", "v": "number"})
    chart = resolve({"kind": "pie", "x": "name", "y": "v"}, ds)
    fills = [pt.find("c:spPr/a:solidFill/a:srgbClr", NS).get("val")
             for pt in chart_xml(build_pptx([chart])).iterfind(".//c:ser/c:dPt", NS)]
    assert len(fills) == slices and len(set(fills)) == slices, fills


@pytest.mark.parametrize("other_at", [0, 2, 5])
def test_other_below_folds_into_the_data_own_other(other_at):
    """other_below added a second 「其他」 when the data has one (found by a new user: 「其他 10.7%」 and a folded
    1.9 % slice also named 其他): the small slices join the data's own, one slice named 其他, last."""
    from chartcheck import dataset, resolve

    names = ["线上", "线下", "移动端", "窗口", "自助", "电话"]
    names.insert(other_at, "其他")
    values = {"其他": 100, "线上": 500, "线下": 250, "移动端": 120, "窗口": 10, "自助": 8, "电话": 7}
    ds = dataset([{"name": n, "v": values[n]} for n in names], {"name": "text", "v": "number"})
    chart = resolve({"kind": "pie", "x": "name", "y": "v", "other_below": 2.5}, ds)
    assert chart.categories.count("其他") == 1 and chart.categories[-1] == "其他"
    assert chart.series[0].values[-1] == 100 + 10 + 8 + 7
    assert sum(chart.series[0].values) == sum(values.values())


@pytest.mark.parametrize(("slices", "frame"), [(4, (231, 160)), (15, (231, 277)), (15, (180, 200)), (30, (300, 260))])
def test_no_slice_loses_its_share_when_its_label_has_no_room(tmp_path, slices, frame):
    """A slice whose label is left out for want of room is named in the legend with its share (「名称：41.8%
    （412）」), in the PDF and in the deck: a narrow doughnut printed four names and not one share (found by a
    new user). Read from the PDF's text and the deck's chart XML (a deleted label's category text)."""
    from pptx import Presentation
    from pptx.util import Emu

    from chartcheck import chart_pdf, dataset, resolve, text_of
    from egovdeck.charts.native import add_native_chart
    from test_native_chart import NS, THEME, chart_xml

    names = ["省级政府门户网站及其部门网站", "市级（地级市、自治州、盟）政府网站", "县级（县、县级市、旗、区）政府网站",
             "乡镇及街道办事处网站（已整合）", "政务微信公众号及服务号", "12345政务服务便民热线"]
    ds = dataset([{"name": f"{names[i % len(names)]}{i}", "v": 400 - 11 * i} for i in range(slices)],
                 {"name": "text", "v": "number"})
    chart = resolve({"kind": "doughnut" if slices == 4 else "pie", "x": "name", "y": "v"}, ds)
    shares = chart.slice_texts()
    pdf = "".join(text_of(chart_pdf(chart, *frame, tmp_path / "c.pdf")).split())
    assert all(t is not None and t in pdf for t in shares), [t for t in shares if t not in pdf]
    prs = Presentation()
    prs.slide_width, prs.slide_height = Emu(12192000), Emu(6858000)
    add_native_chart(prs.slides.add_slide(prs.slide_layouts[6]), chart, Emu(457200), Emu(914400),
                     Emu(frame[0] * 12700), Emu(frame[1] * 12700), THEME)
    prs.save(tmp_path / "c.pptx")
    cs = chart_xml((tmp_path / "c.pptx").read_bytes())
    deleted = {int(d.find("c:idx", NS).get("val")) for d in cs.iterfind(".//c:ser/c:dLbls/c:dLbl", NS)
               if d.find("c:delete", NS) is not None}
    cats = {int(pt.get("idx")): pt.findtext("c:v", namespaces=NS) for pt in cs.iterfind(".//c:ser/c:cat//c:pt", NS)}
    assert all(shares[i] in cats[i] for i in deleted), [(cats[i], shares[i]) for i in deleted]
