"""No double rounding (issue #16, Text rules): a prepared column keeps every digit and is rounded once, when
printed. A `share` step rounded to 1 decimal and a table format 0.00% then padded it (6.50 for a true share
of 6.45). Every printed share is the true share rounded half-up to the decimals of the format that prints it."""

from __future__ import annotations

import decimal
import re
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import example, given
from hypothesis import strategies as st

from clients import pdftotext_pages
from egovdeck.text.numfmt import format_number, parse_format


def _true_share(part: int, total: int, places: int) -> str:
    """100 × part / total rounded half-up to places, computed exactly (no float), written as numfmt does."""
    with decimal.localcontext() as ctx:
        ctx.prec = 60
        exact = decimal.Decimal(100 * part) / decimal.Decimal(total)
        return format_number(exact.quantize(decimal.Decimal(1).scaleb(-places), rounding=decimal.ROUND_HALF_UP),
                             places)


@given(st.lists(st.integers(1, 10**7), min_size=1, max_size=12), st.integers(0, 3), st.integers(0, 4))
def test_every_printed_share_is_the_true_share_rounded_once(parts, step_decimals, format_decimals):
    """Whatever decimals the share step names, a format of format_decimals prints the true share rounded to
    format_decimals; without a format the column's own decimals (the step's) are used."""
    from egovdeck.input.data import Dataset
    from egovdeck.input.definition import ColumnSpec, DatasetSpec, PreparedSpec
    from egovdeck.input.prepare import prepare
    from egovdeck.resolve.report import _cell_text

    spec = DatasetSpec(title="测试", file="t.csv", source="资料来源：测试",
                       columns={"name": ColumnSpec(type="text"), "v": ColumnSpec(type="integer")})
    ds = Dataset("t", spec, Path("t.csv"), [{"name": f"r{i}", "v": v} for i, v in enumerate(parts)])
    step = {"share": {"column": "s", "of": "v", "decimals": step_decimals}}
    got = prepare("p", PreparedSpec.model_validate({"from": "t", "steps": [step]}), ds)
    fmt = parse_format("0" + ("." + "0" * format_decimals if format_decimals else ""))
    total = sum(parts)
    for row, part in zip(got.rows, parts, strict=True):
        assert _cell_text(row["s"], fmt, "number") == _true_share(part, total, format_decimals)
    assert got.spec.columns["s"].decimals == step_decimals


CASE = {
    "report": {"id": "case", "title": "占比", "date": "2020-05-20", "pdf_standard": "none"},
    "datasets": ["data/t.yaml"],
    "prepare": {"shares": {"from": "t", "title": "各地占比", "steps": [{"share": {"column": "s", "of": "v",
                                                                             "label": "占比"}}]}},
    "sections": [{"id": "s", "title": "占比", "findings": [
        {"id": "f", "title": "各地占比", "layout": "table", "text": "各地占比见下表。",
         "slots": {"table": {"dataset": "shares", "title": "各地占比",
                             "columns": [{"field": "name"}, {"field": "s", "label": "占比（%）", "format": "0.00"},
                                         {"field": "s", "label": "占比默认（%）"}]}}}]}],
}


