from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    replace(DEF, "names: {\"2018-12\": 2018年12月,", "names: {\"2018-12\": 2018年12月𠀁,")


main(patch)
