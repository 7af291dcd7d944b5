from badin import *  # noqa: F403  (lib/badin.py)
from variants import rows_of, to_xlsx  # noqa: F401  (lib/variants.py)


def patch():
    rows = rows_of("homepage_updates")
    rows[1][1] = True
    rows[2][1] = float(rows[2][1])
    to_xlsx("homepage_updates", rows)


main(patch)
