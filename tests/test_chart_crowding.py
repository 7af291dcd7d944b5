"""Chart labels never crowd or overlap, in the PDF and in LibreOffice's rendering of the deck (issue 16,
charts): columns close in value, 2-40 categories, combos with a rate on the secondary axis, pies and
doughnuts of 2-40 slices of any sizes (all equal, very unequal, many tiny).

Charts are resolved from a spec and data (the production path). PDF: the chart alone on a page of its
size, read with pdfplumber (character boxes, the bars' rectangles, the line's markers). Deck: native
charts on slides of the deck's size and text sizes, converted by LibreOffice, read the same way.

What a reader sees wrong, checked on every generated chart:
- a character outside the chart, two characters over each other (chartcheck);
- two numbers run together: characters closer than RUN_GAP pt read as one word, and a word made only of
  number characters must be one well-formed number (「138,247138,800」 is not);
- a number split across lines (a slice label's share or value not whole on one line);
- PDF combos: a label of the line drawn over a column, a point of the line under a column top, a
  negative tick label on the axis of an all-positive rate.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pdfplumber
import pytest
import yaml
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

import chartcheck as cc
from conftest import examples
from egovdeck.charts.labelfit import LabelFit, fit_labels, label_gap

SIZES = [(482.0, 202.0), (231.0, 185.0), (482.0, 270.0)]  # the built-in layouts' PDF chart boxes
DECK_FRAMES = [(427.0, 372.0), (554.0, 372.0)]  # two-charts and chart-text frames of the deck (pt)
RUN_GAP = 3.0  # pt: pdfplumber's x_tolerance; characters closer than this are one word to a reader
NUMBER_CHARS = re.compile(r"^[\d,.%−\-+]+$")
ONE_NUMBER = re.compile(r"^[−\-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?%?$")
NUMBER = re.compile(r"[−\-+]?\d[\d,]*(?:\.\d+)?%?")
CATS = list("甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥")
SLICES = ["信息公开", "网上办事", "政务动态", "互动交流", "专题专栏", "其他栏目", "机构职能", "政策文件", "解读回应",
          "办事指南", "数据开放", "公众参与"]


# ----------------------------------------------------------------------------- reading


def runs(chars: list[dict], join: float = RUN_GAP) -> list[str]:
    """Upright characters in words as a reader groups them: the same line (baseline and size), each
    closer than `join` pt to the one before."""
    rows: dict[tuple[int, int], list[dict]] = {}
    for c in chars:
        if c["text"].isspace() or c.get("upright") is False:
            continue
        rows.setdefault((round(c["bottom"]), round(c["size"] * 2)), []).append(c)
    out = []
    for row in rows.values():
        row.sort(key=lambda c: c["x0"])
        word = [row[0]]
        for c in row[1:]:
            if c["x0"] - word[-1]["x1"] >= join:
                out.append("".join(ch["text"] for ch in word))
                word = [c]
            else:
                word.append(c)
        out.append("".join(ch["text"] for ch in word))
    return out


def run_together(words: list[str]) -> list[str]:
    """Words made only of number characters that are not one number: two labels read as one."""
    return [w for w in words if NUMBER_CHARS.match(w) and any(ch.isdigit() for ch in w) and not ONE_NUMBER.match(w)]


def page_chars(pdf: Path, page: int = 0) -> tuple[list[dict], list[dict], list[dict], float, float]:
    import pdfplumber

    with pdfplumber.open(pdf) as d:
        p = d.pages[page]
        return list(p.chars), list(p.rects), list(p.curves), float(p.width), float(p.height)


def boxes_of(chars: list[dict]) -> list[cc.Box]:
    return [cc.Box(c["text"], c["x0"], c["x1"], c["top"], c["bottom"], c["size"]) for c in chars if c["text"].strip()]


def touches(a: dict | cc.Box, b: dict, tol: float = 0.3) -> bool:
    ax0, ax1, at, ab = (a.x0, a.x1, a.top, a.bottom) if isinstance(a, cc.Box) else (a["x0"], a["x1"], a["top"], a["bottom"])
    return min(ax1, b["x1"]) - max(ax0, b["x0"]) > tol and min(ab, b["bottom"]) - max(at, b["top"]) > tol


# ----------------------------------------------------------------------------- the rule itself


@given(widths=st.lists(st.floats(0.5, 6.0), min_size=2, max_size=40), pitch=st.floats(2.0, 120.0),
       size=st.sampled_from([8.5, 12.0]))
def test_fit_labels_keeps_the_gap(widths, pitch, size):
    """Whatever the widths and pitch: the labels it shows keep label_gap between neighbours (flat: the
    widest pair; rotated: one line; thinned: the shown ones k slots apart), never below the floor."""
    floor = 6.5 if size < 10 else 9.0
    fit = fit_labels(widths, pitch, size, floor)
    assert floor <= fit.size <= size
    n = len(widths)
    if fit.rotated:
        assert fit.size + label_gap(fit.size) <= pitch + 1e-6
    elif fit.step == 1:
        assert all((a + b) / 2 * fit.size + label_gap(fit.size) <= pitch + 1e-6 for a, b in zip(widths, widths[1:], strict=False))
    else:
        shown = [i for i in range(n) if fit.shown(i, n)]
        assert n - 1 in shown  # the latest keeps its label
        assert all((widths[a] + widths[b]) / 2 * fit.size + label_gap(fit.size) <= (b - a) * pitch + 1e-6
                   for a, b in zip(shown, shown[1:], strict=False))
    assert LabelFit(size).step == 1


# ----------------------------------------------------------------------------- PDF: columns and combos


def _close_values(draw, n: int) -> list[int]:
    base = draw(st.integers(1_000, 900_000))
    spread = draw(st.sampled_from([0.0, 0.005, 0.02, 0.1]))
    return [round(base * (1 + spread * draw(st.floats(-1, 1)))) for _ in range(n)]


@st.composite
def column_chart(draw):
    n = draw(st.integers(2, 40))
    kind = draw(st.sampled_from(["column", "combo", "combo"]))
    cats = [f"{2000 + i}年" if draw(st.booleans()) else CATS[i % len(CATS)] + str(i) for i in range(n)]
    cats = list(dict.fromkeys(cats))
    n = len(cats)
    vals = _close_values(draw, n)
    if draw(st.booleans()) and n > 3:  # a gap in the data, as a missing year
        vals[draw(st.integers(0, n - 1))] = None
    rows = [{"x": c, "a": v} for c, v in zip(cats, vals, strict=True)]
    spec = {"kind": kind, "x": "x", "y": "a", "format": "#,##0"}
    types = {"x": "text", "a": "integer"}
    if kind == "combo":
        negative = draw(st.booleans()) and draw(st.booleans())
        lo = -15.0 if negative else 0.0
        for r in rows:
            r["r"] = round(draw(st.floats(lo, 20.0)), 1) if draw(st.integers(0, 5)) else None
        if all(r["r"] is None for r in rows):
            rows[-1]["r"] = 1.4
        types["r"] = "number"
        spec.update(y=["a", "r"], secondary=["r"], format2="0.0%")
    ds = cc.dataset(rows, types)
    return cc.resolve(spec, ds), draw(st.sampled_from(SIZES))


def _combo(cats: list[str], cols: list[int | None], rates: list[float | None], **spec):
    """A combo resolved from data: columns `a` on the left axis, a percent rate `r` on the right."""
    rows = [{"x": c, "a": a, "r": r} for c, a, r in zip(cats, cols, rates, strict=True)]
    ds = cc.dataset(rows, {"x": "text", "a": "integer", "r": "number"})
    return cc.resolve({"kind": "combo", "x": "x", "y": ["a", "r"], "secondary": ["r"], "format": "#,##0",
                       "format2": "0.0%", **spec}, ds)


# Found after the chart branches merged: ten columns close in value (the resolver's range 0-25,000) whose
# labels go upright in a 231 pt box; the line's band was worked out for flat labels, and the last pass
# took an axis that ran the line (and its 「0.0%」) across the columns.
MERGED_COMBO = _combo(["2000年", "乙1", "2002年", "2003年", "戊4", "己5", "2006年", "2007年", "壬8", "2009年"],
                      [None, 12712, 12759, 12739, 12661, 12652, 12727, 12670, 12724, 12763],
                      [2.5, 8.5, 0.0, 14.1, 2.0, None, 11.7, 12.5, 1.4, None])


@settings(max_examples=examples("chart"), deadline=None, suppress_health_check=list(HealthCheck),
          phases=[Phase.explicit, Phase.reuse, Phase.generate])  # one example takes a second: no shrinking
@given(case=column_chart())
@example(case=(MERGED_COMBO, (231.0, 185.0)))
def test_pdf_column_labels_never_run_together(case, tmp_path_factory):
    chart, (w, h) = case
    pdf = cc.chart_pdf(chart, w, h, tmp_path_factory.mktemp("c") / "c.pdf")
    _check_column_chart(chart, pdf)


def _check_column_chart(chart, pdf: Path, line_over_columns: bool = False) -> None:
    """No text outside, over another or run together; a combo's line labels never over a column, its
    points above the column under them (unless line_over_columns: a pinned axis that leaves no room)."""
    chars, rects, curves, pw, ph = page_chars(pdf)
    boxes = boxes_of(chars)
    assert cc.outside(boxes, pw, ph) == []
    assert cc.overlaps(boxes) == []
    assert run_together(runs(chars)) == []
    if chart.kind != "combo":
        return
    line = next(s for s in chart.series if s.secondary)
    color = tuple(round(int(line.color[k:k + 2], 16) / 255, 3) for k in (0, 2, 4))
    bar_color = tuple(round(int(chart.series[0].color[k:k + 2], 16) / 255, 3) for k in (0, 2, 4))

    def rgb(x) -> tuple:
        return tuple(round(float(v), 3) for v in (x or ()))[:3]

    bars = [r for r in rects if rgb(r.get("non_stroking_color")) == bar_color and r["x1"] - r["x0"] < pw / 3
            and r["bottom"] - r["top"] > 0.5]
    # the columns stand on one baseline (all values positive); the legend's key sits under the plot
    legend_top = Counter(round(b["bottom"], 1) for b in bars).most_common(1)[0][0] + 0.5 if bars else ph
    bars = [b for b in bars if b["bottom"] <= legend_top]
    words = runs(chars)
    # a label of the line (drawn in the line's colour) never over a column
    line_chars = [c for c in chars if rgb(c.get("non_stroking_color")) == color and c["top"] < legend_top]
    for c in line_chars:
        hit = [b for b in bars if touches(boxes_of([c])[0], b)]
        assert not hit, (c["text"], c["x0"], c["top"])
    # the right axis of an all-positive rate has no negative tick label
    if all(v >= 0 for v in line.values if v is not None):
        assert not [w for w in words if re.fullmatch(r"[−\-]\d+(?:\.\d+)?%", w)]
    # every point of the line above the top of the column under it (the line's own markers)
    dots = [c for c in curves if rgb(c.get("non_stroking_color")) == color and c["x1"] - c["x0"] < 8
            and c["bottom"] < legend_top - 1]
    if line_over_columns:
        return
    for d in dots:
        cx = (d["x0"] + d["x1"]) / 2
        under = [b for b in bars if b["x0"] - 0.5 <= cx <= b["x1"] + 0.5]
        assert all(d["bottom"] <= b["top"] + 0.5 for b in under), (cx, d["bottom"], [b["top"] for b in under])


@pytest.mark.parametrize("size", SIZES)
def test_pdf_combo_line_labels_off_the_columns_on_a_pinned_axis(size, tmp_path):
    """Both axes pinned by the definition so the line must cross the columns: its labels still never sit
    on a column (the other side of the point, or none), nor on another label."""
    chart = replace(MERGED_COMBO, y_min=0.0, y_max=14000.0, y_min_auto=False, y_max_auto=False,
                    y2_min=0.0, y2_max=15.0)
    pdf = cc.chart_pdf(chart, *size, tmp_path / "c.pdf")
    _check_column_chart(chart, pdf, line_over_columns=True)


def test_pdf_newuser_combo_labels_apart_and_line_above(tmp_path):
    """The new user's figure 3 (政务机构微博数量及增速, 231 × 185 pt): three labels close in value were
    read as one word 「138,247138,800140,837」 and the growth line ran across the columns."""
    rows = [{"x": "2015年12月", "a": 114706, "r": None}, {"x": "2016年12月", "a": 125098, "r": 9.0},
            {"x": "2017年12月", "a": None, "r": None}, {"x": "2018年12月", "a": 138247, "r": None},
            {"x": "2019年12月", "a": 138800, "r": 0.4}, {"x": "2020年12月", "a": 140837, "r": 1.43}]
    ds = cc.dataset(rows, {"x": "text", "a": "integer", "r": "number"})
    chart = cc.resolve({"kind": "combo", "x": "x", "y": ["a", "r"], "secondary": ["r"], "format": "#,##0",
                        "format2": "0.0%", "y_title": "个", "y2_title": "%"}, ds)
    pdf = cc.chart_pdf(chart, 230.94, 184.76, tmp_path / "c.pdf")
    chars, rects, curves, pw, ph = page_chars(pdf)
    words = runs(chars)
    for label in ("138,247", "138,800", "140,837", "0.4%", "1.4%", "9.0%"):
        assert label in words, (label, words)
    assert run_together(words) == []
    assert not [w for w in words if w.startswith("−")]
    tops = {round((r["x0"] + r["x1"]) / 2): r["top"] for r in rects if r["bottom"] - r["top"] > 20}
    dots = [c for c in curves if c["x1"] - c["x0"] < 8 and c["bottom"] < max(r["bottom"] for r in rects) - 5]
    assert len(dots) >= 3
    for d in dots:
        cx = (d["x0"] + d["x1"]) / 2
        assert all(d["bottom"] < top for x, top in tops.items() if abs(x - cx) < 10), (cx, d, tops)


# ----------------------------------------------------------------------------- PDF: pies and doughnuts


@st.composite
def pie_chart(draw):
    n = draw(st.integers(2, 12))
    kind = draw(st.sampled_from(["pie", "doughnut"]))
    vals = [round(10 ** draw(st.floats(0, 5.5))) for _ in range(n)]
    rows = [{"x": SLICES[i], "y": v} for i, v in enumerate(vals)]
    ds = cc.dataset(rows, {"x": "text", "y": "integer"})
    return cc.resolve({"kind": kind, "x": "x", "y": "y", "format": "#,##0"}, ds)


@settings(max_examples=examples("chart"), deadline=None, suppress_health_check=list(HealthCheck),
          phases=[Phase.explicit, Phase.reuse, Phase.generate])  # one example takes a second: no shrinking
@given(chart=pie_chart(), size=st.sampled_from(SIZES))
def test_pdf_slice_labels_whole_and_apart(chart, size, tmp_path_factory):
    w, h = size
    pdf = cc.chart_pdf(chart, w, h, tmp_path_factory.mktemp("p") / "p.pdf")
    chars, _, _, pw, ph = page_chars(pdf)
    boxes = boxes_of(chars)
    assert cc.outside(boxes, pw, ph) == [] and cc.overlaps(boxes) == []
    words = runs(chars)
    assert run_together(words) == []
    for text in chart.slice_texts():  # a slice's value line is whole on one line, or not drawn at all
        if text is not None and any(NUMBER.findall(text)[0] in wd for wd in words):
            assert text in words or any(text in wd for wd in words), (text, words)
    squashed = "".join(c["text"] for c in chars)
    for name, text in zip(chart.categories, chart.slice_texts(), strict=True):  # by its label or the legend
        assert text is None or name in squashed, name


# ----------------------------------------------------------------------------- the deck, as LibreOffice draws it


def _deck_theme():
    return replace(cc.THEME, chart_label_size=12.0, chart_tick_size=11.0, chart_legend_size=11.0)


def _deck_pdf(charts: list, frames: list[tuple[float, float]], tmp: Path) -> tuple[Path, Path]:
    """One chart per 16:9 slide at (40, 100) pt in its frame, as the deck's layouts place them; the deck and
    LibreOffice's PDF of it."""
    from pptx import Presentation
    from pptx.util import Emu

    from clients import libreoffice_to_pdf
    from egovdeck.charts.native import add_native_chart

    prs = Presentation()
    prs.slide_width, prs.slide_height = Emu(12192000), Emu(6858000)
    for chart, (w, h) in zip(charts, frames, strict=True):
        slide = prs.slides.add_slide(prs.slide_layouts[6])
        add_native_chart(slide, chart, Emu(40 * 12700), Emu(100 * 12700), Emu(round(w * 12700)),
                         Emu(round(h * 12700)), _deck_theme())
    tmp.mkdir(parents=True, exist_ok=True)
    pptx = tmp / "deck.pptx"
    prs.save(pptx)
    return pptx, libreoffice_to_pdf(pptx, tmp / "lo")


