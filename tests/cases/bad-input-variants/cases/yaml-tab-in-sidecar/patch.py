from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    replace("data/gov_websites_total.yaml", "  websites: {type: integer", "\twebsites: {type: integer")


main(patch)
