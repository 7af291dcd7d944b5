from badin import *  # noqa: F403  (lib/badin.py)
from variants import rows_of, to_xlsx  # noqa: F401  (lib/variants.py)


def patch():
    rows = rows_of("homepage_updates")
    rows[2][1] = "=1543.31*1.346"   # openpyxl writes the formula without a cached value
    to_xlsx("homepage_updates", rows)


main(patch)
