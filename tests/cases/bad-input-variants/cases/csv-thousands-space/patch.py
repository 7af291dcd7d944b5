from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    replace("data/gov_websites_total.csv", "2019-12,14474,", "2019-12,14\u00a0474,")


main(patch)
