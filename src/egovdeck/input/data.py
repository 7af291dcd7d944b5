"""Read a dataset (CSV or XLSX), detect its encoding, and check it against its declared columns."""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import io
import math
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from egovdeck.errors import Collector
from egovdeck.input.definition import DatasetSpec

PERIOD_RE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2]))?\Z", re.ASCII)  # ASCII: ２０１９ is no period
# Characters no cell may hold: C0 controls but tab/LF/CR, DEL, the C1 controls, and the bidirectional
# embeddings/overrides/isolates (U+202A–U+202E, U+2066–U+2069) that reorder what a reader sees without
# showing themselves ("Trojan Source", CVE-2021-42574; Unicode UAX #9). Fonts draw none of them: a brief
# would silently drop them, or a label would read in a different order in the PDF than in the deck.
CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
CONTROL_HINT = ("delete it: it is invisible, and usually comes from copying text out of a terminal, a PDF or a web "
                "page (retype the cell, or use Find and Replace in the spreadsheet)")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}\Z", re.ASCII)
Value = int | float | str | None


@dataclass
class Dataset:
    """A checked dataset: typed rows plus its sidecar's metadata."""

    id: str
    spec: DatasetSpec
    path: Path  # the data file
    rows: list[dict[str, Value]]
    encoding: str = "utf-8"
    meta_path: Path | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    lines: list[int] = field(default_factory=list)  # the file line (CSV) or sheet row (XLSX) of each row

    def where(self, row: int, column: str | None = None) -> str:
        """'data/x.csv:3:2': where rows[row] (and one of its columns) is in the data file."""
        from egovdeck.errors import display_path

        text = display_path(self.path)
        if self.extra.get("prepared_from"):  # made by the definition's prepare: steps (prepare.py)
            return f'row {row + 1} of the prepared dataset "{self.id}" (from {text})'
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


COMPARISONS = ("eq", "ne", "gt", "ge", "lt", "le", "not_in")


def cell_matches(cell: Value, wanted: Any) -> bool:
    """Whether a cell passes a `where:` condition: a value (equal, as text too), a list (any of them), or a comparison
    {"gt": 500, "le": 1000, "ne": …, "not_in": […]} whose parts must all hold; an empty cell matches no
    comparison. Numbers compare as numbers, periods and text as text."""
    if not isinstance(wanted, dict):
        return equal_cells(cell, wanted)
    if cell is None:
        return False
    for op, value in wanted.items():
        if op == "eq":
            ok = equal_cells(cell, value)
        elif op == "ne":
            ok = not equal_cells(cell, value)
        elif op == "not_in":
            ok = not equal_cells(cell, list(value) if isinstance(value, list | tuple) else [value])
        else:
            a, b = cell, value
            if isinstance(a, str) or isinstance(b, str):
                a, b = str(a), str(b)
            ok = {"gt": a > b, "ge": a >= b, "lt": a < b, "le": a <= b}[op]
        if not ok:
            return False
    return True


def condition_problem(kind: str, wanted: Any) -> tuple[tuple, str, str] | None:
    """Why a `where:` condition `wanted` (a value, a list, or a comparison {ge: …}) cannot be meant for a
    column of type `kind`, as (key below the field, message, hint), or None.

    The rule: a period column is compared in time order, which is its text order only when every value
    is a period of the form 2019 or 2019-06 (zero-padded month); "2018-6" would compare as text after
    "2018-12" and silently drop rows. So every value compared with a period column must be such a period;
    an ordered comparison (gt, ge, lt, le) of a number column takes a number, not text ("500" is after
    "1000" as text). Values holding a template ("{{ … }}") are checked once rendered, not here."""
    if isinstance(wanted, dict):
        items: list[tuple[tuple, Any, str]] = []
        for op, value in wanted.items():
            values = value if op == "not_in" and isinstance(value, list | tuple) else [value]
            items += [((op,), v, op) for v in values]
    elif isinstance(wanted, list | tuple):
        items = [((i,), v, "") for i, v in enumerate(wanted)]
    else:
        items = [((), wanted, "")]
    for key, value, op in items:
        if value is None or isinstance(value, str) and "{" in value:
            continue
        if kind == "period" and not (isinstance(value, int | str) and not isinstance(value, bool)
                                     and PERIOD_RE.match(str(value).strip())):
            return key, (f"{value!r} is not a period: the column holds periods such as 2019 or 2019-06, "
                         "compared in time order"), _period_hint(value)
        if kind in ("integer", "number") and op in ("gt", "ge", "lt", "le") and (
                isinstance(value, bool) or not isinstance(value, int | float)):
            return key, f"{op}: compares numbers; found the text {value!r}", \
                f"write the number without quotes, e.g. {op}: 500"
    return None


def _period_hint(value: Any) -> str:
    """How to write `value` as a period: 2018-6 -> 2018-06, 2018/6 -> 2018-06."""
    text = unicodedata.normalize("NFKC", str(value))  # full-width digits and ／ as the ASCII ones
    if m := re.fullmatch(r"\s*(\d{4})\s*年?\s*", text, re.ASCII):
        return f"write {m.group(1)} (a year: digits only, ASCII)"
    m = re.fullmatch(r"\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?\s*", text, re.ASCII)
    if m and 1 <= int(m.group(2)) <= 12:
        return f"write {m.group(1)}-{int(m.group(2)):02d} (a year and a two-digit month)"
    if re.fullmatch(r"\s*\d{4}\s*(?:[-/年]?\s*(?:第?[1-4一二三四]\s*季度?|[QqHh]\s*[1-4]|[上下]半年))\s*", text, re.ASCII):
        return ("a period is a year (2019) or a month (2019-06); for quarters or half-years declare the column "
                "`type: text` in the sidecar (a chart keeps the file's order of its categories)")
    return "write a year (2019) or a year and a two-digit month (2019-06)"


def equal_cells(cell: Value, wanted: Any) -> bool:
    """Equal to the wanted value or one of a list of them, a number also matching its written form
    (`where: {year: 2019}` matches the cell 2019 and "2019")."""
    if isinstance(wanted, list | tuple):
        return any(equal_cells(cell, w) for w in wanted)
    return cell == wanted or (cell is not None and str(cell) == str(wanted))


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


# ----------------------------------------------------------------------------- limits

LIMIT_VARS = {  # setting -> (environment variable, default); documented in docs/reference/exit-codes.md (generated)
    "megabytes": ("EGOVDECK_MAX_DATA_MB", 50),
    "rows": ("EGOVDECK_MAX_DATA_ROWS", 100_000),
    "cells": ("EGOVDECK_MAX_DATA_CELLS", 2_000_000),
}
MAX_NUMBER_CHARS = 64  # a number cell longer than this is a mistake (a pasted blob, 100,000 digits)
# Larger numbers are refused: beyond 10^15 a float (2^53 ~ 9.007e15) no longer holds every whole number, Excel
# shows 15 digits, and formatting with decimals overflows Decimal's 28-digit context (1e400, 9e99: no brief has them)
MAX_MAGNITUDE = Decimal("1e15")
# A number other than zero smaller than this is a mistake too (1e-400 would be read as 0: a silently wrong figure)
MIN_MAGNITUDE = Decimal("1e-9")
PERCENT_UNITS = ("%", "％", "百分点", "个百分点", "pp")
MISSING_MARKS = {"N/A", "NA", "#N/A", "NULL", "NONE", "NIL", "NAN", "无", "空", "暂无", "不详", "/", "\\", "…", "...",
                 "?", "？", "*", "X"}
