from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    replace(DEF, "            y2_min: 0\n            y2_max: 100\n", "            y2_min: 100\n            y2_max: 0\n")


main(patch)
