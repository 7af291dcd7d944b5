from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    write_bytes("fonts/Empty.ttf", b""); replace(DEF, "\ndatasets:\n", "\ntheme:\n" + '  font_bold: fonts/Empty.ttf\n' + "\ndatasets:\n")


main(patch)
