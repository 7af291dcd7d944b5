from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    replace("data/gov_websites_by_province.csv", "\n湖北,", "\n湖北😀,")


main(patch)
