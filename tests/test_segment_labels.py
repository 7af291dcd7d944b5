"""Stacked segments carry their value label inside only when it fits there (issue 16, charts: white 「57.8」
on a column narrower than the text read 「7.」 in the deck). Read as a reader does: a character drawn on a
bar lies wholly on that bar -- in the PDF (pdfplumber) and in LibreOffice's rendering of the deck.

Charts are resolved from data (the production path): stacked columns and bars of 2-40 categories, values
with one decimal (wide labels), some segments negative.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

import chartcheck as cc
from conftest import examples
from test_chart_crowding import DECK_FRAMES, SIZES, _deck_pdf, page_chars


def _stacked(kind: str, a: list[float], b: list[float]):
    cats = [f"地区{i}" for i in range(len(a))]
    rows = [{"x": c, "a": x, "b": y} for c, x, y in zip(cats, a, b, strict=True)]
    ds = cc.dataset(rows, {"x": "text", "a": "number", "b": "number"})
    return cc.resolve({"kind": kind, "x": "x", "y": ["a", "b"], "stacked": True, "format": "0.0"}, ds)


@st.composite
def stacked_chart(draw):
    n = draw(st.integers(2, 40))
    kind = draw(st.sampled_from(["column", "bar"]))
    a = [round(draw(st.floats(20.0, 99.9)), 1) for _ in range(n)]
    b = [round(draw(st.floats(-15.0, 45.0)), 1) for _ in range(n)]
    return _stacked(kind, a, b)


# the new user's figure 9: 34 provinces of an index and its change, columns narrower than 「57.8」
NEWUSER = _stacked("column", [57.8, 49.6, 50.3, 56.2, 84.4, 44.1, 36.2, 97.3, 84.1] * 4,
                   [-0.4, 44.6, 28.3, 34.4, 26.7, -2.1, -10.3, 6.0, 18.9] * 4)


def _rgb(x) -> tuple:
    return tuple(round(float(v), 3) for v in (x or ()))[:3]


def _spilled(chars: list[dict], shapes: list[dict], frame: tuple[float, float, float, float]) -> list[str]:
    """Characters whose centre lies on a bar (a filled rectangle inside the plot) but whose box reaches
    past that bar's edges: a label cut by its segment's edge (white on white reads 「7.」)."""
    x0, top, x1, bottom = frame
    bars = [r for r in shapes if r.get("fill") and x0 - 1 <= r["x0"] and r["x1"] <= x1 + 1 and top - 1 <= r["top"]
            and r["bottom"] <= bottom + 1 and r["x1"] - r["x0"] > 0.5 and r["bottom"] - r["top"] > 0.5
            and (r["x1"] - r["x0"]) < (x1 - x0) * 0.9 and _rgb(r.get("non_stroking_color")) != (1.0, 1.0, 1.0)]
    out = []
    for c in chars:
        if not c["text"].strip() or c.get("upright") is False:
            continue
        cx, cy = (c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2
        under = [r for r in bars if r["x0"] <= cx <= r["x1"] and r["top"] <= cy <= r["bottom"]]
        if under and not any(r["x0"] - 0.5 <= c["x0"] and c["x1"] <= r["x1"] + 0.5 for r in under):
            out.append(c["text"])
    return out


@settings(max_examples=examples("chart"), deadline=None, suppress_health_check=list(HealthCheck),
          phases=[Phase.explicit, Phase.reuse, Phase.generate])
@given(chart=stacked_chart(), size=st.sampled_from(SIZES))
@example(chart=NEWUSER, size=(482.0, 202.0))
def test_pdf_segment_labels_lie_on_their_segment(chart, size, tmp_path_factory):
    pdf = cc.chart_pdf(chart, size[0], size[1], tmp_path_factory.mktemp("s") / "s.pdf")
    chars, rects, _curves, pw, ph = page_chars(pdf)
    assert _spilled(chars, rects, (0, 0, pw, ph)) == []
    assert cc.overlaps(cc.char_boxes(pdf)[0]) == []


def _deck_shapes(pdf: Path, page: int) -> list[dict]:
    import pdfplumber

    with pdfplumber.open(pdf) as d:
        p = d.pages[page]
        return list(p.rects) + [c for c in p.curves if len(c.get("pts") or ()) <= 5]


@settings(max_examples=examples("deck"), deadline=None, suppress_health_check=list(HealthCheck),
          phases=[Phase.explicit, Phase.reuse, Phase.generate])
@given(charts=st.lists(stacked_chart(), min_size=2, max_size=2), frame=st.sampled_from(DECK_FRAMES))
@example(charts=[NEWUSER, NEWUSER], frame=(554.0, 372.0))
def test_deck_segment_labels_lie_on_their_segment_in_libreoffice(charts, frame, tmp_path_factory):
    """LibreOffice's rendering of the deck (skipped without soffice, failed in CI)."""
    _pptx, pdf = _deck_pdf(charts, [frame] * len(charts), tmp_path_factory.mktemp("deck"))
    for k in range(len(charts)):
        chars = page_chars(pdf, k)[0]
        box = (40.0, 100.0, 40.0 + frame[0], 100.0 + frame[1])
        chars = [c for c in chars if box[0] <= c["x0"] and c["x1"] <= box[2] and box[1] <= c["top"] <= box[3]]
        assert _spilled(chars, _deck_shapes(pdf, k), box) == [], f"chart {k} of {len(charts[k].categories)}"


