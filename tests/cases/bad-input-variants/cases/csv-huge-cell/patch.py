from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    replace("data/gov_websites_total.csv", "2019-12,14474,-3488,reported,", "2019-12,14474,-3488,reported," + "很长" * 3_000_000)


main(patch)
