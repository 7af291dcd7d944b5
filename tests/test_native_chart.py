"""Native PowerPoint charts: the saved .pptx XML and embedded workbooks match the ChartData."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from lxml import etree
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.util import Emu

from egovdeck.charts.native import add_native_chart, stable_xlsx
from egovdeck.document.chart import ChartData, Milestone, Series
from egovdeck.document.theme import Theme
from egovdeck.ooxml import normalize_zip, set_alt_text, set_run_font
from egovdeck.text.numfmt import NumberFormat

NS = {
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
    "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
}
THEME = Theme()
CATS = ("北京市", "上海市", "广东省", "浙江省", "江苏省")
KINDS = ("column", "stacked", "bar", "line", "combo", "pie", "doughnut")


# ----------------------------------------------------------------------------- sample data


def sample_chart(kind: str, **over) -> ChartData:
    """A small resolved ChartData of each kind, with a gap (None) where the kind allows it."""
    yi = NumberFormat(decimals=1, suffix="亿元")
    pct = NumberFormat(decimals=1, percent=True)
    p = THEME.palette
    if kind in ("column", "stacked"):
        series = (
            Series("2023年", (1.5, 2.25, None, 4.0, 5.0), p[0], yi),
            Series("2024年", (2.0, 3.0, 4.5, 5.0, 6.0), p[1], yi),
        )
        base = dict(kind="column", stacked=kind == "stacked", x_title="地区", y_title="亿元", y_min=0, y_max=12)
    elif kind == "bar":
        hi, dim = THEME.highlight, THEME.dim
        series = (Series("排名", (9.5, 8.0, 7.25, None, 5.0), dim, yi, point_colors=(hi, dim, dim, dim, hi)),)
        base = dict(kind="bar", legend=None, y_title="亿元")
    elif kind == "line":
        series = (
            Series("甲指标", (1.0, 2.0, None, 4.0, 5.0), p[0], pct),
            Series("乙指标", (2.0, 3.0, 4.0, 5.0, None), p[1], pct),
        )
        base = dict(kind="line", end_labels=True)
    elif kind == "combo":
        series = (
            Series("收入", (10.0, 20.0, 30.0, 40.0, 50.0), p[0], yi),
            Series("支出", (8.0, None, 25.0, 30.0, 45.0), p[2], yi),
            Series("增速", (5.5, 6.1, 7.2, None, 3.3), p[1], pct, kind="line", secondary=True),
        )
        base = dict(kind="combo", y_title="亿元", y2_title="增速", y2_min=0, y2_max=10)
    elif kind in ("pie", "doughnut"):
        colors = tuple(THEME.color(i) for i in range(len(CATS)))
        series = (Series("占比", (30.0, 25.0, 20.0, 15.0, 10.0), p[0], pct, point_colors=colors),)
        base = dict(kind=kind)
    else:
        raise ValueError(kind)
    base.update(
        id=f"c-{kind}", title=f"{kind}图表标题", categories=CATS, series=series, alt_text=f"{kind}：替代文字说明"
    )
    base.update(over)
    return ChartData(**base)


def build_pptx(charts, path: Path | None = None) -> bytes:
    prs = Presentation()
    prs.slide_width, prs.slide_height = Emu(12192000), Emu(6858000)
    for chart in charts:
        slide = prs.slides.add_slide(prs.slide_layouts[6])
        add_native_chart(slide, chart, Emu(457200), Emu(914400), Emu(11277600), Emu(5486400), THEME)
    buf = io.BytesIO()
    prs.save(buf)
    data = buf.getvalue()
    if path is not None:
        path.write_bytes(data)
    return data


def parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n) for n in z.namelist()}


def chart_xml(data: bytes, n: int = 1):
    return etree.fromstring(parts(data)[f"ppt/charts/chart{n}.xml"])


def ordered_series(cs):
    return sorted(cs.iterfind(".//c:ser", NS), key=lambda s: int(s.find("c:order", NS).get("val")))


def pts(el, path: str) -> dict[int, str]:
    return {int(pt.get("idx")): pt.findtext("c:v", namespaces=NS) for pt in el.iterfind(path + "//c:pt", NS)}


def built(kind: str, **over):
    chart = sample_chart(kind, **over)
    data = build_pptx([chart])
    return chart, data, chart_xml(data)


# ----------------------------------------------------------------------------- data fidelity


@pytest.mark.parametrize("kind", KINDS)
def test_categories_values_and_gaps(kind):
    chart, _, cs = built(kind)
    sers = ordered_series(cs)
    assert len(sers) == len(chart.series)
    for ser, s in zip(sers, chart.series, strict=True):
        assert ser.findtext("c:tx//c:v", namespaces=NS) == s.name
        cats = pts(ser, "c:cat")
        assert [cats[i] for i in range(len(CATS))] == list(CATS)
        vals = pts(ser, "c:val")
        expected = {i: v for i, v in enumerate(s.values) if v is not None}
        assert {i: float(v) for i, v in vals.items()} == expected
        for i, v in enumerate(s.values):
            if v is None:
                assert i not in vals  # a gap, not an invented zero
        assert ser.find("c:val//c:ptCount", NS).get("val") == str(len(CATS))
    assert cs.find(".//c:dispBlanksAs", NS).get("val") == "gap"


@pytest.mark.parametrize("kind", KINDS)
def test_series_colours(kind):
    chart, _, cs = built(kind)
    for ser, s in zip(ordered_series(cs), chart.series, strict=True):
        sppr = ser.find("c:spPr", NS)
        colours = [c.get("val") for c in sppr.iterfind(".//a:srgbClr", NS)]
        dpts = {int(d.find("c:idx", NS).get("val")): d for d in ser.iterfind("c:dPt", NS)}
        if kind in ("pie", "doughnut"):
            assert colours == ["FFFFFF"]  # slice separators; the fills are per point
            for i, colour in enumerate(s.point_colors):
                assert dpts[i].find("c:spPr/a:solidFill/a:srgbClr", NS).get("val") == colour
        else:
            assert colours and set(colours) == {s.color}
            for i, colour in enumerate(s.point_colors):
                if colour != s.color:
                    assert dpts[i].find(".//a:solidFill/a:srgbClr", NS).get("val") == colour
                else:
                    assert i not in dpts


def test_number_formats_on_labels_and_value_axes():
    chart, _, cs = built("combo")
    for ser, s in zip(ordered_series(cs), chart.series, strict=True):
        assert ser.find("c:dLbls/c:numFmt", NS).attrib == {"formatCode": s.fmt.excel(), "sourceLinked": "0"}
    val_axes = cs.findall(".//c:valAx", NS)
    # ticks as the PDF draws them: no decimals for ranges above 5, no unit suffix (the axis title has it);
    # negatives with the minus sign U+2212 the PDF draws
    assert val_axes[0].find("c:numFmt", NS).get("formatCode") == '#,##0;"\u2212"#,##0'
    assert val_axes[1].find("c:numFmt", NS).get("formatCode") == '#,##0"%";"\u2212"#,##0"%"'


# ----------------------------------------------------------------------------- structure


def test_combo_has_line_on_secondary_axis():
    _, _, cs = built("combo")
    plot = cs.find(".//c:plotArea", NS)
    bar, line = plot.find("c:barChart", NS), plot.find("c:lineChart", NS)
    assert bar is not None and line is not None
    assert [s.findtext("c:tx//c:v", namespaces=NS) for s in bar.iterfind("c:ser", NS)] == ["收入", "支出"]
    assert [s.findtext("c:tx//c:v", namespaces=NS) for s in line.iterfind("c:ser", NS)] == ["增速"]
    assert line.find("c:ser/c:invertIfNegative", NS) is None
    axes = [e for e in plot if etree.QName(e).localname.endswith("Ax")]
    assert len(axes) == 4
    by_id = {a.find("c:axId", NS).get("val"): a for a in axes}
    bar_ids = [a.get("val") for a in bar.iterfind("c:axId", NS)]
    line_ids = [a.get("val") for a in line.iterfind("c:axId", NS)]
    assert set(bar_ids).isdisjoint(line_ids)
    sec_cat, sec_val = by_id[line_ids[0]], by_id[line_ids[1]]
    assert etree.QName(sec_cat).localname == "catAx" and sec_cat.find("c:delete", NS).get("val") == "1"
    assert etree.QName(sec_val).localname == "valAx"
    assert sec_val.find("c:crosses", NS).get("val") == "max"
    assert sec_val.find("c:axPos", NS).get("val") == "r"
    assert sec_val.find("c:crossAx", NS).get("val") == line_ids[0]
    assert sec_cat.find("c:crossAx", NS).get("val") == line_ids[1]
    scaling = sec_val.find("c:scaling", NS)
    assert [etree.QName(e).localname for e in scaling] == ["orientation", "max", "min"]
    assert (scaling.find("c:min", NS).get("val"), scaling.find("c:max", NS).get("val")) == ("0", "10")
    # the line series still points at its own workbook column
    assert line.findtext("c:ser/c:val//c:f", namespaces=NS) == "Sheet1!$D$2:$D$6"
    # schema order inside the moved series
    order = [etree.QName(e).localname for e in line.find("c:ser", NS)]
    assert order == ["idx", "order", "tx", "spPr", "marker", "dLbls", "cat", "val", "smooth"]


def test_bar_reads_top_to_bottom_with_value_axis_at_bottom():
    _, _, cs = built("bar")
    assert cs.find(".//c:barChart/c:barDir", NS).get("val") == "bar"
    cat = cs.find(".//c:catAx", NS)
    assert cat.find("c:scaling/c:orientation", NS).get("val") == "maxMin"
    assert cs.find(".//c:valAx/c:crosses", NS).get("val") == "max"
    assert cs.find(".//c:legend", NS) is None  # single series


def test_stacked_and_label_positions():
    _, _, cs = built("stacked")
    assert cs.find(".//c:grouping", NS).get("val") == "stacked"
    assert cs.find(".//c:overlap", NS).get("val") == "100"
    assert {e.get("val") for e in cs.iterfind(".//c:dLblPos", NS)} == {"ctr"}
    # inside: each label that fits in its column (segmentroom), the others beyond the end (issue 16)
    _, _, cs = built("column", label_position="inside")
    assert {e.get("val") for e in cs.iterfind(".//c:dLblPos", NS)} == {"inEnd", "outEnd"}
    for ser in cs.iterfind(".//c:ser", NS):
        assert ser.find("c:dLbls/c:dLblPos", NS).get("val") == "outEnd"
        assert {d.find("c:dLblPos", NS).get("val") for d in ser.iterfind("c:dLbls/c:dLbl", NS)} <= {"inEnd"}
    _, _, cs = built("column")
    assert {e.get("val") for e in cs.iterfind(".//c:dLblPos", NS)} == {"outEnd"}
    assert cs.find(".//c:legend/c:legendPos", NS).get("val") == "b"
    _, _, cs = built("column", data_labels=False, legend="right")
    assert cs.find(".//c:dLbls", NS) is None
    assert cs.find(".//c:legend/c:legendPos", NS).get("val") == "r"
    _, _, cs = built("column", legend=None)
    assert cs.find(".//c:legend", NS) is None


def test_line_end_labels_only_on_last_point():
    chart, _, cs = built("line", data_labels=False)  # labels: false, end_labels: true: only the last point's
    for ser, s in zip(ordered_series(cs), chart.series, strict=True):
        last = max(i for i, v in enumerate(s.values) if v is not None)
        labels = ser.findall("c:dLbls/c:dLbl", NS)
        assert [int(lbl.find("c:idx", NS).get("val")) for lbl in labels] == [last]
        assert labels[0].find("c:showVal", NS).get("val") == "1"
        assert ser.find("c:dLbls/c:showVal", NS).get("val") == "0"
    chart, _, cs = built("line")  # with labels too (as the PDF): the end label right of the last point
    assert chart.end_labels and chart.data_labels
    for ser, s in zip(ordered_series(cs), chart.series, strict=True):
        last = max(i for i, v in enumerate(s.values) if v is not None)
        own = {int(lbl.find("c:idx", NS).get("val")): lbl for lbl in ser.findall("c:dLbls/c:dLbl", NS)}
        assert own[last].find("c:dLblPos", NS).get("val") == "r"
        assert ser.find("c:dLbls/c:showVal", NS).get("val") == "1"
    chart, _, cs = built("line", end_labels=False)
    # above the point, or below it, or none, as egovdeck.charts.linelabels decided (tests/test_line_labels.py)
    for ser in ordered_series(cs):
        for lbl in ser.findall("c:dLbls/c:dLbl", NS):
            pos = lbl.find("c:dLblPos", NS)
            assert (pos is not None and pos.get("val") == "b") or lbl.find("c:delete", NS).get("val") == "1"
    assert {ser.find("c:dLbls/c:dLblPos", NS).get("val") for ser in ordered_series(cs)} == {"t"}


def test_pie_and_doughnut_labels_and_legend():
    _, _, cs = built("pie")
    dl = cs.find(".//c:ser/c:dLbls", NS)
    assert dl.find("c:showCatName", NS).get("val") == "1"
    # inside the slice at its outer end (a place charts/pieroom.py predicts; LibreOffice's best fit piled the
    # labels of small slices up), over the neighbouring slices too, so boxed
    assert dl.find("c:dLblPos", NS).get("val") == "inEnd"
    for lbl in dl.findall("c:dLbl", NS):
        assert lbl.find("c:dLblPos", NS).get("val") == "inEnd"
        assert lbl.find("c:spPr/a:solidFill/a:srgbClr", NS).get("val") == "FFFFFF"
    assert cs.find(".//c:legend", NS) is None  # labels carry the category names
    assert cs.find(".//c:varyColors", NS).get("val") == "1"
    _, _, cs = built("doughnut", data_labels=False)
    assert cs.find(".//c:dLbls", NS) is None
    assert cs.find(".//c:legend", NS) is not None
    _, _, cs = built("doughnut")
    assert cs.find(".//c:dLblPos", NS) is None  # not allowed on doughnuts
    for lbl in cs.findall(".//c:ser/c:dLbls/c:dLbl", NS):  # centred on the ring, spilling over: boxed
        assert lbl.find("c:spPr/a:solidFill/a:srgbClr", NS).get("val") == "FFFFFF"


def test_titles_fonts_and_alt_text():
    chart, data, cs = built("combo")
    assert cs.find("c:chart/c:autoTitleDeleted", NS).get("val") == "1"
    assert cs.find("c:chart/c:title", NS) is None
    tx = cs.find("c:txPr", NS)
    rpr = tx.find(".//a:defRPr", NS)
    assert rpr.find("a:ea", NS).get("typeface") == "Egov Sans SC"
    assert rpr.find("a:latin", NS).get("typeface") == "Egov Sans SC"
    assert rpr.get("lang") == "zh-CN"
    assert rpr.get("sz") == str(int(THEME.chart_label_size * 100))
    assert rpr.find("a:solidFill/a:srgbClr", NS).get("val") == THEME.text
    titles = ["".join(t.itertext()) for t in cs.iterfind(".//c:valAx/c:title", NS)]
    assert titles == ["亿元", "增速"]
    grid = cs.find(".//c:valAx/c:majorGridlines//a:srgbClr", NS)
    assert grid.get("val") == THEME.grid
    slide = etree.fromstring(parts(data)["ppt/slides/slide1.xml"])
    cnv = slide.find(".//p:graphicFrame/p:nvGraphicFramePr/p:cNvPr", NS)
    assert cnv.get("descr") == chart.alt_text
    assert cnv.get("title") == chart.title


def test_timeline_and_bad_input_rejected():
    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    timeline = ChartData("t", "timeline", "进程", milestones=(Milestone("2020", "启动"),))
    with pytest.raises(ValueError, match="timeline"):
        add_native_chart(slide, timeline, 0, 0, 100, 100, THEME)
    with pytest.raises(ValueError):
        add_native_chart(slide, sample_chart("column", categories=CATS[:2]), 0, 0, 100, 100, THEME)


# ----------------------------------------------------------------------------- workbook


def workbooks(data: bytes) -> dict[str, bytes]:
    return {n: b for n, b in parts(data).items() if n.startswith("ppt/embeddings/")}


@pytest.mark.parametrize("kind", KINDS)
def test_embedded_workbook_holds_every_series(kind):
    chart, data, _ = built(kind)
    (blob,) = workbooks(data).values()
    ws = openpyxl.load_workbook(io.BytesIO(blob)).active
    assert [ws.cell(row=r + 2, column=1).value for r in range(len(CATS))] == list(CATS)
    for col, s in enumerate(chart.series, start=2):
        assert ws.cell(row=1, column=col).value == s.name
        assert [ws.cell(row=r + 2, column=col).value for r in range(len(CATS))] == list(s.values)


def test_two_builds_give_identical_chart_and_workbook_bytes():
    charts = [sample_chart(k) for k in KINDS]
    a, b = parts(build_pptx(charts)), parts(build_pptx(charts))
    names = [n for n in a if n.startswith(("ppt/charts/", "ppt/embeddings/"))]
    assert len([n for n in names if n.startswith("ppt/embeddings/")]) == len(KINDS)
    for name in names:
        assert a[name] == b[name], name
    core = zipfile.ZipFile(io.BytesIO(a["ppt/embeddings/Microsoft_Excel_Sheet1.xlsx"])).read("docProps/core.xml")
    assert b"2000-01-01T00:00:00Z" in core
    for info in zipfile.ZipFile(io.BytesIO(a["ppt/embeddings/Microsoft_Excel_Sheet1.xlsx"])).infolist():
        assert info.date_time == (2000, 1, 1, 0, 0, 0)


# ----------------------------------------------------------------------------- ooxml helpers


def test_set_run_font_keeps_schema_order():
    a = NS["a"]
    rpr = etree.fromstring(
        f'<a:rPr xmlns:a="{a}"><a:ln/><a:latin typeface="Arial"/><a:hlinkClick/><a:effectLst/></a:rPr>'
    )
    set_run_font(rpr, "Egov Sans SC", size_pt=12, bold=True, color="C8102E")
    assert [etree.QName(e).localname for e in rpr] == ["ln", "solidFill", "effectLst", "latin", "ea", "cs",
                                                       "hlinkClick"]
    assert {e.get("typeface") for e in rpr if etree.QName(e).localname in ("latin", "ea", "cs")} == {"Egov Sans SC"}
    assert (rpr.get("lang"), rpr.get("altLang"), rpr.get("sz"), rpr.get("b")) == ("zh-CN", "en-US", "1200", "1")


def test_set_run_font_on_python_pptx_run_and_alt_text():
    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    box = slide.shapes.add_textbox(0, 0, 100, 100)
    run = box.text_frame.paragraphs[0].add_run()
    run.text = "中文"
    run.font.color.rgb = RGBColor(0, 0, 0)
    set_run_font(run, "Egov Sans SC")
    rpr = run._r.find("a:rPr", NS)
    assert [etree.QName(e).localname for e in rpr] == ["solidFill", "latin", "ea", "cs"]
    set_alt_text(box, "标题", "描述")
    assert box._element.find(".//p:cNvPr", NS).get("descr") == "描述"


def test_normalize_zip_is_stable():
    def make(ts):
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            for name in ("b.xml", "a.xml"):
                z.writestr(zipfile.ZipInfo(name, date_time=ts), b"<x/>" * 50)
        return buf.getvalue()

    one, two = normalize_zip(make((2021, 5, 6, 7, 8, 10))), normalize_zip(make((2024, 1, 2, 3, 4, 6)))
    assert one == two
    infos = zipfile.ZipFile(io.BytesIO(one)).infolist()
    assert [i.filename for i in infos] == ["b.xml", "a.xml"]
    assert all(i.date_time == (1980, 1, 1, 0, 0, 0) and i.compress_type == zipfile.ZIP_DEFLATED for i in infos)
    (blob,) = workbooks(build_pptx([sample_chart("bar")])).values()
    assert stable_xlsx(blob) == blob  # already stable: idempotent


# ----------------------------------------------------------------------------- LibreOffice


def test_libreoffice_converts_every_kind(tmp_path):
    from clients import libreoffice_to_pdf

    pptx = tmp_path / "kinds.pptx"
    build_pptx([sample_chart(k) for k in KINDS], pptx)
    pdf = libreoffice_to_pdf(pptx, tmp_path / "out")
    assert pdf.read_bytes().startswith(b"%PDF")
    PdfReader = pytest.importorskip("pypdf").PdfReader
    reader = PdfReader(str(pdf))
    assert len(reader.pages) == len(KINDS)
    text = reader.pages[0].extract_text()
    assert "北京市" in text
