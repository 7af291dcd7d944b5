"""Line data labels above or below their point, by one rule in the PDF and the deck
(egovdeck.charts.linelabels): below a trough (where values swing below zero, a label above the point sat
on the line) and under a higher line at the same category (two lines' labels piled up in LibreOffice).

Read back: the PDF plan's label boxes against the markers' centres; the deck's chart XML (c:dLblPos per
point); the deck rendered by LibreOffice (no two characters drawn over each other).
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import chartcheck as cc
from egovdeck.charts.linelabels import labels_below
from egovdeck.charts.plan import plan_chart
from egovdeck.charts.plan.canvas import DotsMark
from egovdeck.ooxml import qn
from test_chart_layout import native_xml
from test_chart_plan import one_series, two_series

YEARS = [f"{y}年" for y in range(2010, 2024)]
SWING = [3.2, -1.5, 4.8, -6.2, 2.2, 8.9, -3.3, -7.1, 1.0, 5.5, -2.4, 6.6, -4.4, 2.9]
SWING2 = [round(v * 0.8 + 1, 1) for v in SWING]


def test_troughs_below_peaks_above():
    chart = one_series(["甲", "乙", "丙", "丁", "戊"], [5.0, -3.0, 4.0, 6.0, 1.0], kind="line")
    assert labels_below(chart) == {(0, 1), (0, 4)}  # the trough, and the last point below its neighbour


def test_two_lines_lower_one_below():
    chart = two_series(["甲", "乙", "丙"], [5.0, 6.0, 7.0], [4.0, 6.5, 6.0], kind="line")
    assert labels_below(chart) == {(1, 0), (0, 1), (1, 2)}


def test_combo_line_labels_stay_above():
    chart = two_series(["甲", "乙", "丙"], [50.0, 60.0, 70.0], [4.0, -2.0, 6.0], kind="combo", secondary=["b"])
    assert labels_below(chart) == set()


def _deck_below(chart) -> set[tuple[int, int]]:
    xml = native_xml(chart)
    out = set()
    for j, ser in enumerate(xml.iter(qn("c:ser"))):
        for lbl in ser.iter(qn("c:dLbl")):
            pos = lbl.find(qn("c:dLblPos"))
            if pos is not None and pos.get("val") == "b":
                out.add((j, int(lbl.find(qn("c:idx")).get("val"))))
    return out


def _pdf_below(chart, w=482.0, h=270.0) -> set[tuple[int, int]]:
    p = plan_chart(chart, w, h, cc.THEME, cc.FONTS)
    dots = [m for m in p.marks if isinstance(m, DotsMark)]  # one per line series, in series order
    out = set()
    for t in p.text_marks("data"):
        j, i = t.ref
        if (t.box[1] + t.box[3]) / 2 < dots[j].ys[i]:
            out.add((j, i))
    return out


values_st = st.lists(st.floats(-100, 100, allow_nan=False).map(lambda v: round(v, 1)), min_size=2, max_size=14)


@given(a=values_st, data=st.data())
def test_property_pdf_and_deck_put_each_label_on_the_same_side(a, data):
    n = len(a)
    cats = YEARS[:n]
    if data.draw(st.booleans()):
        b = data.draw(st.lists(st.floats(-100, 100, allow_nan=False).map(lambda v: round(v, 1)),
                               min_size=n, max_size=n))
        chart = two_series(cats, a, b, kind="line")
    else:
        chart = one_series(cats, a, kind="line")
    want = labels_below(chart)
    assert _deck_below(chart) == want
    drawn = _pdf_below(chart)
    placed = {t.ref for t in plan_chart(chart, 482, 270, cc.THEME, cc.FONTS).text_marks("data")}
    assert drawn == want & placed  # a label the PDF leaves out (no room) is on neither side


def test_swinging_lines_in_libreoffice_labels_never_overlap(tmp_path):
    """The deck as LibreOffice draws it: two lines swinging below zero, every label readable."""
    from pptx import Presentation
    from pptx.util import Emu

    from clients import libreoffice_to_pdf
    from egovdeck.charts.native import add_native_chart

    chart = two_series(YEARS, SWING, SWING2, kind="line", format="0.0")
    prs = Presentation()
    prs.slide_width, prs.slide_height = Emu(12192000), Emu(6858000)
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    add_native_chart(slide, chart, Emu(400000), Emu(600000), Emu(int(10.5 * 914400)), Emu(int(5.5 * 914400)),
                     cc.THEME)
    prs.save(tmp_path / "deck.pptx")
    pdf = libreoffice_to_pdf(tmp_path / "deck.pptx", tmp_path)
    boxes, w, h = cc.char_boxes(pdf)
    text = cc.text_of(pdf)
    for label in ("−6.2", "−7.1", "8.9", "−4.4"):
        assert label in text
    assert cc.overlaps(boxes) == []


@pytest.mark.parametrize("kind", ["line", "combo"])
def test_pdf_line_labels_inside_and_apart(kind):
    chart = two_series(YEARS, SWING if kind == "line" else [abs(v) * 10 for v in SWING], SWING2, kind=kind,
                       format="0.0", **({"secondary": ["b"]} if kind == "combo" else {}))
    p = plan_chart(chart, 482, 270, cc.THEME, cc.FONTS)
    from test_chart_plan import off_canvas, overlapping

    assert off_canvas(p) == [] and overlapping(p) == []


def test_pie_with_many_long_slices_in_libreoffice_labels_never_overlap(tmp_path):
    """The deck's pie as LibreOffice draws it: nine slices with long names, every label whole and apart
    (outEnd piled the small slices' labels up; best fit moves them apart with leader lines)."""
    from pptx import Presentation
    from pptx.util import Emu

    from clients import libreoffice_to_pdf
    from egovdeck.charts.native import add_native_chart

    cats = ["政府网站信息公开专栏", "网上办事服务大厅", "政务动态与新闻发布", "互动交流（领导信箱）", "专题专栏建设",
            "数据开放平台", "政策文件解读", "在线访谈直播", "其他栏目"]
    chart = one_series(cats, [31.2, 22.5, 14.1, 9.9, 7.4, 5.5, 4.1, 3.2, 2.1], kind="pie")
    prs = Presentation()
    prs.slide_width, prs.slide_height = Emu(12192000), Emu(6858000)
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    add_native_chart(slide, chart, Emu(400000), Emu(600000), Emu(int(5.2 * 914400)), Emu(int(4.2 * 914400)),
                     cc.THEME)
    prs.save(tmp_path / "deck.pptx")
    pdf = libreoffice_to_pdf(tmp_path / "deck.pptx", tmp_path)
    boxes, w, h = cc.char_boxes(pdf)
    assert cc.overlaps(boxes) == []
    text = cc.text_of(pdf)
    for c in ("政策文件解读", "在线访谈直播", "其他栏目"):  # the small slices' names, each whole
        assert c in text


# ----------------------------------------------------------------------------- deck: room for negative labels


def _val_range(xml) -> tuple[float, float]:
    sc = xml.find(f".//{qn('c:valAx')}/{qn('c:scaling')}")
    return float(sc.find(qn("c:min")).get("val")), float(sc.find(qn("c:max")).get("val"))


PROVINCES = ["北京", "天津", "河北", "山西", "内蒙古", "辽宁", "吉林", "黑龙江", "上海", "江苏", "浙江", "安徽",
             "福建", "江西", "山东", "河南"]


def test_deck_ranking_leaves_room_beyond_the_most_negative_bar():
    """The label of the most negative bar sits beyond its end, clear of the category names at the low
    side: the resolver extends its round range by whole steps (ticks stay round; one decision for both
    outputs, resolve.charts.low_end_room) and the deck keeps it; a pinned range is never moved."""
    values = [round(12 - i * 2.06, 1) for i in range(16)]  # down to −18.9: the round range ends at −20
    chart = one_series(PROVINCES, values, kind="bar", format="0.0")
    assert chart.y_min < -20.0 and chart.y_min_auto and chart.y_step
    assert (chart.y_min / chart.y_step) == round(chart.y_min / chart.y_step)
    lo, hi = _val_range(native_xml(chart))
    assert (lo, hi) == (chart.y_min, chart.y_max)
    assert (min(values) - lo) / (hi - lo) >= 0.06  # about the label's width on an 8-inch frame
    pinned = one_series(PROVINCES, values, kind="bar", format="0.0", y_min=-20, y_max=20)
    assert _val_range(native_xml(pinned)) == (-20.0, 20.0)
    positive = one_series(PROVINCES, [abs(v) for v in values], kind="bar", format="0.0")
    assert _val_range(native_xml(positive)) == (positive.y_min, positive.y_max)


def test_a_gap_breaks_the_line_so_the_point_before_it_is_judged_by_its_own_segment():
    """Figure 12 of the bundled brief: 2017 is missing; 125,098 ends a rising segment, so its label goes
    above (judged against the point beyond the gap it went below, onto the line it ends)."""
    chart = one_series(["2015年", "2016年", "2017年", "2018年"], [114706.0, 125098.0, None, 138247.0], kind="line")
    assert (0, 1) not in labels_below(chart) and (0, 0) in labels_below(chart)