def _deck_labels(pptx: Path) -> list[list[str]]:
    """Per chart, the texts of the data labels the deck asks for (pies: the shown slices' lines)."""
    import zipfile

    from lxml import etree

    from egovdeck.ooxml import qn

    out = []
    with zipfile.ZipFile(pptx) as z:
        names = sorted((n for n in z.namelist() if n.startswith("ppt/charts/chart")),
                       key=lambda n: int(re.sub(r"\D", "", n)))
        for n in names:
            xml = etree.fromstring(z.read(n))
            texts = []
            for lbl in xml.iter(qn("c:dLbl")):
                if lbl.find(qn("c:delete")) is None and lbl.find(qn("c:tx")) is not None:
                    texts += ["".join(t.text for t in p.iter(qn("a:t"))) for p in lbl.find(qn("c:tx")).iter(qn("a:p"))]
            out.append(texts)
    return out


def _turned(c: dict) -> bool:
    """A character of text reading upwards (its text matrix turns it 90°)."""
    a, b = (c.get("matrix") or (1, 0, 0, 1, 0, 0))[:2]
    return abs(a) < 1e-3 and abs(b) > 1e-3


def _slanted(c: dict) -> bool:
    a, b, cc_, d = (c.get("matrix") or (1, 0, 0, 1, 0, 0))[:4]
    return abs(a) > 1e-3 and abs(b) > 1e-3 and abs(cc_) > 1e-3 and abs(d) > 1e-3


