from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    replace("data/online_gov_users.csv", "2020-03,6.94,", "2020-03,NaN,")


main(patch)
