from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    insert_after(DEF, "            y_title: 同比降幅（%）\n", "            x_title: 级别\n")


main(patch)
