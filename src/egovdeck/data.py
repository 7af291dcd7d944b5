"""Read a dataset (CSV or XLSX), detect its encoding, and check it against its declared columns."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from egovdeck.errors import Collector
from egovdeck.model import DatasetSpec

PERIOD_RE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2]))?$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
NUMBER_RE = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
Value = int | float | str | None


@dataclass
class Dataset:
    """A checked dataset: typed rows plus its sidecar's metadata."""

    id: str
    spec: DatasetSpec
    path: Path  # the data file
    rows: list[dict[str, Value]]
    encoding: str = "utf-8"
    sha256: str = ""
    meta_path: Path | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    lines: list[int] = field(default_factory=list)  # the file line (CSV) or sheet row (XLSX) of each row

    def where(self, row: int, column: str | None = None) -> str:
        """'data/x.csv:3:2': where rows[row] (and one of its columns) is in the data file."""
        from egovdeck.errors import display_path

        text = display_path(self.path)
        if row < len(self.lines):
            text += f":{self.lines[row]}"
            if column in self.spec.columns and column in self.extra.get("header", []):
                text += f":{self.extra['header'].index(column) + 1}"
        return text

    @property
    def columns(self) -> list[str]:
        return list(self.spec.columns)

    def label(self, column: str) -> str:
        col = self.spec.columns.get(column)
        return (col.label if col and col.label else column)

    def unit(self, column: str) -> str:
        col = self.spec.columns.get(column)
        return col.unit if col else ""

    def column(self, name: str) -> list[Value]:
        return [r[name] for r in self.rows]


def period_label(value: Value) -> str:
    """2019 -> 2019年; 2019-12 -> 2019年12月 (how Chinese briefings print periods)."""
    text = str(value)
    if PERIOD_RE.match(text):
        return f"{text[:4]}年" + (f"{int(text[5:])}月" if len(text) > 4 else "")
    return text


