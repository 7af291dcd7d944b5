"""Data preparation in the definition (issue 12): `prepare:` makes new named datasets by declared steps.

Rules under test (src/egovdeck/steps.py, src/egovdeck/prepare.py):
- melt (wide -> long) and pivot (long -> wide) undo each other, for any wide table (hypothesis);
- top keeps the n largest or, with ascending: true, the n smallest; group/share/rank/growth/difference compute
  what their descriptions say, and a missing value stays missing (never a partial sum or a zero);
- every step's mistake (a column that is not there at that step, a wrong type, an unknown step) is an exit-1
  problem at the step's key in the definition (file:line:column) with a fix;
- a prepared dataset is used by charts, tables and narrative like a read one: both outputs show its figures,
  and changing a step rebuilds (the definition's bytes are part of the up-to-date check).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from egovdeck.errors import EgovError
from egovdeck.input.data import Dataset
from egovdeck.input.definition import ColumnSpec, DatasetSpec
from egovdeck.input.prepare import StepError, prepare
from egovdeck.input.steps import PreparedSpec

ROOT = Path(__file__).resolve().parents[1]

# ---------------------------------------------------------------------------- in memory


def dataset(rows: list[dict], types: dict[str, str], units: dict[str, str] | None = None) -> Dataset:
    units = units or {}
    spec = DatasetSpec(title="测试", file="t.csv", source="资料来源：测试", columns={
        c: ColumnSpec(type=t, unit=units.get(c, ""), required=False) for c, t in types.items()})
    return Dataset("t", spec, Path("t.csv"), rows)


def run(ds: Dataset, *steps: dict) -> Dataset:
    return prepare("p", PreparedSpec.model_validate({"from": ds.id, "steps": list(steps)}), ds)


years = st.lists(st.integers(1990, 2030).map(str), min_size=1, max_size=5, unique=True)
names = st.lists(st.text(st.sampled_from("北京上海天津重庆四川山东"), min_size=1, max_size=3), min_size=1,
                 max_size=6, unique=True)
cell = st.none() | st.integers(-10**9, 10**9)


@st.composite
def wide_tables(draw):
    ys, ids = draw(years), draw(names)
    rows = [{"province": p, **{y: draw(cell) for y in ys}} for p in ids]
    return ys, rows


@given(wide_tables())
def test_melt_then_pivot_gives_the_wide_table_back(table):
    ys, rows = table
    ds = dataset(rows, {"province": "text", **{y: "integer" for y in ys}}, {y: "个" for y in ys})
    long = run(ds, {"melt": {"id": ["province"], "name": "year", "value": "n"}})
    assert len(long.rows) == len(rows) * len(ys)
    assert long.spec.columns["year"].type == "period"
    assert long.spec.columns["n"].unit == "个"
    assert {(r["province"], r["year"]): r["n"] for r in long.rows} == {
        (r["province"], y): r[y] for r in rows for y in ys}
    back = prepare("b", PreparedSpec.model_validate({"from": "p", "steps": [
        {"pivot": {"index": ["province"], "columns": "year", "values": "n"}}]}), long)
    assert back.rows == rows
    assert back.columns == ["province", *ys]
    assert all(isinstance(v, int) for r in back.rows for v in r.values() if v is not None and not isinstance(v, str))


@given(wide_tables())
def test_pivot_then_melt_gives_the_long_rows_back(table):
    ys, rows = table
    long_rows = [{"province": r["province"], "year": y, "n": r[y]} for r in rows for y in ys]
    ds = dataset(long_rows, {"province": "text", "year": "period", "n": "integer"})
    wide = run(ds, {"pivot": {"index": ["province"], "columns": "year", "values": "n"}})
    assert [wide.label(y) for y in ys] == [f"{y}年" for y in ys]
    again = prepare("b", PreparedSpec.model_validate({"from": "p", "steps": [
        {"melt": {"id": ["province"], "name": "year", "value": "n"}}, {"sort": ["province"]}]}), wide)
    key = sorted(long_rows, key=lambda r: r["province"])  # sort is stable: years keep their order
    assert sorted(again.rows, key=lambda r: (r["province"], ys.index(r["year"]))) == \
        sorted(key, key=lambda r: (r["province"], ys.index(r["year"])))


values = st.lists(st.none() | st.integers(0, 10**6), min_size=1, max_size=12)


@given(values, st.integers(1, 5), st.booleans())
def test_top_keeps_the_largest_or_the_smallest(vs, n, ascending):
    rows = [{"name": f"r{i}", "v": v} for i, v in enumerate(vs)]
    got = run(dataset(rows, {"name": "text", "v": "integer"}), {"top": {"n": n, "by": "v", "ascending": ascending}})
    known = [v for v in vs if v is not None]
    assert [r["v"] for r in got.rows] == sorted(known, reverse=not ascending)[:n]


@given(values)
def test_share_sums_to_100_and_is_missing_with_a_gap(vs):
    rows = [{"name": f"r{i}", "v": v} for i, v in enumerate(vs)]
    got = run(dataset(rows, {"name": "text", "v": "integer"}), {"share": {"column": "s", "of": "v"}})
    shares = [r["s"] for r in got.rows]
    if None in vs or sum(vs) == 0:
        assert shares == [None] * len(vs)
    else:
        assert sum(shares) == pytest.approx(100.0)  # every digit kept: rounded only when printed
        assert shares == [pytest.approx(100.0 * v / sum(vs)) for v in vs]
    assert got.unit("s") == "%"
    assert got.spec.columns["s"].decimals == 1  # printed with 1 decimal where no format says otherwise


@given(values)
def test_rank_is_one_for_the_largest_and_ties_share_the_better_rank(vs):
    rows = [{"name": f"r{i}", "v": v} for i, v in enumerate(vs)]
    got = run(dataset(rows, {"name": "text", "v": "integer"}), {"rank": {"column": "r", "of": "v"}})
    for r in got.rows:
        if r["v"] is None:
            assert r["r"] is None
        else:
            assert r["r"] == 1 + sum(1 for v in vs if v is not None and v > r["v"])


def test_group_sums_in_first_appearance_order_and_a_gap_stays_a_gap():
    rows = [{"level": "市级", "v": 3}, {"level": "县级", "v": 1}, {"level": "市级", "v": 4},
            {"level": "省级", "v": 2}, {"level": "省级", "v": None}]
    got = run(dataset(rows, {"level": "text", "v": "integer"}),
              {"group": {"by": ["level"], "aggregate": {"v": "sum"}, "count": "rows"}})
    assert got.rows == [{"level": "市级", "v": 7, "rows": 2}, {"level": "县级", "v": 1, "rows": 1},
                        {"level": "省级", "v": None, "rows": 2}]
    mean = run(dataset(rows, {"level": "text", "v": "integer"}), {"group": {"by": ["level"], "aggregate": {"v": "mean"}}})
    assert mean.rows[0] == {"level": "市级", "v": 3.5} and mean.spec.columns["v"].type == "number"


def test_growth_and_difference_between_columns_and_along_periods():
    rows = [{"p": "甲", "year": "2018", "v": 100}, {"p": "乙", "year": "2018", "v": 50},
            {"p": "甲", "year": "2019", "v": 110}, {"p": "乙", "year": "2019", "v": 0},
            {"p": "乙", "year": "2020", "v": 5}]
    ds = dataset(rows, {"p": "text", "year": "period", "v": "integer"}, {"v": "个"})
    got = run(ds, {"growth": {"column": "g", "of": "v", "along": "year", "per": ["p"]}},
              {"difference": {"column": "d", "of": "v", "along": "year", "per": ["p"]}})
    assert [r["g"] for r in got.rows] == [None, None, pytest.approx(10.0), pytest.approx(-100.0), None]  # 0 base
    assert [r["d"] for r in got.rows] == [None, None, 10, -50, 5]
    assert got.unit("g") == "%" and got.unit("d") == "个" and got.spec.columns["d"].type == "integer"
    wide = dataset([{"p": "甲", "a": 110, "b": 100}], {"p": "text", "a": "integer", "b": "integer"})
    assert run(wide, {"growth": {"column": "g", "new": "a", "old": "b"}}).rows[0]["g"] == pytest.approx(10.0)


def test_filter_comparisons_select_rename_sort():
    rows = [{"p": "甲", "year": "2018", "v": 100}, {"p": "乙", "year": "2019", "v": 50},
            {"p": "丙", "year": "2019", "v": None}, {"p": "丁", "year": "2020", "v": 70}]
    ds = dataset(rows, {"p": "text", "year": "period", "v": "integer"})
    got = run(ds, {"filter": {"year": {"ge": "2019"}, "p": {"not_in": ["丁"]}}}, {"select": ["v", "p"]},
              {"rename": {"v": "value"}}, {"sort": ["-value"]})
    assert got.rows == [{"value": 50, "p": "乙"}, {"value": None, "p": "丙"}]  # missing last
    assert run(ds, {"filter": {"p": ["甲", "丁"]}}).column("p") == ["甲", "丁"]
    assert run(ds, {"filter": {"v": {"gt": 60, "lt": 100}}}).column("p") == ["丁"]


@pytest.mark.parametrize(("step", "key", "words"), [
    ({"select": ["v", "x"]}, ("steps", 0, "select", 1), 'no column "x"'),
    ({"filter": {"p": {"gt": 3}}}, ("steps", 0, "filter", "p", "gt"), "compares numbers"),
    ({"filter": {"v": {"gt": "多"}}}, ("steps", 0, "filter", "v", "gt"), "expected a number"),
    ({"melt": {"id": ["p"], "columns": ["v", "year"]}}, ("steps", 0, "melt", "columns"), "one type"),
    ({"pivot": {"index": ["year"], "columns": "p", "values": "v"}}, ("steps", 0, "pivot", "index"), "several rows"),
    ({"top": {"n": 2, "by": "p"}}, ("steps", 0, "top", "by"), "needs integer"),
    ({"group": {"by": ["year"], "aggregate": {"p": "sum"}}}, ("steps", 0, "group", "aggregate", "p"), "needs"),
    ({"share": {"column": "v", "of": "v"}}, ("steps", 0, "share", "column"), "exists already"),
    ({"rename": {"v": "p"}}, ("steps", 0, "rename", "v"), "exists already"),
])
def test_step_errors_name_the_key(step, key, words):
    rows = [{"p": "甲", "year": "2019", "v": 1}, {"p": "乙", "year": "2019", "v": 2}, {"p": "甲", "year": "2019", "v": 3}]
    with pytest.raises(StepError) as exc:
        run(dataset(rows, {"p": "text", "year": "period", "v": "integer"}), step)
    assert words in str(exc.value)
    assert exc.value.key == key
    assert exc.value.hint


# ---------------------------------------------------------------------------- in a project

REPORT = """\
report:
  id: prep
  title: 数据准备
  date: 2020-05-20
