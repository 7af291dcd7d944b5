"""Reading CSV and XLSX data the way the user sees it, or saying exactly what is wrong (issue 18).

Rules under test (src/egovdeck/data.py):
- every CSV row has exactly the header's cells (an unquoted 14,474 shifts the columns: a located error);
  an unclosed quote is an error at the line where it opens;
- a comma in a number is accepted only as correct thousands grouping (Babel, strict); 6,94 and 1,44,74
  are located errors with the fix; 1e400, a 100,000-digit number and anything of 10^15 or more are refused;
- a dash, N/A, 无 ... typed for "no data": the hint says to leave the cell empty;
- XLSX: a percent-formatted cell is the percent Excel shows (0.768 -> 76.8) when the column's unit is a percent,
  an error otherwise; a date in a period column is the month (or year) Excel shows; a formula without a saved
  value, a password-protected workbook, an .xls in disguise and a zip bomb get their own message and fix;
  the sheet's stored used range is ignored;
- limits on file size, rows and cells (EGOVDECK_MAX_DATA_MB / _ROWS / _CELLS) give a quick exit 1;
- the workbooks embedded in the deck hold no formula, whatever the labels say.
Most tests run `egovdeck validate` in-process on a small project and read its exit code and messages.
"""

from __future__ import annotations

import io
import math
import re
import time
import zipfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

REPORT = """\
report:
  id: case
  title: 数据读取
  date: 2020-05-20
datasets:
  - data/*.yaml
sections:
  - id: s1
    title: 读取
    findings:
      - id: f
        title: 数据表
        layout: table
        slots:
          table:
            dataset: sites
            title: 数据表
"""

SIDECAR = """\
title: 测试数据
file: {file}
source: 资料来源：测试数据
unit: "{unit}"
key: [period]
columns:
  period: {{type: period, label: 时间}}
  websites: {{type: integer, unit: 个, label: 政府网站数量, required: {required}}}
  share: {{type: number, unit: "{unit}", label: 比例, required: false}}
"""


def project(tmp_path: Path, csv_text: str | None = None, *, rows: list[list] | None = None, unit: str = "%",
            required: str = "true") -> Path:
    """A one-dataset project in tmp_path (CSV text, or XLSX rows); returns its report definition."""
    (tmp_path / "reports").mkdir(exist_ok=True)
    (tmp_path / "data").mkdir(exist_ok=True)
    (tmp_path / "reports" / "case.yaml").write_text(REPORT, encoding="utf-8")
    name = "sites.csv" if rows is None else "sites.xlsx"
    (tmp_path / "data" / "sites.yaml").write_text(SIDECAR.format(file=name, unit=unit, required=required),
                                                  encoding="utf-8")
    if rows is None:
        (tmp_path / "data" / name).write_text(csv_text, encoding="utf-8")
    else:
        from openpyxl import Workbook

        wb = Workbook()
        for row in rows:
            wb.active.append(row)
        wb.save(tmp_path / "data" / name)
    return tmp_path / "reports" / "case.yaml"


def validate(report: Path, monkeypatch, capsys) -> tuple[int, str]:
    from egovdeck.cli.main import main

    monkeypatch.chdir(report.parents[1])
    code = main(["validate", str(report.relative_to(report.parents[1]))], try_server=False)
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return code, err


def hints(err: str) -> str:
    return "\n".join(line for line in err.splitlines() if "hint:" in line)


HEADER = "period,websites,share\n"


# --------------------------------------------------------------------------- CSV: rows and quotes


def test_unquoted_thousands_separator_is_a_located_ragged_row(tmp_path, monkeypatch, capsys):
    report = project(tmp_path, HEADER + "2018-12,17962,47.5\n2019-12,14,474,76.8\n")
    code, err = validate(report, monkeypatch, capsys)
    assert code == 1
    assert "data/sites.csv:3:4: error: row 3 has 4 cells but the header has 3" in err
    assert 'quote "14,474"' in hints(err)


