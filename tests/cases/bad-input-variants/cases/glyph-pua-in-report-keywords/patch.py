from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    replace(DEF, "  keywords: [在线政务服务,", "  keywords: [在线政务服务,")


main(patch)