datasets:
  - data/gov_websites_by_province.yaml
prepare:
  long:
    from: gov_websites_by_province
    title: 各省政府网站数量（2018—2019年）
    steps:
      - select: [province, websites_2018, websites]
      - rename: {websites: "2019", websites_2018: "2018"}
      - melt: {id: [province], name: year, value: websites, name_label: 年份}
  fewest:
    from: gov_websites_by_province
    title: 政府网站最少的三个省级单位
    steps:
      - top: {n: 3, by: websites, ascending: true}
      - growth: {column: growth_pct, new: websites, old: websites_2018, label: 同比增长}
      - select: [province, websites, growth_pct]
sections:
  - id: s1
    title: 数据准备
    findings:
      - id: chart
        title: "政府网站最少的是{{ top('fewest', 'websites', 1, ascending=true)[0].province }}"
        layout: chart-text
        text: "{{ count('long', year='2019') }}个省级单位，最少的{{ top('fewest', 'websites', 1, ascending=true)[0].province }}仅{{ top('fewest', 'websites', 1, ascending=true)[0].websites | num }}个。"
        slots:
          chart: {dataset: long, kind: column, x: province, y: websites, series: year, where: {province: [四川, 山东]}}
      - id: table
        title: 最少的三个
        layout: table
        slots:
          table: {dataset: fewest, title: 政府网站最少的三个省级单位}
