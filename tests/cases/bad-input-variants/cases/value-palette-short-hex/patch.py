from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    replace(DEF, "\ndatasets:\n", "\ntheme:\n" + '  palette: ["#FFF", "#C00000"]\n' + "\ndatasets:\n")


main(patch)