def test_the_brief_prints_a_share_rounded_once(tmp_path):
    """129 of 2000 is 6.45 %: the table's 0.00 column prints 6.45 (it printed 6.50, the step's 6.5 padded),
    the column without a format prints the step's 1 decimal, 6.5; 1871 of 2000 prints 93.55 and 93.6."""
    from egovdeck.engine.build import build

    project = tmp_path / "case"
    (project / "data").mkdir(parents=True)
    (project / "reports").mkdir()
    (project / "data" / "t.csv").write_text("name,v\n甲地,129\n乙地,1871\n", encoding="utf-8")
    meta = {"title": "数量", "file": "t.csv", "source": "资料来源：测试", "unit": "个", "key": ["name"],
            "columns": {"name": {"type": "text", "label": "地区"}, "v": {"type": "integer", "label": "数量"}}}
    (project / "data" / "t.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
    (project / "reports" / "case.yaml").write_text(yaml.safe_dump(CASE, allow_unicode=True, sort_keys=False),
                                                   encoding="utf-8")
    build(project / "reports" / "case.yaml", output_dir=tmp_path / "out", use_cache=False, formats=("pdf",))
    body = "\n".join(pdftotext_pages(tmp_path / "out" / "case.pdf"))
    rows = {m.group(1): m.group(2).split() for m in re.finditer(r"(甲地|乙地)\s+([\d.\s]+)", body)}
    assert rows == {"甲地": ["6.45", "6.5"], "乙地": ["93.55", "93.6"]}, rows
    shutil.rmtree(project)


def test_a_reshaped_share_keeps_its_print_decimals():
    """pivot and melt carry a computed column's print decimals to the columns they make (else a pivoted
    share without a format would print every digit up to 4 decimals)."""
    from egovdeck.input.data import Dataset
    from egovdeck.input.definition import ColumnSpec, DatasetSpec, PreparedSpec
    from egovdeck.input.prepare import prepare

    spec = DatasetSpec(title="测试", file="t.csv", source="资料来源：测试", columns={
        "p": ColumnSpec(type="text"), "y": ColumnSpec(type="period"), "v": ColumnSpec(type="integer")})
    rows = [{"p": p, "y": y, "v": v} for p, y, v in [("甲", "2018", 1), ("乙", "2018", 2), ("甲", "2019", 3),
                                                     ("乙", "2019", 7)]]
    ds = Dataset("t", spec, Path("t.csv"), rows)
    steps = [{"share": {"column": "s", "of": "v", "per": ["y"], "decimals": 2}}, {"select": ["p", "y", "s"]},
             {"pivot": {"index": ["p"], "columns": "y", "values": "s"}}]
    wide = prepare("w", PreparedSpec.model_validate({"from": "t", "steps": steps}), ds)
    assert {c: wide.spec.columns[c].decimals for c in ("2018", "2019")} == {"2018": 2, "2019": 2}
    long = prepare("l", PreparedSpec.model_validate({"from": "t", "steps": [
        *steps, {"melt": {"id": ["p"], "columns": ["2018", "2019"], "name": "y", "value": "s"}}]}), ds)
    assert long.spec.columns["s"].decimals == 2
    assert [r["s"] for r in long.rows if r["p"] == "甲"] == [pytest.approx(100 / 3), pytest.approx(30.0)]


@example([1, 3], 1)
@given(st.lists(st.integers(1, 10**7), min_size=1, max_size=12), st.integers(0, 3))
def test_a_bare_prepared_share_prints_as_its_table_cell(parts, step_decimals):
    """{{ value("p", "s", …) }} of a prepared share printed 33.3 while the step rounded the column; the column keeps
    every digit now, and a bare value printed 33.33333333333333 (or stopped with the float-noise error). Written
    bare (also through top() rows, latest() and ~), it is the true share at the column's decimals, as in the table
    without a format; arithmetic on it still needs a filter."""
    from egovdeck.input.data import Dataset
    from egovdeck.input.definition import ColumnSpec, DatasetSpec, PreparedSpec
    from egovdeck.input.prepare import prepare
    from egovdeck.resolve.narrative import DataFunctions, TemplateError, render

    spec = DatasetSpec(title="测试", file="t.csv", source="资料来源：测试",
                       columns={"name": ColumnSpec(type="text"), "v": ColumnSpec(type="integer")})
    ds = Dataset("t", spec, Path("t.csv"), [{"name": f"r{i}", "v": v} for i, v in enumerate(parts)])
    step = {"share": {"column": "s", "of": "v", "decimals": step_decimals}}
    functions = DataFunctions({"p": prepare("p", PreparedSpec.model_validate({"from": "t", "steps": [step]}), ds)})
    total = sum(parts)
    for i, part in enumerate(parts):
        want = _true_share(part, total, step_decimals)
        assert render(f'{{{{ value("p", "s", name="r{i}") }}}}', functions) == want
        assert render(f'{{{{ "占" ~ value("p", "s", name="r{i}") ~ "%" }}}}', functions) == f"占{want}%"
        assert render(f'{{{{ value("p", "s", name="r{i}") | num(4) }}}}', functions) == _true_share(part, total, 4)
    top = max(range(len(parts)), key=lambda i: (parts[i], -i))
    assert render('{% for r in top("p", "s", 1) %}{{ r.s }}{% endfor %}', functions) == \
        _true_share(parts[top], total, step_decimals)
    assert render('{{ latest("p", "s") }}', functions) == _true_share(parts[-1], total, step_decimals)
    assert type(functions.value("p", "s", name="r0") / 3) is float  # arithmetic is written by a filter
    if len(parts) == 2 and parts[0] * 3 == parts[1]:  # 25 % / 3: float noise, refused as any bare arithmetic
        with pytest.raises(TemplateError, match="without a format"):
            render('{{ value("p", "s", name="r0") / 3 }}', functions)
