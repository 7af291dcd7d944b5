from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    replace(DEF, "  organisation: egovdeck 示例研究组\n", "  organisation: egovdeck 示例研究组😀\n")


main(patch)