def _check_deck_page(chars: list[dict], frame: tuple[float, float], label_texts: list[str], what: str) -> None:
    x0, top = 40.0, 100.0
    x1, bottom = x0 + frame[0], top + frame[1]
    shown = [c for c in chars if c["text"].strip()]
    off = [c["text"] for c in shown if c["x0"] < x0 - 1 or c["x1"] > x1 + 1 or c["top"] < top - 1
           or c["bottom"] > bottom + 1]
    assert not off, f"{what}: characters outside the chart frame: {''.join(off)[:40]}"
    # LibreOffice turns crowded category names 45° on its own; the axis-aligned boxes of slanted characters
    # overlap where the glyphs do not, so those are left out of the overlap check (not of the others)
    pairs = cc.overlaps(boxes_of([c for c in shown if not _slanted(c)]))
    assert not pairs, f"{what}: {len(pairs)} characters drawn over others, e.g. {pairs[0][0].text}{pairs[0][1].text}"
    words = runs(shown)
    assert run_together(words) == [], f"{what}: numbers run together: {run_together(words)[:4]}"
    seen = {x for wd in runs(shown, join=10.0) for x in NUMBER.findall(wd.replace(" ", ""))}
    for text in label_texts:  # every number of every label the deck shows, whole on one line
        for num in NUMBER.findall(text):
            assert num in seen, f"{what}: {num!r} of the label {text!r} is not whole on one line"


