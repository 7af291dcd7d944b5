from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    replace(DEF, "            title: 2019年各平台政务新媒体开通数量领先省份\n", "            title: 2019年各平台政务新媒体开通数量领先省份😀\n")


main(patch)
