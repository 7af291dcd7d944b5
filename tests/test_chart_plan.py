"""The plan step of the PDF charts (egovdeck.charts.plan), checked without drawing.

Charts come through the resolver (the production path: it pins a round value range), are laid out with
`plan_chart`, and the plan's marks are read: text boxes (from the bundled font's advance widths, the
widths the PDF is drawn with), bar rectangles and the plot area. Rules: every text inside the canvas, no
two texts overlapping, data labels of negative bars beyond the bar end, category labels at the low side
of the plot. Fast enough for many more examples than the PDF-reading property test in
test_chart_layout.py, which checks the same rules on pdfplumber's character boxes.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import chartcheck as cc
from egovdeck.charts.plan import plan_chart
from egovdeck.charts.plan.canvas import Plan, RectMark, TextMark
from egovdeck.document.chart import ChartRenderError

SIZES = [(482.0, 202.0), (231.0, 185.0), (482.0, 270.0), (482.0, 506.0)]  # the built-in layouts' chart boxes
TOL = 0.3  # pt

CJK = "政务服务网站数量省级市县部委平台用户办件量互联网在线一体化"
LATIN = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456789 "
names_st = st.text(alphabet=st.sampled_from(CJK + LATIN), min_size=1, max_size=40).map(str.strip).filter(bool)
value_st = st.one_of(st.just(0.0), st.floats(-5000, 5000, allow_nan=False).map(lambda v: round(v, 1)))


def one_series(cats, values, kind="column", **extra):
    ds = cc.dataset([{"x": n, "y": v} for n, v in zip(cats, values, strict=True)], {"x": "text", "y": "number"})
    return cc.resolve({"kind": kind, "x": "x", "y": "y", **extra}, ds)


def two_series(cats, a, b, kind="bar", **extra):
    rows = [{"x": n, "a": u, "b": v} for n, u, v in zip(cats, a, b, strict=True)]
    ds = cc.dataset(rows, {"x": "text", "a": "number", "b": "number"})
    return cc.resolve({"kind": kind, "x": "x", "y": ["a", "b"], **extra}, ds)


def plan(chart, w: float, h: float) -> Plan:
    return plan_chart(chart, w, h, cc.THEME, cc.FONTS)


# ----------------------------------------------------------------------------- what is wrong in a plan


def off_canvas(p: Plan) -> list[TextMark]:
    return [t for t in p.text_marks() if t.box[0] < -TOL or t.box[1] < -TOL or t.box[2] > p.w + TOL
            or t.box[3] > p.h + TOL]


def overlapping(p: Plan) -> list[tuple[TextMark, TextMark]]:
    texts = p.text_marks()
    out = []
    for i, a in enumerate(texts):
        for b in texts[i + 1:]:
            ax0, ay0, ax1, ay1 = a.box
            bx0, by0, bx1, by1 = b.box
            if min(ax1, bx1) - max(ax0, bx0) > TOL and min(ay1, by1) - max(ay0, by0) > TOL:
                out.append((a, b))
    return out


def bar_of(p: Plan, ref: tuple[int, int]) -> RectMark:
    return next(r for r in p.rect_marks("bar") if r.ref == ref)


def negative_labels_not_beyond(p: Plan, chart) -> list[str]:
    """Data labels of negative bars that do not sit wholly beyond the bar end (below a column, left of a
    bar), in the text colour (not inside the bar in contrasting ink)."""
    out = []
    for t in p.text_marks("data"):
        j, i = t.ref
        v = chart.series[j].values[i]
        if v is None or v >= 0:
            continue
        bar = bar_of(p, t.ref)
        if chart.kind == "bar":
            beyond = t.box[2] <= bar.x + TOL
        else:
            beyond = t.box[3] <= bar.y + TOL
        if not beyond:
            out.append(f"{t.text!r} box {t.box} bar {bar.x, bar.y, bar.w, bar.h}")
    return out


def categories_not_at_low_side(p: Plan, chart) -> list[str]:
    """Category labels inside the plot area (on the zero line, among negative bars) instead of outside it
    at the low side (under the plot of a column chart, left of a bar chart's plot)."""
    x0, y0, _, _ = p.plot
    out = []
    for t in p.text_marks("category"):
        if chart.kind == "bar" and t.box[2] > x0 + TOL or chart.kind != "bar" and t.box[3] > y0 + TOL:
            out.append(f"{t.text!r} box {t.box} plot {p.plot}")
    return out


# ----------------------------------------------------------------------------- properties


@given(
    kind=st.sampled_from(["column", "bar", "line", "combo", "pie", "doughnut"]),
    names=st.lists(names_st, min_size=1, max_size=40, unique=True),
    data=st.data(),
    size=st.sampled_from(SIZES),
)
def test_property_plan_texts_inside_and_apart(kind, names, data, size):
    n = len(names)
    if kind in ("pie", "doughnut"):
        names = names[:8]
        n = len(names)
        a = data.draw(st.lists(st.floats(0.5, 1000).map(lambda v: round(v, 1)), min_size=n, max_size=n))
        chart = one_series(names, a, kind=kind)
    else:
        a = data.draw(st.lists(value_st, min_size=n, max_size=n))
        if kind == "combo" or data.draw(st.booleans()):
            b = data.draw(st.lists(value_st, min_size=n, max_size=n))
            chart = two_series(names, a, b, kind=kind, **({"secondary": ["b"]} if kind == "combo" else {}))
        else:
            chart = one_series(names, a, kind=kind)
    try:
        p = plan(chart, *size)
    except ChartRenderError:  # a chart too small to draw is a clean error, never a crash
        return
    assert off_canvas(p) == []
    assert overlapping(p) == []


@given(
    kind=st.sampled_from(["column", "bar"]),
    names=st.lists(names_st, min_size=2, max_size=24, unique=True),
    data=st.data(),
    size=st.sampled_from(SIZES),
)
def test_property_negative_bars_labels_beyond_and_categories_low(kind, names, data, size):
    n = len(names)
    values = data.draw(st.lists(st.floats(-5000, 5000, allow_nan=False).map(lambda v: round(v, 1)),
                                min_size=n, max_size=n))
    values[data.draw(st.integers(0, n - 1))] = -abs(values[0]) - 1.0  # at least one negative bar
    chart = one_series(names, values, kind=kind)
    try:
        p = plan(chart, *size)
    except ChartRenderError:
        return
    assert negative_labels_not_beyond(p, chart) == []
    assert categories_not_at_low_side(p, chart) == []
    assert off_canvas(p) == [] and overlapping(p) == []


# ----------------------------------------------------------------------------- examples


@pytest.mark.parametrize("kind", ["bar", "column"])
def test_plan_records_every_bar_and_its_value(kind):
    chart = one_series(["2015年", "2016年", "2017年", "2018年"], [12.5, -3.2, -19.7, 6.1], kind=kind, format="0.0")
    p = plan(chart, 482, 270)
    assert sorted(r.ref for r in p.rect_marks("bar")) == [(0, i) for i in range(4)]
    assert [t.text for t in p.text_marks("data")] == ["12.5", "−3.2", "−19.7", "6.1"]
    assert [t.text for t in p.text_marks("category")] == list(chart.categories)
    assert negative_labels_not_beyond(p, chart) == []
    assert categories_not_at_low_side(p, chart) == []


def test_plan_ticks_follow_the_axis_order():
    chart = one_series(["甲", "乙", "丙"], [3.0, 7.0, 12.0], kind="column")
    ticks = [t for t in plan(chart, 482, 270).text_marks("tick")]
    ys = [t.box[1] for t in ticks]
    assert ys == sorted(ys) and len(ticks) >= 3  # ticks from the bottom up


def test_plan_undo_leaves_no_trace():
    """A pie label that only partly fits is left out whole: its text marks go with it."""
    p = Plan(100, 60, cc.THEME, cc.FONTS)
    assert p.text(10, 30, "保留", 9, "000000")
    keep = len(p.boxes)
    assert p.text(10, 15, "去掉", 9, "000000")
    p.undo_texts(keep)
    assert [t.text for t in p.text_marks()] == ["保留"] and p.texts == ["保留"] and len(p.boxes) == 1


# ----------------------------------------------------------------------------- #16: two-series bars


TWO_A = [62.5, -12.0, 48.1, 90.3, 15.7, -33.4, 71.0, 8.8, 55.5, 27.2, -5.1, 80.6]
TWO_B = [58.0, -20.4, 51.3, 85.9, 22.1, -28.7, 66.4, 12.5, 49.9, 31.0, -9.8, 77.2]


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize(("kind", "n"), [("bar", 8), ("bar", 12), ("column", 8)])
def test_two_series_bars_keep_every_value_label(kind, n, size):
    """Each bar of a two-series chart keeps its value label where it fits at its own bar (a bar's label size
    follows the bar's thickness, not the row's); a label that would touch its neighbour's is left out, not
    moved on past it, where it read as the neighbour's value (issue 16, a new user's five-series chart): the
    first series keeps every label, and every label drawn is its own bar's."""
    cats = [f"地区{i}" for i in range(n)]
    chart = two_series(cats, TWO_A[:n], TWO_B[:n], kind=kind, format="0.0")
    p = plan(chart, *size)
    drawn = {t.ref for t in p.text_marks("data")}
    assert {(0, i) for i in range(n)} <= drawn <= {(j, i) for j in range(2) for i in range(n)}, sorted(drawn)
    assert off_canvas(p) == [] and overlapping(p) == []
    if kind == "column":
        assert negative_labels_not_beyond(p, chart) == []
        return
    for t in p.text_marks("data"):  # beyond the bar end, or wholly inside a bar long enough to hold it
        bar = bar_of(p, t.ref)
        if chart.series[t.ref[0]].values[t.ref[1]] < 0:
            assert t.box[2] <= bar.x + TOL or bar.x - TOL <= t.box[0] and t.box[2] <= bar.x + bar.w + TOL, t
        else:
            assert t.box[0] >= bar.x + bar.w - TOL or bar.x - TOL <= t.box[0] and t.box[2] <= bar.x + bar.w + TOL, t


def test_two_series_bars_every_label_readable_in_the_pdf(tmp_path):
    """The same, read from the PDF: every label drawn is extractable text, the first series' all of them,
    nothing overlaps."""
    import pdfplumber

    cats = [f"地区{i}" for i in range(12)]
    chart = two_series(cats, TWO_A, TWO_B, kind="bar", format="0.0")
    pdf = tmp_path / "c.pdf"
    assert cc.problems(chart, 231, 185, pdf) == []
    with pdfplumber.open(pdf) as d:
        words = [w["text"] for w in d.pages[0].extract_words()]
    want = [chart.series[0].fmt.format(v) for v in chart.series[0].values]
    for label in set(want):
        assert words.count(label) >= want.count(label), label