@st.composite
def deck_case(draw):
    charts, frames = [], []
    for kind in ("combo", "column", "pie", "doughnut"):
        if kind in ("pie", "doughnut"):
            chart = draw(pie_chart())
            chart = replace(chart, kind=kind)
        else:
            chart, _ = draw(column_chart().filter(lambda c, k=kind: c[0].kind == k))
        charts.append(chart)
        frames.append(draw(st.sampled_from(DECK_FRAMES)))
    return charts, frames


@settings(max_examples=examples("deck", 3), deadline=None, suppress_health_check=list(HealthCheck),
          phases=[Phase.explicit, Phase.reuse, Phase.generate])  # one example takes a second: no shrinking
@given(case=deck_case())
def test_deck_labels_whole_and_apart_in_libreoffice(case, tmp_path_factory):
    """Each example: a deck of a combo with a rate, columns close in value and a pie and a doughnut of very
    different slices, converted by LibreOffice (skipped without soffice, failed in CI)."""
    charts, frames = case
    pptx, pdf = _deck_pdf(charts, frames, tmp_path_factory.mktemp("deck"))
    labels = _deck_labels(pptx)
    for k, (chart, frame) in enumerate(zip(charts, frames, strict=True)):
        chars = page_chars(pdf, k)[0]
        texts = labels[k] if chart.kind in ("pie", "doughnut") else []
        _check_deck_page(chars, frame, texts, f"{chart.kind} of {len(chart.categories)} in {frame}")