def test_rows_with_too_many_or_too_few_cells_are_errors(tmp_path, monkeypatch, capsys):
    report = project(tmp_path, HEADER + "2017-12,1,2\n2018-12,17962,47.5,见附注\n2019-12,14474\n")
    code, err = validate(report, monkeypatch, capsys)
    assert code == 1
    assert "data/sites.csv:3:4: error: row 3 has 4 cells but the header has 3" in err
    assert "data/sites.csv:4:3: error: row 4 has 2 cells but the header has 3" in err
    assert "quote the cell" in err and "empty cell" in err


def test_quoted_thousands_and_blank_lines_are_fine(tmp_path, monkeypatch, capsys):
    report = project(tmp_path, HEADER + '2018-12,"17,962",47.5\n\n2019-12,"1,234,567",5\n')
    code, err = validate(report, monkeypatch, capsys)
    assert code == 0, err


def test_an_unclosed_quote_is_an_error_where_it_opens(tmp_path, monkeypatch, capsys):
    report = project(tmp_path, HEADER + '2018-12,17962,47.5\n2019-12,"14474,76.8\n2020-03,1,2\n')
    code, err = validate(report, monkeypatch, capsys)
    assert code == 1
    assert "data/sites.csv:3: error: a quoted cell is never closed" in err


def test_a_stray_quote_after_a_quoted_cell_is_an_error(tmp_path, monkeypatch, capsys):
    report = project(tmp_path, HEADER + '2018-12,"179"62,47.5\n')
    code, err = validate(report, monkeypatch, capsys)
    assert code == 1 and "data/sites.csv:2: error: not a readable CSV line" in err


def test_a_gb18030_line_in_a_utf8_file_is_located(tmp_path, monkeypatch, capsys):
    """Read as GB18030 as a whole, the UTF-8 lines would be garbled: the mixed line is the error."""
    report = project(tmp_path, HEADER)
    raw = HEADER.encode() + '2018-12,17962,"四川省"\n'.encode() + '2019-12,14474,"山东省"\n'.encode("gb18030")
    (tmp_path / "data" / "sites.csv").write_bytes(raw)
    code, err = validate(report, monkeypatch, capsys)
    assert code == 1
    assert "data/sites.csv:3: error: line 3 is not UTF-8 (it looks like GB18030)" in err and "UTF-8" in hints(err)


def test_a_column_without_a_name_is_located(tmp_path, monkeypatch, capsys):
    report = project(tmp_path, "period,websites,share,\n2019-12,14474,76.8,\n")
    code, err = validate(report, monkeypatch, capsys)
    assert code == 1 and "data/sites.csv:1:4: error: column 4 of the header has no name" in err


def test_a_semicolon_separated_file_says_so(tmp_path, monkeypatch, capsys):
    report = project(tmp_path, "period;websites;share\n2019-12;14474;76,8\n")
    code, err = validate(report, monkeypatch, capsys)
    assert code == 1 and "data/sites.csv:1: error: missing column(s)" in err
    assert "separates its cells with semicolons" in hints(err)


