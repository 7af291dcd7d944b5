from badin import *  # noqa: F403  (lib/badin.py)
from variants import rows_of, to_xlsx  # noqa: F401  (lib/variants.py)


def patch():
    import datetime
    rows = rows_of("gov_websites_total")
    for r in rows[1:]:
        y, m = map(int, r[0].split("-"))
        r[0] = datetime.datetime(y, m, 1)
        r[1] = int(r[1])
        r[2] = int(r[2]) if r[2] else None
    to_xlsx("gov_websites_total", rows)


main(patch)
