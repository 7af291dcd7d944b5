from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    replace(DEF, "label: 同比下降（%）,", "label: 同比下降𪜀（%）,")


main(patch)
