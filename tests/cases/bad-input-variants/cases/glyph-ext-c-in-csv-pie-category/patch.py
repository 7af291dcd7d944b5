from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    replace("data/gov_site_columns_by_type.csv", "\n其他,", "\n其他𪜀,")


main(patch)
