from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    replace("data/gov_websites_total.yaml", "label: 政府网站数量}", "label: 政府网站数量𠀁}")


main(patch)