def _over_bars(chars: list[dict], rects: list[dict], pw: float, ph: float, tol: float = 0.3) -> list[str]:
    """Characters drawn over a bar they do not lie wholly on (an outside label across a column, its own or
    a neighbour's): each character touches at most one bar, and then lies inside it."""
    bars = [r for r in rects if r.get("fill") and r["x1"] - r["x0"] > 0.5 and r["bottom"] - r["top"] > 0.3
            and r["x1"] - r["x0"] < pw * 0.5 and _rgb(r.get("non_stroking_color")) != (1.0, 1.0, 1.0)
            and r["bottom"] < ph - 30]  # the legend's keys sit at the foot
    out = []
    for c in chars:
        if not c["text"].strip():
            continue
        hit = [r for r in bars if c["x0"] + tol < r["x1"] and r["x0"] < c["x1"] - tol
               and c["top"] + tol < r["bottom"] and r["top"] < c["bottom"] - tol]
        if len(hit) > 1 or (hit and not (hit[0]["x0"] - tol <= c["x0"] and c["x1"] <= hit[0]["x1"] + tol
                                         and hit[0]["top"] - tol <= c["top"] and c["bottom"] <= hit[0]["bottom"] + tol)):
            out.append(c["text"])
    return out


@st.composite
def signed_columns(draw):
    """A column chart of changes: 2-40 categories, values from −50 to 30 with some near zero (two decimals)."""
    n = draw(st.integers(2, 40))
    vals = [round(draw(st.one_of(st.floats(-50.0, 30.0), st.floats(-0.2, 0.2))), 2) for _ in range(n)]
    cats = [f"省{i}" for i in range(n)]
    ds = cc.dataset([{"x": c, "a": v} for c, v in zip(cats, vals, strict=True)], {"x": "text", "a": "number"})
    return cc.resolve({"kind": "column", "x": "x", "y": "a", "format": "0.00"}, ds)


NEAR_ZERO = [-44.56, -28.1, -33.4, 22.3, -0.1, -6.7, 0.0, -0.05, -18.9, -2.8, -34.4, 18.2, -0.1, 8.0, -25.8, -41.8]


@settings(max_examples=examples("chart"), deadline=None, suppress_health_check=list(HealthCheck),
          phases=[Phase.explicit, Phase.reuse, Phase.generate])
@given(chart=signed_columns(), size=st.sampled_from(SIZES))
@example(chart=cc.resolve({"kind": "column", "x": "x", "y": "a", "format": "0.00"},
                          cc.dataset([{"x": f"省{i}", "a": v} for i, v in enumerate((NEAR_ZERO * 3)[:34])],
                                     {"x": "text", "a": "number"})), size=(231.0, 185.0))
def test_pdf_column_labels_never_over_a_column(chart, size, tmp_path_factory):
    pdf = cc.chart_pdf(chart, size[0], size[1], tmp_path_factory.mktemp("n") / "n.pdf")
    chars, rects, _curves, pw, ph = page_chars(pdf)
    assert _over_bars(chars, rects, pw, ph) == []
    assert cc.overlaps(cc.char_boxes(pdf)[0]) == []


@st.composite
def grouped_columns(draw):
    """Side-by-side columns of 2-3 series, 4-36 categories, values 10-500 (labels of 2-3 digits)."""
    n = draw(st.integers(4, 36))
    k = draw(st.integers(2, 3))
    cols = {f"s{j}": [draw(st.integers(10, 500)) for _ in range(n)] for j in range(k)}
    rows = [{"x": f"省{i}", **{c: v[i] for c, v in cols.items()}} for i in range(n)]
    ds = cc.dataset(rows, {"x": "text", **{c: "integer" for c in cols}})
    return cc.resolve({"kind": "column", "x": "x", "y": list(cols), "format": "0"}, ds)


# the new user's figure 8 (slide 10): two years of 34 provinces' website counts
NEWUSER_GROUPED = cc.resolve(
    {"kind": "column", "x": "x", "y": ["a", "b"], "format": "0"},
    cc.dataset([{"x": f"省{i}", "a": a, "b": b} for i, (a, b) in enumerate(zip(
        [181, 450, 51, 96, 120, 88, 230, 310, 64, 77, 143, 205, 99, 58, 300, 412, 75] * 2,
        [134, 413, 60, 90, 131, 80, 244, 296, 70, 81, 150, 190, 102, 55, 320, 398, 70] * 2, strict=True))],
        {"x": "text", "a": "integer", "b": "integer"}))


@settings(max_examples=examples("deck"), deadline=None, suppress_health_check=list(HealthCheck),
          phases=[Phase.explicit, Phase.reuse, Phase.generate])
@given(charts=st.lists(grouped_columns(), min_size=2, max_size=2), frame=st.sampled_from(DECK_FRAMES))
@example(charts=[NEWUSER_GROUPED, NEWUSER_GROUPED], frame=(554.0, 372.0))
def test_deck_grouped_column_labels_apart_in_libreoffice(charts, frame, tmp_path_factory):
    """LibreOffice's rendering of the deck: no label over another, none over a column it is not on, none
    outside the chart frame (skipped without soffice, failed in CI)."""
    from test_chart_crowding import _check_deck_page

    _pptx, pdf = _deck_pdf(charts, [frame] * len(charts), tmp_path_factory.mktemp("deck"))
    for k in range(len(charts)):
        chars = page_chars(pdf, k)[0]
        _check_deck_page(chars, frame, [], f"grouped columns of {len(charts[k].categories)} in {frame}")