"""


def write_project(tmp_path: Path, text: str = REPORT) -> Path:
    (tmp_path / "data").mkdir()
    (tmp_path / "reports").mkdir()
    for ext in ("csv", "yaml"):
        name = f"gov_websites_by_province.{ext}"
        (tmp_path / "data" / name).write_bytes((ROOT / "data" / name).read_bytes())
    path = tmp_path / "reports" / "prep.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def province_rows() -> list[dict[str, str]]:
    import csv

    with open(ROOT / "data" / "gov_websites_by_province.csv", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_a_report_using_prepared_datasets_shows_them_in_both_outputs(tmp_path):
    import pdfplumber
    from pptx import Presentation

    from egovdeck.engine.build import build

    definition = write_project(tmp_path)
    fewest = sorted(province_rows(), key=lambda r: int(r["websites"]))[:3]
    out = tmp_path / "output"
    build(definition, output_dir=out, cache_dir=tmp_path / "cache")
    with pdfplumber.open(out / "prep.pdf") as pdf:
        text = "".join(p.extract_text() or "" for p in pdf.pages).replace("\n", "")
    assert f"32个省级单位，最少的{fewest[0]['province']}仅{fewest[0]['websites']}个" in text
    # the 数据说明 page says how each prepared dataset was made
    assert "本表由“2019年各省级行政区政府网站数量”经选取列、重命名列、宽表转长表整理得出" in text
    assert "经取最小的3项、计算增长率、选取列整理得出" in text
    for r in fewest:
        assert r["province"] in text
        growth = 100 * (int(r["websites"]) - int(r["websites_2018"])) / int(r["websites_2018"])
        assert f"{growth:.1f}".replace("-", "−") in text  # the table's default format: one decimal
    deck = Presentation(str(out / "prep.pptx"))
    charts = [s.chart for slide in deck.slides for s in slide.shapes if s.has_chart]
    assert len(charts) == 1
    plot = charts[0].plots[0]
    assert list(plot.categories) == ["四川", "山东"]
    by = {r["province"]: r for r in province_rows()}
    assert [s.name for s in plot.series] == ["2018年", "2019年"]
    assert list(plot.series[0].values) == [float(by[p]["websites_2018"]) for p in ("四川", "山东")]
    assert list(plot.series[1].values) == [float(by[p]["websites"]) for p in ("四川", "山东")]
    table_text = " ".join(c.text for slide in deck.slides for s in slide.shapes if s.has_table
                          for row in s.table.rows for c in row.cells)
    assert all(r["province"] in table_text for r in fewest)
    # a dataset and those prepared from it, under one title and source: one entry on the 数据来源 slide (each was
    # listed, 「标题：资料来源：…」); the notes a prepared dataset inherits are printed once in the 数据说明
    sources = next("\n".join(s.text_frame.text for s in slide.shapes if s.has_text_frame) for slide in deck.slides
                   if any(s.has_text_frame and s.text_frame.text.startswith("数据来源") for s in slide.shapes))
    lines = [ln for ln in sources.splitlines()[1:] if "：" in ln]
    assert lines and len(lines) == len(set(lines)) and not any("：资料来源：" in ln for ln in lines), lines
    notes = text.split("数据说明")[-1]
    assert notes.count("吉林与云南均为302个") == 1 and "条说明同“" in notes, notes  # inherited notes said once

    # a changed step changes the result: the build is not "up to date"
    definition.write_text(REPORT.replace("n: 3, by: websites", "n: 2, by: websites"), encoding="utf-8")
    assert build(definition, output_dir=out, cache_dir=tmp_path / "cache").up_to_date is False
    definition.write_text(REPORT, encoding="utf-8")  # back to n: 3: built again, then unchanged
    assert build(definition, output_dir=out, cache_dir=tmp_path / "cache").up_to_date is False
    assert build(definition, output_dir=out, cache_dir=tmp_path / "cache").up_to_date is True
    definition.write_text(REPORT.replace("n: 3, by: websites", "n: 2, by: websites"), encoding="utf-8")
    result = build(definition, output_dir=out, cache_dir=tmp_path / "cache")
    assert result.up_to_date is False
    with pdfplumber.open(out / "prep.pdf") as pdf:
        text = "".join(p.extract_text() or "" for p in pdf.pages)
    assert fewest[2]["province"] not in text.split("数据说明")[0].split("最少的三个")[-1]


def problems_of(definition: Path, warnings: bool = False) -> list:
    from egovdeck.input.project import load_project

    with pytest.raises(EgovError) as exc:
        load_project(definition)
    return [p for p in exc.value.problems if warnings or not p.warning]


def position(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    """1-based line and column of the nth occurrence of needle in text."""
    starts = [m.start() for m in re.finditer(re.escape(needle), text)]
    start = starts[nth]
    line = text.count("\n", 0, start) + 1
    return line, start - (text.rfind("\n", 0, start) + 1) + 1


@pytest.mark.parametrize(("old", "new", "needle", "words"), [
    ("select: [province, websites_2018, websites]", "select: [province, websites_2017, websites]",
     "websites_2017", 'no column "websites_2017"'),
    ("top: {n: 3, by: websites,", "top: {n: 3, by: province,", "by: province", "needs integer"),
    ("growth: {column: growth_pct, new: websites, old: websites_2018",
     "growth: {column: growth_pct, new: websites, old: decline", "old: decline", 'did you mean "decline_pct"'),
    ("      - top:", "      - topp:", "topp", 'unknown step "topp"'),
    ("top: {n: 3,", "top: {n: 0,", "n: 0", "≥ 1"),
    ("from: gov_websites_by_province\n    title: 政府网站最少", "from: gov_websites_by_provinse\n    title: 政府网站最少",
     "from: gov_websites_by_provinse", 'did you mean "gov_websites_by_province"'),
    ("melt: {id: [province],", "melt: {idd: [province],", "idd", 'unknown key "idd"'),
])
def test_a_step_mistake_is_located_at_its_key(tmp_path, old, new, needle, words):
    assert old in REPORT
    text = REPORT.replace(old, new, 1)
    problems = problems_of(write_project(tmp_path, text), warnings=True)
    found = [p for p in problems if words in str(p)]
    assert len(found) == 1, [str(p) for p in problems]
    p = found[0]
    assert (p.line, p.column) == position(text, needle)
    assert p.hint


def test_a_prepared_dataset_unknown_to_a_chart_gets_did_you_mean(tmp_path):
    problems = problems_of(write_project(tmp_path, REPORT.replace("{dataset: long,", "{dataset: lonng,")))
    assert len(problems) == 1 and 'did you mean "long"' in problems[0].hint


def test_a_prepared_dataset_starting_from_itself(tmp_path):
    text = REPORT.replace("from: gov_websites_by_province\n    title: 各省", "from: fewest\n    title: 各省").replace(
        "fewest:\n    from: gov_websites_by_province", "fewest:\n    from: long")
    problems = problems_of(write_project(tmp_path, text))
    assert any("starts from itself" in str(p) for p in problems)


def test_the_schema_documents_every_step():
    from egovdeck.input.schema import schema
    from egovdeck.input.steps import STEP_MODELS

    defs = schema()["$defs"]
    for name, model in STEP_MODELS.items():
        props = defs[model.__name__]["properties"]
        assert name in props and props[name].get("description"), name
    for model in ("PreparedSpec", "Comparison", "MeltSpec", "PivotSpec", "TopSpec", "GroupSpec", "ChangeSpec",
                  "ShareSpec", "RankSpec", "ColumnText", *(m.__name__ for m in STEP_MODELS.values())):
        for key, prop in defs[model]["properties"].items():
            assert prop.get("description") and "examples" in prop, (model, key)


def test_computed_values_keep_their_digits_and_know_how_they_are_printed():
    """Growth, share and mean keep every digit (a table format 0.00% must print 6.45 % for 6.4516 %, not pad
    a value already rounded to 6.4 or 6.5); the step's decimals (growth and share 1 by default) become the
    column's print decimals. A difference or a sum keeps the values' own decimals: that only drops float
    noise (6.94 − 3.94 = 2.9999999999999996)."""
    rows = [{"p": "甲", "a": 6.94, "b": 3.94}, {"p": "乙", "a": 1.0, "b": 3.0}]
    ds = dataset(rows, {"p": "text", "a": "number", "b": "number"})
    got = run(ds, {"difference": {"column": "d", "new": "a", "old": "b"}},
              {"growth": {"column": "g", "new": "a", "old": "b"}},
              {"growth": {"column": "g2", "new": "a", "old": "b", "decimals": 3}},
              {"share": {"column": "s", "of": "a"}})
    assert [r["d"] for r in got.rows] == [3.0, -2.0]
    assert [r["g"] for r in got.rows] == [pytest.approx(100 * 3.0 / 3.94), pytest.approx(-200 / 3)]
    assert [r["g2"] for r in got.rows] == [pytest.approx(100 * 3.0 / 3.94), pytest.approx(-200 / 3)]
    assert [r["s"] for r in got.rows] == [pytest.approx(694 / 7.94), pytest.approx(100 / 7.94)]
    assert {c: got.spec.columns[c].decimals for c in ("d", "g", "g2", "s")} == {"d": None, "g": 1, "g2": 3, "s": 1}
    mean = run(ds, {"group": {"by": ["p"], "aggregate": {"a": "mean"}, "decimals": 1}})
    assert [r["a"] for r in mean.rows] == [6.94, 1.0]
    assert mean.spec.columns["a"].decimals == 1


@given(st.lists(st.tuples(st.sampled_from("甲乙丙"), st.none() | st.integers(-1000, 1000)), min_size=1, max_size=15),
       st.sampled_from(["gt", "ge", "lt", "le", "ne", "eq"]), st.integers(-1000, 1000))
def test_group_sums_and_the_filter_step_agrees_with_the_narrative_count(pairs, op, x):
    from egovdeck.resolve.narrative import DataFunctions, render

    rows = [{"k": k, "v": v} for k, v in pairs]
    ds = dataset(rows, {"k": "text", "v": "integer"})
    grouped = run(ds, {"group": {"by": ["k"], "aggregate": {"v": "sum"}, "count": "n"}})
    for r in grouped.rows:
        members = [v for k, v in pairs if k == r["k"]]
        assert r["n"] == len(members)
        assert r["v"] == (None if None in members else sum(members))
    assert [r["k"] for r in grouped.rows] == list(dict.fromkeys(k for k, _ in pairs))
    kept = run(ds, {"filter": {"v": {op: x}}})
    counted = render(f"{{{{ count('t', v={{'{op}': {x}}}) }}}}", DataFunctions({"t": ds}))
    assert str(len(kept.rows)) == counted
    assert all(r["v"] is not None for r in kept.rows)


@given(st.lists(st.sampled_from(["省级", "市级", "县级", "gov_websites"]), min_size=1, max_size=12),
       st.sampled_from(["省级", "市级", "县级", "gov_websites", "gov_website", "省", "乡级"]) | st.lists(
           st.sampled_from(["省级", "县级", "gov_website", "乡级"]), min_size=1, max_size=3))
def test_a_filter_value_no_row_holds_is_an_error_at_that_filter(levels, wanted):
    """A filter value that no row holds (a typo: gov_website for gov_websites) emptied the table, and the fault
    surfaced steps later ("growth.new: no column 2019-12"). It is an error at the filter's key naming the values
    the column holds; a value (or list) that some row holds keeps exactly those rows."""
    ds = dataset([{"k": k, "v": i} for i, k in enumerate(levels)], {"k": "text", "v": "integer"})
    options = wanted if isinstance(wanted, list) else [wanted]
    if not set(options) & set(levels):
        with pytest.raises(StepError) as exc:
            run(ds, {"filter": {"k": wanted}})
        assert exc.value.key[-1] == "k" and all(level in exc.value.hint for level in set(levels))
        return
    kept = run(ds, {"filter": {"k": wanted}})
    assert [r["v"] for r in kept.rows] == [i for i, k in enumerate(levels) if k in options]