@pytest.mark.parametrize("name,raw,text", [
    ("sites.csv", b"PK\x03\x04" + bytes(40), "this is an Excel workbook (or another zip/OLE file), not a CSV"),
    ("sites.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(40), "sites.xls is an old binary Excel workbook"),
    ("sites.ods", b"PK\x03\x04" + bytes(40), "sites.ods is an OpenDocument spreadsheet"),
])
def test_a_file_of_another_kind_is_named(tmp_path, monkeypatch, capsys, name, raw, text):
    report = project(tmp_path, HEADER)
    sidecar = tmp_path / "data" / "sites.yaml"
    sidecar.write_text(sidecar.read_text(encoding="utf-8").replace("sites.csv", name), encoding="utf-8")
    (tmp_path / "data" / name).write_bytes(raw)
    code, err = validate(report, monkeypatch, capsys)
    assert code == 1 and f"data/{name}: error: " in err and text in err and "hint:" in err


# --------------------------------------------------------------------------- CSV: numbers


@pytest.mark.parametrize("cell,guess", [
    ('"6,94"', '"6.94"'),  # a decimal comma
    ('"1,44,74"', '"14,474"'),  # misplaced grouping
    ('"1,2345"', '"12,345"'),
])
def test_a_comma_that_is_not_thousands_grouping_is_refused(tmp_path, monkeypatch, capsys, cell, guess):
    report = project(tmp_path, HEADER + f"2019-12,14474,{cell}\n")
    code, err = validate(report, monkeypatch, capsys)
    assert code == 1
    assert "data/sites.csv:2:3: error: " in err and "a comma that is not a thousands separator" in err
    assert guess in hints(err) and "point" in hints(err)


@pytest.mark.parametrize("cell,why", [
    ("1e400", "out of range"),
    ("-1e400", "out of range"),
    ("1e15", "out of range"),
    ("9e99", "out of range"),
    ("1e999999999999999999", "out of range"),  # past Decimal's own exponent range (was exit 3)
    ("1e-400", "out of range"),  # would be read as 0: a silently wrong figure
    ("-1e-999999999999999999", "out of range"),
    ("9" * 100_000, "100,000 characters"),
])
def test_absurd_numbers_are_located_errors(tmp_path, monkeypatch, capsys, cell, why):
    report = project(tmp_path, HEADER + f"2019-12,14474,{cell}\n")
    started = time.perf_counter()
    code, err = validate(report, monkeypatch, capsys)
    assert code == 1 and time.perf_counter() - started < 10
    assert "data/sites.csv:2:3: error: " in err and why in err


@pytest.mark.parametrize("mark", ["—", "-", "——", "–", "N/A", "n/a", "无", "#N/A"])
@pytest.mark.parametrize("required", ["true", "false"])
def test_a_dash_for_a_missing_value_says_leave_it_empty(tmp_path, monkeypatch, capsys, mark, required):
    report = project(tmp_path, HEADER + f"2019-12,{mark},47.5\n", required=required)
    code, err = validate(report, monkeypatch, capsys)
    assert code == 1
    assert "data/sites.csv:2:2: error: " in err
    assert "leave the cell empty" in hints(err)
    assert ("required: false" in hints(err)) == (required == "true")


def test_convert_reads_numbers_with_babel_rules():
    from egovdeck.input.data import convert

    assert convert("1,234,567", "integer") == 1234567
    assert convert("-1,234.5", "number") == -1234.5
    assert convert("+1,234", "integer") == 1234
    for bad in ("6,94", "1,44,74", "1,234.", "1e400", "1_000", "nan", "１２,３４５"):
        with pytest.raises(ValueError):
            convert(bad, "number")


# --------------------------------------------------------------------------- limits


def test_a_five_million_row_csv_is_refused_at_the_limit(tmp_path, monkeypatch, capsys):
    """Refused at the line past the limit (tests never assert times: bench measures speed)."""
    report = project(tmp_path, HEADER)
    (tmp_path / "data" / "sites.csv").write_bytes(HEADER.encode() + b"2019,1,\n" * 5_000_000)
    code, err = validate(report, monkeypatch, capsys)
    assert code == 1
    assert "data/sites.csv:100002: error: more than 100,000 data rows" in err, err
    assert "EGOVDECK_MAX_DATA_ROWS" in hints(err)


def test_a_huge_csv_is_refused_at_a_line(tmp_path, monkeypatch, capsys):
    report = project(tmp_path, HEADER)
    row = b"2019-12,14474,76.8," + b"x" * 40 + b"\n"
    (tmp_path / "data" / "sites.csv").write_bytes(HEADER.encode() + row * 1_000_000)  # 60 MB
    code, err = validate(report, monkeypatch, capsys)
    assert code == 1
    assert "data/sites.csv:100002: error: more than 100,000 data rows" in err


@pytest.mark.parametrize("var,value,text", [
    ("EGOVDECK_MAX_DATA_ROWS", "2", "more than 2 data rows"),
    ("EGOVDECK_MAX_DATA_CELLS", "6", "more than 6 cells"),
    ("EGOVDECK_MAX_DATA_MB", "1", "data/sites.csv:7: error: the file is 2.0 MB, more than the limit of 1 MB; the limit "
                                  "is reached on this line"),
])
def test_data_limits_are_configurable(tmp_path, monkeypatch, capsys, var, value, text):
    body = "".join(f"{2000 + i},{i},1\n" for i in range(5))
    report = project(tmp_path, HEADER + body)
    code, _ = validate(report, monkeypatch, capsys)
    assert code == 0
    if var == "EGOVDECK_MAX_DATA_MB":
        (tmp_path / "data" / "sites.csv").write_text(HEADER + body + "#" * (1 << 21), encoding="utf-8")
    monkeypatch.setenv(var, value)
    code, err = validate(report, monkeypatch, capsys)
    assert code == 1 and text in err and var in hints(err)


def test_a_line_of_millions_of_commas_is_refused_before_it_is_split(tmp_path, monkeypatch, capsys):
    report = project(tmp_path, HEADER + "2019-12," + "," * 3_000_000 + "\n")
    started = time.perf_counter()
    code, err = validate(report, monkeypatch, capsys)
    assert code == 1 and time.perf_counter() - started < 10
    assert "data/sites.csv:2: error: more than 2,000,000 cells" in err


def test_a_sheet_of_empty_formatted_cells_is_refused_quickly(tmp_path, monkeypatch, capsys):
    from openpyxl import load_workbook
    from openpyxl.styles import Font

    report = project(tmp_path, rows=[["period", "websites", "share"], ["2018-12", 17962, 47.5]])
    path = tmp_path / "data" / "sites.xlsx"
    wb = load_workbook(path)
    for r in range(3, 60):
        wb.active.cell(row=r, column=5000).font = Font(bold=True)
    wb.save(path)
    code, _ = validate(report, monkeypatch, capsys)
    assert code == 0  # 57 x 5000 empty cells: within 10x the cell limit, ignored
    monkeypatch.setenv("EGOVDECK_MAX_DATA_CELLS", "10000")
    code, err = validate(report, monkeypatch, capsys)
    assert code == 1 and re.search(r"data/sites\.xlsx:\d+: error: the sheet holds far more \(empty, formatted\) "
                                   r"cells than data", err)


def test_a_bad_limit_setting_is_a_user_error(tmp_path, monkeypatch, capsys):
    report = project(tmp_path, HEADER + "2019,1,2\n")
    monkeypatch.setenv("EGOVDECK_MAX_DATA_ROWS", "lots")
    code, err = validate(report, monkeypatch, capsys)
    assert code == 1 and "EGOVDECK_MAX_DATA_ROWS='lots' is not a positive whole number" in err


# --------------------------------------------------------------------------- XLSX


def test_percent_formatted_cells_are_the_percent_excel_shows(tmp_path):
    from openpyxl import load_workbook

    from egovdeck.errors import Collector
    from egovdeck.input.project import load_project

    report = project(tmp_path, rows=[["period", "websites", "share"], ["2018-12", 17962, 0.475],
                                     ["2020-03", 14474, 0.768]])
    path = tmp_path / "data" / "sites.xlsx"
    wb = load_workbook(path)
    for row in wb.active.iter_rows(min_row=2, min_col=3):
        row[0].number_format = "0.0%"
    wb.save(path)
    ds = load_project(report).datasets["sites"]
    assert ds.column("share") == [47.5, 76.8]

    # the same cells in a column whose unit is not a percent: say how Excel stores them and what to declare
    from egovdeck.input.data import load_dataset
    from egovdeck.input.definition import DatasetSpec

    spec = DatasetSpec(title="t", file="sites.xlsx", source="资料来源：测试", columns={
        "period": {"type": "period"}, "websites": {"type": "integer"}, "share": {"type": "number", "unit": "亿人"}})
    problems = Collector()
    load_dataset("sites", spec, path, problems)
    text = "\n".join(map(str, problems.errors))
    assert ':3:3: error: row 3, column "share": expected a number (e.g. 6.94), found "0.768" (Excel stores 0.768 ' \
           "formatted as a percent (it shows 76.8%))" in text
    assert 'unit as "%"' in text


def test_periods_stored_as_excel_dates_read_as_excel_shows_them(tmp_path, monkeypatch, capsys):
    import datetime as dt

    from openpyxl import load_workbook

    report = project(tmp_path, rows=[["period", "websites", "share"], [dt.datetime(2018, 12, 1), 17962, 47.5],
                                     [dt.datetime(2020, 3, 1), 14474, 76.8], [dt.datetime(2021, 1, 1), 1, 2]])
    path = tmp_path / "data" / "sites.xlsx"
    wb = load_workbook(path)
    ws = wb.active
    ws["A2"].number_format = 'yyyy"年"m"月"'
    ws["A3"].number_format = "mmm-yy"
    ws["A4"].number_format = "yyyy"
    wb.save(path)
    from egovdeck.input.project import load_project

    assert load_project(report).datasets["sites"].column("period") == ["2018-12", "2020-03", "2021"]

    ws["A4"].value = dt.datetime(2021, 2, 28)
    ws["A4"].number_format = "yyyy-mm-dd"
    ws["A5"].value = "2021-02-28"
    wb.save(path)
    code, err = validate(report, monkeypatch, capsys)
    assert code == 1
    assert 'data/sites.xlsx:4:1: error: row 4, column "period": expected a period like 2019 or 2019-12, ' \
           'found "2021-02-28" (Excel stored the date 2021-02-28)' in err
    assert "format the column as Text" in hints(err)
    assert "duplicate key" not in err


def test_excel_values_as_excel_shows_them(tmp_path, monkeypatch, capsys):
    from egovdeck.input.project import load_project

    report = project(tmp_path, rows=[["period", "websites", "share"], [2018, 17962.000000000004, 0.1 + 0.2],
                                     [2019, 14474, "#DIV/0!"]])
    code, err = validate(report, monkeypatch, capsys)
    assert code == 1 and 'data/sites.xlsx:3:3: error: row 3, column "share": expected a number' in err
    assert "Excel shows the error #DIV/0!" in hints(err)
    from openpyxl import load_workbook

    path = tmp_path / "data" / "sites.xlsx"
    wb = load_workbook(path)
    wb.active["C3"] = None
    wb.save(path)
    ds = load_project(report).datasets["sites"]
    assert ds.column("period") == ["2018", "2019"] and ds.column("websites") == [17962, 14474]
    assert ds.column("share") == [0.3, None]


def _two_sheets(tmp_path, active: int, hide_first: bool = False):
    from openpyxl import load_workbook

    report = project(tmp_path, rows=[["period", "websites", "share"], ["2018-12", 99999, 2]])
    path = tmp_path / "data" / "sites.xlsx"
    wb = load_workbook(path)
    wb.active.title = "旧数据"
    if hide_first:
        wb.active.sheet_state = "hidden"
    new = wb.create_sheet("数据")
    for row in (["period", "websites", "share"], ["2018-12", 17962, 47.5]):
        new.append(row)
    wb.active = active
    wb.save(path)
    return report


@pytest.mark.parametrize("hide_first", [False, True])
def test_the_sheet_excel_opens_on_is_read(tmp_path, monkeypatch, capsys, hide_first):
    """Not the first sheet: the user sees the active one (a first sheet of old data printed 99,999 before)."""
    from egovdeck.input.project import load_project

    report = _two_sheets(tmp_path, active=1, hide_first=hide_first)
    code, err = validate(report, monkeypatch, capsys)
    assert code == 0, err
    assert 'egovdeck read "数据", the one Excel opens on' in err and 'sheet: "数据"' in err
    assert load_project(report).datasets["sites"].column("websites") == [17962]


def test_a_hidden_sheet_is_not_read_silently(tmp_path, monkeypatch, capsys):
    from openpyxl import load_workbook

    report = _two_sheets(tmp_path, active=0)
    path = tmp_path / "data" / "sites.xlsx"
    wb = load_workbook(path)
    wb["旧数据"].sheet_state = "hidden"  # saved as the active sheet although hidden (a script can do this)
    wb.save(path)
    code, err = validate(report, monkeypatch, capsys)
    # openpyxl may move the active sheet to a visible one when saving, as Excel does when opening: either
    # way the hidden sheet's data never reaches the brief unannounced
    if code == 1:
        assert 'data/sites.xlsx: error: the sheet Excel opens the workbook on, "旧数据", is hidden' in err
        assert "`sheet:`" in hints(err) and "数据" in hints(err)
    else:
        from egovdeck.input.project import load_project

        assert 'egovdeck read "数据"' in err, err
        assert load_project(report).datasets["sites"].column("websites") == [17962]


def test_a_formula_without_a_saved_value_says_so(tmp_path, monkeypatch, capsys):
    report = project(tmp_path, rows=[["period", "websites", "share"], ["2018-12", 17962, 47.5],
                                     ["2019-12", "=B2-3488", "=C2*1.5"]])
    code, err = validate(report, monkeypatch, capsys)
    assert code == 1
    assert 'data/sites.xlsx:3:2: error: row 3, column "websites": the cell holds the formula =B2-3488 but the ' \
           "workbook has no saved value" in err
    assert "data/sites.xlsx:3:3: error:" in err  # the optional column too: a formula is not a gap
    assert "open the workbook in Excel or LibreOffice and save it" in hints(err)


def test_values_right_of_the_header_are_errors(tmp_path, monkeypatch, capsys):
    report = project(tmp_path, rows=[["period", "websites", "share"], ["2018-12", 17962, 47.5, None, "注"]])
    code, err = validate(report, monkeypatch, capsys)
    assert code == 1 and "data/sites.xlsx:2:4: error: row 2 has 5 cells but the header has 3" in err


def _ole(*streams: str) -> bytes:
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + b"".join(s.encode("utf-16-le") for s in streams)


@pytest.mark.parametrize("raw,text,fix", [
    (_ole("EncryptionInfo", "EncryptedPackage"), "the workbook is password-protected (encrypted)", "save an unprotected copy"),
    (_ole("Workbook"), "this is an old binary Excel workbook (.xls)", "save it as 'Excel Workbook (.xlsx)'"),
    (b"random bytes, not a workbook", "not a readable XLSX workbook", "save it again as .xlsx"),
])
def test_workbooks_that_are_not_xlsx(tmp_path, monkeypatch, capsys, raw, text, fix):
    report = project(tmp_path, rows=[["period", "websites", "share"]])
    (tmp_path / "data" / "sites.xlsx").write_bytes(raw)
    code, err = validate(report, monkeypatch, capsys)
    assert code == 1 and f"data/sites.xlsx: error: {text}" in err and fix in hints(err)


def test_a_used_range_of_the_whole_grid_is_ignored(tmp_path):
    from openpyxl import load_workbook
    from openpyxl.styles import Font

    from egovdeck.input.project import load_project

    report = project(tmp_path, rows=[["period", "websites", "share"], ["2018-12", 17962, 47.5],
                                     ["2019-12", 14474, None]])
    path = tmp_path / "data" / "sites.xlsx"
    wb = load_workbook(path)
    wb.active.cell(row=1048576, column=16384).font = Font(bold=True)
    wb.save(path)
    started = time.perf_counter()
    ds = load_project(report).datasets["sites"]
    assert time.perf_counter() - started < 5
    assert ds.column("websites") == [17962, 14474] and ds.column("share") == [47.5, None]


def test_a_zip_bomb_is_refused_before_parsing(tmp_path, monkeypatch, capsys):
    report = project(tmp_path, rows=[["period", "websites", "share"], ["2018-12", 17962, 47.5]])
    path = tmp_path / "data" / "sites.xlsx"
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/media/padding.bin", bytes(3 << 20))
    monkeypatch.setenv("EGOVDECK_MAX_DATA_MB", "2")
    code, err = validate(report, monkeypatch, capsys)
    assert code == 1 and "data/sites.xlsx: error: the workbook unpacks to 3.0 MB, more than the limit of 2 MB" in err


# --------------------------------------------------------------------------- formula injection


def test_embedded_workbooks_never_hold_formulas(tmp_path):
    """A label from the data that looks like a formula stays text in the deck's embedded workbooks."""
    from openpyxl import load_workbook

    from egovdeck.engine.build import build

    report = project(tmp_path, HEADER + "2018-12,17962,47.5\n2019-12,14474,76.8\n")
    (tmp_path / "data" / "labels.yaml").write_text(
        "title: 标签\nfile: labels.csv\nsource: 资料来源：测试数据\ncolumns:\n  name: {type: text}\n"
        "  value: {type: number}\n", encoding="utf-8")
    labels = ['"=HYPERLINK(""https://example.invalid/x"",""安徽"")"', "+1+1", "-2+3", "@SUM(A1)", '"\t=1+2"',
              '"\r=3"', "=1+1"]
    (tmp_path / "data" / "labels.csv").write_text(
        "name,value\n" + "".join(f"{label},{i + 1}\n" for i, label in enumerate(labels)), encoding="utf-8")
    text = report.read_text(encoding="utf-8") + """\
      - id: g
        title: 标签图
        layout: chart-wide
        slots:
          chart:
            kind: bar
            dataset: labels
            title: 标签
            x: name
            y: value
"""
    report.write_text(text, encoding="utf-8")
    build(report, output_dir=tmp_path / "output", cache_dir=tmp_path / "cache", formats=("pptx",), jobs=1)
    seen = []
    with zipfile.ZipFile(tmp_path / "output" / "case.pptx") as deck:
        books = [n for n in deck.namelist() if n.endswith(".xlsx")]
        assert books
        for name in books:
            wb = load_workbook(io.BytesIO(deck.read(name)))
            for row in wb.active.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", (name, cell.coordinate, cell.value)
                    seen.append(cell.value)
            with zipfile.ZipFile(io.BytesIO(deck.read(name))) as book:
                for part in book.namelist():
                    assert b"<f>" not in book.read(part) and b"<f " not in book.read(part), (name, part)
    assert '=HYPERLINK("https://example.invalid/x","安徽")' in seen and "@SUM(A1)" in seen


# --------------------------------------------------------------------------- the axis scale never loops


def test_axis_ticks_refuse_non_finite_ranges_and_always_end():
    from egovdeck.charts.scale import auto_range, nice_ticks

    with pytest.raises(ValueError):
        nice_ticks(0.0, math.inf, 5)
    with pytest.raises(ValueError):
        nice_ticks(-1e308, 1e308, 5)
    assert len(nice_ticks(1e300, 1e300, 5)) < 40
    assert len(nice_ticks(1e17, 1e17 + 10, 5)) < 40
    assert auto_range(0.0, 10.0, True) == (0.0, 10.0)


# --------------------------------------------------------------------------- fuzz: never a crash or a hang


def _spec(types: list[str]):
    from egovdeck.input.definition import DatasetSpec

    return DatasetSpec(title="t", file="x", source="资料来源：测试", unit="%", key=["c0"],
                       columns={f"c{i}": {"type": t, "required": i == 0, "unit": "%"} for i, t in enumerate(types)})


def _read(path: Path, types: list[str]):
    from egovdeck.errors import Collector
    from egovdeck.input.data import load_dataset

    problems = Collector()
    started = time.perf_counter()
    ds = load_dataset("x", _spec(types), path, problems)
    assert time.perf_counter() - started < 10
    if ds is None:
        assert problems.errors
    for p in problems.errors:
        assert p.file is not None and p.hint, str(p)
    return ds


TYPES = st.lists(st.sampled_from(["text", "integer", "number", "period", "date"]), min_size=1, max_size=4)
CELL_TEXT = st.one_of(st.text(max_size=12), st.sampled_from(["14,474", "6,94", "1e400", "—", '"', "=1+1", "2019-12"]),
                      st.from_regex(r"-?[0-9,]{1,12}(\.[0-9]{0,3})?", fullmatch=True))


@given(raw=st.binary(max_size=400), types=TYPES)
def test_fuzz_csv_bytes(tmp_path_factory, raw, types):
    path = tmp_path_factory.mktemp("fz") / "x.csv"
    path.write_bytes(",".join(f"c{i}" for i in range(len(types))).encode() + b"\n" + raw)
    _read(path, types)


@given(types=TYPES, rows=st.lists(st.lists(CELL_TEXT, max_size=5), max_size=8))
def test_fuzz_csv_rows(tmp_path_factory, types, rows):
    import csv

    path = tmp_path_factory.mktemp("fz") / "x.csv"
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([f"c{i}" for i in range(len(types))])
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    _read(path, types)


XLSX_VALUE = st.one_of(st.none(), CELL_TEXT, st.integers(-10**20, 10**20), st.booleans(),
                       st.floats(allow_nan=False, allow_infinity=False),
                       st.datetimes(min_value=__import__("datetime").datetime(1900, 3, 1),
                                    max_value=__import__("datetime").datetime(2100, 1, 1)))
FORMATS = st.sampled_from(["General", "0.0%", "0%", "yyyy-mm-dd", 'yyyy"年"m"月"', "yyyy", "#,##0", "@"])


@given(types=TYPES, rows=st.lists(st.lists(st.tuples(XLSX_VALUE, FORMATS), max_size=5), max_size=6))
def test_fuzz_xlsx_cells(tmp_path_factory, types, rows):
    from openpyxl import Workbook
    from openpyxl.utils.exceptions import IllegalCharacterError

    path = tmp_path_factory.mktemp("fz") / "x.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.append([f"c{i}" for i in range(len(types))])
    try:
        for r, row in enumerate(rows, start=2):
            for c, (value, fmt) in enumerate(row, start=1):
                cell = ws.cell(row=r, column=c, value=value)
                cell.number_format = fmt
    except (IllegalCharacterError, ValueError):
        return  # openpyxl cannot write it: no workbook to read
    wb.save(path)
    _read(path, types)


@given(raw=st.binary(max_size=300), zipped=st.booleans())
def test_fuzz_xlsx_bytes(tmp_path_factory, raw, zipped):
    path = tmp_path_factory.mktemp("fz") / "x.xlsx"
    if zipped:  # a zip that is almost a workbook
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("[Content_Types].xml", raw)
            z.writestr("xl/workbook.xml", raw)
    else:
        path.write_bytes(raw)
    assert _read(path, ["text"]) is None


def test_narrative_filters_format_any_finite_number():
    """A growth from a tiny base (6.9e26 %) overflowed Decimal's 28-digit context (exit 3)."""
    from egovdeck.resolve.narrative import change, num, pct

    assert change(6.9e26).startswith("增长690000000000000000000000000")
    assert num(9.9e14, 2) == "990,000,000,000,000.00"
    # longer than any brief prints: a ValueError, which the renderer reports as a located template error
    for filt, value in ((pct, 1e300), (num, 1.7e308)):
        with pytest.raises(ValueError, match="too long to write"):
            filt(value)
