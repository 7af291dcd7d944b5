from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    insert_after(DEF, "            y_title: 同比降幅（%）\n", "            alt: 降幅图😀\n")


main(patch)