def decode(raw: bytes) -> tuple[str, str]:
    """Bytes -> (text, encoding). UTF-8 (with or without BOM) first, then GB18030; never a silent guess."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ValueError("UTF-16 text (Excel's 'Unicode Text'), neither UTF-8 nor GB18030")
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8"), "utf-8-sig"
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        raise ValueError(f"neither UTF-8 nor GB18030 (undecodable byte at offset {exc.start})") from None


Table = tuple[list[str], list[list[str]], list[int], str]  # header, body rows, their line numbers, encoding


def _read_csv(path: Path, problems: Collector) -> Table | None:
    from egovdeck.files import read_input

    raw = read_input(path)  # its digest is what the up-to-date manifest records
    try:
        text, encoding = decode(raw)
    except ValueError as exc:
        problems.add(f"cannot decode the file: {exc}", file=path,
                     hint="save it as UTF-8 (Excel: Save As > 'CSV UTF-8 (Comma delimited)')")
        return None
    if encoding == "gb18030":
        problems.warn("the file is encoded as GB18030, not UTF-8; it was read as GB18030", file=path,
                      hint="saving it as UTF-8 (Excel: 'CSV UTF-8') avoids this warning")
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[list[str]] = []
    lines: list[int] = []
    start = 1
    try:
        for row in reader:
            rows.append(row)
            lines.append(start)
            start = reader.line_num + 1
    except csv.Error as exc:
        problems.add(f"not a readable CSV file: {exc}", file=path, line=reader.line_num,
                     hint="check the quotes on this line: a quoted cell must end with a quote")
        return None
    while rows and not any(c.strip() for c in rows[-1]):
        rows.pop()
        lines.pop()
    if not rows:
        problems.add("the file is empty", file=path, hint="the first row must hold the column names")
        return None
    return [h.strip() for h in rows[0]], rows[1:], lines[1:], encoding


def _read_xlsx(path: Path, spec: DatasetSpec, problems: Collector, sidecar: Any = None) -> Table | None:
    import io
    import zipfile

    from openpyxl import load_workbook

    from egovdeck.files import read_input

    try:  # the bytes read once: their digest is what the up-to-date manifest records
        wb = load_workbook(io.BytesIO(read_input(path)), read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        problems.add(f"not a readable XLSX workbook ({type(exc).__name__}: {exc})", file=path,
                     hint="open it in Excel and save it again as .xlsx")
        return None
    if spec.sheet and spec.sheet not in wb.sheetnames:
        names = wb.sheetnames
        wb.close()
        import difflib

        close = difflib.get_close_matches(spec.sheet, names, n=1)
        hint = (f'did you mean "{close[0]}"? ' if close else "") + f"the workbook's sheets: {', '.join(names)}"
        where = sidecar.where(("sheet",)) if sidecar is not None else {"file": path}
        problems.add(f'the workbook {path.name} has no sheet "{spec.sheet}"', hint=hint, **where)
        return None
    ws = wb[spec.sheet] if spec.sheet else wb.worksheets[0]
    cells = [["" if v is None else (v.isoformat()[:10] if isinstance(v, dt.datetime) else str(v)) for v in row]
             for row in ws.iter_rows(values_only=True)]
    wb.close()
    cells = cells[spec.header_row - 1:]
    lines = list(range(spec.header_row, spec.header_row + len(cells)))
    while cells and not any(c.strip() for c in cells[-1]):
        cells.pop()
        lines.pop()
    if not cells:
        problems.add(f"the sheet is empty (from row {spec.header_row} on)", file=path,
                     hint="the header row must hold the column names (set header_row: in the sidecar)")
        return None
    return [h.strip() for h in cells[0]], cells[1:], lines[1:], "xlsx"


def convert(text: str, kind: str) -> Value:
    """Cell text -> typed value; raises ValueError with what was expected."""
    text = text.strip()
    if kind == "text":
        return text
    if kind == "integer":
        cleaned = text.replace(",", "")
        if re.fullmatch(r"[+-]?\d+(\.0+)?", cleaned):
            return int(float(cleaned))
        raise ValueError("an integer (e.g. 14474)")
    if kind == "number":
        cleaned = text.replace(",", "").replace("\u2212", "-")
        if NUMBER_RE.fullmatch(cleaned):  # float() alone would also take nan, inf and 1_000
            return float(cleaned)
        raise ValueError("a number (e.g. 6.94)")
    if kind == "period":
        if PERIOD_RE.match(text):
            return text
        raise ValueError("a period like 2019 or 2019-12")
    if kind == "date":
        if DATE_RE.match(text):
            try:
                dt.date.fromisoformat(text)
                return text
            except ValueError:
                pass
        raise ValueError("a date like 2019-12-31")
    raise ValueError(f"unknown column type {kind}")


def load_dataset(ds_id: str, spec: DatasetSpec, path: Path, problems: Collector,
                 sidecar: Any = None) -> Dataset | None:
    """Read and check one dataset; every problem goes to `problems` with file, row and column.

    sidecar (a yamlload.Located) lets problems of the description point at the sidecar's lines."""
    if path.suffix.lower() == ".xlsx":
        got = _read_xlsx(path, spec, problems, sidecar)
        header_line = spec.header_row
    else:
        got = _read_csv(path, problems)
        header_line = 1
    if got is None:
        return None
    header, body, lines, encoding = got
    declared = list(spec.columns)
    missing = [c for c in declared if c not in header]
    extra = [c for c in header if c not in declared]
    twice = sorted({c for c in header if header.count(c) > 1})
    sidecar_name = sidecar.file.name if sidecar is not None else "the sidecar"
    if twice:
        problems.add(f"column(s) named twice in the header: {', '.join(twice)}", file=path, line=header_line,
                     hint="each column needs its own name")
    if missing:
        import difflib

        guesses = [f'"{m}" -> "{c[0]}"' for m in missing
                   if (c := difflib.get_close_matches(m, [h for h in header if h not in declared], n=1))]
        hint = (f"renamed? {', '.join(guesses)}; " if guesses else "") + f"the header has: {', '.join(header)}"
        problems.add(f"missing column(s) declared in {sidecar_name}: {', '.join(missing)}", file=path,
                     line=header_line, hint=hint)
    if extra and not missing:
        problems.add(f"column(s) not declared in {sidecar_name}: {', '.join(extra)}", file=path,
                     line=header_line, hint=f"declare them under `columns:` in {sidecar_name}, or remove them")
    if missing or extra or twice:
        return None
    if not any(any(c.strip() for c in cells) for cells in body):
        problems.add("the file has a header but no data rows", file=path, line=header_line,
                     hint="add the data below the header row")
        return None
    index = {name: header.index(name) for name in declared}
    rows: list[dict[str, Value]] = []
    row_lines: list[int] = []
    bad = 0
    for n, cells in zip(lines, body, strict=True):
        if not any(c.strip() for c in cells):
            continue
        row: dict[str, Value] = {}
        for name, col in spec.columns.items():
            i = index[name]
            cell = cells[i] if i < len(cells) else ""
            if not cell.strip():
                row[name] = None
                if col.required:
                    bad += 1
                    problems.add(f'row {n}, column "{name}": empty cell, but the column is required', file=path,
                                 line=n, column=i + 1,
                                 hint="fill it in, or mark the column `required: false` in the sidecar if the value "
                                      "is unknown (an empty cell is a gap, never a zero)")
                continue
            try:
                row[name] = convert(cell, col.type)
            except ValueError as exc:
                bad += 1
                row[name] = None
                problems.add(f'row {n}, column "{name}": expected {exc}, found "{cell.strip()}"', file=path, line=n,
                             column=i + 1, hint=_type_hint(col.type, cell.strip()))
        rows.append(row)
        row_lines.append(n)
    if spec.key:
        seen: dict[tuple, int] = {}
        for n, row in zip(row_lines, rows, strict=True):
            k = tuple(row.get(c) for c in spec.key)
            if k in seen:
                shown = ", ".join(f"{c}={v}" for c, v in zip(spec.key, k, strict=True))
                problems.add(f"row {n}: duplicate key {shown} (first at row {seen[k]})", file=path, line=n,
                             hint=f"each combination of the key columns ({', '.join(spec.key)}) must appear once")
            else:
                seen[k] = n
    from egovdeck.files import read_digest

    return Dataset(ds_id, spec, path, rows, encoding, read_digest(path) or "",
                   extra={"header": header}, lines=row_lines)


def _type_hint(kind: str, cell: str) -> str:
    """What to do about a cell that does not convert."""
    if kind in ("integer", "number"):
        if any(w in cell for w in ("万", "亿", "%", "约", "个")):
            return ("write the bare number; put units (万, 亿, %) in the sidecar's `unit:`, and leave the cell "
                    "empty if the value is unknown (with `required: false`)")
        return f"write a plain number, or declare the column as `type: text` if it is not a {kind}"
    if kind == "period":
        return "write YYYY (a year) or YYYY-MM (a month), e.g. 2019-12"
    if kind == "date":
        return "write YYYY-MM-DD, e.g. 2019-12-31"
    return ""
