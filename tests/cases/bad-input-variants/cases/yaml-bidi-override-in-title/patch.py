from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    replace(DEF, "  title: 2019年中国在线政务服务发展简报\n", "  title: 2019年中国在线\u202e政务服务发展简报\n")


main(patch)
