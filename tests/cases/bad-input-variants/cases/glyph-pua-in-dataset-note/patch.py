from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    replace("data/gov_websites_total.yaml", "  - 政府网站包括政府门户网站", "  - 政府网站包括政府门户网站")


main(patch)
