from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    from fontTools.ttLib import TTFont
    f = TTFont("fonts/EgovSansSC-Regular.ttf")
    f["OS/2"].fsType = 2      # restricted licence embedding
    f.save("fonts/Restricted.ttf")
    replace(DEF, "\ndatasets:\n", "\ntheme:\n" + '  font_regular: fonts/Restricted.ttf\n' + "\ndatasets:\n")


main(patch)
