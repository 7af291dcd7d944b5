from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    def to_xlsx(stem, rows, **kw):
        xlsx(f"data/{stem}.xlsx", rows, **kw)
        Path(f"data/{stem}.csv").unlink()
        replace(f"data/{stem}.yaml", f"file: {stem}.csv", f"file: {stem}.xlsx")
    import csv
    def rows_of(stem):
        return list(csv.reader(open(f"data/{stem}.csv", encoding="utf-8")))
    rows = rows_of("homepage_updates")
    to_xlsx("homepage_updates", [["各级政府网站首页文章更新量"] + [None] * 4] + rows, merge=["A1:E1"])


main(patch)
