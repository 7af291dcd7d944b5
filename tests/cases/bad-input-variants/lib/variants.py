"""Helpers shared by this corpus's own patch.py scripts (the corpus's lib/badin.py stays a verbatim copy of the
handed-over one). Run inside a case's project copy: paths are relative to the project root."""

import csv
from pathlib import Path

from badin import DEF, replace, write_bytes, xlsx


def rows_of(stem):
    """The rows of data/<stem>.csv as lists of strings, the header first."""
    with open(f"data/{stem}.csv", encoding="utf-8") as f:
        return list(csv.reader(f))


def to_xlsx(stem, rows, fmt=None, **kw):
    """Replace data/<stem>.csv by data/<stem>.xlsx holding rows (fmt: {cell: number_format}; kw go to badin.xlsx),
    and point data/<stem>.yaml at it."""
    from openpyxl import load_workbook
    xlsx(f"data/{stem}.xlsx", rows, **kw)
    if fmt:
        wb = load_workbook(f"data/{stem}.xlsx")
        for ref, f in fmt.items():
            wb.active[ref].number_format = f
        wb.save(f"data/{stem}.xlsx")
    Path(f"data/{stem}.csv").unlink()
    replace(f"data/{stem}.yaml", f"file: {stem}.csv", f"file: {stem}.xlsx")


def damaged_template(edit):
    """Write templates/corp.pptx, the bundled deck template with each part passed through edit(name, body) ->
    new body, or None to leave the part out, and name it as the definition's theme.template."""
    import io
    import zipfile

    from egovdeck.render.template import DEFAULT_TEMPLATE

    out = io.BytesIO()
    with zipfile.ZipFile(DEFAULT_TEMPLATE) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = edit(info.filename, src.read(info.filename))
            if body is not None:
                dst.writestr(info, body)
    write_bytes("templates/corp.pptx", out.getvalue())
    replace(DEF, "\ndatasets:\n", "\ntheme:\n  template: templates/corp.pptx\n\ndatasets:\n")
