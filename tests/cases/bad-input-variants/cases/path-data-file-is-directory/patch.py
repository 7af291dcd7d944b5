from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    Path("data/gov_websites_total.csv").unlink(); Path("data/gov_websites_total.csv").mkdir()


main(patch)
