from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    replace(DEF, "              change: 截至2019年底\n", "              change: \"{{ '截' * 999999999 }}\"\n", count=2)


main(patch)
