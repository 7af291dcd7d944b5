"""A long ranking split over side-by-side charts on a slide reads as one chart (issue 16, charts).

Generated reports: one horizontal bar ranking of 20-40 names of 1-49 characters (CJK runs, Latin words, one
name of 49 Latin characters), values with negatives, in a wide slot (chart-wide) and in a narrow one
(two-charts), built as a user builds them and read the way readers read them:

- the chart XML (what PowerPoint reads): the parts of one ranking on a slide have the same value range, major
  unit, tick format and inner plot box (c:manualLayout), so the same value has the same bar length;
- LibreOffice's rendering (pdfplumber characters of its PDF export): under every part the same value tick
  labels at the same distances from each other, and every line of every name drawn whole, at 9 pt or more,
  each name on some slide (a ranking too long for its slot continues on a following slide, never every other
  name hidden).

On main the two halves had their own axes (−60/−20/20 against −60/−10/40) and a 49-character name squeezed
one half's plot (a new user's report, /tmp/break6/breaker1 shots 04 and 05).
"""

from __future__ import annotations

import tempfile
from collections import defaultdict
from pathlib import Path

import yaml
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st
from lxml import etree

from conftest import examples

HAN = "新疆生产建设兵团内蒙古自治区广西壮族自治区宁夏回族自治区黑龙江省在线政务服务综合指数"
LATIN = ["Hong", "Kong", "SAR", "Macao", "Special", "Administrative", "Region", "Production", "Corps", "(XPCC)"]
LONG = "Xinjiang Production and Construction Corps (XPCC)"[:49]
NS = {"c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
      "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
      "p": "http://schemas.openxmlformats.org/presentationml/2006/main"}


@st.composite
def name(draw, i: int) -> str:
    """A name of 1-49 characters, CJK runs and Latin words, unique by its index."""
    size = draw(st.integers(1, 49))
    parts: list[str] = []
    while sum(len(p) for p in parts) < size:
        if draw(st.integers(0, 2)) == 0:
            parts.append((" " if parts else "") + draw(st.sampled_from(LATIN)) + " ")
        else:
            k = draw(st.integers(1, 10))
            start = draw(st.integers(0, len(HAN) - k))
            parts.append(HAN[start:start + k])
    return ("".join(parts)[:size].strip() or HAN[0]) + str(i)


@st.composite
def ranking(draw):
    """(definition, csv rows): one report of a bar ranking with negative changes, wide or narrow slot."""
    n = draw(st.integers(20, 40))
    names = [draw(name(i)) for i in range(n)]
    names[draw(st.integers(0, n - 1))] = LONG
    values = [round(draw(st.floats(-45, 45)), 2) for _ in range(n)]
    return _report(names, values, draw(st.sampled_from(["chart-wide", "two-charts"])))


def _report(names: list[str], values: list[float], layout: str) -> tuple[dict, str]:
    chart = {"kind": "bar", "dataset": "idx", "title": "变化幅度排序", "x": "name", "y": "change", "sort": "desc",
             "format": "0.0", "y_title": "%"}
    slots = {"chart": chart} if layout == "chart-wide" else {
        "left": chart, "right": {**chart, "title": "同一排序"}}
    definition = {"report": {"id": "split", "title": "拆分的排序图", "date": "2020-12-31"},
                  "datasets": ["data/*.yaml"],
                  "sections": [{"id": "s1", "title": "排序", "findings": [
                      {"id": "f1", "title": "多数单位较上年下降", "layout": layout, "text": "说明。", "slots": slots}]}]}
    rows = "name,change\n" + "".join(f"\"{c}\",{v}\n" for c, v in zip(names, values, strict=True))
    return definition, rows


