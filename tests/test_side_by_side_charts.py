"""A chart that cannot name its categories beside its neighbour is laid out under it at full width (issue 16).

Generated reports: a layout of a chart beside a table (a user's own layout, as a new user wrote it), the
chart a column chart of 24-40 categories × 1-2 series, the table of the same rows. Read with pdfplumber the
way a reader sees the page: the chart's plot is tall enough to read (its tallest bar, of the largest value,
at least 100 pt; a 32 × 2 chart beside a table was drawn with a plot of ~50 pt and bars under 30 pt, shot 07
of /tmp/break6/breaker1).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

HAN = "北京天津河北山西内蒙古辽宁吉林黑龙江上海江苏浙江安徽福建江西山东河南湖北湖南广东广西海南重庆四川贵州"


@st.composite
def beside(draw):
    n = draw(st.integers(24, 40))
    names = []
    for i in range(n):
        k = draw(st.integers(2, 6))
        start = draw(st.integers(0, len(HAN) - k))
        names.append(HAN[start:start + k] + str(i))
    a = [draw(st.integers(10, 900)) for _ in range(n)]
    a[draw(st.integers(0, n - 1))] = 1000  # the largest value: its bar spans most of the plot
    b = [draw(st.integers(10, 900)) for _ in range(n)]
    two = draw(st.booleans())
    return names, a, b, two


def _build(names: list[str], a: list[int], b: list[int], two: bool, project: Path) -> Path:
    from egovdeck.engine.build import build

    (project / "data").mkdir(parents=True)
    (project / "reports").mkdir()
    rows = "name,a,b\n" + "".join(f"{n},{x},{y}\n" for n, x, y in zip(names, a, b, strict=True))
    (project / "data" / "sites.csv").write_text(rows, encoding="utf-8")
    meta = {"title": "网站数量（测试生成数据）", "file": "sites.csv", "source": "资料来源：测试生成数据", "unit": "个",
            "key": ["name"], "columns": {"name": {"type": "text", "label": "地区"},
                                         "a": {"type": "integer", "label": "2019年"},
                                         "b": {"type": "integer", "label": "2018年"}}}
    (project / "data" / "sites.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
    definition = {
        "report": {"id": "beside", "title": "图表与数据表并排", "date": "2020-12-31"},
        "datasets": ["data/*.yaml"],
        "layouts": {"chart-and-table": {"description": "一张图表配一张数据表",
                                        "slots": {"chart": {"type": "chart"}, "table": {"type": "table"}},
                                        "pdf": [["chart", "table"]],
                                        "slide": {"chart": [0.0, 0.0, 0.5, 1.0], "table": [0.52, 0.0, 0.48, 1.0]}}},
        "sections": [{"id": "s1", "title": "各地", "findings": [{
            "id": "f1", "title": "各地网站数量", "layout": "chart-and-table", "text": "说明。",
            "slots": {"chart": {"kind": "column", "dataset": "sites", "title": "各地网站数量", "x": "name",
                                "y": ["a", "b"] if two else "a", "format": "#,##0"},
                      "table": {"dataset": "sites", "columns": [{"field": "name"}, {"field": "a"}]}}}]}]}
    src = project / "reports" / "beside.yaml"
    src.write_text(yaml.safe_dump(definition, allow_unicode=True, sort_keys=False), encoding="utf-8")
    build(src, output_dir=project / "output", use_cache=False, formats=("pdf",))
    return project / "output" / "beside.pdf"


@settings(max_examples=4, deadline=None, suppress_health_check=list(HealthCheck),
          phases=[Phase.explicit, Phase.reuse, Phase.generate])
@given(case=beside())
def test_a_crowded_chart_beside_a_table_keeps_a_readable_plot(case):
    import pdfplumber

    names, a, b, two = case
    with tempfile.TemporaryDirectory(prefix="egov-beside-") as tmp:
        pdf = _build(names, a, b, two, Path(tmp) / "p")
        with pdfplumber.open(pdf) as doc:
            page = next(p for p in doc.pages if "图1" in (p.extract_text() or ""))
            bars = [r for r in page.rects if r.get("fill") and r["width"] < 40 and r["height"] > 0.5]
            assert bars and max(r["height"] for r in bars) >= 100, sorted(r["height"] for r in bars)[-3:]
