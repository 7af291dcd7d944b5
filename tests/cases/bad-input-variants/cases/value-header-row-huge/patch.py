from badin import *  # noqa: F403  (lib/badin.py)
from variants import rows_of, to_xlsx  # noqa: F401  (lib/variants.py)


def patch():
    rows = rows_of("homepage_updates")
    to_xlsx("homepage_updates", rows)
    replace("data/homepage_updates.yaml", "key: [period]\n", "key: [period]\nheader_row: 1048577\n")


main(patch)
