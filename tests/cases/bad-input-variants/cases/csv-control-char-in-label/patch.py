from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    replace("data/gov_websites_by_province.csv", "\n四川,", "\n四\x1b川,")


main(patch)
