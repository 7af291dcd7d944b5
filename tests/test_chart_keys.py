"""Chart keys a kind of chart does not use (issue #16: "undocumented slot keys"; a user's key silently ignored
reads as a fault of the output): validate warns at the key's line, and a key it calls ignored changes nothing
either output is drawn from (the renderers see only the resolved ChartData, so an equal ChartData is an equal
chart in the PDF and the deck)."""

from __future__ import annotations

import io
import zipfile

import pytest

import chartcheck as cc
from conftest import copy_project
from egovdeck.document.chart import CHART_KINDS
from egovdeck.input.definition import ONLY_FOR
from test_broken_projects import run_cli

ROWS = [{"c": "甲", "v": 3.0, "r": 12.5}, {"c": "乙", "v": 5.0, "r": 40.0}, {"c": "丙", "v": 2.0, "r": 7.5}]
TYPES = {"c": "text", "v": "number", "r": "number"}
VALUES = {  # a value that would change a chart that uses the key
    "stacked": True, "label_position": "inside", "other_below": 35, "end_labels": True, "highlight": ["甲"],
    "secondary": ["r"], "y2_min": 0, "y2_max": 100, "y2_title": "比例", "format2": "0.0%", "y_min": -10,
    "y_max": 1000, "y_title": "万人", "x_title": "地区", "period": "v", "label": "r", "text": "r", "x": "r",
    "y": "r", "series": "c", "sort": "desc", "top": 2, "colors": ["#C00000"], "format": "0.00", "legend": "top",
    "names": {"v": "数量"}, "labels": False,
}


def _base(kind: str) -> dict:
    if kind == "timeline":
        return {"kind": kind, "period": "c", "label": "c", "text": "c", "title": "图"}
    spec = {"kind": kind, "x": "c", "y": ["v", "r"] if kind == "combo" else "v", "title": "图"}
    if kind == "combo":
        spec["secondary"] = ["r"]
    return spec


@pytest.mark.parametrize("key", sorted(ONLY_FOR))
def test_a_key_called_ignored_changes_nothing_drawn(key):
    ds = cc.dataset(ROWS, TYPES)
    for kind in CHART_KINDS:
        if kind in ONLY_FOR[key] or key in _base(kind):
            continue
        plain = cc.resolve(_base(kind), ds)
        given = cc.resolve({**_base(kind), key: VALUES[key]}, ds)
        assert given == plain, f"{key} changes a {kind} chart, which the warning says ignores it"


@pytest.mark.parametrize("key", sorted(ONLY_FOR))
def test_a_key_for_a_kind_changes_one_of_them(key):
    """The table names no kind for a key that changes none (the value in VALUES is one that shows)."""
    ds = cc.dataset(ROWS, TYPES)
    changed = []
    for kind in ONLY_FOR[key]:
        base = _base(kind)
        if key in base:
            base = {**base, key: {"secondary": ["v"], "x": "c", "y": "v"}.get(key, base[key])}
            changed.append(kind)  # a key the kind needs
            continue
        try:
            given = cc.resolve({**base, key: VALUES[key]}, ds)
        except Exception:  # noqa: BLE001  (a value this kind refuses is not ignored either)
            changed.append(kind)
            continue
        if given != cc.resolve(base, ds):
            changed.append(kind)
    assert changed, f"{key}: none of {ONLY_FOR[key]} changes with {VALUES[key]!r}"


def test_validate_warns_at_the_ignored_key_and_at_highlight_on_several_series(tmp_path):
    definition = copy_project(tmp_path / "p")
    text = definition.read_text(encoding="utf-8")
    anchor = "            y_title: 个\n            end_labels: false\n"  # the weibo line chart
    assert text.count(anchor) == 1
    text = text.replace(anchor, anchor + "            stacked: true\n            other_below: 5\n", 1)
    grouped = "            series: period\n"  # figure 5: columns of two series
    assert text.count(grouped) == 1
    text = text.replace(grouped, grouped + "            highlight: [部委]\n", 1)
    definition.write_text(text, encoding="utf-8")
    before = text[:text.index(anchor)].count("\n") + anchor.count("\n")
    done = run_cli(tmp_path / "p", "validate")
    assert done.returncode == 0, done.stderr
    out = done.stderr + done.stdout
    assert f"egov-2019.yaml:{before + 1}:" in out and ".stacked: a line chart does not use it" in out, out
    assert f"egov-2019.yaml:{before + 2}:" in out and ".other_below: a line chart does not use it" in out, out
    assert ".highlight: a chart of several series keeps each series' own colour" in out, out


