from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    insert_after(DEF, "            y: websites\n            sort: desc\n", "            top: 0\n")


main(patch)
