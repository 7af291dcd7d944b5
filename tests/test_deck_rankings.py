"""Crowded column charts on slides (issue 16, charts): many long category names under columns.

Generated reports: one column chart of 20-40 categories named with 1-40 characters (CJK, Latin words, mixed),
in a wide slot (chart-wide) and in a narrow one (two-charts), built as a user builds them. LibreOffice's
rendering of the deck is read the way a reader reads it (pdfplumber characters of its PDF export):

- every category name is drawn whole, in order (wrapped at a CJK boundary at most, never thinned away),
  unless the build warned that the chart cannot be made readable;
- no text of a chart frame smaller than 9 pt;
- a data label the deck draws prints the same in the brief where the brief prints that value.

Left to itself LibreOffice turns such names 45° and shows every other one (tests/cases/layout-variants/
long-labels-crowded); egovdeck decides instead (render/pptx/deck.py: `Deck._as_ranking`).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from conftest import examples

HAN = "政府网站数量在线服务用户规模我国平台建设发展信息公开办事栏目移动互联网省级部门城市乡村统计报告"
LATIN = ["WeChat", "App", "online", "service", "portal", "Alipay", "mini", "program", "12345", "API"]


@st.composite
def category(draw, i: int) -> str:
    """A name of 1-40 characters: CJK runs and Latin words; unique by its index."""
    size = draw(st.integers(1, 40))
    parts: list[str] = []
    while sum(len(p) for p in parts) < size:
        if draw(st.integers(0, 4)) == 0:
            parts.append((" " if parts else "") + draw(st.sampled_from(LATIN)) + " ")
        else:
            k = draw(st.integers(1, 12))
            start = draw(st.integers(0, len(HAN) - k))
            parts.append(HAN[start:start + k])
    return ("".join(parts)[:size].strip() or HAN[0]) + str(i)


@st.composite
def crowded_report(draw):
    """(definition, csv text, layout): a report of one crowded column chart."""
    n = draw(st.integers(20, 40))
    cats = [draw(category(i)) for i in range(n)]
    top = draw(st.sampled_from([1_000, 90_000, 5_000_000]))
    vals = [round(top * draw(st.floats(0.05, 1.0))) for _ in range(n)]
    layout = draw(st.sampled_from(["chart-wide", "two-charts"]))
    chart = {"kind": "column", "dataset": "many", "title": "许多类别", "x": "name", "y": "n", "format": "#,##0"}
    slots = {"chart": chart} if layout == "chart-wide" else {
        "left": chart, "right": {"kind": "column", "dataset": "many", "title": "同一数据", "x": "name", "y": "n",
                                 "format": "#,##0"}}
    definition = {"report": {"id": "crowded", "title": "拥挤的柱形图", "date": "2020-05-20"},
                  "datasets": ["data/*.yaml"],
                  "sections": [{"id": "s1", "title": "类别", "findings": [
                      {"id": "f1", "title": "许多类别的柱形图", "layout": layout, "text": "说明。", "slots": slots}]}]}
    rows = "name,n\n" + "".join(f"{c},{v}\n" for c, v in zip(cats, vals, strict=True))
    return definition, rows, cats


def _build(definition: dict, rows: str, project: Path) -> tuple[Path, Path, list[str]]:
    from egovdeck.engine.build import build

    (project / "data").mkdir(parents=True)
    (project / "reports").mkdir()
    (project / "data" / "many.csv").write_text(rows, encoding="utf-8")
    meta = {"title": "许多类别（测试生成数据）", "file": "many.csv", "source": "资料来源：测试生成数据", "unit": "个",
            "key": ["name"], "columns": {"name": {"type": "text", "label": "名称"},
                                         "n": {"type": "integer", "label": "数量"}}}
    (project / "data" / "many.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
    src = project / "reports" / "crowded.yaml"
    src.write_text(yaml.safe_dump(definition, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = build(src, output_dir=project / "output", use_cache=False, formats=("pdf", "pptx"))
    return project / "output" / "crowded.pdf", project / "output" / "crowded.pptx", list(result.warnings)


def _chart_lines(page, frame) -> tuple[str, list[float]]:
    """The text LibreOffice drew in a chart frame, line by line in reading order joined without spaces (a
    wrapped name reads on across the break), and the sizes of its characters."""
    import deckboxes

    chars = [c for c in page.chars if c["text"].strip() and frame.x0 - 2 <= c["x0"] and c["x1"] <= frame.x1 + 2
             and frame.top - 2 <= c["top"] and c["bottom"] <= frame.bottom + 2]
    upright = [c for c in chars if c["upright"]]
    lines = deckboxes._lines(upright)
    return "".join("".join(c["text"] for c in line) + "\n" for line in lines), [c["size"] for c in upright]


@settings(max_examples=examples("deck", 3), deadline=None, suppress_health_check=list(HealthCheck),
          phases=[Phase.explicit, Phase.reuse, Phase.generate])  # one build and conversion take ~15 s
@given(case=crowded_report())
def test_crowded_column_charts_name_every_category_on_the_slide(case):
    import pdfplumber

    import deckboxes
    from clients import libreoffice_to_pdf, pdftotext_pages
    from readercheck import NUMBER, deck_numbers, value_of

    definition, rows, cats = case
    with tempfile.TemporaryDirectory(prefix="egov-ranking-") as tmp:
        project = Path(tmp) / "p"
        pdf, pptx, warnings = _build(definition, rows, project)
        rendered = libreoffice_to_pdf(pptx, project / "lo")
        _boxes, frames = deckboxes.deck_boxes(pptx)
        assert frames
        # the build may say a chart cannot be made readable (too many names for the slot); then names may be
        # left out, but never silently, and never below 9 pt
        unreadable = [w for w in warnings if ("许多类别" in w or "同一数据" in w)
                      and ("at most" in w or "more than half" in w)]
        with pdfplumber.open(rendered) as doc:
            for frame in frames:
                text, sizes = _chart_lines(doc.pages[frame.slide - 1], frame)
                assert min(sizes) >= 8.95, (frame.slide, min(sizes))  # (upright text: pdfplumber's size)
                if unreadable:
                    continue
                flat = text.replace("\n", "").replace(" ", "")
                for name, written in zip(frame.categories, frame.category_lines, strict=True):
                    # a name egovdeck wrapped: each of its lines drawn whole (a data label may read between)
                    assert all(line in flat for line in written), (
                        frame.slide, name, len(cats), frame.x1 - frame.x0,
                        definition["sections"][0]["findings"][0]["layout"], text[:300])
        if not unreadable:  # every name on some slide
            shown = {c for f in frames for c in f.categories}
            assert {"".join(c.split()) for c in cats} <= shown
        # a data label the brief prints for the same value reads the same (the brief may thin its column
        # labels where the deck's bars have room for each: test_whole_reports' rule)
        _plain, labels, _ticks = deck_numbers(pptx, rendered)
        printed = set(NUMBER.findall("\n".join(pdftotext_pages(pdf))))
        values = {value_of(x) for x in printed}
        assert not [x for x in labels - printed if value_of(x) in values], labels - printed
