from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    replace(DEF, "            title: 在线政务服务平台建设历史沿革\n", "            title: 在线政务服务平台建设历史沿革𠀁\n")


main(patch)
