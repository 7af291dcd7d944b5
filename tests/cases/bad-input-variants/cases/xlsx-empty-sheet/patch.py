from badin import *  # noqa: F403  (lib/badin.py)
from variants import rows_of, to_xlsx  # noqa: F401  (lib/variants.py)


def patch():
    from openpyxl import Workbook
    wb = Workbook(); wb.save("data/homepage_updates.xlsx")
    Path("data/homepage_updates.csv").unlink()
    replace("data/homepage_updates.yaml", "file: homepage_updates.csv", "file: homepage_updates.xlsx")


main(patch)
