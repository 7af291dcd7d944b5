from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    replace("data/gov_websites_total.yaml", "title: 中国政府网站数量\n", "title: 中国政府网站数量𪜀\n")


main(patch)
