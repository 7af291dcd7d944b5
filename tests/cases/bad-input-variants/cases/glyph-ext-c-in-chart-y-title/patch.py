from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    replace(DEF, "            y_title: 同比降幅（%）\n", "            y_title: 同比降幅𪜀（%）\n")


main(patch)
