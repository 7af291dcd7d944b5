"""Deck chart captions too long for one line take a second line, as the brief's do (issue #16): the chart
gets the less height; only a caption longer than two lines is cut, with a warning. Read in LibreOffice's
rendering of the deck: every character of the caption drawn, above the chart's frame, none cut."""

from __future__ import annotations

import zipfile

import yaml
from lxml import etree

from clients import libreoffice_to_pdf
from deckboxes import NS, deck_boxes, problems, seen

TWO_LINES = "各省（区、市）政府网站数量、栏目数量与在线政务服务事项办理量的变化情况及其与上年的对比以及各地区的排名"  # was cut at 10 pt
FOUR_LINES = TWO_LINES * 6  # past two lines even at the floor size


def _project(tmp_path, title: str):
    from test_whole_reports import _write_dataset

    project = tmp_path / "cap"
    (project / "data").mkdir(parents=True)
    (project / "reports").mkdir()
    _write_dataset(project, "d1", {"cats": ["甲", "乙", "丙"], "v1": [5.0, 12.0, 3.5], "v2": [3.2, 4.0, 1.5],
                                   "remark": None})
    chart = {"kind": "column", "dataset": "d1", "title": title, "x": "cat", "y": ["v1"]}
    findings = [{"id": "f1", "title": "发现一", "layout": "chart-text", "text": "说明文字。", "slots": {"chart": chart}}]
    definition = {"report": {"id": "cap", "title": "图题", "date": "2020-05-20"}, "datasets": ["data/*.yaml"],
                  "sections": [{"id": "s", "title": "节", "findings": findings}]}
    source = project / "reports" / "cap.yaml"
    source.write_text(yaml.safe_dump(definition, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return project, source


def _build(tmp_path, title: str):
    from egovdeck.engine.build import build

    project, source = _project(tmp_path, title)
    result = build(source, output_dir=project / "output", use_cache=False, formats=("pptx",))
    return result, project / "output" / "cap.pptx", project


def test_a_long_caption_takes_two_lines_above_its_chart(tmp_path):
    result, pptx, project = _build(tmp_path, TWO_LINES)
    assert not [w for w in result.warnings if "cut" in w or "left out" in w], result.warnings
    boxes, _charts = deck_boxes(pptx)
    caption = next(b for b in boxes if b.name == "Chart title")
    assert caption.text.endswith(TWO_LINES) and "…" not in caption.text
    with zipfile.ZipFile(pptx) as z:
        slide = etree.fromstring(z.read("ppt/slides/slide4.xml"))
    frame = next(slide.iter(f"{{{NS['p']}}}graphicFrame"))
    chart_top = int(frame.find("p:xfrm/a:off", NS).get("y")) / 12700
    assert caption.bottom <= chart_top + 0.5  # the caption's box ends where the chart begins

    import pdfplumber

    pdf = libreoffice_to_pdf(pptx, project / "lo")
    assert not problems(pptx, pdf)
    with pdfplumber.open(pdf) as doc:
        page = doc.pages[caption.slide - 1]
        chars = [c for c in page.chars if seen(c["text"]).strip()
                 and caption.x0 - 2 <= c["x0"] and c["x1"] <= caption.x1 + 2 and caption.top - 2 <= c["top"] < chart_top]
    drawn = "".join(c["text"] for c in sorted(chars, key=lambda c: (round(c["top"]), c["x0"])))
    assert TWO_LINES in seen(drawn), drawn
    assert len({round(c["top"]) for c in chars}) == 2  # on two lines
    assert max(c["bottom"] for c in chars) <= chart_top + 1  # above the chart, not on it


def test_a_caption_beyond_two_lines_is_cut_with_a_warning(tmp_path):
    result, pptx, _project_dir = _build(tmp_path, FOUR_LINES)
    assert any("cut" in w and "chart title" in w for w in result.warnings), result.warnings
