"""A data label sits at its own bar (issue 16, charts; a new user's five-series chart, breaker6 faults 5 and 10).

hypothesis resolves grouped column and bar charts of 1-5 series and 1-14 categories, with negative values and
every `label_position`, through the resolver (tests/chartcheck.py), draws the PDF-side chart alone and reads
it back with pdfplumber: the bars (filled rectangles) and the numbers drawn. Every data label found lies
inside its bar or beyond its bar's end, touching distance from it (never moved on past a neighbour, where
「1.6」 stood at the height of the 13.1 column beside it and read as that column's value); and the bar it is
read with is its own: bar lengths over the values are one scale for the whole chart.

Each value differs from every other in magnitude and has a nonzero last decimal, so a number drawn is the
label of exactly one point, never an axis tick.
"""

from __future__ import annotations

import math
import re
import tempfile
from collections import defaultdict
from pathlib import Path

from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from chartcheck import chart_pdf, dataset, resolve
from conftest import examples
from readercheck import NUMBER, value_of

HAN = list("政府网站数量在线服务用户规模平台建设发展信息公开办事栏目移动互联网省级部门城市乡村统计报告")
REACH = 4.5  # pt: the farthest a label outside its bar starts from the bar end (the plans: 2.5-3 pt)
SLACK = 0.6  # pt: a label inside its bar stays within it (advance widths, rounding)


@st.composite
def grouped(draw) -> tuple[dict, list[dict], dict[str, str], float, float]:
    """A grouped column or bar chart's spec, rows and column types, and a slot of w × h pt."""
    kind = draw(st.sampled_from(["column", "bar"]))
    k = draw(st.integers(1, 5))
    n = draw(st.integers(1, 14))
    negative = draw(st.booleans())
    top = draw(st.sampled_from([20, 900, 60000]))
    # at least 1.01: an axis of a smaller range ticks in hundredths, which would read as labels
    cents = st.integers(-top * 100 if negative else 101, top * 100).filter(lambda x: abs(x) > 100 and x % 10 not in (0, 5))
    values = draw(st.lists(cents, min_size=n * k, max_size=n * k, unique_by=abs))
    cats = draw(st.lists(st.text(st.sampled_from(HAN), min_size=1, max_size=5), min_size=n, max_size=n, unique=True))
    rows = [{"cat": c, **{f"v{j}": values[j * n + i] / 100 for j in range(k)}} for i, c in enumerate(cats)]
    types = {"cat": "text", **{f"v{j}": "number" for j in range(k)}}
    spec = {"kind": kind, "x": "cat", "y": [f"v{j}" for j in range(k)], "format": "#,##0.00",
            "label_position": draw(st.sampled_from(["auto", "outside", "inside"]))}
    w = draw(st.sampled_from([240.0, 330.0, 480.0]))
    h = draw(st.sampled_from([200.0, 300.0, 420.0]))
    return spec, rows, types, w, h


def _runs(chars: list[dict]) -> list[tuple[str, tuple[float, float, float, float]]]:
    """Each run of characters as drawn (flat: one line, split at a gap of half a character; turned: one
    column, split at 2 pt), with its box (x0, top, x1, bottom)."""
    lines: dict[tuple, list[dict]] = defaultdict(list)
    for c in chars:
        if not c["text"].strip():
            continue
        if c.get("upright", True):
            lines["flat", round(c["bottom"], 0)].append(c)
        else:
            lines["turned", round(c["x0"], 0)].append(c)
    out = []
    for (how, _), cs in lines.items():
        key = (lambda c: c["x0"]) if how == "flat" else (lambda c: c["top"])
        cs.sort(key=key)
        run = [cs[0]]
        for prev, c in zip(cs, cs[1:], strict=False):
            gap = c["x0"] - prev["x1"] if how == "flat" else c["top"] - prev["bottom"]
            if gap > (c["size"] * 0.5 if how == "flat" else 2.0):
                out.append(run)
                run = []
            run.append(c)
        out.append(run)
    boxes = []
    for run in out:
        text = "".join(c["text"] for c in run)
        if not run[0].get("upright", True) and run[0]["matrix"][1] > 0:  # reads upwards: bottom first
            text = "".join(c["text"] for c in sorted(run, key=lambda c: -c["top"]))
        boxes.append((text, (min(c["x0"] for c in run), min(c["top"] for c in run),
                             max(c["x1"] for c in run), max(c["bottom"] for c in run))))
    return boxes


