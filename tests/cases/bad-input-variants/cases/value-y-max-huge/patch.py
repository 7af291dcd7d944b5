from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    insert_after(DEF, "            y: decrease_pct\n", "            y_max: 1e300\n")


main(patch)
