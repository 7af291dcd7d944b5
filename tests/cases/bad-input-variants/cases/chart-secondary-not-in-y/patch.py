from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    replace(DEF, "            secondary: [share]\n", "            secondary: [share, status]\n")


main(patch)