def labels_and_bars(pdf: Path, wanted: dict[int, float]) -> tuple[list[tuple[float, tuple]], list[dict]]:
    """The data labels drawn (value, box) and the filled rectangles of the page."""
    import pdfplumber

    with pdfplumber.open(pdf) as doc:
        page = doc.pages[0]
        labels = []
        for text, box in _runs(page.chars):
            for x in NUMBER.findall(text):
                if re.fullmatch(r"[^.]*\.\d\d", x) and abs(round(value_of(x) * 100)) in wanted:
                    labels.append((value_of(x), box))
        rects = [r for r in page.rects if r.get("fill") and max(r["width"], r["height"]) > 0.3]
    return labels, rects


def _at(kind: str, v: float, box: tuple[float, float, float, float], r: dict) -> bool:
    """Whether a label of value v with box (x0, top, x1, bottom) lies inside bar r or beyond its end,
    touching distance from it."""
    x0, top, x1, bottom = box
    if r["x0"] - SLACK <= x0 and x1 <= r["x1"] + SLACK and r["top"] - SLACK <= top and bottom <= r["bottom"] + SLACK:
        return True
    if kind == "column":
        beyond = r["top"] - bottom if v >= 0 else top - r["bottom"]
    else:
        beyond = x0 - r["x1"] if v >= 0 else r["x0"] - x1
    return -SLACK <= beyond <= REACH


def misplaced(kind: str, labels: list[tuple[float, tuple]], rects: list[dict]) -> list[str]:
    """What is wrong with where the labels stand: no bar under/beside them, beyond touching distance from
    its end, or a bar whose length does not go with the label's value (another bar's)."""
    out, pairs = [], []
    for v, (x0, top, x1, bottom) in labels:
        mid = (x0 + x1) / 2 if kind == "column" else (top + bottom) / 2
        own = [r for r in rects if (r["x0"] - 0.3 <= mid <= r["x1"] + 0.3 if kind == "column"
                                    else r["top"] - 0.3 <= mid <= r["bottom"] + 0.3)]

        at = [r for r in own if _at(kind, v, (x0, top, x1, bottom), r)]
        if not at:
            out.append(f"{v}: not at the end of a bar (box x {x0:.1f}..{x1:.1f}, y {top:.1f}..{bottom:.1f})")
            continue
        length = min(at, key=lambda r: abs(abs(v) - (r["height"] if kind == "column" else r["width"])))
        pairs.append((abs(v), length["height"] if kind == "column" else length["width"], v))
    if len(pairs) >= 2:
        big = max(pairs)
        scale = big[1] / big[0] if big[0] else 0.0
        for a, size, v in pairs:
            if scale and abs(a * scale - size) > 1.0 + 0.01 * size:
                out.append(f"{v}: at a bar {size:.1f} pt long where its value is {a * scale:.1f} pt")
    return out


@settings(deadline=None, suppress_health_check=list(HealthCheck),
          phases=[Phase.explicit, Phase.reuse, Phase.generate])
@given(case=grouped())
def test_every_pdf_data_label_stands_at_its_own_bar(case):
    spec, rows, types, w, h = case
    chart = resolve(spec, dataset(rows, types))
    # a bar that reaches the pinned range's end exactly stays on the axis: the scale from zero holds
    if chart.y_min is not None and chart.y_min > 0:
        return
    wanted = {abs(round(r[c] * 100)): r[c] for r in rows for c in spec["y"]}
    with tempfile.TemporaryDirectory() as tmp:
        labels, rects = labels_and_bars(chart_pdf(chart, w, h, Path(tmp) / "c.pdf"), wanted)
    bad = misplaced(spec["kind"], labels, rects)
    assert not bad, f"{spec['kind']} × {len(spec['y'])} series, {len(rows)} categories, {spec['label_position']}, " \
                    f"{w:.0f}×{h:.0f}: {bad[:6]}"
    assert all(math.isfinite(v) for v, _ in labels)


