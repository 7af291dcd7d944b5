from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    replace("data/gov_websites_total.yaml", "unit: 个\n", "unit: 个\nunit: 万个\n")


main(patch)
