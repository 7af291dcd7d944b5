from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    def to_xlsx(stem, rows, fmt=None, **kw):
        """Replace data/<stem>.csv by data/<stem>.xlsx holding rows (fmt: {cell: number_format})."""
        from openpyxl import load_workbook
        xlsx(f"data/{stem}.xlsx", rows, **kw)
        if fmt:
            wb = load_workbook(f"data/{stem}.xlsx")
            for ref, f in fmt.items():
                wb.active[ref].number_format = f
            wb.save(f"data/{stem}.xlsx")
        Path(f"data/{stem}.csv").unlink()
        replace(f"data/{stem}.yaml", f"file: {stem}.csv", f"file: {stem}.xlsx")
    import csv
    def rows_of(stem):
        return list(csv.reader(open(f"data/{stem}.csv", encoding="utf-8")))
    import zipfile
    rows = rows_of("homepage_updates")
    to_xlsx("homepage_updates", rows)
    src = zipfile.ZipFile("data/homepage_updates.xlsx")
    parts = {i.filename: src.read(i.filename) for i in src.infolist()}
    src.close()
    sheet = parts["xl/worksheets/sheet1.xml"]
    pad = b"<!--" + b" " * 800_000_000 + b"-->"   # 800 MB of comment, ~1.5 MB compressed
    with zipfile.ZipFile("data/homepage_updates.xlsx", "w", zipfile.ZIP_DEFLATED) as z:
        for name, body in parts.items():
            if name == "xl/worksheets/sheet1.xml":
                i = body.index(b"<sheetData")
                body = body[:i] + pad + body[i:]
            z.writestr(name, body)


main(patch)
