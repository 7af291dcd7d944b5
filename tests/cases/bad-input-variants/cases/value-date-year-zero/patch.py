from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    replace(DEF, "  date: 2020-05-20\n", "  date: \"0000-01-01\"\n")


main(patch)
