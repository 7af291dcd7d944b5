from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    replace("data/gov_websites_total.yaml", "key: [period]\n", "key: [period]\nheader_row: 0\n")


main(patch)
