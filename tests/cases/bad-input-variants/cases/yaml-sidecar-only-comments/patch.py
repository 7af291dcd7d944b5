from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    write("data/gov_websites_total.yaml", "# 全国政府网站总数（待补充）\n\n# title:\n")


main(patch)
