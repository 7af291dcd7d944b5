from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    replace(DEF, "    title: 政府网站数量情况\n", "    title: 政府网站数量情况\n")


main(patch)
