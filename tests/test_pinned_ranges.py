"""A value range the definition pins (y_min/y_max, a combo's y2_min/y2_max) either holds every value the chart
draws, or the chart is refused with the key to change (issue #16: no text of a chart crosses its canvas).

Before: a y_max below the largest column drew the PDF's columns across the chart title and past the top of the
page, and a y_max at the largest column (no room above it, so the label goes inside) stopped the build with an
internal error. The PDF is read with pdfplumber (characters and the drawn rectangles), at the built-in layouts'
chart sizes; the deck as LibreOffice renders it.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import chartcheck as cc
from conftest import copy_project
from egovdeck.resolve.charts import ChartError
from test_broken_projects import run_cli
from test_chart_crowding import SIZES

CATS = list("甲乙丙丁戊己庚辛")


@st.composite
def pinned_chart(draw):
    """(spec, rows, beyond) of a chart with one or both ends pinned: at the data's own extreme, past it, or
    short of it (beyond: the pinned key that cuts a value off, or None)."""
    kind = draw(st.sampled_from(["column", "bar", "line", "combo"]))
    n = draw(st.integers(1, 6))
    values = [draw(st.integers(-40, 400)) * draw(st.sampled_from([1, 0.5, 10])) for _ in range(n)]
    rates = [draw(st.integers(0, 100)) / 10 for _ in range(n)]
    rows = [{"c": CATS[i], "v": float(values[i]), "r": rates[i]} for i in range(n)]
    spec = {"kind": kind, "x": "c", "y": ["v", "r"] if kind == "combo" else "v", "title": "图",
            "labels": draw(st.booleans()), "format": "0.0"}
    if kind == "combo":
        spec["secondary"] = ["r"]
    beyond = None
    lo, hi = min(values), max(values)
    where = draw(st.sampled_from(["y_max", "y_min", "both"]))
    shift = draw(st.sampled_from([0, 1, -1])) * max(abs(hi - lo), 10) / 4
    if where in ("y_max", "both"):
        spec["y_max"] = hi + shift if hi + shift != 0 or lo < 0 else hi + 1
        beyond = "y_max" if spec["y_max"] < hi else None
    if where in ("y_min", "both"):
        low = min(lo, 0) if kind != "line" else lo
        spec["y_min"] = low - shift
        if "y_max" in spec and spec["y_min"] >= spec["y_max"]:
            del spec["y_min"]
        elif spec["y_min"] > low and beyond is None and spec["y_min"] > lo:
            beyond = "y_min"
    return spec, rows, beyond


@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
@given(case=pinned_chart())
@example(case=({"kind": "column", "x": "c", "y": "v", "title": "图", "labels": True, "format": "0.0", "y_max": 300.0},
               [{"c": "甲", "v": 300.0, "r": 1.0}, {"c": "乙", "v": 120.0, "r": 2.0}], None))
@example(case=({"kind": "column", "x": "c", "y": "v", "title": "图", "labels": True, "format": "0.0", "y_max": 100.0},
               [{"c": "甲", "v": 300.0, "r": 1.0}, {"c": "乙", "v": 120.0, "r": 2.0}], "y_max"))
def test_a_pinned_range_holds_the_data_or_is_refused_at_its_key(case, tmp_path_factory):
    spec, rows, beyond = case
    ds = cc.dataset(rows, {"c": "text", "v": "number", "r": "number"})
    if beyond is not None:
        with pytest.raises(ChartError) as refused:
            cc.resolve(spec, ds)
        assert refused.value.key == beyond and "remove it" in refused.value.hint
        return
    chart = cc.resolve(spec, ds)
    tmp = tmp_path_factory.mktemp("pinned")
    import pdfplumber

    for w, h in SIZES:
        pdf = cc.chart_pdf(chart, w, h, tmp / f"{w:.0f}x{h:.0f}.pdf")
        boxes, pw, ph = cc.char_boxes(pdf)
        assert not cc.outside(boxes, pw, ph), (spec, [b.text for b in cc.outside(boxes, pw, ph)])
        with pdfplumber.open(pdf) as doc:
            page = doc.pages[0]
            title = min((c["bottom"] for c in page.chars if c["text"] == "图"), default=0.0)
            for r in page.rects:  # the columns and bars: inside the page and under the title
                assert r["x0"] >= -0.3 and r["x1"] <= pw + 0.3 and r["bottom"] <= ph + 0.3, (spec, r)
                assert r["top"] >= title - 0.3, (spec, "a bar reaches the title", r)


def test_a_range_pinned_below_the_data_is_a_located_error(tmp_path):
    """The whole build: exit 1 at the pinned key's line, with the value to give instead; nothing written."""
    definition = copy_project(tmp_path / "p")
    text = definition.read_text(encoding="utf-8")
    anchor = '            format: "#,##0"\n            note: CNNIC 2015'
    assert anchor in text
    definition.write_text(text.replace(anchor, anchor.replace("note:", "y_max: 10000\n            note:"), 1),
                          encoding="utf-8")
    line = text[:text.index(anchor)].count("\n") + 2
    done = run_cli(tmp_path / "p", "build", "--only", "pdf")
    assert done.returncode == 1, done.stderr
    assert f"reports/egov-2019.yaml:{line}:" in done.stderr and "y_max" in done.stderr, done.stderr
    assert "raise y_max to 17,962 or more" in done.stderr, done.stderr
    assert not (tmp_path / "p" / "output").exists() or not any((tmp_path / "p" / "output").iterdir())
