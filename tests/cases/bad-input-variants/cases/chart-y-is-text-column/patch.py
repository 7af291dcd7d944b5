from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    replace(DEF, "            y: decrease_pct\n", "            y: verification\n")


main(patch)
