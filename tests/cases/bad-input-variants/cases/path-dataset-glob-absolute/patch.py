from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    replace(DEF, "  - data/*.yaml\n", "  - data/*.yaml\n  - /etc/*.conf\n")


main(patch)