DASHES = set("-‐‑‒–—―－_~～")


@dataclass(frozen=True)
class Limits:
    bytes: int  # a CSV file's size; the unpacked size of an XLSX (zip bombs)
    rows: int  # data rows of one file
    cells: int  # cells of one file


def data_limits(problems: Collector) -> Limits:
    """The data limits, from the environment (EGOVDECK_MAX_DATA_MB, _ROWS, _CELLS) or the defaults."""
    import os

    got: dict[str, int] = {}
    for key, (var, default) in LIMIT_VARS.items():
        raw = os.environ.get(var, "").strip()
        got[key] = default
        if not raw:
            continue
        try:
            value = int(raw.replace("_", "").replace(",", ""))
            if value <= 0:
                raise ValueError
            got[key] = value
        except ValueError:
            message = f"the environment variable {var}={raw!r} is not a positive whole number"
            if not any(p.message == message for p in problems.problems):
                problems.add(message, file=var, hint=f"unset it (the default is {default:,}) or set e.g. {var}={default * 10}")
    return Limits(got["megabytes"] * 1024 * 1024, got["rows"], got["cells"])


def _limit_hint(var: str, what: str) -> str:
    return (f"a brief needs far less: aggregate the data to what the report shows; if the file is right, "
            f"raise the limit with the environment variable {var} (e.g. {var}={what})")


# ----------------------------------------------------------------------------- readers


@dataclass(frozen=True)
class XCell:
    """An XLSX cell that is not plain text: its stored value and number format, or a formula without a value."""

    value: Any
    fmt: str = "General"
    formula: str = ""  # a formula whose workbook holds no saved value

    def strip(self) -> str:  # blank tests treat XCells like text
        return "x"

    def shown(self) -> str:
        """About what Excel shows for the cell."""
        v = self.value
        if self.formula:
            return self.formula
        if isinstance(v, bool):
            return "TRUE" if v else "FALSE"
        if isinstance(v, dt.datetime):
            return v.date().isoformat() if v.time() == dt.time() else v.isoformat(sep=" ")
        if isinstance(v, (dt.date, dt.time)):
            return v.isoformat()
        if isinstance(v, float) and v.is_integer() and abs(v) < 1e16:
            return str(int(v))
        return str(v)


Cell = str | XCell
Table = tuple[list[str], list[list[Cell]], list[int], str]  # header, body rows, their line numbers, encoding


