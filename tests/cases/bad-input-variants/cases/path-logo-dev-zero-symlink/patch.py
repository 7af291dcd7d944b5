from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    import os; os.symlink("/dev/zero", "logo.png"); replace(DEF, "  language: zh-CN\n", "  language: zh-CN\n  logo: logo.png\n")


main(patch)
