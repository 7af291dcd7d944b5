from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    Path("output/egov-2019.pdf").unlink(); Path("output/egov-2019.pdf").mkdir(); replace(DEF, "其中省级、市级、县级的降幅仅见于原文", "其中省级、市级、县级的降幅数据仅见于原文")


main(patch)
