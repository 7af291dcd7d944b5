from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    replace(DEF, "            note: “其他”为栏目总数减去三类栏目后的推算值。", "            note: “其他”为栏目总数😀减去三类栏目后的推算值。")


main(patch)
