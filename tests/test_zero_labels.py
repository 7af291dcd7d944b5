"""A zero value's label on a chart with no positive value (issue #16, Charts: "nothing overlaps the zero line's
labels"). breaker7's yearbook: values 0, 0, −4.7 under `+0.0;-0.0;0` ended the axis at 0, so the labels 「0」 of
the zero bars were centred on the zero line at the plot's edge. The range now reaches one step beyond zero
where a zero value is labelled, so the label stands clear of the line, beyond its (empty) bar's end.

Read from the chart's PDF (pdfplumber): the zero line is where the bars end (all bars are negative); no
character within the plot's span crosses it."""

from __future__ import annotations

import pdfplumber
from hypothesis import given
from hypothesis import strategies as st

import chartcheck as cc


def _crossing(pdf, kind: str) -> list[str]:
    with pdfplumber.open(pdf) as doc:
        page = doc.pages[0]
        bars = [r for r in page.rects if (r["x1"] - r["x0"]) > 1.5 and (r["bottom"] - r["top"]) > 1.5
                and r["top"] > 20]
        chars = [c for c in page.chars if c["text"].strip()]
    if not bars:
        return []
    if kind == "bar":  # negative bars run left from the zero line
        zero = max(r["x1"] for r in bars)
        lo, hi = min(r["top"] for r in bars), max(r["bottom"] for r in bars)
        return [c["text"] for c in chars if c["x0"] + 0.3 < zero < c["x1"] - 0.3
                and lo <= (c["top"] + c["bottom"]) / 2 <= hi]
    zero = min(r["top"] for r in bars)  # negative columns hang from the zero line
    lo, hi = min(r["x0"] for r in bars), max(r["x1"] for r in bars)
    return [c["text"] for c in chars if c["top"] + 0.3 < zero < c["bottom"] - 0.3
            and lo <= (c["x0"] + c["x1"]) / 2 <= hi]


@given(kind=st.sampled_from(["bar", "column"]),
       values=st.lists(st.sampled_from([0.0, 0.0, -0.04, -4.7, -12.5, -0.3, -88.0]), min_size=2, max_size=8)
       .filter(lambda vs: 0.0 in vs and any(v < 0 for v in vs)),
       fmt=st.sampled_from(["0.0", "+0.0;-0.0;0", "0.0;−0.0;持平", "#,##0"]),
       size=st.sampled_from([(482.0, 260.0), (236.0, 200.0), (320.0, 180.0)]))
def test_a_zero_label_never_sits_on_the_zero_line(tmp_path_factory, kind, values, fmt, size):
    rows = [{"name": f"单位{i + 1}", "v": v} for i, v in enumerate(values)]
    ds = cc.dataset(rows, {"name": "text", "v": "number"})
    chart = cc.resolve({"kind": kind, "x": "name", "y": "v", "format": fmt, "labels": True, "title": "变化"}, ds)
    pdf = cc.chart_pdf(chart, *size, tmp_path_factory.mktemp("z") / "c.pdf")
    assert not _crossing(pdf, kind), (chart.y_min, chart.y_max)
