from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    from fontTools.ttLib import TTFont
    f = TTFont("fonts/EgovSansSC-Regular.ttf")
    f.flavor = "woff"
    f.save("fonts/My.woff")
    replace(DEF, "\ndatasets:\n", "\ntheme:\n" + '  font_regular: fonts/My.woff\n' + "\ndatasets:\n")


main(patch)
