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
    import datetime
    rows = rows_of("gov_websites_total")
    for r in rows[1:]:
        y, m = map(int, r[0].split("-"))
        r[0] = datetime.datetime(y, m, 1)
        r[1] = int(r[1])
        r[2] = int(r[2]) if r[2] else None
    to_xlsx("gov_websites_total", rows)


main(patch)