def test_a_five_series_chart_moves_no_label_past_its_neighbours():
    """The new user's 图6: eight cities × five years, chart-wide (breaker6 fault 5)."""
    cities = ["北京", "上海", "Xi'an 西安", "乌鲁木齐市", "成都", "克孜勒苏柯尔克孜自治州", "深圳", "拉萨"]
    years = [[8.8, 7.1, 12.9, -6.0, -6.3], [4.6, -6.7, 11.7, 1.6, 13.1], [7.4, -4.1, 7.0, -7.3, 10.5],
             [13.8, 1.4, 7.6, -2.4, -2.9], [9.9, 6.4, 3.8, 6.2, -1.9], [-7.7, 3.6, 8.1, 13.4, 13.3],
             [11.2, -0.7, 3.4, 4.9, 6.2], [-0.0, 7.2, -3.0, 8.8, -0.1]]
    rows = [{"city": c, **{f"y{j}": v for j, v in enumerate(vs)}} for c, vs in zip(cities, years, strict=True)]
    types = {"city": "text", **{f"y{j}": "number" for j in range(5)}}
    chart = resolve({"kind": "column", "x": "city", "y": [f"y{j}" for j in range(5)], "format": "0.0"},
                    dataset(rows, types))
    import pdfplumber

    with tempfile.TemporaryDirectory() as tmp:
        pdf = chart_pdf(chart, 480, 400, Path(tmp) / "c.pdf")
        with pdfplumber.open(pdf) as doc:
            page = doc.pages[0]
            runs = _runs(page.chars)
            rects = [r for r in page.rects if r.get("fill") and max(r["width"], r["height"]) > 0.3]
    bars = {}  # value -> its column (x centre order: city by city, year by year)
    from collections import Counter

    zero = Counter(round(e, 1) for r in rects for e in (r["top"], r["bottom"])).most_common(1)[0][0]
    cols = sorted((r for r in rects if zero in (round(r["top"], 1), round(r["bottom"], 1))), key=lambda r: r["x0"])
    values = [v for vs in years for v in vs if v != 0]
    # the zero-length column (-0.0) draws no rectangle
    assert len(cols) == len(values), (len(cols), len(values))
    for v, r in zip(values, cols, strict=True):
        bars[v] = r
    for text, (x0, top, x1, bottom) in runs:
        try:
            v = value_of(text)
        except ValueError:
            continue
        if "." not in text or v not in bars or v == 0:
            continue
        r = bars[v]
        assert r["x0"] - 0.3 <= (x0 + x1) / 2 <= r["x1"] + 0.3, f"{text} not over its column"
        beyond = r["top"] - bottom if v > 0 else top - r["bottom"]
        assert -SLACK <= beyond <= REACH or (r["top"] <= top and bottom <= r["bottom"]), \
            f"「{text}」 stands {beyond:.1f} pt from its column's end"


@st.composite
def inside_project(draw) -> tuple[str, list[dict]]:
    """One side-by-side bar or column chart asking for its labels inside (or centred in) the bars, in a
    wide or a narrow slot; positive values (LibreOffice 25.2 draws negative native bars as positive)."""
    kind = draw(st.sampled_from(["column", "bar"]))
    k = draw(st.integers(1, 4))
    n = draw(st.integers(2, 20))
    top = draw(st.sampled_from([30, 900, 60000]))
    cents = st.integers(101, top * 100).filter(lambda x: x % 10 not in (0, 5))
    values = draw(st.lists(cents, min_size=n * k, max_size=n * k, unique=True))
    cats = draw(st.lists(st.text(st.sampled_from(HAN), min_size=1, max_size=4), min_size=n, max_size=n, unique=True))
    rows = [[c] + [values[j * n + i] / 100 for j in range(k)] for i, c in enumerate(cats)]
    spec = {"kind": kind, "x": "cat", "y": [f"v{j + 1}" for j in range(k)], "format": "#,##0.00",
            "label_position": draw(st.sampled_from(["inside", "center"]))}
    return draw(st.sampled_from(["chart-wide", "chart-text"])), [{"spec": spec, "rows": rows, "units": ["个"] * k}]


def overlapping(labels: list[tuple[float, tuple]], pad: float = 0.3) -> list[str]:
    """The pairs of data labels whose boxes (x0, top, x1, bottom) overlap by more than `pad` pt each way."""
    out = []
    for k, (v, a) in enumerate(labels):
        for w, b in labels[k + 1:]:
            if min(a[2], b[2]) - max(a[0], b[0]) > pad and min(a[3], b[3]) - max(a[1], b[1]) > pad:
                out.append(f"{v} over {w}")
    return out


