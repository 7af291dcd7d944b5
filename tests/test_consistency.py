"""One chart spec, two renderings: the deck's native charts hold exactly the data the PDF charts were drawn from."""

from __future__ import annotations

import re
import zipfile

from lxml import etree

C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
NS = {"c": C, "a": A}


def _deck_charts(pptx) -> list[etree._Element]:
    with zipfile.ZipFile(pptx) as z:
        names = sorted((n for n in z.namelist() if re.fullmatch(r"ppt/charts/chart\d+\.xml", n)),
                       key=lambda n: int(re.search(r"\d+", n).group()))
        return [etree.fromstring(z.read(n)) for n in names]


def _native_for(built) -> list[tuple[object, list[etree._Element]]]:
    """Each non-timeline chart of the document with its native chart(s) in the deck: a long ranking is
    split over side-by-side charts of consecutive categories (render/pptx.py)."""
    xmls = iter(_deck_charts(built.pptx))
    out = []
    for chart in (c for c in built.document.charts() if c.kind != "timeline"):
        parts, seen = [], 0
        while seen < len(chart.categories):
            xml = next(xmls)
            parts.append(xml)
            seen += int(xml.find(".//c:ser/c:cat//c:ptCount", NS).get("val"))
        assert seen == len(chart.categories), chart.id
        out.append((chart, parts))
    assert next(xmls, None) is None
    return out


def _bottom_up(chart) -> bool:
    """Grouped horizontal bars are written last category and last series first (legend order)."""
    return chart.kind == "bar" and not chart.stacked and len(chart.series) > 1


def _points(ser, tag: str) -> dict[int, str]:
    return {int(pt.get("idx")): pt.findtext("c:v", namespaces=NS) for pt in ser.iterfind(f"c:{tag}//c:pt", NS)}


def test_every_native_chart_matches_the_data_the_pdf_chart_was_drawn_from(built):
    for chart, parts in _native_for(built):
        offset = 0
        for xml in parts:
            series = xml.findall(".//c:ser", NS)
            rev = _bottom_up(chart)
            if rev:
                series = series[::-1]
            assert [s.findtext("c:tx//c:v", namespaces=NS) for s in series] == [s.name for s in chart.series], \
                chart.id
            for ser, data in zip(series, chart.series, strict=True):
                cats = _points(ser, "cat")
                count = len(cats)
                index = (lambda k, _n=count: _n - 1 - k) if rev else (lambda k: k)  # noqa: E731
                # a pie's slice named only in its legend carries its share there (「其他：5.4%（1.33）」)
                named = chart.legend_names() if chart.kind in ("pie", "doughnut") else list(chart.categories)
                assert all(cats[index(k)] in (chart.categories[offset + k], named[offset + k]) for k in range(count)), \
                    (chart.id, cats)
                values = _points(ser, "val")
                for k in range(count):
                    v = data.values[offset + k]
                    if v is None:
                        assert index(k) not in values, (chart.id, k)  # a gap stays a gap
                    else:
                        assert abs(float(values[index(k)]) - v) < 1e-9, (chart.id, k)
                colors = [c.get("val") for c in ser.iterfind("c:spPr//a:srgbClr", NS)]
                if not data.point_colors:
                    assert data.color in colors, (chart.id, data.name, colors)
                else:  # highlighted bars and pie slices: one colour per point
                    dpts = {int(d.find("c:idx", NS).get("val")): d.find(".//a:srgbClr", NS).get("val")
                            for d in ser.iterfind("c:dPt", NS)}
                    for k in range(count):
                        assert dpts.get(index(k), data.color) == data.point_colors[offset + k], (chart.id, k)
            offset += len(_points(series[0], "cat"))
            fmt = xml.find(".//c:dLbls/c:numFmt", NS)
            if chart.data_labels and fmt is not None and chart.kind not in ("pie", "doughnut"):
                assert fmt.get("formatCode") in {s.fmt.excel() for s in chart.series}, chart.id


def test_bar_rankings_read_top_to_bottom_like_the_pdf(built):
    for chart, parts in _native_for(built):
        if chart.kind == "bar":
            for xml in parts:  # reversed axis, or written bottom-up on a plain one
                orientation = xml.find(".//c:catAx/c:scaling/c:orientation", NS).get("val")
                assert orientation == ("minMax" if _bottom_up(chart) else "maxMin"), chart.id


def test_pdf_chart_labels_are_text_in_the_right_order(built):
    import pdfplumber

    chart = next(c for c in built.document.charts() if c.kind == "bar" and len(c.categories) == 32)
    with pdfplumber.open(built.pdf) as pdf:
        for page in pdf.pages:
            words = page.extract_words()
            tops: dict[str, float] = {}
            for w in words:  # the chart's labels come first: a table of the same names may start below it
                tops.setdefault(w["text"], w["top"])
            if chart.categories[0] in tops and chart.categories[-1] in tops and "新疆生产建设兵团" in tops:
                assert tops[chart.categories[0]] < tops[chart.categories[-1]]
                return
    raise AssertionError("the 32-row ranking was not found as text in the PDF")


def test_combo_chart_is_a_genuine_two_axis_chart(built):
    combo = next(c for c in built.document.charts() if c.kind == "combo")
    (xml,) = dict((c.id, p) for c, p in _native_for(built))[combo.id]
    plot = xml.find(".//c:plotArea", NS)
    assert plot.find("c:barChart", NS) is not None and plot.find("c:lineChart", NS) is not None
    assert len(plot.findall("c:valAx", NS)) == 2
    line_axes = {a.get("val") for a in plot.find("c:lineChart", NS).iterfind("c:axId", NS)}
    secondary = [ax for ax in plot.findall("c:valAx", NS) if ax.find("c:axId", NS).get("val") in line_axes]
    assert secondary and secondary[0].find("c:crosses", NS).get("val") == "max"


def test_value_axes_span_the_same_range_in_both_renderings(built):
    """The PDF draws the value axis from y_min to y_max; the deck's axis is pinned to the same range."""
    charts = [c for c in built.document.charts() if c.kind in ("column", "bar", "line", "combo")]
    xml_by_chart = {c.id: parts for c, parts in _native_for(built)}
    for chart in charts:
        assert chart.y_min is not None and chart.y_max is not None and chart.y_min < chart.y_max, chart.id
        for xml in xml_by_chart[chart.id]:  # every column of a split ranking on the one range
            scaling = xml.find(".//c:valAx/c:scaling", NS)
            assert float(scaling.find("c:min", NS).get("val")) == chart.y_min, chart.id
            assert float(scaling.find("c:max", NS).get("val")) == chart.y_max, chart.id
