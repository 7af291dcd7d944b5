from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    replace("data/gov_websites_total.yaml", "file: gov_websites_total.csv", "file: /dev/urandom")


main(patch)