@st.composite
def upright_columns(draw):
    """A column chart whose labels read upwards (12-26 categories, five- and six-digit values close to
    and under a round number, so that the resolver's range ends just above the tallest column), in a
    deck frame."""
    n = draw(st.integers(12, 26))
    top = draw(st.sampled_from([8, 9, 80, 90, 800, 900])) * 10_000
    vals = [round(top * (0.95 + 0.0499 * draw(st.floats(0, 1)))) for _ in range(n)]
    if draw(st.booleans()):  # a dip, as a bad year
        vals[draw(st.integers(0, n - 1))] = round(top * 0.4)
    rows = [{"x": CATS[i % len(CATS)] + str(i), "a": v} for i, v in enumerate(vals)]
    chart = cc.resolve({"kind": "column", "x": "x", "y": "a", "format": "#,##0"},
                       cc.dataset(rows, {"x": "text", "a": "integer"}))
    return chart, draw(st.sampled_from(DECK_FRAMES))


# Found in LibreOffice's rendering: 18 columns near 78,700 on the resolver's 0-80,000 range, 427 x 372 pt:
# the labels read upwards and the tallest ones ended 1.7 pt above the chart frame.
UPRIGHT_787 = [787, 780, 785, 779, 786, 781, 783, 784, 782, 787, 780, 786, 785, 781, 779, 783, 784, 782]


@settings(max_examples=examples("deck", 3), deadline=None, suppress_health_check=list(HealthCheck),
          phases=[Phase.explicit, Phase.reuse, Phase.generate])  # one example takes seconds: no shrinking
@example(case=(cc.resolve({"kind": "column", "x": "x", "y": "a", "format": "#,##0"},
                          cc.dataset([{"x": CATS[i] + str(i), "a": 100 * v} for i, v in enumerate(UPRIGHT_787)],
                                     {"x": "text", "a": "integer"})), (427.0, 372.0)))
@given(case=upright_columns())
def test_deck_upright_column_labels_inside_the_frame(case, tmp_path_factory):
    """Column labels turned to read upwards (too wide side by side) stay inside the chart frame in
    LibreOffice's rendering, within the 1 pt every text keeps: the value axis gives the longest label room
    above the tallest column."""
    chart, frame = case
    pptx, pdf = _deck_pdf([chart], [frame], tmp_path_factory.mktemp("upright"))
    chars = page_chars(pdf, 0)[0]
    _check_deck_page(chars, frame, [], f"column of {len(chart.categories)} in {frame}")


COMBO_CSV = "x,a,r\n2015-12,114706,\n2016-12,125098,9.0\n2017-12,,\n2018-12,138247,\n2019-12,138800,0.4\n" \
    "2020-12,140837,1.43\n"


