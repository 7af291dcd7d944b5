from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    write("data/gov_websites_total.yaml", "")


main(patch)