def _size_problem(path: Path, size: int, limits: Limits, problems: Collector, what: str = "the file is",
                  line: int | None = None) -> None:
    var = LIMIT_VARS["megabytes"][0]
    where = "; the limit is reached on this line" if line else ""
    problems.add(f"{what} {size / 1048576:,.1f} MB, more than the limit of {limits.bytes / 1048576:,.0f} MB{where}",
                 file=path, line=line, hint=_limit_hint(var, str(2 * limits.bytes // 1048576)))


def _rows_problem(path: Path, line: int, limits: Limits, problems: Collector) -> None:
    var = LIMIT_VARS["rows"][0]
    problems.add(f"more than {limits.rows:,} data rows (the limit); reading stopped here", file=path, line=line,
                 hint=_limit_hint(var, str(limits.rows * 10)))


def _cells_problem(path: Path, line: int, limits: Limits, problems: Collector) -> None:
    var = LIMIT_VARS["cells"][0]
    problems.add(f"more than {limits.cells:,} cells (the limit); reading stopped here", file=path, line=line,
                 hint=_limit_hint(var, str(limits.cells * 10)))


def _over_limits(path: Path, line: int, rows: int, cells: int, limits: Limits, problems: Collector) -> bool:
    """Whether reading has passed the rows or cells limit at `line` (`rows` already read, `cells` with this
    row's): the problem is reported, and the reader stops."""
    if rows > limits.rows:
        _rows_problem(path, line, limits, problems)
        return True
    if cells > limits.cells:
        _cells_problem(path, line, limits, problems)
        return True
    return False


def _read_csv(path: Path, problems: Collector, limits: Limits | None = None, declared: str | None = None,
              sidecar: Any = None) -> Table | None:
    limits = limits or data_limits(problems)
    try:
        size = path.stat().st_size
        if size > limits.bytes:  # say where: the line the rows limit or the size limit is reached on
            with path.open("rb") as fh:
                newlines = fh.read(limits.bytes).count(b"\n")
            if newlines > limits.rows + 1:
                _rows_problem(path, limits.rows + 2, limits, problems)
            else:
                _size_problem(path, size, limits, problems, line=newlines + 1)
            return None
        from egovdeck.files import read_input

        raw = read_input(path)  # its digest is what the up-to-date manifest records
    except OSError as exc:
        problems.add(f"cannot read the file: {exc.strerror or exc}", file=path, hint="check that it is a readable file")
        return None
    if raw.startswith((b"PK\x03\x04", OLE_MAGIC)):
        problems.add("this is an Excel workbook (or another zip/OLE file), not a CSV text file", file=path,
                     hint="name the workbook .xlsx in the sidecar's `file:` (egovdeck reads XLSX), or export the "
                          "sheet from Excel as 'CSV UTF-8 (Comma delimited)'")
        return None
    if declared is not None:
        got = _decode_declared(raw, declared, path, problems, sidecar)
        if got is None:
            return None
        text, encoding = got
        if encoding == "gb18030" and _not_gb18030_text(text, raw, path, problems):
            return None
    mixed = None if declared is not None else _mixed_encoding_line(raw)
    if mixed is not None:
        problems.add(f"line {mixed} is not UTF-8 (it looks like GB18030) while the rest of the file is UTF-8",
                     file=path, line=mixed,
                     hint="the file was pieced together from two encodings: retype or paste this line again in "
                          "an editor saving UTF-8, or re-save the whole file as UTF-8 (Excel: 'CSV UTF-8')")
        return None
    if declared is None:
        try:
            text, encoding = decode(raw)
        except ValueError as exc:
            problems.add(f"cannot decode the file: {exc}", file=path,
                         hint="save it as UTF-8 (Excel: Save As > 'CSV UTF-8 (Comma delimited)')")
            return None
        if encoding == "gb18030" and _not_gb18030_text(text, raw, path, problems):
            return None
        if encoding == "gb18030":
            problems.warn("the file is encoded as GB18030, not UTF-8; it was read as GB18030", file=path,
                          hint="saving it as UTF-8 (Excel: 'CSV UTF-8') avoids this warning, and so does "
                               "declaring it in the sidecar: encoding: gb18030")
    if "\ufeff" in text:  # a byte-order mark after the start: two files joined (cat a.csv b.csv)
        line = text.count("\n", 0, text.index("\ufeff")) + 1
        column = text.index("\ufeff") - (text.rfind("\n", 0, text.index("\ufeff")) + 1) + 1
        problems.add("an invisible byte-order mark (U+FEFF, the start of a UTF-8 file) in the middle of the file: "
                     "it looks like two files joined, and would stick to the cell's value", file=path, line=line,
                     column=column, hint="delete that line's first (invisible) character in a text editor, or paste "
                                         "the second file's rows without its header and save again as UTF-8")
        return None
    if raw.count(b",") >= limits.cells:  # one line of 50 million commas would be a list of 50 million cells
        total = 0
        for n, chunk in enumerate(raw.split(b"\n"), start=1):
            total += chunk.count(b",") + 1
            if n > limits.rows + 1:
                break  # the rows limit comes first: the reader below stops there
            if total > limits.cells:
                _cells_problem(path, n, limits, problems)
                return None
    # strict: a stray quote or a quoted cell that never ends is an error, not a cell swallowing the lines after it
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[list[str]] = []
    lines: list[int] = []
    start = 1
    cells = 0
    try:
        for row in reader:
            cells += len(row)
            if _over_limits(path, start, len(rows), cells, limits, problems):
                return None
            rows.append(row)
            lines.append(start)
            start = reader.line_num + 1
    except csv.Error as exc:
        if "end of data" in str(exc):
            problems.add("a quoted cell is never closed: the quote that opens on this line has no closing quote",
                         file=path, line=start,
                         hint='end the cell with a quote ("…"), or remove the opening quote; a quote inside a '
                              'quoted cell is written twice ("")')
        elif "field larger" in str(exc):
            problems.add(f"a cell longer than {csv.field_size_limit():,} characters", file=path, line=start,
                         hint="check the quotes before this line (an unclosed quote swallows the lines after it), "
                              "or shorten the cell")
        else:
            problems.add(f"not a readable CSV line: {exc}", file=path, line=reader.line_num,
                         hint='a quoted cell must end with a quote followed by a comma or the end of the line; '
                              'write a quote inside a quoted cell as two quotes ("")')
        return None
    while rows and not any(c.strip() for c in rows[-1]):
        rows.pop()
        lines.pop()
    if not rows:
        problems.add("the file is empty", file=path, hint="the first row must hold the column names")
        return None
    body: list[list[Cell]] = [list[Cell](r) for r in rows[1:]]
    return [h.strip() for h in rows[0]], body, lines[1:], encoding


def _not_gb18030_text(text: str, raw: bytes, path: Path, problems: Collector) -> bool:
    """True (with a located problem) when text, read as GB18030, holds a private-use character (U+E000–U+F8FF).

    GB18030 maps its user-defined byte ranges there, which no exported table uses; Big5 (Traditional Chinese,
    Taiwan and Hong Kong) files land in them at almost every character (「網站數量」 reads 「呼\ue1ed计秖」), so
    such a file was saved in another encoding, and its garbled names would otherwise pass as data."""
    odd = re.search("[\ue000-\uf8ff]", text)
    if odd is None:
        return False
    line = text.count("\n", 0, odd.start()) + 1
    column = odd.start() - (text.rfind("\n", 0, odd.start()) + 1) + 1
    try:
        raw.decode("big5")
        looks = " (it reads as Big5, the Traditional Chinese encoding)"
    except UnicodeDecodeError:
        looks = ""
    problems.add(f"read as GB18030 the file has a private-use character (U+{ord(odd.group()):04X}), which no text "
                 f"has: it was saved in another encoding{looks}", file=path, line=line, column=column,
                 hint="open it in the program that made it and save it as UTF-8 (Excel: Save As > "
                      "'CSV UTF-8 (Comma delimited)')")
    return True


def _decode_declared(raw: bytes, declared: str, path: Path, problems: Collector,
                     sidecar: Any = None) -> tuple[str, str] | None:
    """Bytes -> (text, encoding) in the encoding the sidecar declares (its `encoding:`), or None with a problem
    located at that key. A file that is valid UTF-8 with non-ASCII text declared gb18030 is refused too: read as
    GB18030 it would decode without an error, every Chinese character garbled."""
    where = sidecar.where(("encoding",)) if sidecar is not None else {"file": path}
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        problems.add(f"{path.name} is UTF-16 text (Excel's 'Unicode Text'), not {declared.upper()}", **where,
                     hint="save it as UTF-8 (Excel: Save As > 'CSV UTF-8 (Comma delimited)') and declare "
                          "encoding: utf-8, or leave encoding: out")
        return None
    if declared == "utf-8":
        try:
            return (raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw).decode("utf-8"), "utf-8"
        except UnicodeDecodeError as exc:
            line = raw[:exc.start].count(b"\n") + 1
            try:
                raw.decode("gb18030")
                looks = "; the whole file reads as GB18030"
            except UnicodeDecodeError:
                looks = ""
            problems.add(f"{path.name} is not UTF-8 as the sidecar declares (line {line}: a byte that UTF-8 "
                         f"cannot have){looks}", **where,
                         hint="declare the file's real encoding (encoding: gb18030), or save it as UTF-8 "
                              "(Excel: 'CSV UTF-8')" if looks else "save it as UTF-8 (Excel: 'CSV UTF-8')")
            return None
    try:
        raw.decode("utf-8")
        is_utf8 = any(b > 0x7F for b in raw)
    except UnicodeDecodeError:
        is_utf8 = False
    if is_utf8:
        problems.add(f"{path.name} is UTF-8, but the sidecar declares encoding: gb18030 (read as GB18030 every "
                     "Chinese character would be garbled)", **where,
                     hint="declare encoding: utf-8, or leave encoding: out")
        return None
    try:
        return raw.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        problems.add(f"{path.name} is not GB18030 as the sidecar declares (line {line}: bytes GB18030 cannot "
                     "have)", **where, hint="check which encoding the file was saved in, or save it as UTF-8 "
                                             "(Excel: 'CSV UTF-8') and leave encoding: out")
        return None


def _mixed_encoding_line(raw: bytes) -> int | None:
    """The first line that is not UTF-8 in a file whose other non-ASCII lines are UTF-8 (a GB18030 line
    pasted into a UTF-8 file): reading it all as GB18030 would garble every other line."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None
    try:
        raw.decode("utf-8")
        return None
    except UnicodeDecodeError:
        pass
    bad = None
    utf8 = False
    for n, line in enumerate(raw.split(b"\n"), start=1):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
            utf8 = utf8 or len(line) - len(line.decode("utf-8")) >= 4  # two or more multi-byte characters
        except UnicodeDecodeError:
            bad = bad or n
    return bad if utf8 else None


OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an OLE2 compound file: an encrypted workbook, or an old .xls


def _check_xlsx_container(path: Path, problems: Collector, limits: Limits) -> bool:
    """Before openpyxl: an encrypted workbook, an .xls in disguise, not a zip, or a zip bomb."""
    import zipfile

    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        problems.add(f"cannot read the file: {exc.strerror or exc}", file=path, hint="check that it is a readable file")
        return False
    if head == OLE_MAGIC:
        with path.open("rb") as fh:
            raw = fh.read(min(size, limits.bytes))
        if "EncryptedPackage".encode("utf-16-le") in raw or "EncryptionInfo".encode("utf-16-le") in raw:
            problems.add("the workbook is password-protected (encrypted), so it cannot be read", file=path,
                         hint="save an unprotected copy: open it in Excel, File > Info > Protect Workbook > "
                              "Encrypt with Password, clear the password and save (LibreOffice: File > Save As, "
                              "untick 'Save with password')")
        else:
            problems.add("this is an old binary Excel workbook (.xls) named .xlsx", file=path,
                         hint="open it in Excel or LibreOffice and save it as 'Excel Workbook (.xlsx)'")
        return False
    if size > limits.bytes:
        _size_problem(path, size, limits, problems)
        return False
    try:
        with zipfile.ZipFile(path) as z:
            unpacked = sum(max(i.file_size, 0) for i in z.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        problems.add(f"not a readable XLSX workbook ({type(exc).__name__}: {exc})", file=path,
                     hint="open it in Excel and save it again as .xlsx (or export the sheet as CSV UTF-8)")
        return False
    if unpacked > limits.bytes:
        _size_problem(path, unpacked, limits, problems, what="the workbook unpacks to")
        return False
    return True


def _read_xlsx(path: Path, spec: DatasetSpec, problems: Collector, sidecar: Any = None,
               limits: Limits | None = None) -> Table | None:
    limits = limits or data_limits(problems)
    if not _check_xlsx_container(path, problems, limits):
        return None

    from openpyxl import load_workbook
    from openpyxl.cell.read_only import EMPTY_CELL

    def unreadable(exc: Exception) -> None:
        problems.add(f"not a readable XLSX workbook ({type(exc).__name__}: {str(exc)[:200]})", file=path,
                     hint="open it in Excel and save it again as .xlsx (or LibreOffice: Save As, Excel 2007-365)")

    import io

    from egovdeck.files import read_input

    try:  # the bytes read once: their digest is what the up-to-date manifest records
        raw = read_input(path)
        wb = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001  openpyxl raises many kinds on a damaged file: all are the file's
        unreadable(exc)
        return None
    try:
        if spec.sheet and spec.sheet not in wb.sheetnames:
            import difflib

            names = wb.sheetnames
            close = difflib.get_close_matches(spec.sheet, names, n=1)
            hint = (f'did you mean "{close[0]}"? ' if close else "") + f"the workbook's sheets: {', '.join(names)}"
            where = sidecar.where(("sheet",)) if sidecar is not None else {"file": path}
            problems.add(f'the workbook {path.name} has no sheet "{spec.sheet}"', hint=hint, **where)
            return None
        if not wb.worksheets:
            problems.add("the workbook has no worksheet", file=path, hint="add a sheet with the data")
            return None
        # with no `sheet:`, the sheet Excel opens the workbook on (its active sheet): the one the user sees
        ws = wb[spec.sheet] if spec.sheet else (wb.active if wb.active is not None else wb.worksheets[0])
        if not spec.sheet and len(wb.sheetnames) > 1:
            problems.warn(f'the workbook has {len(wb.sheetnames)} sheets; egovdeck read "{ws.title}", the one Excel '
                          "opens on", file=path,
                          hint=f'name it in the sidecar to be sure: sheet: "{ws.title}" (the workbook\'s sheets: '
                               f"{', '.join(wb.sheetnames)})")
        if not spec.sheet and getattr(ws, "sheet_state", "visible") != "visible":
            problems.add(f'the sheet Excel opens the workbook on, "{ws.title}", is hidden: egovdeck would read '
                         "data you cannot see", file=path,
                         hint="name the sheet to read with `sheet:` in the sidecar (the workbook's sheets: "
                              f"{', '.join(wb.sheetnames)})")
            return None
        if not hasattr(ws, "reset_dimensions"):  # a chartsheet
            problems.add(f'the sheet "{ws.title}" is a chart, not a worksheet', file=path,
                         hint="name the sheet holding the data with `sheet:` in the sidecar")
            return None
        # the stored "used range" is often the whole grid (one formatted cell at XFD1048576): ignore it and
        # read only the cells the sheet holds
        ws.reset_dimensions()
        hidden, merged = _sheet_marks(raw, ws.title)
        into = [ref for ref, top in merged if top < spec.header_row <= _last_row(ref, top)]
        if into:  # a two-level header: a name merged down from the rows above into the header row
            problems.add(f"the header row {spec.header_row} is part of the merged range {into[0]} (a header of two "
                         "rows): egovdeck reads the column names from one row, so that cell reads as empty",
                         file=path, line=spec.header_row,
                         hint=f"unmerge {into[0]} and write the column's name in row {spec.header_row} (the row "
                              "`header_row:` names), one name per column; group labels above it may stay")
            return None
        merged = [(ref, top) for ref, top in merged if top >= spec.header_row]
        title_row = _title_above_header(ws, spec, merged)
        if title_row is not None:
            title, names_row = title_row
            problems.add(f"row {title} looks like a title above the header (one merged cell, "
                         f"{', '.join(ref for ref, top in merged if top == title)}); row {names_row} holds the "
                         "column names", file=path, line=title,
                         hint=f"set `header_row: {names_row}` in the sidecar: egovdeck then reads the header from "
                              f"row {names_row} and ignores the rows above it (keep the title merged)")
            return None
        if merged:
            shown = ", ".join(ref for ref, _ in merged[:6]) + (" …" if len(merged) > 6 else "")
            problems.add(f"merged cells in the data ({shown}): a merged cell holds its value in its first cell only, "
                         "so egovdeck would read the others as empty", file=path, line=merged[0][1],
                         hint="select them, turn Merge & Center off, and fill the value into every cell "
                              "(Excel: Home > Merge & Center; then Fill Down with Ctrl+D)")
            return None
        skipped: list[int] = []
        cells: list[list[Cell]] = []
        lines: list[int] = []
        blanks: dict[int, list[int]] = {}  # sheet row -> empty columns among its data: formulas without a value?
        count = 0
        scanned = held_rows = 0  # cells and rows the sheet holds, empty formatted ones included
        for r, row in enumerate(ws.iter_rows(min_row=spec.header_row), start=spec.header_row):
            if not row:  # a row the sheet does not hold (openpyxl fills the gaps with empty rows)
                continue
            if r in hidden and r > spec.header_row:  # Excel does not show it: nor does the brief
                if any(c is not EMPTY_CELL and c.value is not None for c in row):
                    skipped.append(r)
                continue
            scanned += len(row)
            held_rows += 1
            if scanned > 10 * limits.cells or held_rows > 2 * limits.rows:
                problems.add("the sheet holds far more (empty, formatted) cells than data, down to row "
                             f"{r} and beyond; reading stopped here", file=path, line=r,
                             hint="delete the empty formatted rows and columns below and right of the data (select "
                                  "them, Delete) and save, or export the sheet as CSV UTF-8; a sheet may span 2x "
                                  "EGOVDECK_MAX_DATA_ROWS rows and 10x EGOVDECK_MAX_DATA_CELLS cells")
                return None
            # the cells the sheet holds (openpyxl pads a row to its last formatted cell with EMPTY_CELL)
            held = [c for c in row if c is not EMPTY_CELL and c.value is not None]
            values: list[Cell] = [""] * (max((c.column for c in held), default=0))
            for c in held:
                v = c.value
                if isinstance(v, str):
                    values[c.column - 1] = v if v.strip() else ""
                else:
                    values[c.column - 1] = XCell(v, getattr(c, "number_format", None) or "General")
            while values and values[-1] == "":
                values.pop()
            if not values:
                continue
            count += len(values)
            if _over_limits(path, r, len(cells), count, limits, problems):
                return None
            if cells:
                empty = [i for i in range(len(cells[0])) if i >= len(values) or values[i] == ""]
                if empty:
                    blanks[r] = empty
            cells.append(values)
            lines.append(r)
        if skipped:
            shown = ", ".join(map(str, skipped[:12])) + (" …" if len(skipped) > 12 else "")
            problems.warn(f"{len(skipped)} hidden row{'s' if len(skipped) > 1 else ''} left out ({shown}), as "
                          "Excel does not show them", file=path, line=skipped[0],
                          hint="to use them, unhide them in Excel (select the rows around, right-click > Unhide); "
                               "to silence this, delete them")
        if blanks:
            _formulas_without_values(path, ws.title, blanks, cells, lines)
    except Exception as exc:  # noqa: BLE001  damaged sheet XML, bad styles, ...: the file's problem
        unreadable(exc)
        return None
    finally:
        wb.close()
    if not cells:
        problems.add(f"the sheet is empty (from row {spec.header_row} on)", file=path,
                     hint="the header row must hold the column names (set header_row: in the sidecar)")
        return None
    if lines[0] != spec.header_row:
        problems.add(f"row {spec.header_row} (the header row) is empty; the first filled row is {lines[0]}",
                     file=path, line=spec.header_row,
                     hint=f"set `header_row: {lines[0]}` in the sidecar, or move the column names to row "
                          f"{spec.header_row}")
        return None
    header = [(c.shown() if isinstance(c, XCell) else c).strip() for c in cells[0]]
    return header, cells[1:], lines[1:], "xlsx"


def _names_row_below(declared: list[str], rows: list[list[Cell]], lines: list[int]) -> int | None:
    """The line of the first of `rows` holding every declared column name (the real header under a title)."""
    for cells, line in zip(rows, lines, strict=False):
        shown = {(c.shown() if isinstance(c, XCell) else str(c)).strip() for c in cells}
        if declared and set(declared) <= shown:
            return line
    return None


def _last_row(ref: str, top: int) -> int:
    """The last row of a merged range "A2:A3" (its first row, `top`, when the range is one row or unreadable)."""
    m = re.search(r":[A-Z]+(\d+)$", ref)
    return int(m.group(1)) if m else top


def _title_above_header(ws, spec: DatasetSpec, merged: list[tuple[str, int]]) -> tuple[int, int] | None:
    """(title row, header row) when the sheet's header row is a title: one merged range on that row, the
    row's only filled cell, and a later row (within 10) holds at least one of the sidecar's column names
    (a report-style sheet: a merged title, maybe a unit line, then the header). None otherwise."""
    first = spec.header_row
    on_row = [ref for ref, top in merged if top == first]
    if len(on_row) != 1:
        return None
    end = re.search(r":[A-Z]+(\d+)$", on_row[0])
    if end is None or int(end.group(1)) != first:  # a title spans one row
        return None
    names = {str(name).strip() for name in spec.columns}
    rows = ws.iter_rows(min_row=first, max_row=first + 10, values_only=True)
    for r, values in enumerate(rows, start=first):
        filled = [str(v).strip() for v in values if v is not None and str(v).strip()]
        if r == first:
            if len(filled) != 1:
                return None
        elif names & set(filled):
            return first, r
    return None


def _sheet_marks(raw: bytes, title: str) -> tuple[set[int], list[tuple[str, int]]]:
    """The hidden rows of the sheet `title` and its merged ranges (ref, first row), read from the sheet's
    XML (openpyxl's read-only mode, which keeps memory bounded, does not report either)."""
    import zipfile

    from lxml import etree

    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    rel = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    safe = {"resolve_entities": False, "no_network": True}  # no entity expansion (billion laughs), no fetching
    with zipfile.ZipFile(io.BytesIO(raw)) as z:
        book = etree.fromstring(z.read("xl/workbook.xml"), etree.XMLParser(**safe))
        rid = next((e.get(rel) for e in book.iter(f"{main}sheet") if e.get("name") == title), None)
        rels = etree.fromstring(z.read("xl/_rels/workbook.xml.rels"), etree.XMLParser(**safe))
        target = next((e.get("Target") for e in rels if e.get("Id") == rid), None)
        if not target:
            return set(), []
        name = target.lstrip("/") if target.startswith("/") else "xl/" + target
        hidden: set[int] = set()
        merged: list[tuple[str, int]] = []
        with z.open(name) as fh:
            for _, e in etree.iterparse(fh, tag=(f"{main}row", f"{main}mergeCell"), **safe):
                if e.tag == f"{main}row":
                    if e.get("hidden") in ("1", "true") and (e.get("r") or "").isdigit():
                        hidden.add(int(e.get("r")))
                else:
                    ref = e.get("ref") or ""
                    digits = re.search(r"\d+", ref)
                    merged.append((ref, int(digits.group(0)) if digits else 1))
                e.clear()
        return hidden, merged


def _formulas_without_values(path: Path, title: str, blanks: dict[int, list[int]], cells: list[list[Cell]],
                             lines: list[int]) -> None:
    """Mark the empty cells that are formulas the workbook holds no saved value for (written by a program
    that does not calculate, e.g. openpyxl or a script); the data-only reading cannot tell them from gaps."""
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=False)
    try:
        ws = wb[title]
        ws.reset_dimensions()
        at = {r: i for i, r in enumerate(lines)}
        last = max(blanks)
        for r, row in enumerate(ws.iter_rows(min_row=min(blanks), max_row=last), start=min(blanks)):
            for col in blanks.get(r, ()):
                if col < len(row) and getattr(row[col], "data_type", "") == "f":
                    formula = row[col].value
                    text = formula if isinstance(formula, str) else getattr(formula, "text", "") or "="
                    values = cells[at[r]]
                    values.extend([""] * (col + 1 - len(values)))
                    values[col] = XCell(None, formula=text if text.startswith("=") else "=" + text)
    finally:
        wb.close()


# ----------------------------------------------------------------------------- cells -> values


class CellError(ValueError):
    """A cell that does not convert: str() is what was expected; detail and hint say more."""

    def __init__(self, expected: str, detail: str = "", hint: str = ""):
        super().__init__(expected)
        self.detail = detail
        self.hint = hint


EXPECTED = {"integer": "an integer (e.g. 14474)", "number": "a number (e.g. 6.94)",
            "period": "a period like 2019 or 2019-12", "date": "a date like 2019-12-31"}
NUMBER_TEXT = re.compile(r"[+-]?(\d[\d,]*)?(\.\d*)?([eE][+-]?\d+)?", re.ASCII)
RANGE_HINT = ("a number must be smaller than 10^15 in size, and zero or at least 10^-9: check the cell (a stray "
              "exponent e?), or give the column a larger or smaller unit (亿, 万亿; 万分之一) in the sidecar")


def _decimal(text: str, kind: str) -> Decimal:
    """A number cell -> Decimal. Commas are accepted only as correct thousands grouping (Babel, strict)."""
    expected = EXPECTED[kind]
    cleaned = text.replace("\u2212", "-")
    if len(cleaned) > MAX_NUMBER_CHARS:
        raise CellError(expected, f"{len(cleaned):,} characters; a number has at most {MAX_NUMBER_CHARS}",
                        "check the cell: it is far too long to be a number")
    if not NUMBER_TEXT.fullmatch(cleaned) or not any(ch.isdigit() for ch in cleaned):
        raise CellError(expected)
    if "," in cleaned:
        from babel.numbers import NumberFormatError, parse_decimal

        try:
            value = parse_decimal(cleaned.lstrip("+"), locale="en", strict=True)
        except NumberFormatError as exc:
            guesses = " or ".join(f'"{g}"' for g in (exc.suggestions or [])[:2])
            raise CellError(expected, "a comma that is not a thousands separator",
                            "a comma may only separate thousands (14,474 or 1,234,567, in a quoted cell); write "
                            "decimals with a point (6.94)" + (f"; did you mean {guesses}?" if guesses else "")
                            ) from None
    else:
        try:
            value = Decimal(cleaned)
        except ArithmeticError:  # the text is a number (NUMBER_TEXT), its exponent past Decimal's own range
            raise CellError(expected, "out of range", RANGE_HINT) from None
    try:  # copy_abs, not abs(): abs() rounds in the context, so 1e-999999999 would become 0
        size = value.copy_abs()
        out_of_range = not value.is_finite() or size >= MAX_MAGNITUDE or (not size.is_zero() and size < MIN_MAGNITUDE)
    except ArithmeticError:
        out_of_range = True
    if out_of_range:
        raise CellError(expected, "out of range", RANGE_HINT)
    return value


def _number(value: Decimal, kind: str) -> int | float:
    if kind == "integer":
        if value != value.to_integral_value():
            raise CellError(EXPECTED[kind])
        return int(value)
    return float(value)


def _fmt_shows(fmt: str) -> str:
    """The parts of a number format outside quotes and escapes, lower-cased: to look for %, y, m, d."""
    return re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", fmt.split(";")[0]).lower()


def _scaling_commas(fmt: str) -> int:
    """How many thousands Excel divides by for a number format: the commas right after its last digit
    placeholder (#,##0, -> 1: 14474000 shows as 14,474; 0.0,, -> 2); a comma between digits only groups."""
    shows = _fmt_shows(fmt)
    last = max(shows.rfind(c) for c in "0#?")
    if last < 0:
        return 0
    rest = shows[last + 1:]
    return len(rest) - len(rest.lstrip(","))


def _convert_xcell(cell: XCell, kind: str, percent_unit: bool) -> Value:
    v = cell.value
    expected = EXPECTED.get(kind, "")
    if kind == "text":
        return cell.shown().strip()
    if isinstance(v, bool):
        raise CellError(expected, f"Excel stored the logical value {cell.shown()}")
    if isinstance(v, (dt.datetime, dt.date)):
        day = v.date() if isinstance(v, dt.datetime) else v
        if kind == "date":
            return day.isoformat()
        if kind == "period":
            shows = _fmt_shows(cell.fmt)
            if "y" in shows and "m" not in shows and "d" not in shows:
                return f"{day.year:04d}"
            if "d" not in shows or day.day == 1:  # a typed 2018-12 is stored as 2018-12-01
                return f"{day.year:04d}-{day.month:02d}"
            raise CellError(expected, f"Excel stored the date {day.isoformat()}",
                            "a period is a year or a month: format the column as Text in Excel, then type "
                            "2019-12 (or 2019)")
        raise CellError(expected, f"Excel stored the date {day.isoformat()}",
                        "format the cells as numbers in Excel (Home > Number Format > Number), or declare the "
                        "column `type: date` in the sidecar")
    if isinstance(v, (int, float)):
        if isinstance(v, float) and not math.isfinite(v):
            raise CellError(expected, "out of range", RANGE_HINT)
        # Excel keeps and shows at most 15 significant digits: 1796.2000000000003 (a formula's result) is 1796.2
        value = Decimal(f"{v:.15g}") if isinstance(v, float) else Decimal(v)
        if "%" in _fmt_shows(cell.fmt) and kind in ("integer", "number"):
            shown = f"{float(value * 100):g}%"
            if not percent_unit:
                raise CellError(expected, f"Excel stores {v!r} formatted as a percent (it shows {shown})",
                                'declare the column\'s unit as "%" in the sidecar (egovdeck then reads the percent '
                                "Excel shows), or format the cells as plain numbers")
            value *= 100  # the number the user sees: 0.768 shown as 76.8% is 76.8 (unit %)
        commas = _scaling_commas(cell.fmt)
        if commas and kind in ("integer", "number"):  # #,##0, shows 14474000 as 14,474: read what it shows
            shows = _fmt_shows(cell.fmt)
            point = re.search(r"\.([0#?]*)", shows)
            decimals = len(point.group(1)) if point else 0
            value = (value / Decimal(1000) ** commas).quantize(Decimal(1).scaleb(-decimals),
                                                               rounding=decimal.ROUND_HALF_UP)
        if abs(value) >= MAX_MAGNITUDE or (value and abs(value) < MIN_MAGNITUDE):
            raise CellError(expected, "out of range", RANGE_HINT)
        if kind in ("integer", "number"):
            return _number(value, kind)
        if kind == "period" and value == value.to_integral_value() and 1000 <= value <= 9999:
            return str(int(value))
        if kind == "period":
            raise CellError(expected, f"Excel stored the number {cell.shown()}",
                            "format the column as Text in Excel, then type 2019-12 (or 2019)")
        raise CellError(expected, f"Excel stored the number {cell.shown()}",
                        "format the cells as dates in Excel (yyyy-mm-dd), or type the date as text 2019-12-31")
    raise CellError(expected, f"Excel stored {cell.shown()}")


def _check_controls(text: str) -> None:
    """Raise CellError for a control character in a cell (CONTROL_CHARS), naming it and where it is."""
    m = CONTROL_CHARS.search(text)
    if m:
        raise CellError("a value without control characters",
                        f"the invisible control character U+{ord(m.group()):04X} at character {m.start() + 1}",
                        CONTROL_HINT)


def visible(text: str) -> str:
    """text with every CONTROL_CHARS character written as \\uXXXX (for messages: never print them raw)."""
    return CONTROL_CHARS.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def convert(cell: Cell, kind: str, percent_unit: bool = False) -> Value:
    """Cell text (or an XLSX cell) -> typed value; raises ValueError (CellError) with what was expected.

    percent_unit: the column's unit is a percent, so an XLSX cell with a percent number format is read as
    the percent Excel shows (0.768 formatted 0.0% -> 76.8)."""
    if kind not in ("text", "integer", "number", "period", "date"):
        raise ValueError(f"unknown column type {kind}")
    _check_controls(cell.shown() if isinstance(cell, XCell) else cell)
    if isinstance(cell, XCell):
        return _convert_xcell(cell, kind, percent_unit)
    text = cell.strip()
    if kind == "text":
        return text
    if kind in ("integer", "number"):
        return _number(_decimal(text, kind), kind)
    if kind == "period":
        if PERIOD_RE.match(text):
            return text
        raise CellError(EXPECTED[kind])
    if DATE_RE.match(text):
        try:
            dt.date.fromisoformat(text)
            return text
        except ValueError:
            pass
    raise CellError(EXPECTED[kind])


OTHER_FORMATS = {".xls": "an old binary Excel workbook (.xls)", ".xlsb": "a binary Excel workbook (.xlsb)",
                 ".ods": "an OpenDocument spreadsheet (.ods)", ".et": "a WPS spreadsheet (.et)",
                 ".numbers": "a Numbers spreadsheet", ".json": "a JSON file", ".parquet": "a Parquet file"}
MAX_CELL_PROBLEMS = 20  # per file: after these, one line says how many more


def load_dataset(ds_id: str, spec: DatasetSpec, path: Path, problems: Collector,
                 sidecar: Any = None) -> Dataset | None:
    """Read and check one dataset; every problem goes to `problems` with file, row and column.

    sidecar (a yamlload.Located) lets problems of the description point at the sidecar's lines."""
    limits = data_limits(problems)
    suffix = path.suffix.lower()
    if suffix in OTHER_FORMATS:
        problems.add(f"egovdeck reads CSV and XLSX files; {path.name} is {OTHER_FORMATS[suffix]}", file=path,
                     hint="save it as .xlsx (Excel Workbook) or as CSV UTF-8, and name that file in the sidecar's "
                          "`file:`")
        return None
    is_xlsx = suffix in (".xlsx", ".xlsm")
    if is_xlsx:
        got = _read_xlsx(path, spec, problems, sidecar, limits)
        if spec.encoding is not None:
            problems.warn("encoding: applies to CSV files; an XLSX workbook carries its own text encoding",
                          **(sidecar.where(("encoding",)) if sidecar is not None else {"file": path}),
                          hint="remove encoding: from the sidecar")
        header_line = spec.header_row
    else:
        got = _read_csv(path, problems, limits, spec.encoding, sidecar)
        header_line = 1
    if got is None:
        return None
    header, body, lines, encoding = got
    declared = list(spec.columns)
    missing = [c for c in declared if c not in header]
    extra = [c for c in header if c not in declared and c]
    twice = sorted({c for c in header if header.count(c) > 1 and c})
    unnamed = [i + 1 for i, c in enumerate(header) if not c]
    if unnamed:
        problems.add(f"column{'s' if len(unnamed) > 1 else ''} {', '.join(map(str, unnamed))} of the header "
                     f"{'have' if len(unnamed) > 1 else 'has'} no name", file=path, line=header_line,
                     column=unnamed[0],
                     hint="name every column in the header row (and declare it in the sidecar), or delete the "
                          "empty column (a stray comma at the end of the header line makes one too)")
    sidecar_name = sidecar.file.name if sidecar is not None else "the sidecar"
    if twice:
        problems.add(f"column(s) named twice in the header: {', '.join(twice)}", file=path, line=header_line,
                     hint="each column needs its own name")
    if missing:
        import difflib

        guesses = [f'"{m}" -> "{c[0]}"' for m in missing
                   if (c := difflib.get_close_matches(m, [h for h in header if h not in declared], n=1))]
        hint = (f"renamed? {', '.join(guesses)}; " if guesses else "") + f"the header has: {', '.join(header)}"
        seps = [name for sep, name in ((";", "semicolons"), ("\t", "tabs"), ("|", "bars"))
                if len(header) == 1 and sep in header[0]]
        if seps and not is_xlsx:
            hint = (f"the file separates its cells with {seps[0]}, not commas: save it as 'CSV UTF-8 (Comma "
                    "delimited)'; ") + hint
        below = _names_row_below(declared, body[:10], lines[:10])
        if below is not None:  # a title (and maybe a unit line) above the real header
            unit = "row" if is_xlsx else "line"
            hint = (f"{unit} {header_line} looks like a title; {unit} {below} holds the column names: "
                    + (f"set `header_row: {below}` in {sidecar_name}" if is_xlsx
                       else f"delete the line(s) above line {below} (a CSV starts with its column names)")
                    + f"; {hint}")
        problems.add(f"missing column(s) declared in {sidecar_name}: {', '.join(missing)}", file=path,
                     line=header_line, hint=hint)
    if extra and not missing:
        problems.add(f"column(s) not declared in {sidecar_name}: {', '.join(extra)}", file=path,
                     line=header_line, hint=f"declare them under `columns:` in {sidecar_name}, or remove them")
    if missing or extra or twice or unnamed:
        return None
    if not any(any(c.strip() for c in cells) for cells in body):
        problems.add("the file has a header but no data rows", file=path, line=header_line,
                     hint="add the data below the header row")
        return None
    index = {name: header.index(name) for name in declared}
    rows: list[dict[str, Value]] = []
    row_lines: list[int] = []
    percent = _percent_unit(spec, spec.columns)
    failed: list[set[str]] = []  # per kept row: the columns whose cell did not convert
    bad = 0

    def report(message: str, **where) -> None:
        nonlocal bad
        bad += 1
        if bad <= MAX_CELL_PROBLEMS:
            problems.add(message, file=path, **where)

    for n, cells in zip(lines, body, strict=True):
        if not any(c.strip() for c in cells):
            continue
        # every row has exactly the header's cells: an unquoted comma (14,474) or a lost one shifts the
        # columns after it, and a shifted row must never be read (the brief would print 14 for 14,474)
        width = len(cells) if not is_xlsx else max((i + 1 for i, c in enumerate(cells) if c.strip()), default=0)
        if width > len(header) or (not is_xlsx and width < len(header)):
            report(f"row {n} has {width} cells but the header has {len(header)}", line=n,
                   column=min(width, len(header)) + 1, hint=_ragged_hint(cells, len(header), is_xlsx))
            continue
        row: dict[str, Value] = {}
        bad_cols: set[str] = set()
        for name, col in spec.columns.items():
            i = index[name]
            cell = cells[i] if i < len(cells) else ""
            if isinstance(cell, XCell) and cell.formula:
                row[name] = None
                bad_cols.add(name)
                report(f'row {n}, column "{name}": the cell holds the formula {cell.formula[:80]} but the workbook '
                       "has no saved value for it (it was written by a program that does not calculate formulas)",
                       line=n, column=i + 1,
                       hint="open the workbook in Excel or LibreOffice and save it (that stores the values), "
                            "or replace the formulas by their values (copy, Paste Special > Values)")
                continue
            if not cell.strip():
                row[name] = None
                if col.required:
                    bad_cols.add(name)
                    report(f'row {n}, column "{name}": empty cell, but the column is required', line=n,
                           column=i + 1,
                           hint="fill it in, or mark the column `required: false` in the sidecar if the value "
                                "is unknown (an empty cell is a gap, never a zero)")
                continue
            try:
                row[name] = convert(cell, col.type, percent[name])
            except ValueError as exc:
                row[name] = None
                bad_cols.add(name)
                shown = visible(cell.shown() if isinstance(cell, XCell) else cell.strip())
                if len(shown) > 60:
                    shown = f"{shown[:40]}…({len(shown):,} characters)"
                detail = f" ({exc.detail})" if isinstance(exc, CellError) and exc.detail else ""
                hint = exc.hint if isinstance(exc, CellError) and exc.hint else \
                    _type_hint(col.type, shown, col.required)
                report(f'row {n}, column "{name}": expected {exc}, found "{shown}"{detail}', line=n,
                       column=i + 1, hint=hint)
        rows.append(row)
        row_lines.append(n)
        failed.append(bad_cols)
    if bad > MAX_CELL_PROBLEMS:
        problems.add(f"and {bad - MAX_CELL_PROBLEMS:,} more problems of this kind in this file", file=path,
                     hint="fix the ones above first; the rest are often the same mistake")
    if spec.key:
        seen: dict[tuple, int] = {}
        for n, row, bad_cols in zip(row_lines, rows, failed, strict=True):
            if bad_cols & set(spec.key):  # the cell's own problem is reported; its key would be a false twin
                continue
            k = tuple(row.get(c) for c in spec.key)
            if k in seen:
                shown = ", ".join(f"{c}={v}" for c, v in zip(spec.key, k, strict=True))
                problems.add(f"row {n}: duplicate key {shown} (first at row {seen[k]})", file=path, line=n,
                             hint=f"each combination of the key columns ({', '.join(spec.key)}) must appear once")
            else:
                seen[k] = n
    return Dataset(ds_id, spec, path, rows, encoding, extra={"header": header}, lines=row_lines)


def _percent_unit(spec: DatasetSpec, columns: dict) -> dict[str, bool]:
    """Per column: is its unit (or, if it has none, the dataset's) a percent?"""
    return {name: (col.unit or spec.unit).strip() in PERCENT_UNITS for name, col in columns.items()}


def _ragged_hint(cells: list[Cell], width: int, is_xlsx: bool) -> str:
    texts = [c.shown() if isinstance(c, XCell) else c.strip() for c in cells]
    if is_xlsx:
        return (f"the header names {width} columns: give the extra column a name in the header row (and declare "
                "it in the sidecar), or delete the cells to its right")
    if len(cells) > width:
        for a, b in zip(texts, texts[1:], strict=False):
            if re.fullmatch(r"[+-]?\d{1,3}", a) and re.fullmatch(r"\d{3}(\.\d+)?", b):
                return (f'quote "{a},{b}" (a number with a thousands separator must be in quotes) or drop the '
                        f"separator ({a}{b})")
        return ('a comma inside a cell splits it: quote the cell ("…, …") or remove the comma '
                "(or use a Chinese comma ，); also check for a stray comma at the end of the line")
    return (f"every row needs all {width} cells: write an unknown value as an empty cell (nothing between two "
            "commas: a,,c), or check for a line broken in two")


def _is_missing_mark(cell: str) -> bool:
    """A dash, N/A, 无 ... typed for "no data"."""
    text = cell.strip()
    return bool(text) and (text.upper() in MISSING_MARKS or all(ch in DASHES for ch in text))


EXCEL_ERRORS = ("#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "#N/A", "#SPILL!", "#CALC!",
                "#GETTING_DATA")


def _number_hint(kind: str, text: str) -> str:
    """The fix for a number cell written some other way: full-width digits, an accounting negative (123),
    digits grouped by spaces or underscores, a number with words around it."""
    plain = "write a plain number with ASCII digits, a point for decimals and - for a negative"
    halfwidth = unicodedata.normalize("NFKC", text)
    if halfwidth != text and re.fullmatch(r"[+\-−]?[\d,]*\.?\d+(?:[eE][+-]?\d+)?", halfwidth):
        return f"{plain}: the cell uses full-width characters; write {halfwidth}"
    if m := re.fullmatch(r"\(\s*(\d[\d,]*(?:\.\d+)?)\s*\)", text):
        return f"{plain}: write the negative as -{m.group(1)}, not in brackets"
    if re.fullmatch(r"[+\-−]?\d{1,3}(?:[ \u00a0\u202f\u2009_']\d{3})+(?:\.\d+)?", text):
        return f"{plain}: drop the digit-group separators ({re.sub(r'[^0-9.+−-]', '', text)})"
    if any(d.isdigit() and not d.isascii() for d in text):
        return f"{plain}: the cell has digits of another script"
    return f"{plain}, or declare the column as `type: text` if it is not a {kind}"


def _type_hint(kind: str, cell: str, required: bool = True) -> str:
    """What to do about a cell that does not convert."""
    if _is_missing_mark(cell):
        return (f'"{cell}" is not a value: leave the cell empty when the value is unknown (an empty cell is a gap, '
                "never a zero)" + (", and mark the column `required: false` in the sidecar" if required else ""))
    if cell.strip().upper() in EXCEL_ERRORS:
        return (f"Excel shows the error {cell.strip()} here (a formula failed): fix the formula in Excel, or leave "
                "the cell empty if the value is unknown")
    if kind in ("integer", "number"):
        if any(w in cell for w in ("万", "亿", "%", "约", "个")):
            return ("write the bare number; put units (万, 亿, %) in the sidecar's `unit:`, and leave the cell "
                    "empty if the value is unknown (with `required: false`)")
        return _number_hint(kind, cell.strip())
    if kind == "period":
        return _period_hint(cell)
    if kind == "date":
        return "write YYYY-MM-DD, e.g. 2019-12-31"
    return ""
