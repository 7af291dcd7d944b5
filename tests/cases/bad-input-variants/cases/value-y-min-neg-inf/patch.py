from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    insert_after(DEF, "            y: decrease_pct\n", "            y_min: -.inf\n")


main(patch)
