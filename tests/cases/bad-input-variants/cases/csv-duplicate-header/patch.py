from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    replace("data/gov_websites_total.csv", "period,websites,change,status,provenance", "period,websites,websites,status,provenance")


main(patch)
