from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    insert_after(DEF, "            y: decrease_pct\n", "            colors: [\"#GGGGGG\"]\n")


main(patch)
