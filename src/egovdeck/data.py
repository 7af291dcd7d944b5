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


def _read_csv(path: Path, problems: Collector) -> tuple[list[str], list[list[str]], str] | None:
    raw = path.read_bytes()
    try:
        text, encoding = decode(raw)
    except ValueError as exc:
        problems.add(f"cannot decode the file: {exc}", file=path, hint="save it as UTF-8 (Excel: 'CSV UTF-8')")
        return None
    if encoding == "gb18030":
        problems.warn("read as GB18030 (not UTF-8)", file=path, hint="saving as 'CSV UTF-8' avoids this warning")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    while rows and not any(c.strip() for c in rows[-1]):
        rows.pop()
    if not rows:
        problems.add("the file is empty", file=path, hint="the first row must hold the column names")
        return None
    return [h.strip() for h in rows[0]], rows[1:], encoding


def _read_xlsx(path: Path, spec: DatasetSpec, problems: Collector) -> tuple[list[str], list[list[str]], str] | None:
    import zipfile

    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        problems.add(f"not a readable XLSX workbook ({type(exc).__name__}: {exc})", file=path,
                     hint="open it in Excel and save it again as .xlsx")
        return None
    if spec.sheet and spec.sheet not in wb.sheetnames:
        problems.add(f'no sheet "{spec.sheet}"', file=path, hint=f"sheets: {', '.join(wb.sheetnames)}")
        return None
    ws = wb[spec.sheet] if spec.sheet else wb.worksheets[0]
    cells = [["" if v is None else (v.isoformat()[:10] if isinstance(v, dt.datetime) else str(v)) for v in row]
             for row in ws.iter_rows(values_only=True)]
    wb.close()
    cells = cells[spec.header_row - 1:]
    while cells and not any(c.strip() for c in cells[-1]):
        cells.pop()
    if not cells:
        problems.add("the sheet is empty", file=path)
        return None
    return [h.strip() for h in cells[0]], cells[1:], "xlsx"


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
        try:
            return float(text.replace(",", "").replace("\u2212", "-"))
        except ValueError:
            raise ValueError("a number (e.g. 6.94)") from None
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


def load_dataset(ds_id: str, spec: DatasetSpec, path: Path, problems: Collector) -> Dataset | None:
    """Read and check one dataset; every problem goes to `problems` with file, row and column."""
    if path.suffix.lower() == ".xlsx":
        got = _read_xlsx(path, spec, problems)
        first_data_row = spec.header_row + 1
    else:
        got = _read_csv(path, problems)
        first_data_row = 2
    if got is None:
        return None
    header, body, encoding = got
    declared = list(spec.columns)
    missing = [c for c in declared if c not in header]
    extra = [c for c in header if c not in declared]
    if missing:
        problems.add(f"missing column(s): {', '.join(missing)}", file=path, line=first_data_row - 1,
                     hint=f"the header has: {', '.join(header)}")
    if extra:
        problems.add(f"column(s) not declared in the dataset's sidecar: {', '.join(extra)}", file=path,
                     line=first_data_row - 1, hint="declare them under `columns:` or remove them")
    if missing or extra:
        return None
    if not body:
        problems.add("the file has a header but no data rows", file=path)
        return None
    index = {name: header.index(name) for name in declared}
    rows: list[dict[str, Value]] = []
    bad = 0
    for n, cells in enumerate(body, start=first_data_row):
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
                    problems.add(f'empty cell in column "{name}"', file=path, line=n, column=i + 1,
                                 hint="fill it in, or mark the column `required: false` if the value is unknown")
                continue
            try:
                row[name] = convert(cell, col.type)
            except ValueError as exc:
                bad += 1
                row[name] = None
                problems.add(f'column "{name}": expected {exc}, found "{cell.strip()}"', file=path, line=n, column=i + 1)
        rows.append(row)
    if spec.key:
        seen: dict[tuple, int] = {}
        for n, row in enumerate(rows, start=first_data_row):
            k = tuple(row.get(c) for c in spec.key)
            if k in seen:
                problems.add(f"duplicate key {dict(zip(spec.key, k, strict=True))} (first at row {seen[k]})",
                             file=path, line=n, hint="each combination of the key columns must appear once")
            else:
                seen[k] = n
    import hashlib

    return Dataset(ds_id, spec, path, rows, encoding, hashlib.sha256(path.read_bytes()).hexdigest())
