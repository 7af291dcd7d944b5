from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    replace(DEF, "\ndatasets:\n", "\nx-deep: " + "[" * 20000 + "]" * 20000 + "\n\ndatasets:\n")


main(patch)