def _inside_and_misplaced(pdf: Path, kind: str, wanted: dict[int, float]) -> tuple[set[float], set[float], list[str]]:
    """Over the pages of pdf: the values drawn inside a bar, every value drawn, and misplaced or overlapping
    labels (those last prefixed 「over: 」)."""
    import pdfplumber

    inside, drawn, bad = set(), set(), []
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            labels = [(value_of(x), box) for text, box in _runs(page.chars) for x in NUMBER.findall(text)
                      if re.fullmatch(r"[^.]*\.\d\d", x) and abs(round(value_of(x) * 100)) in wanted]
            rects = [r for r in page.rects if r.get("fill") and max(r["width"], r["height"]) > 0.3
                     and r["width"] < page.width * 0.9]  # not the slide's background
            drawn |= {v for v, _ in labels}
            inside |= {v for v, (x0, top, x1, bottom) in labels
                       if any(r["x0"] - SLACK <= x0 and x1 <= r["x1"] + SLACK and r["top"] - SLACK <= top
                              and bottom <= r["bottom"] + SLACK for r in rects)}
            bad += misplaced(kind, labels, rects)
            bad += [f"over: {x}" for x in overlapping(labels)]
    return inside, drawn, bad


# ten categories of three series asking for inside labels that do not fit the deck's thin bars: beyond their ends
# LibreOffice drew 「1.09」 over 「2.05」 (the deck's fit never checked a bar chart's outside labels)
CROWDED_INSIDE = ("chart-text", [{
    "spec": {"kind": "bar", "x": "cat", "y": ["v1", "v2", "v3"], "format": "#,##0.00", "label_position": "inside"},
    "units": ["个"] * 3,
    "rows": [["规展发", 24.32, 4.85, 10.38], ["城联网", 3.59, 20.99, 25.22], ["事城网", 11.45, 2.17, 5.19],
             ["互台事", 5.83, 16.97, 14.01], ["栏计户", 21.3, 18.73, 2.26], ["开部告", 19.42, 25.89, 1.92],
             ["报开量", 20.35, 1.09, 2.05], ["移计网", 27.69, 29.51, 27.61], ["在用省", 16.55, 19.25, 23.18],
             ["事开联", 9.6, 11.91, 1.38]]}])


@settings(max_examples=examples("deck", 3), deadline=None, suppress_health_check=list(HealthCheck),
          phases=[Phase.explicit, Phase.reuse, Phase.generate])
@example(case=CROWDED_INSIDE)
@given(case=inside_project())
def test_labels_inside_bars_where_they_fit_the_same_in_both_outputs(case):
    """label_position inside: a label is inside its bar where it fits there (width and length), else beyond
    the end, else left out -- the same labels inside in the PDF and in LibreOffice's rendering of the deck
    (a new user's 12 provinces: the PDF drew every label outside, the deck inside bars thinner than the text,
    spilling onto the next bar)."""
    from clients import libreoffice_to_pdf
    from egovdeck.engine.build import build
    from test_label_agreement import _write

    layout, charts = case
    spec = charts[0]["spec"]
    wanted = {abs(round(v * 100)): v for row in charts[0]["rows"] for v in row[1:]}
    with tempfile.TemporaryDirectory(prefix="egov-inside-") as tmp:
        root = Path(tmp) / "labels"
        src = _write(root, layout, charts)
        out = root / "output"
        build(src, output_dir=out, use_cache=False, formats=("pdf", "pptx"))
        pdf_in, pdf_drawn, pdf_bad = _inside_and_misplaced(out / "labels.pdf", spec["kind"], wanted)
        deck_in, deck_drawn, deck_bad = _inside_and_misplaced(libreoffice_to_pdf(out / "labels.pptx", root / "lo"),
                                                              spec["kind"], wanted)
    what = f"{spec['kind']} × {len(spec['y'])} series, {len(charts[0]['rows'])} categories, {spec['label_position']}, {layout}"
    assert not pdf_bad, f"{what}: PDF {pdf_bad[:5]}"
    # LibreOffice's rendering: no two labels over each other (those that do not fit inside go beyond the bar
    # end, where the deck's own fit checks them: charts/deckcrowd)
    assert not [b for b in deck_bad if b.startswith("over: ")], f"{what}: deck {deck_bad[:5]}"
    assert pdf_in == deck_in, f"{what}: inside only in the PDF {sorted(pdf_in - deck_in)[:6]}, only in the deck " \
                              f"{sorted(deck_in - pdf_in)[:6]}"
    assert pdf_drawn == deck_drawn, f"{what}: only in the PDF {sorted(pdf_drawn - deck_drawn)[:6]}, only in the " \
                                    f"deck {sorted(deck_drawn - pdf_drawn)[:6]}"
