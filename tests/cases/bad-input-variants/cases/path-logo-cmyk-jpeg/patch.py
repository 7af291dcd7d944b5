from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    from PIL import Image
    import os
    os.makedirs("assets", exist_ok=True)
    Image.new("CMYK", (120, 60), (0, 200, 200, 0)).save("assets/logo.jpg", "JPEG")
    replace(DEF, "  language: zh-CN\n", "  language: zh-CN\n  logo: assets/logo.jpg\n")


main(patch)