def _combo_project(root: Path) -> Path:
    """The new user's combo (columns of 114,706 … 140,837 with gaps, a rate of 0.4 … 9.0 % on a right axis) in a
    report of its own: built as every chart is, its axes and labels decided by the engine for both outputs."""
    (root / "data").mkdir(parents=True)
    (root / "reports").mkdir()
    (root / "data" / "w.csv").write_text(COMBO_CSV, encoding="utf-8")
    (root / "data" / "w.yaml").write_text(yaml.safe_dump({
        "title": "政务机构微博数量", "file": "w.csv", "source": "资料来源：测试", "columns": {
            "x": {"type": "period", "label": "时间"},
            "a": {"type": "integer", "label": "微博数量", "unit": "个", "required": False},
            "r": {"type": "number", "label": "增长率", "unit": "%", "required": False}}}, allow_unicode=True),
        encoding="utf-8")
    chart = {"kind": "combo", "dataset": "w", "x": "x", "y": ["a", "r"], "secondary": ["r"], "format": "#,##0",
             "format2": "0.0%", "y_title": "个", "y2_title": "%"}
    (root / "reports" / "r.yaml").write_text(yaml.safe_dump({
        "report": {"id": "cb", "title": "组合图", "date": "2020-05-20", "pdf_standard": "none"},
        "datasets": ["data/w.yaml"],
        "sections": [{"id": "s", "title": "微博", "findings": [{
            "id": "f", "title": "政务机构微博数量", "layout": "chart-wide", "text": "微博数量逐年增加。",
            "slots": {"chart": chart}}]}]}, allow_unicode=True), encoding="utf-8")
    return root / "reports" / "r.yaml"


def test_deck_newuser_combo_and_many_slices_in_libreoffice(tmp_path):
    """The new user's combo (built whole: its axes and labels are the engine's, decided for both outputs) and a
    doughnut of twelve slices (297,176 down to 500): the column labels apart, every slice label whole, the small
    slices named in the legend."""
    from clients import libreoffice_to_pdf
    from egovdeck.engine.build import build
    from readercheck import deck_problems

    out = tmp_path / "combo" / "output"
    build(_combo_project(tmp_path / "combo"), output_dir=out, use_cache=False, formats=("pptx",))
    drawn = libreoffice_to_pdf(out / "cb.pptx", tmp_path / "combo" / "lo")
    with pdfplumber.open(drawn) as doc:
        slide = next(i for i, p in enumerate(doc.pages) if "140,837" in (p.extract_text() or ""))
    combo_words = runs(page_chars(drawn, slide)[0])
    for label in ("138,247", "138,800", "140,837", "0.4%", "1.4%", "9.0%"):
        assert label in combo_words, (label, combo_words)
    assert not [w for w in combo_words if w.startswith("−")]  # no negative rate on the right axis
    assert deck_problems(out / "cb.pptx", drawn) == []
    vals = [297176, 120000, 60000, 33000, 20000, 9000, 5000, 3000, 2000, 1200, 800, 500]
    ring = cc.resolve({"kind": "doughnut", "x": "x", "y": "y", "format": "#,##0"},
                      cc.dataset([{"x": c, "y": v} for c, v in zip(SLICES, vals, strict=True)],
                                 {"x": "text", "y": "integer"}))
    frames = [(427.0, 372.0)]
    pptx, pdf = _deck_pdf([ring], frames, tmp_path)
    labels = _deck_labels(pptx)
    _check_deck_page(page_chars(pdf, 0)[0], frames[0], labels[0], "doughnut")
    ring_words = runs(page_chars(pdf, 0)[0], join=10.0)
    assert "信息公开" in labels[0] and len(labels[0]) < 2 * len(SLICES)  # the small slices left to the legend
    for name in SLICES:  # every slice named: by its label or in the legend
        assert any(name in w for w in ring_words), name


LATIN = ["Open data", "Portal", "App", "E-service", "Hotline 12345", "Q&A", "WeChat"]


