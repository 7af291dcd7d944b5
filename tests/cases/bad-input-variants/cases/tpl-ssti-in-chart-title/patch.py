from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    replace(DEF, "            title: 2019年各行政级别政府网站同比降幅\n", "            title: \"{{ ''.__class__.__mro__[1].__subclasses__() }}\"\n")


main(patch)
