from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    import shutil; shutil.copy("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "fonts/DejaVuSans.ttf"); replace(DEF, "\ndatasets:\n", "\ntheme:\n" + '  font_regular: fonts/DejaVuSans.ttf\n  font_bold: fonts/DejaVuSans.ttf\n' + "\ndatasets:\n")


main(patch)
