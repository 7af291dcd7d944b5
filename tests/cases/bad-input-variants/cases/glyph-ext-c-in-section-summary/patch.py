from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    replace(DEF, "    summary: 伴随着政府网站集约化进程的加快", "    summary: 伴随着𪜀政府网站集约化进程的加快")


main(patch)
