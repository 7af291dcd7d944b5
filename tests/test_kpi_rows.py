"""KPI cards on the deck hold their texts whatever their number (issue #16: "no two text boxes overlapping"; a new
user's six KPIs on a template's short KPI band wrapped to a second row that ran over the first one's labels and into
the chart's caption). Generated KPI rows of 1-MAX_KPIS cards through the whole build, rendered by LibreOffice: no two
characters drawn over each other, no text outside its box (tests/deckboxes.py), every value whole (a number is never
cut) and all values of a row at one size."""

from __future__ import annotations

import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import chartcheck as cc
from clients import libreoffice_to_pdf
from conftest import examples
from deckboxes import problems
from egovdeck.input.project import MAX_KPIS

HAN = "在线政务服务用户规模网站数量比例办件增速排名省份平台"


@st.composite
def kpi_rows(draw):
    out = []
    for _ in range(draw(st.integers(1, MAX_KPIS))):
        number = draw(st.sampled_from(["6.94", "76.8", "14,474", "10.5", "4", "22", "201.97", "1,234,567"]))
        unit = draw(st.sampled_from(["亿人", "%", "个", "位", "万个", ""]))
        label = "".join(draw(st.lists(st.sampled_from(HAN), min_size=2, max_size=16)))
        change = draw(st.sampled_from(["", "较上年增长6.1%", "提高29.3个百分点", "下降2.9%"]))
        out.append({"value": number + unit, "label": label, "change": change})
    return out


def _build(root: Path, kpis: list[dict]) -> Path:
    from egovdeck.engine.build import build

    (root / "data").mkdir(parents=True)
    (root / "reports").mkdir()
    (root / "data" / "d.csv").write_text("cat,v\n甲,1\n乙,2\n丙,3\n", encoding="utf-8")
    meta = {"title": "数据", "file": "d.csv", "source": "资料来源：测试", "columns": {
        "cat": {"type": "text"}, "v": {"type": "number"}}}
    (root / "data" / "d.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
    definition = {"report": {"id": "k", "title": "指标", "date": "2020-05-20"}, "datasets": ["data/*.yaml"],
                  "sections": [{"id": "s", "title": "指标", "findings": [{
                      "id": "f", "title": "主要指标", "layout": "kpi-row", "text": "说明。",
                      "slots": {"kpis": kpis, "chart": {"kind": "column", "dataset": "d", "x": "cat", "y": "v",
                                                        "title": "图题"}}}]}]}
    src = root / "reports" / "k.yaml"
    src.write_text(yaml.safe_dump(definition, allow_unicode=True), encoding="utf-8")
    build(src, output_dir=root / "output", use_cache=False, formats=("pptx",))
    return root / "output" / "k.pptx"


@settings(max_examples=examples("deck", 3), deadline=None, suppress_health_check=list(HealthCheck))
@given(kpis=kpi_rows())
@example(kpis=[  # breaker6's six
    {"value": "6.94亿人", "label": "在线政务服务用户规模", "change": "较2018年底增长76.1%"},
    {"value": "76.8%", "label": "占网民整体的比例", "change": "提高29.3个百分点"},
    {"value": "14,474个", "label": "政府网站数量", "change": "减少3,488个"},
    {"value": "10.5%", "label": "西安2021年办件量增速（合成）", "change": "下降2.9%（乌鲁木齐市）"},
    {"value": "4个", "label": "网站数量800个以上的省份", "change": ""},
    {"value": "22位", "label": "西藏排名", "change": "占全国1.59%"}])
def test_kpi_cards_hold_their_texts(kpis):
    from pptx import Presentation

    with tempfile.TemporaryDirectory(prefix="egov-kpi-") as tmp:
        deck = _build(Path(tmp) / "p", kpis)
        slides = Presentation(str(deck)).slides
        kpi_slide = next(i for i, s in enumerate(slides) if any(sh.name == "KPI value" for sh in s.shapes))
        values = [sh for sh in slides[kpi_slide].shapes if sh.name == "KPI value"]
        assert [v.text_frame.text for v in values] == [k["value"] for k in kpis]  # whole, in order
        sizes = {r.font.size for v in values for p in v.text_frame.paragraphs for r in p.runs}
        assert len(sizes) == 1, sizes
        rendered = libreoffice_to_pdf(deck, Path(tmp) / "lo")
        found = [p for p in problems(deck, rendered) if p.startswith(f"slide {kpi_slide + 1} ")]
        assert not found, found
        import pdfplumber

        with pdfplumber.open(rendered) as pdf:
            page = pdf.pages[kpi_slide]
            boxes = [cc.Box(c["text"], c["x0"], c["x1"], c["top"], c["bottom"], c["size"]) for c in page.chars
                     if c["text"].strip()]
        assert not cc.overlaps(boxes), [(a.text, b.text) for a, b in cc.overlaps(boxes)][:8]
