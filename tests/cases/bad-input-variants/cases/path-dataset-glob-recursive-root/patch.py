from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    replace(DEF, "  - data/*.yaml\n", "  - data/*.yaml\n  - /**/*.yaml\n")


main(patch)
