from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    replace(DEF, "  date: 2020-05-20\n", "  date: 2020-02-30\n")


main(patch)