def _rgb(hex_colour: str) -> tuple[float, ...]:
    h = hex_colour.lstrip("#")
    return tuple(round(int(h[i:i + 2], 16) / 255, 2) for i in (0, 2, 4))


def test_a_line_charts_highlight_marks_the_same_points_in_both_outputs(tmp_path):
    """highlight: on a line chart colours the highlighted points' markers, in the PDF (the fills pdfplumber reads)
    as in the deck (c:dPt of the line series), and no other point (the PDF drew none; the deck dimmed the rest)."""
    import pdfplumber
    from lxml import etree
    from pptx import Presentation
    from pptx.util import Emu

    from egovdeck.charts.native import add_native_chart

    ds = cc.dataset(ROWS, TYPES)
    chart = cc.resolve({**_base("line"), "highlight": ["乙"]}, ds)
    pdf = cc.chart_pdf(chart, 482.0, 270.0, tmp_path / "line.pdf")
    with pdfplumber.open(pdf) as doc:
        page = doc.pages[0]
        marked = [o for o in page.curves + page.rects
                  if tuple(round(float(c), 2) for c in (o.get("non_stroking_color") or ())[:3]) == _rgb(cc.THEME.highlight)]
    assert len(marked) == 1, marked
    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    add_native_chart(slide, chart, Emu(0), Emu(0), Emu(554 * 12700), Emu(372 * 12700), cc.THEME)
    buf = io.BytesIO()
    prs.save(buf)
    with zipfile.ZipFile(buf) as z:
        xml = etree.fromstring(z.read("ppt/charts/chart1.xml"))
    ns = {"c": "http://schemas.openxmlformats.org/drawingml/2006/chart"}
    points = xml.findall(".//c:ser/c:dPt", ns)
    assert [p.find("c:idx", ns).get("val") for p in points] == ["1"]


def test_an_editions_highlight_cut_by_top_is_a_located_warning_not_an_error(tmp_path):
    """Resolving's warnings reach the user (they were dropped unless an error came with them): a province edition
    whose own province is not among a ranking's top: 5 builds, and says so at the highlight's line, in
    validate and in build; an edition inside the top 5 says nothing."""
    copy_project(tmp_path / "p")
    definition = tmp_path / "p" / "reports" / "egov-2019-province.yaml"
    text = definition.read_text(encoding="utf-8")
    anchor = '            highlight: ["{{ province }}"]\n'
    assert text.count(anchor) == 1
    definition.write_text(text.replace(anchor, anchor + "            top: 5\n", 1), encoding="utf-8")
    line = text[:text.index(anchor)].count("\n") + 1
    done = run_cli(tmp_path / "p", "build", str(definition.relative_to(tmp_path / "p")), "--edition", "西藏",
                   "--only", "pdf")
    assert done.returncode == 0, done.stderr
    said = done.stderr + done.stdout
    assert f"egov-2019-province.yaml:{line}:" in said and "西藏 is not among the first 5" in said, said
    assert "1 warning" in said, said
    done = run_cli(tmp_path / "p", "validate", str(definition.relative_to(tmp_path / "p")))
    assert done.returncode == 0 and done.stderr.count("西藏 is not among") == 1, done.stderr
    assert "四川 is not among" not in done.stderr and "西藏 is not among" in done.stderr, done.stderr
    done = run_cli(tmp_path / "p", "build", str(definition.relative_to(tmp_path / "p")), "--edition", "四川",
                   "--only", "pdf")
    assert done.returncode == 0 and "not among" not in done.stderr + done.stdout, done.stderr
