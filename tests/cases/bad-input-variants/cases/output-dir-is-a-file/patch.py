from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    import shutil; shutil.rmtree("output"); write("output", "not a folder\n"); replace(DEF, "其中省级、市级、县级的降幅仅见于原文", "其中省级、市级、县级的降幅数据仅见于原文")


main(patch)
