"""The PDF and the deck print the same value-axis ticks (issue 16: "the same numbers ... in the charts ...
of both outputs"), for every value range, the degenerate ones first: all values zero, all equal (positive or
negative), one category, a tiny range (0.001-0.003), huge values (1e9), all negative.

One decision (egovdeck.charts.scale.axis_ticks, the step pinned by the resolver as ChartData.y_step): the PDF
draws it, the deck writes it as c:min/c:max/c:majorUnit and a number format, and LibreOffice draws that. The
charts are resolved from a spec and data (the production path); the PDF is read with pdfplumber at the
built-in layouts' chart sizes, the deck as LibreOffice renders it at the deck's frame sizes. Data labels are
switched off here, so every number a chart draws is a tick.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

import chartcheck as cc
from egovdeck.charts.scale import agreeing_range, anchors_agree, axis_ticks, clean, round_step, tick_anchor
from egovdeck.text.numfmt import NumberFormat
from readercheck import NUMBER, drawn_runs, value_of
from test_chart_crowding import SIZES, _deck_pdf

CATS = list("甲乙丙丁戊己庚辛壬癸")  # no digits in category names: every number read is a tick
DECK_FRAME = (554.0, 372.0)
FAMILIES = ("zero", "equal", "single", "tiny", "huge", "negative", "mixed")


@st.composite
def degenerate(draw):
    """(kind, values) of one chart whose value range is degenerate, or an ordinary mixed one."""
    family = draw(st.sampled_from(FAMILIES))
    kind = draw(st.sampled_from(["column", "bar", "line"]))
    n = draw(st.integers(1, 6))
    if family == "zero":
        values = [0.0] * n
    elif family == "equal":
        values = [draw(st.sampled_from([-3.0, -0.5, 0.2, 5.0, 1234.0]))] * n
    elif family == "single":
        values = [draw(st.floats(-1e4, 1e4, allow_nan=False).map(lambda x: round(x, 2)))]
    elif family == "tiny":
        values = [round(0.001 * draw(st.integers(1, 3)), 3) for _ in range(n)]
    elif family == "huge":
        values = [float(draw(st.integers(1, 9)) * 10 ** draw(st.integers(8, 9))) for _ in range(n)]
    elif family == "negative":
        values = [-draw(st.floats(0.5, 50).map(lambda x: round(x, 1))) for _ in range(n)]
    else:
        values = [draw(st.floats(-100, 1000).map(lambda x: round(x, 1))) for _ in range(n)]
    return kind, values


def _chart(i: int, kind: str, values: list[float]):
    rows = [{"c": CATS[k], "v": v} for k, v in enumerate(values)]
    ds = cc.dataset(rows, {"c": "text", "v": "number"})
    return cc.resolve({"kind": kind, "x": "c", "y": "v", "labels": False, "title": "图"}, ds, chart_id=f"c{i}")


def _numbers(chars: list[dict]) -> list[str]:
    return sorted((x for text, _ in drawn_runs(chars) for x in NUMBER.findall(text)), key=value_of)


def _pdf_ticks(chart, size: tuple[float, float], tmp: Path) -> list[str]:
    import pdfplumber

    pdf = cc.chart_pdf(chart, *size, tmp / f"{chart.id}-{size[0]:.0f}x{size[1]:.0f}.pdf")
    with pdfplumber.open(pdf) as doc:
        return _numbers(doc.pages[0].chars)


def _tick_problems(ticks: list[str]) -> list[str]:
    """A tick a reader would find wrong on its own: −0, two ticks alike, more decimals than they need."""
    out = [f"negative zero {t}" for t in ticks if re.fullmatch(r"[−-]0(\.0*)?%?", t)]
    if len(set(ticks)) != len(ticks):
        out.append(f"ticks printed alike: {ticks}")
    places = {len(t.rstrip("%").partition(".")[2]) for t in ticks}
    if len(places) > 1:
        out.append(f"ticks with different decimals: {ticks}")
    elif places and (d := places.pop()) and all(t.rstrip("%").endswith("0") for t in ticks):
        out.append(f"{d} decimals where {d - 1} write every tick: {ticks}")
    return out


@settings(max_examples=3, deadline=None, suppress_health_check=list(HealthCheck),
          phases=[Phase.explicit, Phase.generate])
@given(cases=st.lists(degenerate(), min_size=3, max_size=6))
@example(cases=[("column", [0.0, 0.0, 0.0]), ("bar", [0.0, 0.0]), ("line", [0.0, 0.0, 0.0, 0.0]),
                ("column", [5.0, 5.0, 5.0]), ("bar", [-3.0, -3.0]), ("line", [-3.0, -3.0, -3.0]),
                ("column", [42.5]), ("bar", [0.001, 0.002, 0.003]), ("line", [0.001, 0.003]),
                ("column", [1e9, 2e9, 1.5e9]), ("bar", [1e9, 3e9]), ("line", [2e9, 2e9]),
                ("column", [-10.0, -20.0, -5.0]), ("bar", [-10.0, -20.0, -5.0]), ("line", [-0.5, -0.25])])
def test_pdf_and_deck_print_the_same_ticks(cases, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("ticks")
    charts = [_chart(i, kind, values) for i, (kind, values) in enumerate(cases)]
    _pptx, rendered = _deck_pdf(charts, [DECK_FRAME] * len(charts), tmp)
    import pdfplumber

    with pdfplumber.open(rendered) as doc:
        deck = [_numbers(page.chars) for page in doc.pages]
    found = []
    for chart, (kind, values), deck_ticks in zip(charts, cases, deck, strict=True):
        what = f"{kind} {values} (range {chart.y_min}..{chart.y_max}, step {chart.y_step})"
        found += [f"deck, {what}: {p}" for p in _tick_problems(deck_ticks)]
        for size in SIZES:
            pdf_ticks = _pdf_ticks(chart, size, tmp)
            found += [f"PDF {size}, {what}: {p}" for p in _tick_problems(pdf_ticks)]
            if pdf_ticks != deck_ticks:
                found.append(f"{what}: PDF {size} ticks {pdf_ticks}, deck {deck_ticks}")
    assert not found, "\n".join(found[:12])


@given(lo=st.floats(-1e12, 1e12, allow_nan=False), span=st.floats(1e-6, 1e12),
       pct=st.booleans())
def test_ticks_need_their_decimals_and_no_more(lo, span, pct):
    """axis_ticks: ticks whole steps from LibreOffice's anchor (lo, or −hi for a range at or below zero)
    within the range, the first less than a step above lo, none printed alike, none as −0, and no decimal
    every tick leaves at 0."""
    lo = float(f"{lo:.6g}")
    hi = lo + span
    if hi <= lo:
        return
    t = axis_ticks(lo, hi)
    anchor = tick_anchor(lo, hi)
    if max(abs(lo), abs(hi)) / t.step < 1e7:  # (ticks are written with 12 significant digits: scale.clean)
        assert t.values[0] >= lo - t.step * 1e-6 and t.values[0] < lo + t.step * (1 + 1e-6)
        assert t.values[-1] <= hi + t.step * 1e-6 and t.values[-1] > hi - t.step * (1 + 1e-6)
        k = (t.values[0] - anchor) / t.step
        assert k == pytest.approx(round(k), abs=1e-3), (t.values[0], anchor, t.step)
    if anchors_agree(lo, hi, t.step):
        assert t.values[0] == pytest.approx(lo, abs=t.step * 1e-6)
    fmt = NumberFormat(decimals=t.decimals, percent=pct)
    texts = [fmt.format(v) for v in t.values]
    if span / t.step < 100 and abs(lo) / t.step < 1e9:
        assert not _tick_problems(texts), texts


# ----------------------------------------------------------------------------- without LibreOffice: many more


def _deck_axis(chart, frame: tuple[float, float]) -> list[str]:
    """The ticks the deck's chart XML asks a reader to draw: c:min, c:min + c:majorUnit ... up to c:max
    (as LibreOffice and PowerPoint draw a pinned axis), written with the axis' number format code."""
    import io

    from lxml import etree
    from pptx import Presentation
    from pptx.util import Emu

    from egovdeck.charts.native import add_native_chart
    from egovdeck.text.numfmt import parse_format
    from test_chart_crowding import _deck_theme

    prs = Presentation()
    prs.slide_width, prs.slide_height = Emu(12192000), Emu(6858000)
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    add_native_chart(slide, chart, Emu(40 * 12700), Emu(100 * 12700), Emu(round(frame[0] * 12700)),
                     Emu(round(frame[1] * 12700)), _deck_theme())
    buf = io.BytesIO()
    prs.save(buf)
    import zipfile

    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as z:
        xml = etree.fromstring(z.read("ppt/charts/chart1.xml"))
    ns = {"c": "http://schemas.openxmlformats.org/drawingml/2006/chart"}
    ax = xml.find(".//c:valAx", ns)
    lo = float(ax.find("c:scaling/c:min", ns).get("val"))
    hi = float(ax.find("c:scaling/c:max", ns).get("val"))
    unit = float(ax.find("c:majorUnit", ns).get("val"))
    fmt = parse_format(ax.find("c:numFmt", ns).get("formatCode"))
    # LibreOffice 25.2 ticks whole steps from c:min, except a range at or below zero: it negates and swaps
    # the range first and anchors at the swapped minimum, −c:max (chart2 ScaleAutomatism.cxx)
    anchor = -hi if lo < 0 and hi <= 0 else lo
    first = anchor + math.ceil((lo - anchor) / unit - 1e-6) * unit
    values = [first + k * unit for k in range(int((hi - first) / unit + 1e-6) + 1)]
    return [fmt.format(v) for v in values]


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(case=degenerate(), labels=st.booleans(), size=st.sampled_from(SIZES))
def test_the_deck_asks_for_the_ticks_the_pdf_draws(case, labels, size):
    """Every range (the degenerate ones too), with data labels or without (a negative bar's label moves
    the low end, by whole steps in both outputs): the PDF's tick labels are the ones the deck's c:min,
    c:max, c:majorUnit and number format make LibreOffice draw."""
    from egovdeck.charts.plan import plan_chart
    from egovdeck.document.chart import ChartRenderError

    kind, values = case
    rows = [{"c": CATS[k], "v": v} for k, v in enumerate(values)]
    ds = cc.dataset(rows, {"c": "text", "v": "number"})
    chart = cc.resolve({"kind": kind, "x": "c", "y": "v", "labels": labels}, ds)
    try:
        p = plan_chart(chart, *size, cc.THEME, cc.FONTS)
    except ChartRenderError:
        return
    pdf = sorted((t.text for t in p.text_marks("tick")), key=value_of)
    deck = _deck_axis(chart, DECK_FRAME)
    assert not _tick_problems(deck), deck
    if kind == "bar" and len(pdf) < len(deck):  # a ranking's plot narrower than the step's: every k-th
        assert set(pdf) <= set(deck) and pdf[0] == deck[0], (pdf, deck)
    else:
        assert pdf == deck, (chart.y_min, chart.y_max, chart.y_step)


