"""Issue 18's leftovers, each a kind fixed as a rule (the full-disk folder and the CMYK logo are in test_env.py
and test_pdfa.py, the narrative's arguments in test_narrative.py):

- more KPIs in one slot than fit side by side is a located error (at most 6), and KPI cards narrower than a
  minimum wrap to more rows in both outputs (a negative width was exit 3);
- XLSX read as Excel shows it: scaling commas (#,##0, shows 14474000 as 14,474) are applied; hidden rows are
  left out with a warning naming them (Excel does not show them); merged cells in the data are a located error;
- a byte-order mark inside a CSV (two files joined) is an error at its line;
- a number or date where text is expected gets a quoting hint; a value below its minimum gets the range and
  the field's meaning; template_layouts without a template warns; a format with scaling commas is refused.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from egovdeck.input.data import XCell, convert
from test_data_reading import HEADER, hints, project, validate

# ---------------------------------------------------------------------------- XLSX and CSV


@pytest.mark.parametrize(("stored", "fmt", "kind", "shown"), [
    (14474000, "#,##0,", "integer", 14474),
    (14474000, "0,", "integer", 14474),
    (14474123.0, "#,##0.0,,", "number", 14.5),
    (6940000000, '#,##0,,"百万"', "integer", 6940),
    (14474, "#,##0", "integer", 14474),  # a comma between digits only groups
])
def test_scaling_commas_in_an_xlsx_format_are_applied(stored, fmt, kind, shown):
    assert convert(XCell(stored, fmt), kind) == shown


def _xlsx(tmp_path: Path, build) -> Path:
    from openpyxl import Workbook

    report = project(tmp_path, rows=[["period", "websites", "share"]])
    wb = Workbook()
    ws = wb.active
    ws.append(["period", "websites", "share"])
    for row in (["2017", 1, 1], ["2018", 17962, 47.5], ["2019", 14474, 76.8]):
        ws.append(row)
    build(ws)
    wb.save(tmp_path / "data" / "sites.xlsx")
    return report


def test_hidden_rows_are_left_out_with_a_warning_naming_them(tmp_path, monkeypatch, capsys):
    def hide(ws):
        ws.row_dimensions[2].hidden = True

    report = _xlsx(tmp_path, hide)
    code, err = validate(report, monkeypatch, capsys)
    assert code == 0, err
    assert "data/sites.xlsx:2: warning: 1 hidden row left out (2)" in err
    assert "Unhide" in hints(err)
    from egovdeck.input.project import load_project

    assert load_project(report).datasets["sites"].column("period") == ["2018", "2019"]


def test_merged_cells_in_the_data_are_a_located_error(tmp_path, monkeypatch, capsys):
    def merge(ws):
        ws.merge_cells("A3:A4")

    report = _xlsx(tmp_path, merge)
    code, err = validate(report, monkeypatch, capsys)
    assert code == 1
    assert "data/sites.xlsx:3: error: merged cells in the data (A3:A4)" in err
    assert "Merge & Center" in hints(err)


def test_a_header_of_two_rows_names_the_range_merged_into_it(tmp_path, monkeypatch, capsys):
    """A statistical workbook's two-level header: 「period」 merged down over rows 1-2, a group label over the
    other columns, `header_row: 2`. It was "column 1 of the header has no name … a stray comma at the end of
    the header line" (CSV words for a merged cell); now the merged range and the fix, at the header row."""
    def two_levels(ws):
        ws.insert_rows(1)
        ws["A1"] = "period"
        ws["A2"] = None
        ws["B1"] = "网站"
        ws.merge_cells("A1:A2")
        ws.merge_cells("B1:C1")

    report = _xlsx(tmp_path, two_levels)
    sidecar = tmp_path / "data" / "sites.yaml"
    sidecar.write_text(sidecar.read_text(encoding="utf-8") + "header_row: 2\n", encoding="utf-8")
    code, err = validate(report, monkeypatch, capsys)
    assert code == 1
    assert "data/sites.xlsx:2: error: the header row 2 is part of the merged range A1:A2" in err, err
    assert "unmerge A1:A2 and write the column's name in row 2" in hints(err)
    assert "stray comma" not in err


def test_a_byte_order_mark_inside_a_csv_is_located(tmp_path, monkeypatch, capsys):
    report = project(tmp_path, HEADER + "2018-12,17962,47.5\n\ufeff2019-12,14474,76.8\n")
    code, err = validate(report, monkeypatch, capsys)
    assert code == 1
    assert "data/sites.csv:3:1: error: an invisible byte-order mark (U+FEFF" in err
    assert "delete that line's first (invisible) character" in hints(err)


# ---------------------------------------------------------------------------- the definition


def _report(tmp_path: Path, old: str, new: str) -> Path:
    report = project(tmp_path, HEADER + "2018-12,17962,47.5\n2019-12,14474,76.8\n")
    text = report.read_text(encoding="utf-8")
    assert old in text
    report.write_text(text.replace(old, new, 1), encoding="utf-8")
    return report


@pytest.mark.parametrize(("old", "new", "where", "hint"), [
    ("  id: case\n", "  id: 2019\n", "reports/case.yaml:2:3: error: report.id: expected text, found 2019",
     'quote it, e.g. id: "2019": YAML reads an unquoted 2019 as a number'),
    ("  id: case\n", "  id: case\n  keywords: [2019, 2020-05-20]\n",
     "reports/case.yaml:3:14: error: report.keywords[0]: expected text, found 2019",
     'quote it, e.g. keywords: ["2019"]: YAML reads an unquoted 2019 as a number'),
    ("            title: 数据表\n", "            title: 数据表\n            top: 0\n",
     "error: sections[0].findings[0].slots.table.top: expected a number ≥ 1, found 0",
     "write a number ≥ 1 (Keep the first N rows after sorting)"),
])
def test_messages_carry_a_fix(tmp_path, monkeypatch, capsys, old, new, where, hint):
    code, err = validate(_report(tmp_path, old, new), monkeypatch, capsys)
    assert code == 1
    assert where in err
    assert hint in hints(err)


