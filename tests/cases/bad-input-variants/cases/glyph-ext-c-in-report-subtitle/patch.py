from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    replace(DEF, "  subtitle: 全国一体化", "  subtitle: 𪜀全国一体化")


main(patch)
