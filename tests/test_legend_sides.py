"""legend: as asked, or a warning at the key (issue 16; a new user's legend: right on a doughnut was drawn
under it in both outputs, without a word).

Every legend value × pie and doughnut without labels: the PDF (pdfplumber) lists every slice on the side
asked, and the deck's chart XML says the same side (c:legendPos). A labelled pie names its slices beside it
(its legend lists only the slices whose label finds no room, under it), and a chart of one series has no
legend: validate warns at legend: there."""

from __future__ import annotations

import pytest

import chartcheck as cc
from conftest import copy_project
from test_broken_projects import run_cli
from test_native_chart import NS, build_pptx, chart_xml

ROWS = [{"c": n, "v": v} for n, v in [("信息公开", 16.2), ("网上办事", 3.6), ("政务动态", 3.3), ("其他", 1.3)]]


@pytest.mark.parametrize("kind", ["pie", "doughnut"])
@pytest.mark.parametrize("legend", ["bottom", "top", "right", "none"])
def test_an_unlabelled_pies_legend_stands_where_asked_in_both_outputs(kind, legend, tmp_path):
    import pdfplumber

    chart = cc.resolve({"kind": kind, "x": "c", "y": "v", "labels": False, "legend": legend},
                       cc.dataset(ROWS, {"c": "text", "v": "number"}))
    w, h = 300.0, 200.0
    pdf = cc.chart_pdf(chart, w, h, tmp_path / "c.pdf")
    assert cc.problems(chart, w, h, tmp_path / "p.pdf") == []
    with pdfplumber.open(pdf) as doc:
        page = doc.pages[0]
        words = {wd["text"]: wd for wd in page.extract_words()}
        wedges = [c for c in page.curves if c.get("fill")] + [r for r in page.rects if r.get("fill")]
    names = [r["c"] for r in ROWS]
    xml = chart_xml(build_pptx([chart]))
    pos = xml.find(".//c:legend/c:legendPos", NS)
    if legend == "none":
        assert not set(names) & set(words), f"a legend drawn: {sorted(words)}"
        assert xml.find(".//c:legend", NS) is None
        return
    assert set(names) <= set(words), f"slices not named: {sorted(set(names) - set(words))}"
    assert pos is not None and pos.get("val") == {"bottom": "b", "top": "t", "right": "r"}[legend]
    pie = [c for c in wedges if c["width"] > 20 and c["height"] > 20]  # the slices, not the legend's keys
    assert pie, "no slices read"
    px0, px1 = min(c["x0"] for c in pie), max(c["x1"] for c in pie)
    ptop, pbottom = min(c["top"] for c in pie), max(c["bottom"] for c in pie)
    for n in names:
        wd = words[n]
        if legend == "right":
            assert wd["x0"] >= px1, f"{n} not right of the pie ({wd['x0']:.1f} < {px1:.1f})"
        elif legend == "top":
            assert wd["bottom"] <= ptop, f"{n} not above the pie"
        else:
            assert wd["top"] >= pbottom, f"{n} not under the pie"
        assert wd["x0"] >= 0 and wd["x1"] <= w and wd["top"] >= 0 and wd["bottom"] <= h
    assert px0 >= 0 and px1 <= w


def test_validate_warns_at_a_legend_that_cannot_be_honoured(tmp_path):
    definition = copy_project(tmp_path / "p")
    text = definition.read_text(encoding="utf-8")
    anchor = "            kind: doughnut\n            dataset: gov_site_columns_by_type\n"
    assert text.count(anchor) == 1
    text = text.replace(anchor, anchor + "            legend: right\n", 1)
    definition.write_text(text, encoding="utf-8")
    line = text[:text.index(anchor)].count("\n") + anchor.count("\n") + 1
    done = run_cli(tmp_path / "p", "validate")
    assert done.returncode == 0, done.stderr
    out = done.stderr + done.stdout
    assert f"egov-2019.yaml:{line}:" in out and ".legend: a labelled doughnut names its slices beside it" in out, out
    assert "labels: false" in out, out
