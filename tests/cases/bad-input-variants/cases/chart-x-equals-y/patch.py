from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    replace(DEF, "            x: level\n            y: decrease_pct\n", "            x: decrease_pct\n            y: decrease_pct\n")


main(patch)
