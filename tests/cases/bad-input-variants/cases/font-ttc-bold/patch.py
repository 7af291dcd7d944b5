from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.ttCollection import TTCollection
    c = TTCollection()
    c.fonts = [TTFont("fonts/EgovSansSC-Regular.ttf"), TTFont("fonts/EgovSansSC-Bold.ttf")]
    c.save("fonts/Both.ttc")
    replace(DEF, "\ndatasets:\n", "\ntheme:\n" + '  font_bold: fonts/Both.ttc\n' + "\ndatasets:\n")


main(patch)
