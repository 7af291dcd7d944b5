"""Pages fill the way a publication's do (issue 16, pagination): a figure or table that nearly fits the
room left on a page starts there (its chart gives up some height, or the lead under its heading stays
with two lines at least), so no page foot is left emptier than the least start of what follows it.
Read from the PDF (tests/pagefill.py: pdfplumber characters and marks), with the other pagination rules
of test_tables._assert_pagination (no heading ends a page, bookmarks open their page)."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from conftest import examples
from pagefill import assert_pages_fill, empty_feet
from test_tables import _assert_pagination, _body_lines, _flat

ROOT = Path(__file__).resolve().parents[1]
HAN = "政府网站数量在线服务用户规模我国平台建设发展信息公开办事栏目移动互联网省级部门城市乡村统计报告"
LATIN = ["CNNIC", "online", "service", "portal", "API", "e-Gov", "WeChat"]


def _build(project: Path, report: str) -> Path:
    from egovdeck.engine.build import build

    out = project / "output"
    result = build(project / "reports" / report, output_dir=out, use_cache=False, formats=("pdf",))
    return next(p for p in result.outputs if p.suffix == ".pdf")


def test_the_bundled_brief_fills_its_pages(built):
    assert_pages_fill(built.pdf)


@pytest.mark.parametrize("name", ["new-media", "provinces"])
def test_own_reports_fill_their_pages(own_built, name):
    """new-media left about a third of page 3 empty before a finding whose chart nearly fitted, and
    most of page 4 before the next section."""
    own = own_built(name)
    definition = yaml.safe_load(own.source.read_text(encoding="utf-8"))
    assert_pages_fill(own.pdf)
    _assert_pagination(own.pdf, [f["title"] for s in definition["sections"] for f in s["findings"]])


def test_a_shrunk_chart_keeps_its_labels_and_its_floor(tmp_path):
    """A chart that gave up height to fit a page foot is drawn smaller, never below its floor (60 % of
    its planned height), and its text is as large as a chart drawn at its planned height."""
    import pdfplumber

    project = tmp_path / "p"
    (project / "data").mkdir(parents=True)
    (project / "reports").mkdir()
    _dataset(project, "d1", 5, False)
    lead = "各地区政府网站集约化建设持续推进，" * 3
    findings = [{"id": f"f{i}", "title": f"第{i}项发现", "layout": "chart-text",
                 "text": "\n\n".join([lead * (1 + i % 3)] * (1 + i % 2)),
                 "slots": {"chart": {"kind": "column", "dataset": "d1", "title": f"图表{i}", "x": "cat",
                                     "y": ["v1"]}}} for i in range(6)]
    _definition(project, [{"id": "s", "title": "发现", "findings": findings}])
    pdf = _build(project, "r.yaml")
    assert_pages_fill(pdf)
    heights, label_sizes = [], []
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            captions = [ln for ln in page.extract_text_lines() if re.match(r"^图\d", ln["text"])]
            sources = [ln for ln in page.extract_text_lines() if ln["text"].startswith("资料来源")]
            for cap in captions:
                below = [s["top"] for s in sources if s["top"] > cap["bottom"]]
                if below:
                    heights.append(min(below) - cap["bottom"])
                    inside = [c["size"] for c in page.chars if cap["bottom"] < c["top"] < min(below)]
                    label_sizes.append(min(inside))
    planned = max(heights)
    assert min(heights) < planned - 10, "no chart was shrunk to fill a page (the test lost its point)"
    assert min(heights) >= 0.6 * planned - 12, heights
    assert min(label_sizes) >= 7.0, label_sizes  # the planned charts' tick labels are 8 pt


# --------------------------------------------------------------------------- generated reports


@st.composite
def _paragraph(draw) -> str:
    n = draw(st.sampled_from([draw(st.integers(8, 60)), draw(st.integers(60, 200)), draw(st.integers(200, 600))]))
    parts: list[str] = []
    while sum(map(len, parts)) < n:
        kind = draw(st.integers(0, 7))
        if kind == 0:
            parts.append(" " + draw(st.sampled_from(LATIN)) + " ")
        elif kind == 1:
            parts.append(draw(st.sampled_from("，。、；：")))
        elif kind == 2:
            parts.append(f"{draw(st.integers(0, 99999)):,}")
        else:
            parts.append(draw(st.text(HAN, min_size=2, max_size=10)))
    return "".join(parts).strip(" ，、；：") + "。"


def _dataset(project: Path, ds_id: str, rows: int, remarks: bool, long: str = "") -> None:
    with open(project / "data" / f"{ds_id}.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["cat", "v1", "v2"] + (["remark"] if remarks else []))
        for i in range(rows):
            remark = [long if long and i % 9 == 0 else HAN[i % 20: i % 20 + 6]] if remarks else []
            w.writerow([f"{HAN[i % 30: i % 30 + 2]}{i}", (i * 7919 % 20001 - 3000) / 10, i % 97 + 1] + remark)
    columns = {"cat": {"type": "text", "label": "名称"}, "v1": {"type": "number", "unit": "个", "label": "数量"},
               "v2": {"type": "number", "unit": "%", "label": "同比变化"}}
    if remarks:
        columns["remark"] = {"type": "text", "label": "说明"}
    meta = {"title": f"生成数据{ds_id}", "file": f"{ds_id}.csv", "source": "资料来源：测试生成数据", "unit": "个",
            "key": ["cat"], "columns": columns}
    (project / "data" / f"{ds_id}.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")


def _definition(project: Path, sections: list[dict], layouts: dict | None = None) -> None:
    definition = {"report": {"id": "gen", "title": "生成的报告", "date": "2020-05-20"},
                  "datasets": ["data/*.yaml"], "sections": sections, **({"layouts": layouts} if layouts else {})}
    (project / "reports" / "r.yaml").write_text(yaml.safe_dump(definition, allow_unicode=True), encoding="utf-8")


LAYOUTS = {  # layouts with a table beside or under a chart (the built-in ones take one table alone)
    "chart-then-table": {"slots": {"chart": {"type": "chart"}, "table": {"type": "table"}},
                         "pdf": [["chart"], ["table"]],
                         "slide": {"chart": [0, 0, 0.5, 1], "table": [0.5, 0, 0.5, 1]}},
    "table-beside-chart": {"slots": {"table": {"type": "table"}, "chart": {"type": "chart"}},
                           "pdf": [["table", "chart"]],
                           "slide": {"table": [0, 0, 0.5, 1], "chart": [0.5, 0, 0.5, 1]}},
}


@st.composite
def _report(draw):
    """(sections, datasets as (id, rows, remarks, long cell), table datasets with their rows)."""
    data: list[tuple[str, int, bool, str]] = []

    def chart() -> dict:
        kind = draw(st.sampled_from(["column", "line", "pie", "bar", "combo"]))
        ds = f"d{len(data) + 1}"
        # rankings of up to 8 rows: a longer ranking keeps its planned height (its rows set it)
        data.append((ds, draw(st.integers(2, 8)), False, ""))
        spec = {"kind": kind, "dataset": ds, "title": draw(st.text(HAN, min_size=2, max_size=24)), "x": "cat",
                "y": ["v1", "v2"] if kind == "combo" else ["v1"]}
        if kind == "combo":
            spec["secondary"] = ["v2"]
        if kind == "pie":
            spec["y"] = ["v2"]
        return spec

    def table() -> dict:
        ds = f"d{len(data) + 1}"
        rows = draw(st.sampled_from([draw(st.integers(1, 12)), draw(st.integers(13, 60)), draw(st.integers(61, 300))]))
        long = draw(st.sampled_from(["", "", "很长的说明" * 10, "长" * 230, "A" * 300, "CNNIC online " * 80,
                                     "很长的单元格说明文字，" * 300]))
        data.append((ds, rows, True, long))
        return {"dataset": ds, "title": draw(st.text(HAN, min_size=2, max_size=30))}

    sections = []
    for s in range(draw(st.integers(1, 3))):
        findings = []
        for f in range(draw(st.integers(1, 4))):
            # (a table beside a chart is left out: see test_a_table_beside_a_chart_that_just_overflows_a_page)
            layout = draw(st.sampled_from(["chart-text", "chart-wide", "two-charts", "table", "chart-then-table"]))
            slots = {"chart-text": lambda: {"chart": chart()}, "chart-wide": lambda: {"chart": chart()},
                     "two-charts": lambda: {"left": chart(), "right": chart()},
                     "table": lambda: {"table": table()},
                     "chart-then-table": lambda: {"chart": chart(), "table": table()},
                     "table-beside-chart": lambda: {"table": table(), "chart": chart()}}[layout]()
            text = "\n\n".join(draw(st.lists(_paragraph(), min_size=0, max_size=6)))
            findings.append({"id": f"f{s}-{f}", "title": draw(st.text(HAN, min_size=2, max_size=30)),
                             "layout": layout, **({"text": text} if text else {}), "slots": slots})
        sections.append({"id": f"s{s}", "title": draw(st.text(HAN, min_size=2, max_size=16)), "findings": findings,
                         **({"summary": draw(_paragraph())} if draw(st.booleans()) else {})})
    return sections, data


# each example builds a PDF of up to ~40 pages: a few in `make test`, more with the nightly profile
EXAMPLES = examples("build", 4)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck),
          phases=[Phase.explicit, Phase.reuse, Phase.generate])
@given(generated=_report())
def test_generated_reports_fill_their_pages_and_lose_nothing(tmp_path_factory, generated):
    sections, data = generated
    project = tmp_path_factory.mktemp("fill")
    (project / "data").mkdir()
    (project / "reports").mkdir()
    for ds, rows, remarks, long in data:
        _dataset(project, ds, rows, remarks, long)
    _definition(project, sections, LAYOUTS)
    pdf = _build(project, "r.yaml")
    assert_pages_fill(pdf)
    headings = [f["title"] for s in sections for f in s["findings"]] + [s["title"] for s in sections]
    _assert_pagination(pdf, headings)
    # every table row is printed (its name and its value), whatever page it landed on
    text = _flat("".join(ln for page in _body_lines(pdf) for ln in page))
    for ds, rows, remarks, _long in data:
        if remarks:
            for i in range(rows):
                assert f"{HAN[i % 30: i % 30 + 2]}{i}" in text, (ds, i)
    assert all(f.empty >= 0 for f in empty_feet(pdf)), "ink below the frame"


def test_a_table_beside_a_chart_that_just_overflows_a_page_splits(tmp_path):
    """A side-by-side row whose table starts a page and is a few points taller than it: ReportLab will not
    split inside a row when less than splitInRow would go on, which at the top of a page made the row
    unplaceable (exit 3, 'too large on page'). Every row is printed, names and numbers whole."""
    project = tmp_path / "side"
    (project / "data").mkdir(parents=True)
    (project / "reports").mkdir()
    _dataset(project, "d1", 57, True, "A" * 300)
    _dataset(project, "d2", 5, False)
    _definition(project, [{"id": "s", "title": "节", "findings": [
        {"id": "b", "title": "第二项", "layout": "table-beside-chart", "text": "各地区政府网站集约化建设持续推进，",
         "slots": {"table": {"dataset": "d1", "title": "表甲"},
                   "chart": {"kind": "column", "dataset": "d2", "title": "图乙", "x": "cat", "y": ["v1"]}}}]}],
                LAYOUTS)
    pdf = _build(project, "r.yaml")
    lines = [ln for page in _body_lines(pdf) for ln in page]
    text = "\n".join(lines)
    for i in range(57):
        assert re.search(rf"(?m)^{HAN[i % 30: i % 30 + 2]}{i}\s", text), i  # the name whole, starting its row
    _assert_pagination(pdf, ["第二项", "表1"])


def test_a_table_beside_a_chart_with_cells_taller_than_a_page_is_laid_under_it(tmp_path):
    """Cells of thousands of characters in a table beside a chart made a row taller than a page, which a
    side-by-side row cannot split (exit 3 on main, 'too large on page'). The slots then go one under the
    other at the frame's width: the build succeeds, every row and every character of the long cells is
    printed, and the table continues with its header repeated (续表1)."""
    project = tmp_path / "tall"
    (project / "data").mkdir(parents=True)
    (project / "reports").mkdir()
    long = "".join(HAN[i % 30] + (f"段{i // 50:03d}" if i % 50 == 0 else "") for i in range(3500))  # 70 marks
    _dataset(project, "d1", 12, True, long)
    _dataset(project, "d2", 5, False)
    _definition(project, [{"id": "s", "title": "节", "findings": [
        {"id": "b", "title": "超长单元格", "layout": "table-beside-chart", "text": "各地区政府网站集约化建设持续推进。",
         "slots": {"table": {"dataset": "d1", "title": "表甲"},
                   "chart": {"kind": "column", "dataset": "d2", "title": "图乙", "x": "cat", "y": ["v1"]}}}]}],
                LAYOUTS)
    pdf = _build(project, "r.yaml")
    text = "".join(ln for page in _body_lines(pdf) for ln in page)
    squeezed = re.sub(r"\s", "", text)
    # the cells' text as a reader follows it over a page break: without the repeated 「续表1」 and header
    # rows (a cell that continues on the next page may break inside a mark: 「段」 | 「059」)
    header = re.compile(r"续表\d+表甲|名称说明数量（个）|同比变化?|化?（%）")  # 「同比变化（%）」 wraps in two lines
    cells = "".join(_flat(ln) for page in _body_lines(pdf) for ln in page if not header.fullmatch(_flat(ln)))
    for k in range(70):  # rows 0 and 9 hold the long cell: each of its marks printed in both, once
        assert cells.count(f"段{k:03d}") == 2, k
    for i in range(12):
        assert f"{HAN[i % 30: i % 30 + 2]}{i}" in squeezed, i
    assert "续表1" in squeezed
    _assert_pagination(pdf, ["超长单元格", "表1"])


def test_a_no_break_run_does_not_squeeze_the_other_columns():
    """A 300-character run without a break opportunity (a code, a URL) is cut where its line ends; as a
    column floor it squeezed names and numbers to one character a line in a half-page table."""
    from egovdeck.text.tablewidth import allocate, floors_and_naturals

    def measure(text: str, bold: bool) -> float:
        return sum(9.0 if ord(c) > 0x2E80 else 5.0 for c in text)

    header = ["名称", "说明", "数量（个）", "同比变化（%）"]
    rows = [["政府0", "A" * 300, "-300.0", "1"], ["府网1", "站数量在线", "1,261.6", "2"]]
    floors, naturals = floors_and_naturals(header, rows, [["政府0", "", -300.0, 1], ["府网1", "", 1261.6, 2]],
                                           measure, 12, 260)
    widths = allocate(floors, naturals, 260)
    assert widths is not None, floors
    assert widths[0] >= measure("府网1", False) + 12 and widths[2] >= measure("1,261.6", False) + 12


def test_a_tall_row_after_whole_rows_starts_at_the_page_foot(tmp_path):
    """A table split only between rows when any whole row fitted: a tall row (a cell of 400 characters)
    that did not fit whole went to the next page and left up to its height empty (110 pt on page 3 here;
    the generated reports found 106 pt before a 1,040-character cell). It now starts at the page foot
    with two lines at least and continues under 「续表N」; every row is printed."""
    project = tmp_path / "tall"
    (project / "data").mkdir(parents=True)
    (project / "reports").mkdir()
    _dataset(project, "d1", 20, True)
    path = project / "data" / "d1.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    long = "".join(HAN[i % len(HAN)] for i in range(400))
    for i in range(4, len(rows), 4):
        rows[i][-1] = long
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    _definition(project, [{"id": "s", "title": "节", "findings": [
        {"id": "t", "title": "长表", "layout": "table", "text": "各地区政府网站集约化建设持续推进。",
         "slots": {"table": {"dataset": "d1", "title": "表甲"}}}]}])
    pdf = _build(project, "r.yaml")
    assert_pages_fill(pdf)
    _assert_pagination(pdf, ["长表", "表1"])
    text = _flat("".join(ln for page in _body_lines(pdf) for ln in page))
    for i in range(20):
        assert f"{HAN[i % 30: i % 30 + 2]}{i}" in text, i
