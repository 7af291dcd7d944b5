from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    import os; write(OUTSIDE / "victim.txt", "keep me\n"); Path("output/egov-2019.pdf").unlink(); os.symlink(os.path.abspath(OUTSIDE / "victim.txt"), "output/egov-2019.pdf"); replace(DEF, "其中省级、市级、县级的降幅仅见于原文", "其中省级、市级、县级的降幅数据仅见于原文")


main(patch)