def _build(definition: dict, rows: str, project: Path) -> tuple[Path, list[str]]:
    from egovdeck.engine.build import build

    (project / "data").mkdir(parents=True)
    (project / "reports").mkdir()
    (project / "data" / "idx.csv").write_text(rows, encoding="utf-8")
    meta = {"title": "综合指数变化（测试生成数据）", "file": "idx.csv", "source": "资料来源：测试生成数据", "unit": "%",
            "key": ["name"], "columns": {"name": {"type": "text", "label": "名称"},
                                         "change": {"type": "number", "label": "变化"}}}
    (project / "data" / "idx.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
    src = project / "reports" / "split.yaml"
    src.write_text(yaml.safe_dump(definition, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = build(src, output_dir=project / "output", use_cache=False, formats=("pptx",))
    return project / "output" / "split.pptx", list(result.warnings)


def _parts(pptx: Path) -> dict[tuple[int, str], list[etree._Element]]:
    """The chart spaces of the deck by (slide number, chart title from the frame's alt text)."""
    import zipfile

    from deckboxes import _slides

    out: dict[tuple[int, str], list[etree._Element]] = defaultdict(list)
    with zipfile.ZipFile(pptx) as z:
        for n, slide in enumerate(_slides(z), start=1):
            rels = etree.fromstring(z.read(slide.replace("slides/", "slides/_rels/") + ".rels"))
            target = {r.get("Id"): r.get("Target") for r in rels}
            for frame in etree.fromstring(z.read(slide)).iter(f"{{{NS['p']}}}graphicFrame"):
                chart = frame.find(".//c:chart", NS)
                if chart is None:
                    continue
                title = frame.find("p:nvGraphicFramePr/p:cNvPr", NS).get("title") or ""
                rid = chart.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
                out[(n, title)].append(etree.fromstring(z.read("ppt/" + target[rid].replace("../", ""))))
    return out


def _axis(cs) -> tuple:
    """(min, max, major unit, number format, inner plot box) of a chart space's value axis and plot."""
    val = cs.find(".//c:valAx", NS)

    def v(path: str):
        el = val.find(path, NS)
        return None if el is None else el.get("val") if path != "c:numFmt" else el.get("formatCode")

    manual = cs.find(".//c:plotArea/c:layout/c:manualLayout", NS)
    box = None if manual is None else tuple(manual.find(f"c:{k}", NS).get("val") for k in ("x", "y", "w", "h"))
    return v("c:scaling/c:min"), v("c:scaling/c:max"), v("c:majorUnit"), v("c:numFmt"), box


def _check(definition: dict, rows: str, tmp: Path) -> None:
    import pdfplumber

    import deckboxes
    from clients import libreoffice_to_pdf

    pptx, warnings = _build(definition, rows, tmp / "p")
    split = {k: v for k, v in _parts(pptx).items() if len(v) > 1}
    for (slide, title), spaces in split.items():
        axes = {_axis(cs) for cs in spaces}
        assert len(axes) == 1, (slide, title, axes)  # one range, unit, format and plot box
        assert next(iter(axes))[4] is not None, (slide, title)
    rendered = libreoffice_to_pdf(pptx, tmp / "lo")
    _boxes, frames = deckboxes.deck_boxes(pptx)
    names = [line.split(",")[0].strip('"') for line in rows.splitlines()[1:]]
    shown: set[str] = set()
    with pdfplumber.open(rendered) as doc:
        by_slide = defaultdict(list)
        for frame in frames:
            page = doc.pages[frame.slide - 1]
            chars = [c for c in page.chars if c["text"].strip() and frame.x0 - 2 <= c["x0"]
                     and c["x1"] <= frame.x1 + 2 and frame.top - 2 <= c["top"] and c["bottom"] <= frame.bottom + 2]
            assert chars and min(c["size"] for c in chars if c["upright"]) >= 8.95
            texts = ["".join(c["text"] for c in line).replace(" ", "") for line in deckboxes._lines(chars)]
            for whole, written in zip(frame.categories, frame.category_lines, strict=True):
                missing = [line for line in written if line and not any(line in t for t in texts)]
                assert not missing, (frame.slide, whole, missing, texts)
                shown.add(whole)
            # the value tick labels: the last line of upright text of the frame, read left to right
            bottom = max(c["bottom"] for c in chars if c["upright"])
            ticks = sorted((c for c in chars if c["upright"] and c["bottom"] > bottom - 3), key=lambda c: c["x0"])
            words: list[list[dict]] = []
            for c in ticks:
                if words and c["x0"] - words[-1][-1]["x1"] < 3:
                    words[-1].append(c)
                else:
                    words.append([c])
            labels = ["".join(c["text"] for c in w) for w in words]
            spacing = [round((b[0]["x0"] + b[-1]["x1"] - a[0]["x0"] - a[-1]["x1"]) / 2, 0)
                       for a, b in zip(words, words[1:], strict=False)]
            by_slide[frame.slide].append((labels, spacing, frame.x1 - frame.x0))
        for slide, parts in by_slide.items():
            # the parts of a slide (of one ranking, or of two rankings of the same values in slots alike): the
            # same tick labels at the same distances, so the same value has the same bar length in each
            if len(parts) < 2 or len({round(w) for _l, _s, w in parts}) > 1:
                continue
            assert len({tuple(labels) for labels, _s, _w in parts}) == 1, (slide, [p[0] for p in parts])
            first = parts[0][1]
            for _labels, spacing, _w in parts[1:]:
                assert all(abs(a - b) <= 2 for a, b in zip(spacing, first, strict=True)), (slide, spacing, first)
    assert {"".join(n.split()) for n in names} <= shown, sorted({"".join(n.split()) for n in names} - shown)
    assert not [w for w in warnings if "at most" in w]


PROVINCES = ["北京市", "天津市", "河北省", "山西省", "内蒙古自治区", "辽宁省", "吉林省", "黑龙江省", "上海市",
             "江苏省", "浙江省", "安徽省", "福建省", "江西省", "山东省", "河南省", "湖北省", "湖南省", "广东省",
             "广西壮族自治区", "海南省", "重庆市", "四川省", "贵州省", "云南省", "西藏自治区", "陕西省", "甘肃省",
             "青海省", "宁夏回族自治区", "新疆维吾尔自治区", "新疆生产建设兵团", "Hong Kong SAR (synthetic)",
             "Macao Special Administrative Region", LONG, "国家政务服务平台（总枢纽）· 试点"]
CHANGES = [-0.0, -44.56, 28.32, 34.35, 26.72, 0.1, -10.74, 0.0, 18.92, 2.8, 0.05, 33.41, 32.68, 18.18, 7.42, 0.0,
           8.03, 41.78, 6.67, 27.91, 0.1, 23.91, 18.51, 25.84, 26.67, 0.05, 21.27, -42.73, 27.54, -13.8, 0.0,
           21.22, -31.15, -14.4, 22.15, 0.1]


@settings(max_examples=examples("deck"), deadline=None, suppress_health_check=list(HealthCheck),
          phases=[Phase.explicit, Phase.reuse, Phase.generate])  # a build and a conversion take ~15 s
@example(case=_report(PROVINCES, CHANGES, "two-charts"))  # the new user's 36 units (shots 04, 05)
@given(case=ranking())
def test_split_ranking_parts_read_as_one_chart(case):
    definition, rows = case
    with tempfile.TemporaryDirectory(prefix="egov-split-") as tmp:
        _check(definition, rows, Path(tmp))
