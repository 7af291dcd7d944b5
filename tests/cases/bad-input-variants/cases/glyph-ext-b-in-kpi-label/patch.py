from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    replace(DEF, "              label: 实名注册个人用户\n", "              label: 实名注册𠀁个人用户\n")


main(patch)
