from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    insert_after(DEF, "            y: decrease_pct\n", "            y_min: 5\n            y_max: 5\n")


main(patch)
