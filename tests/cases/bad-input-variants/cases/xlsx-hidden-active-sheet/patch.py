from badin import *  # noqa: F403  (lib/badin.py)
from variants import rows_of, to_xlsx  # noqa: F401  (lib/variants.py)


def patch():
    from openpyxl import Workbook
    rows = rows_of("homepage_updates")
    wb = Workbook()
    junk = wb.active
    junk.title = "旧数据"
    junk.append(["x"])
    junk.append(["垃圾"])
    data = wb.create_sheet("数据")
    for i, r in enumerate(rows):
        data.append(r if i == 0 else [r[0], float(r[1]), float(r[2]) if r[2] else None, r[3], r[4]])
    junk.sheet_state = "hidden"
    wb.active = 0            # the workbook opens on a hidden sheet (a broken save)
    wb.save("data/homepage_updates.xlsx")
    Path("data/homepage_updates.csv").unlink()
    replace("data/homepage_updates.yaml", "file: homepage_updates.csv", "file: homepage_updates.xlsx")


main(patch)
