from badin import *  # noqa: F403  (lib/badin.py)
from variants import rows_of, to_xlsx  # noqa: F401  (lib/variants.py)


def patch():
    rows = rows_of("gov_websites_level_change")
    to_xlsx("gov_websites_level_change", rows, merge=["E2:E3"])


main(patch)
