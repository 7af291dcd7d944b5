from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    replace(DEF, "        notes: 2018年底的两项数值由", "        notes: 2018年底😀的两项数值由")


main(patch)
