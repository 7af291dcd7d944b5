from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    replace("data/gov_websites_total.yaml", "source: 资料来源：", "source: \"{{ ''.__class__.__mro__ }}\"资料来源：")


main(patch)
