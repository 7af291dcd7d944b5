from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    replace(DEF, "  id: egov-2019\n", "  id: " + "政务" * 50 + "\n")


main(patch)
