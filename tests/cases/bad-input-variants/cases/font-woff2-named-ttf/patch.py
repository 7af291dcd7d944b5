from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    write_bytes("fonts/My.ttf", b"wOF2" + b"\0\1\0\0" + b"\0" * 4000); replace(DEF, "\ndatasets:\n", "\ntheme:\n" + '  font_regular: fonts/My.ttf\n' + "\ndatasets:\n")


main(patch)
