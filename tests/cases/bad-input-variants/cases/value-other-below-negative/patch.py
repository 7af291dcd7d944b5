from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    insert_after(DEF, "            x: column_type\n            y: columns\n", "            other_below: -5\n")


main(patch)