@st.composite
def many_slices(draw):
    """A pie or doughnut of 2-40 slices of the kinds that crowd labels: all equal, very unequal (1 to
    300,000), one slice of nearly everything and many tiny ones, all close; names CJK and Latin of 1-16
    characters, each different; any label position."""
    n = draw(st.integers(2, 40))
    kind = draw(st.sampled_from(["pie", "doughnut"]))
    mode = draw(st.sampled_from(["equal", "unequal", "one big", "close"]))
    if mode == "equal":
        vals = [draw(st.integers(1, 50_000))] * n
    elif mode == "unequal":
        vals = [round(10 ** draw(st.floats(0, 5.5))) for _ in range(n)]
    elif mode == "one big":
        vals = [draw(st.integers(100_000, 900_000))] + [draw(st.integers(1, 300)) for _ in range(n - 1)]
    else:
        base = draw(st.integers(100, 10_000))
        vals = [base + draw(st.integers(0, base // 5)) for _ in range(n)]
    names: list[str] = []
    for i in range(n):
        name = draw(st.one_of(st.sampled_from(SLICES), st.sampled_from(LATIN),
                              st.text(alphabet=CATS + list("市区县局办公开服务"), min_size=1, max_size=16)))
        names.append(name if name not in names else f"{name}{i}")
    rows = [{"x": c, "y": v} for c, v in zip(names, vals, strict=True)]
    position = draw(st.sampled_from(["auto", "auto", "inside", "center", "outside"]))
    return cc.resolve({"kind": kind, "x": "x", "y": "y", "format": "#,##0", "label_position": position},
                      cc.dataset(rows, {"x": "text", "y": "integer"}))


def _named(chars: list[dict], names: tuple[str, ...]) -> list[str]:
    """The names not drawn anywhere on the page (a label's first line or a legend entry), spaces aside."""
    squashed = "".join(c["text"] for c in sorted(chars, key=lambda c: (round(c["bottom"]), c["x0"]))).replace(" ", "")
    return [n for n in names if n.replace(" ", "") not in squashed]


@settings(max_examples=examples("deck", 3), deadline=None,
          suppress_health_check=list(HealthCheck),
          phases=[Phase.explicit, Phase.reuse, Phase.generate])  # a deck of four takes seconds: no shrinking
@given(charts=st.lists(many_slices(), min_size=4, max_size=4), frames=st.lists(st.sampled_from(DECK_FRAMES),
                                                                               min_size=4, max_size=4))
@example(charts=[cc.resolve({"kind": kind, "x": "x", "y": "y", "format": "#,##0"},
                            cc.dataset([{"x": f"{SLICES[i % 12]}{i}", "y": v} for i, v in enumerate(vals)],
                                       {"x": "text", "y": "integer"}))
                 for kind, vals in (("pie", [1000] * 12), ("doughnut", [1000] * 40),
                                    ("pie", [297176, 120000, 60000, 33000, 20000, 9000, 5000, 3000, 2000, 1200, 800, 500]),
                                    ("doughnut", [5 + i for i in range(24)]))],
         frames=[(427.0, 372.0), (554.0, 372.0), (427.0, 372.0), (554.0, 372.0)])
def test_deck_slice_labels_apart_for_any_slices_in_libreoffice(charts, frames, tmp_path_factory):
    """Pies and doughnuts of 2-40 slices of any sizes, as LibreOffice draws the deck: every label inside
    the frame and clear of every other text, each number whole, every slice named (by its label or in the
    legend). The example count follows the profile (a few in make test, many with HYPOTHESIS_PROFILE=nightly)."""
    pptx, pdf = _deck_pdf(charts, frames, tmp_path_factory.mktemp("pies"))
    labels = _deck_labels(pptx)
    for k, (chart, frame) in enumerate(zip(charts, frames, strict=True)):
        chars = page_chars(pdf, k)[0]
        what = f"{chart.kind} of {len(chart.categories)} in {frame}"
        _check_deck_page(chars, frame, labels[k], what)
        assert _named(chars, chart.categories) == [], what


def test_deck_pie_drawn_where_pieroom_puts_it_in_libreoffice(tmp_path):
    """The pie's square is pinned (plot area manualLayout) and every label LibreOffice draws lies inside the
    box pieroom predicted for it, for labels on every side of a pie and a doughnut (the prediction the
    choice of labels rests on, checked against the drawing: the drawn characters, not pieroom's numbers)."""
    from egovdeck.charts.pieroom import pie_layout

    th = _deck_theme()
    vals = [30000, 12000, 9000, 7000, 5000, 4000, 3000, 2500, 2000, 1500]
    charts = [cc.resolve({"kind": kind, "x": "x", "y": "y", "format": "#,##0"},
                         cc.dataset([{"x": SLICES[i], "y": v} for i, v in enumerate(vals)],
                                    {"x": "text", "y": "integer"})) for kind in ("pie", "doughnut")]
    frames = [(427.0, 372.0), (554.0, 372.0)]
    pptx, pdf = _deck_pdf(charts, frames, tmp_path)
    for k, (chart, (w, h)) in enumerate(zip(charts, frames, strict=True)):
        lay = pie_layout(chart, w, h, th)
        assert len(lay.labelled) >= 4
        chars = [c for c in page_chars(pdf, k)[0] if c["text"].strip()]
        for i in lay.labelled:
            x0, y0, x1, y1 = lay.boxes[i]
            mine = [c for c in chars if 40 + x0 - 1 <= c["x0"] and c["x1"] <= 40 + x1 + 1
                    and 100 + y0 - 1 <= c["top"] and c["bottom"] <= 100 + y1 + 1]
            drawn = "".join(c["text"] for c in mine)
            assert chart.categories[i] in drawn and chart.slice_texts()[i].replace(" ", "") in drawn, \
                (chart.kind, chart.categories[i], drawn)


@pytest.mark.parametrize("kind", ["pie", "doughnut"])
def test_deck_pie_square_pinned_in_the_chart_xml(kind):
    """The plot area's c:layout pins the pie's square (layoutTarget inner, edge mode) where pieroom puts it,
    so neither PowerPoint's nor LibreOffice's own layout moves the pie the labels were chosen for."""
    from egovdeck.charts.pieroom import pie_layout
    from egovdeck.ooxml import qn
    from test_chart_layout import native_xml

    chart = cc.resolve({"kind": kind, "x": "x", "y": "y", "format": "#,##0"},
                       cc.dataset([{"x": c, "y": 10 + i} for i, c in enumerate(SLICES)], {"x": "text", "y": "integer"}))
    xml = native_xml(chart)  # an 8 x 4 inch frame
    plot = xml.find(qn("c:chart")).find(qn("c:plotArea"))
    manual = plot[0].find(qn("c:manualLayout"))
    assert plot[0].tag == qn("c:layout") and manual is not None
    got = {etree_name(e): e.get("val") for e in manual}
    assert got["layoutTarget"] == "inner" and got["xMode"] == got["yMode"] == "edge"
    want = pie_layout(chart, 576.0, 288.0, cc.THEME, 9.0).plot(576.0, 288.0)
    assert [float(got[k]) for k in ("x", "y", "w", "h")] == pytest.approx(want, abs=1e-5)
    assert float(got["w"]) * 576.0 == pytest.approx(float(got["h"]) * 288.0)  # a square


@pytest.mark.parametrize("position", ["auto", "inside", "center", "outside"])
@pytest.mark.parametrize("kind", ["pie", "doughnut"])
def test_deck_slice_labels_read_on_their_box(kind, position):
    """Every slice label the deck shows sits in a white box in an ink of at least 4.5:1 on white: a label
    wider than its slice (inEnd, ctr, a doughnut's ring) spills over neighbours of any colour."""
    from egovdeck.document.chart import contrast
    from egovdeck.ooxml import qn
    from test_chart_layout import native_xml

    chart = cc.resolve({"kind": kind, "x": "x", "y": "y", "format": "#,##0", "label_position": position},
                       cc.dataset([{"x": c, "y": 2 ** i} for i, c in enumerate(SLICES[:8])], {"x": "text", "y": "integer"}))
    shown = [lbl for lbl in native_xml(chart).iter(qn("c:dLbl")) if lbl.find(qn("c:delete")) is None]
    assert shown
    for lbl in shown:
        fill = lbl.find(qn("c:spPr")).find(qn("a:solidFill")).find(qn("a:srgbClr")).get("val")
        assert fill == "FFFFFF"
        for run in lbl.find(qn("c:tx")).iter(qn("a:rPr")):
            ink = run.find(qn("a:solidFill")).find(qn("a:srgbClr")).get("val")
            assert contrast(ink, fill) >= 4.5, (ink, fill)


def etree_name(e) -> str:
    from lxml import etree

    return etree.QName(e).localname


@pytest.mark.parametrize("kind", ["pie", "doughnut"])
def test_deck_slice_lines_not_wrapped(kind):
    """LibreOffice wrapped 「25.6%（297,176）」 inside the number: the label's lines are marked unwrappable."""
    from egovdeck.ooxml import qn
    from test_chart_layout import native_xml

    chart = cc.resolve({"kind": kind, "x": "x", "y": "y", "format": "#,##0"},
                       cc.dataset([{"x": "甲", "y": 297176}, {"x": "乙", "y": 863924}], {"x": "text", "y": "integer"}))
    xml = native_xml(chart)
    for lbl in xml.iter(qn("c:dLbl")):
        if lbl.find(qn("c:delete")) is None:
            assert {b.get("wrap") for b in lbl.iter(qn("a:bodyPr"))} == {"none"}


def test_pdf_many_slices_named_and_the_largest_labelled(tmp_path):
    """Twelve slices (297,176 down to 500) in a half-width box: the labels that fit are the largest slices'
    (网上办事 and 政务动态 lost theirs to the small ones), every other slice is named in the legend with its share
    (in a box this short, charts/plan/pie.py may name them all there: the pie keeps its room)."""
    vals = [297176, 120000, 60000, 33000, 20000, 9000, 5000, 3000, 2000, 1200, 800, 500]
    chart = cc.resolve({"kind": "doughnut", "x": "x", "y": "y", "format": "#,##0"},
                       cc.dataset([{"x": c, "y": v} for c, v in zip(SLICES, vals, strict=True)],
                                  {"x": "text", "y": "integer"}))
    pdf = cc.chart_pdf(chart, 231.0, 185.0, tmp_path / "p.pdf")
    assert cc.problems(chart, 231.0, 185.0, tmp_path / "q.pdf") == []
    words = runs(page_chars(pdf)[0])
    texts = chart.slice_texts()
    shown = [i for i, t in enumerate(texts) if t in words]
    assert shown == list(range(len(shown)))  # the largest first
    squashed = cc.text_of(pdf)
    assert all(name in squashed for name in SLICES)
    total = sum(vals)
    assert all(f"{100 * v / total:.1f}%" in squashed for v in vals[:3]), squashed  # every share is read somewhere
