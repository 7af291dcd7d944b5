from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    replace(DEF, "  subject: 在线政务服务用户规模", "  subject: 在线政务服务𠀁用户规模")


main(patch)
