from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    replace(DEF, "  id: egov-2019\n", "  id: ..\\\\..\\\\escaped\n")


main(patch)