# ----------------------------------------------------------------------- ranges the definition pins

PINNED_CASES = [  # (kind, values, pinned ends): LibreOffice ticked these on −y_max + k·step, the PDF on y_min
    ("bar", [-12.0, -25.0, -31.0], {"y_min": -37}),
    ("line", [-12.0, -25.0, -31.0], {"y_max": -3}),
    ("column", [-12.0, -25.0, -31.0], {"y_min": -90, "y_max": -3}),
    ("column", [-12.0, -25.0, -31.0], {"y_min": -35, "y_max": -5}),
    ("column", [12.0, 25.0, 31.0], {"y_min": 3, "y_max": 97}),
    ("line", [-0.12, -0.25, -0.31], {"y_min": -0.37, "y_max": 0}),
]


def test_pinned_ranges_at_or_below_zero_tick_alike_in_both_outputs(tmp_path):
    """A range the definition pins (one end or both) at or below zero: LibreOffice ticks it from −y_max,
    (ScaleAutomatism's swapped BaseValue), so the chosen end or the step is moved until y_min is a tick for
    both, or (no round step fits) the PDF ticks where LibreOffice does. Read from LibreOffice's rendering of
    the deck and the PDF's characters, no data labels."""
    charts = []
    for i, (kind, values, ends) in enumerate(PINNED_CASES):
        rows = [{"c": CATS[k], "v": v} for k, v in enumerate(values)]
        ds = cc.dataset(rows, {"c": "text", "v": "number"})
        charts.append(cc.resolve({"kind": kind, "x": "c", "y": "v", "labels": False, "title": "图", **ends}, ds,
                                 chart_id=f"p{i}"))
    _pptx, rendered = _deck_pdf(charts, [DECK_FRAME] * len(charts), tmp_path)
    import pdfplumber

    with pdfplumber.open(rendered) as doc:
        deck = [_numbers(page.chars) for page in doc.pages]
    found = []
    for chart, case, deck_ticks in zip(charts, PINNED_CASES, deck, strict=True):
        what = f"{case} (range {chart.y_min}..{chart.y_max}, step {chart.y_step})"
        assert (case[2].get("y_min", chart.y_min), case[2].get("y_max", chart.y_max)) == (chart.y_min, chart.y_max)
        for size in SIZES:
            pdf_ticks = _pdf_ticks(chart, size, tmp_path)
            if pdf_ticks != deck_ticks:
                found.append(f"{what}: PDF {size} ticks {pdf_ticks}, deck {deck_ticks}")
    assert not found, "\n".join(found[:12])


