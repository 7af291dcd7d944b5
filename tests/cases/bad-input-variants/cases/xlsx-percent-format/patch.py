from badin import *  # noqa: F403  (lib/badin.py)
from variants import rows_of, to_xlsx  # noqa: F401  (lib/variants.py)


def patch():
    rows = rows_of("online_gov_users")
    for r in rows[1:]:
        if r[2]:
            r[2] = float(r[2]) / 100      # 0.768 shown as 76.8% by its number format
    for r in rows[1:]:
        r[1] = float(r[1])
    to_xlsx("online_gov_users", rows, fmt={"C3": "0.0%", "C4": "0.0%"})


main(patch)
