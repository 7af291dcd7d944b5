from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    from fontTools.ttLib import TTFont
    f = TTFont("fonts/EgovSansSC-Regular.ttf")
    del f["glyf"]
    del f["loca"]
    f.save("fonts/NoOutlines.ttf")
    replace(DEF, "\ndatasets:\n", "\ntheme:\n" + '  font_regular: fonts/NoOutlines.ttf\n' + "\ndatasets:\n")


main(patch)