@st.composite
def pinned(draw):
    """(lo, hi, step, free_lo, free_hi) of a range whose ends the definition may pin anywhere."""
    lo = draw(st.floats(-1e6, 1e6).map(lambda x: float(f"{x:.3g}")))
    hi = lo + draw(st.floats(1e-3, 1e6).map(lambda x: float(f"{x:.3g}")))
    free_lo, free_hi = draw(st.booleans()), draw(st.booleans())
    step = round_step(lo, hi, draw(st.integers(2, 5)))
    if free_lo:  # the resolver's chosen ends sit on multiples of the step
        lo = clean(math.floor(lo / step + 1e-9) * step)
    if free_hi:
        hi = clean(math.ceil(hi / step - 1e-9) * step)
    return lo, hi, step, free_lo, free_hi


@given(case=pinned())
def test_a_chosen_end_or_step_makes_every_reader_tick_alike(case):
    """agreeing_range: the ends the definition pins stay; an end the resolver chose moves out by less than
    a step (less than two for a free high end crossing zero); then LibreOffice's anchor (−hi for a range
    at or below zero) and c:min are whole steps apart, unless both ends are pinned and no round step of 2
    to 10 intervals fits (the PDF then ticks where LibreOffice does: axis_ticks)."""
    lo, hi, step, free_lo, free_hi = case
    a, b, s = agreeing_range(lo, hi, step, free_lo, free_hi)
    assert free_lo or a == lo
    assert free_hi or b == hi
    assert lo - s < a <= lo and hi <= b < hi + 2 * s
    if free_lo or free_hi:
        assert s == step and anchors_agree(a, b, s), (a, b, s)
    t = axis_ticks(a, b, s)
    anchor = -b if a < 0 and b <= 0 else a
    assert all(abs((v - anchor) / s - round((v - anchor) / s)) < 1e-3 for v in t.values), (a, b, s, t.values)
