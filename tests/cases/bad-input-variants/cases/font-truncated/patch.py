from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    b = Path("fonts/EgovSansSC-Regular.ttf").read_bytes(); write_bytes("fonts/Cut.ttf", b[: len(b) // 3]); replace(DEF, "\ndatasets:\n", "\ntheme:\n" + '  font_regular: fonts/Cut.ttf\n' + "\ndatasets:\n")


main(patch)