def test_header_row_0_says_what_header_row_is(tmp_path, monkeypatch, capsys):
    report = project(tmp_path, rows=[["period", "websites", "share"], ["2019-12", 14474, 76.8]])
    sidecar = tmp_path / "data" / "sites.yaml"
    sidecar.write_text(sidecar.read_text(encoding="utf-8") + "header_row: 0\n", encoding="utf-8")
    code, err = validate(report, monkeypatch, capsys)
    assert code == 1
    assert "header_row: expected a number ≥ 1, found 0" in err
    assert "1-based row holding the column names" in hints(err)


def test_template_layouts_without_a_template_warns(tmp_path, monkeypatch, capsys):
    report = _report(tmp_path, "datasets:\n", "theme:\n  template_layouts: {title: 封面}\ndatasets:\n")
    code, err = validate(report, monkeypatch, capsys)
    assert code == 0
    assert "reports/case.yaml:6:3: warning: theme.template_layouts: template_layouts is ignored" in err
    assert "theme.template" in hints(err)


@pytest.mark.parametrize("code", ["#,##0,", "#,##0,,,", "0.0,,"])
def test_a_format_with_scaling_commas_is_refused_at_its_key(tmp_path, monkeypatch, capsys, code):
    report = _report(tmp_path, "            title: 数据表\n",
                     f'            title: 数据表\n            columns: [{{field: websites, format: "{code}"}}]\n')
    status, err = validate(report, monkeypatch, capsys)
    assert status == 1
    assert f"reports/case.yaml:18:41: error: sections[0].findings[0].slots.table.columns[0].format: format: " \
           f'"{code}": ' in err
    assert "egovdeck does not scale with commas" in err and '"0.00万"' in hints(err)


# ---------------------------------------------------------------------------- KPIs


def _kpis(n: int, layout: str = "kpi-row") -> str:
    items = "".join(f"          - {{value: '{1000 + i}个', label: 指标{i}, change: 变化{i}}}\n" for i in range(n))
    return f"""\
      - id: k
        title: 指标
        layout: {layout}
        slots:
          kpis:
{items}"""


def test_more_kpis_than_fit_in_a_row_is_a_located_error(tmp_path, monkeypatch, capsys):
    report = _report(tmp_path, "      - id: f\n", _kpis(60) + "      - id: f\n")
    code, err = validate(report, monkeypatch, capsys)
    assert code == 1
    assert "reports/case.yaml:22:13: error: sections[0].findings[0].slots.kpis[6]: 60 KPIs in one slot: at most 6" in err
    assert "split them over several findings" in hints(err)


NARROW = """\
layouts:
  narrow:
    slots:
      kpis: {type: kpis}
      table: {type: table}
    pdf: [[kpis, table]]
    slide:
      kpis: [0.0, 0.0, 0.3, 0.7]
      table: [0.35, 0.0, 0.65, 1.0]
datasets:
"""


def test_kpis_in_a_narrow_slot_wrap_to_rows_in_both_outputs(tmp_path):
    """Six KPIs in a slot a third of the width: in the PDF and on the slide every value is printed once, and no
    two KPI cards (PDF: the values' boxes; deck: the card shapes) overlap or leave the slot."""
    import pdfplumber
    from pptx import Presentation
    from pptx.util import Emu

    from egovdeck.engine.build import build

    report = _report(tmp_path, "datasets:\n", NARROW)
    text = report.read_text(encoding="utf-8").replace(
        "      - id: f\n", _kpis(6, "narrow") + "          table: {dataset: sites}\n      - id: f\n")
    report.write_text(text, encoding="utf-8")
    build(report, output_dir=tmp_path / "out", cache_dir=tmp_path / "cache", jobs=1)
    with pdfplumber.open(tmp_path / "out" / "case.pdf") as pdf:
        page = next(p for p in pdf.pages if "1000个" in (p.extract_text() or ""))
        words = [w for w in page.extract_words() if w["text"].endswith("个") and w["text"][:4].isdigit()]
    assert sorted(w["text"] for w in words) == [f"{1000 + i}个" for i in range(6)]
    assert len({round(w["top"]) for w in words}) > 1  # wrapped to more than one row
    for i, a in enumerate(words):
        for b in words[i + 1:]:
            assert a["x1"] <= b["x0"] or b["x1"] <= a["x0"] or a["bottom"] <= b["top"] or b["bottom"] <= a["top"]
    deck = Presentation(str(tmp_path / "out" / "case.pptx"))
    slide = next(s for s in deck.slides if any(sh.has_text_frame and sh.text_frame.text == "1000个" for sh in s.shapes))
    values = [sh for sh in slide.shapes if sh.has_text_frame and sh.text_frame.text.endswith("个")
              and sh.text_frame.text[:4].isdigit()]
    assert len(values) == 6
    width = deck.slide_width
    for i, a in enumerate(values):
        assert a.width > 0 and a.height > 0 and a.left + a.width <= Emu(int(width * 0.4))
        for b in values[i + 1:]:
            assert (a.left + a.width <= b.left or b.left + b.width <= a.left
                    or a.top + a.height <= b.top or b.top + b.height <= a.top)
