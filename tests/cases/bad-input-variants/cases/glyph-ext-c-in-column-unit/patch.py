from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    replace("data/gov_websites_by_province.yaml", "websites: {type: integer, unit: 个,", "websites: {type: integer, unit: 个𪜀,")


main(patch)
