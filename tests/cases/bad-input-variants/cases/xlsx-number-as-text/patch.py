from badin import *  # noqa: F403  (lib/badin.py)
from variants import rows_of, to_xlsx  # noqa: F401  (lib/variants.py)


def patch():
    rows = rows_of("gov_websites_total")
    rows[2][1] = "14,474"   # a text cell (green triangle in Excel)
    rows[1][1] = int(rows[1][1])
    to_xlsx("gov_websites_total", rows)


main(patch)
