"""A value axis uses the room its plots have (issue 16, Charts; the decisions: egovdeck.engine.ticks `_low_end`
and `_finer`, with the frames of both outputs).

No band of empty steps under small negative bars (issue 16: "data labels of negative bars sit beyond the bar
end").

A bar or column chart whose most negative bar carries its label beyond its end needs a low end with room for
that label. The resolver chose it for a value axis of 100 pt, so a wide or tall plot kept one or more whole
steps of nothing under the label (a ranking of −2.3 and −4.8 beside 45.2 ran to −40 on a slide where −20
held the label). Now the low end is the highest whole step whose room holds the label in the tighter of the
frames both outputs draw.

hypothesis writes a project of one bar or column chart with positive values and a few small negative ones,
builds it, and reads the brief with pdfplumber and LibreOffice's rendering of the deck: the value axis' tick
labels (their values and where they stand: the scale in pt per unit), the data label of the most negative
bar (its width along a bar chart's axis; its size along a column chart's: 1.4 lines), and asserts
- both outputs tick the same values;
- the lowest tick is not a whole step lower than needed: the next tick up, if it is at or below the most
  negative bar, leaves too little room for its label (its extent and a 6 pt gap) in at least one output.
"""

from __future__ import annotations

import csv
import re
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

EXAMPLES = max(3, settings().max_examples // 6)
NAMES = list("北京天津河北山西辽宁吉林上海江苏浙江安徽福建江西山东河南湖北湖南广东广西海南四川贵州云南")
TICK = re.compile(r"^[−\-]?\d[\d,]*$")  # a tick label of a whole step (data labels carry one decimal)
LABEL = re.compile(r"^[−\-]?\d[\d,]*\.\d$")
GAP = 6.0  # pt between a bar's end and its label, and beyond it
SLACK = 1.0  # pt: the frames are estimated before LibreOffice lays the deck out


def _value(text: str) -> float:
    return float(text.replace("−", "-").replace(",", ""))


def _write(root: Path, kind: str, layout: str, cats: list[str], values: list[float], unit: str = "%") -> Path:
    (root / "data").mkdir(parents=True)
    (root / "reports").mkdir()
    with open(root / "data" / "d1.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["cat", "v1"])
        w.writerows([[c, v] for c, v in zip(cats, values, strict=True)])
    meta = {"title": "生成数据", "file": "d1.csv", "source": "资料来源：测试生成数据", "unit": unit, "key": ["cat"],
            "columns": {"cat": {"type": "text", "label": "地区"}, "v1": {"type": "number", "unit": unit, "label": "增速"}}}
    (root / "data" / "d1.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
    definition = {"report": {"id": "neg", "title": "负值标签", "date": "2020-05-20", "organisation": "测试组"},
                  "datasets": ["data/*.yaml"],
                  "sections": [{"id": "s1", "title": "图表", "findings": [
                      {"id": "f1", "title": "各地增速", "layout": layout, "text": "正文说明。", "slots": {
                          "chart": {"kind": kind, "x": "cat", "y": ["v1"], "format": "#,##0.0", "dataset": "d1",
                                    "title": "各地增速"}}}]}]}
    src = root / "reports" / "neg.yaml"
    src.write_text(yaml.safe_dump(definition, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return src


def _read(pdf: Path, kind: str, lowest: str) -> dict:
    """The value axis of the one chart in `pdf` as drawn: its tick values, pt per unit, and the room (pt)
    the label `lowest` takes along the axis (bars: its width; columns: 1.4 lines of its size), the label's
    size and the gaps (pt) between neighbouring tick labels."""
    import pdfplumber

    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            words = page.extract_words(x_tolerance=1.0, extra_attrs=["size"])
            labels = [w for w in words if LABEL.match(w["text"])]
            if not labels:
                continue
            at = [w for w in labels if w["text"] == lowest]
            assert at, f"{pdf.name}: no label {lowest!r} (labels: {[w['text'] for w in labels]})"
            label = at[0]
            # whole numbers over the page's or slide's foot (a slide's date and number stand there)
            ticks = [w for w in words if TICK.match(w["text"]) and w["bottom"] < 0.9 * page.height]
            if kind == "bar":  # the tick labels: the row of most whole numbers (under the plot)
                row = max((round(w["top"]) for w in ticks),
                          key=lambda t: sum(abs(round(w["top"]) - t) <= 1 for w in ticks))
                ticks = sorted((w for w in ticks if abs(round(w["top"]) - row) <= 1), key=lambda w: w["x0"])
                pos = [(w["x0"] + w["x1"]) / 2 for w in ticks]
                extent = label["x1"] - label["x0"]
                gaps = [b["x0"] - a["x1"] for a, b in zip(ticks, ticks[1:], strict=False)]
            else:  # the column of most whole numbers right-aligned (left of the plot), top to bottom
                right = max((w["x1"] for w in ticks), key=lambda x: sum(abs(w["x1"] - x) <= 2 for w in ticks))
                ticks = sorted((w for w in ticks if abs(w["x1"] - right) <= 2), key=lambda w: -w["top"])
                pos = [-(w["top"] + w["bottom"]) / 2 for w in ticks]
                extent = 1.4 * label["size"]
                gaps = [a["top"] - b["bottom"] for a, b in zip(ticks, ticks[1:], strict=False)]
            values = [_value(w["text"]) for w in ticks]
            assert len(values) >= 2, f"{pdf.name}: tick labels {values}"
            return {"ticks": values, "ppu": (pos[-1] - pos[0]) / (values[-1] - values[0]), "extent": extent,
                    "size": label["size"], "gaps": gaps}
    raise AssertionError(f"{pdf.name}: no chart with data labels")


def _check(root: Path, kind: str, layout: str, cats: list[str], values: list[float]) -> None:
    from clients import libreoffice_to_pdf
    from egovdeck.engine.build import build

    src = _write(root, kind, layout, cats, values)
    out = root / "output"
    build(src, output_dir=out, use_cache=False, formats=("pdf", "pptx"))
    dmin = min(values)
    text = f"−{abs(dmin):,.1f}"
    pdf = _read(out / "neg.pdf", kind, text)
    # LibreOffice 25.2 draws a native chart's negative bars and their labels as positive (not ours to chase):
    # the deck's label is read without its minus, its extent scaled from the brief's by the text size
    deck = _read(libreoffice_to_pdf(out / "neg.pptx", root / "lo"), kind, text.lstrip("−"))
    deck["extent"] = pdf["extent"] * deck["size"] / pdf["size"]
    assert pdf["ticks"] == deck["ticks"], (pdf["ticks"], deck["ticks"])
    ticks = pdf["ticks"]
    step, t0 = ticks[1] - ticks[0], ticks[0]
    higher = t0 + step
    if higher > min(dmin, 0.0):
        return  # the lowest tick is the first whole step at or below the data
    empty = [((dmin - higher) * o["ppu"] - o["extent"] - GAP) for o in (pdf, deck)]
    assert min(empty) < SLACK, (f"{kind} on {layout}: the low end {t0:g} leaves a whole step of nothing under "
                                f"the label {text}: {higher:g} would hold it in both outputs "
                                f"(room to spare: {empty[0]:.1f} pt in the PDF, {empty[1]:.1f} pt in the deck)",
                                values)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck),
          phases=[Phase.explicit, Phase.reuse, Phase.generate])
@given(kind=st.sampled_from(["bar", "column"]), layout=st.sampled_from(["chart-wide", "chart-text"]), data=st.data())
def test_no_empty_step_under_a_negative_bar(kind, layout, data):
    n = data.draw(st.integers(3, 12))
    top = data.draw(st.sampled_from([50, 300, 5000]))
    neg = data.draw(st.integers(1, min(3, n - 1)))
    pos = [v / 10 for v in data.draw(st.lists(st.integers(top, top * 10), min_size=n - neg, max_size=n - neg))]
    low = [-v / 10 for v in data.draw(st.lists(st.integers(1, top * 2), min_size=neg, max_size=neg))]
    cats = data.draw(st.lists(st.sampled_from(NAMES), min_size=n, max_size=n, unique=True))
    with tempfile.TemporaryDirectory(prefix="egov-low-") as tmp:
        _check(Path(tmp) / "p", kind, layout, cats, sorted(pos, reverse=True) + sorted(low, reverse=True))


@pytest.mark.parametrize("kind", ["bar", "column"])
def test_small_negative_bars_on_a_wide_plot(tmp_path, kind):
    """−2.3 and −4.8 beside 45.2: the low end ran to −40 (bars) or −20 (columns), a whole step of nothing."""
    cats = ["北京", "天津", "河北", "山西", "内蒙古", "辽宁", "吉林", "黑龙江"]
    _check(tmp_path / "p", kind, "chart-wide", cats, [45.2, 38.1, 30.4, 22.7, 12.5, 6.1, -2.3, -4.8])


def test_a_wide_ranking_ticks_as_finely_as_it_has_room(tmp_path):
    """Values up to 78,412 in a ranking across the page and the slide: the resolver chose its step for a plot
    of 100 pt, so both outputs ticked 0, 50,000, 100,000 on plots of 350 pt and more; a finer round step
    whose labels fit every frame is taken (0, 20,000 … 80,000), the same in both outputs, the labels apart."""
    from clients import libreoffice_to_pdf
    from egovdeck.engine.build import build

    cats = ["北京", "天津", "河北", "山西", "内蒙古", "辽宁", "吉林", "黑龙江"]
    values = [78412.0, 65230.0, 51876.0, 42310.0, 30555.0, 21020.0, 12345.0, 8040.0]
    root = tmp_path / "p"
    src = _write(root, "bar", "chart-wide", cats, values, unit="个")
    build(src, output_dir=root / "output", use_cache=False, formats=("pdf", "pptx"))
    pdf = _read(root / "output" / "neg.pdf", "bar", "8,040.0")
    deck = _read(libreoffice_to_pdf(root / "output" / "neg.pptx", root / "lo"), "bar", "8,040.0")
    assert pdf["ticks"] == deck["ticks"], (pdf["ticks"], deck["ticks"])
    assert len(pdf["ticks"]) - 1 >= 4, pdf["ticks"]
    for o in (pdf, deck):
        assert o["gaps"] and min(o["gaps"]) > 2.0, o  # the tick labels apart
