from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    replace(DEF, "datasets:\n  - data/*.yaml\n", "datasets:\n  - data/*.yaml\n  - data/gov_websites_total.csv\n")


main(patch)
