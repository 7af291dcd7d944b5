from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    bomb = "x-lol:\n  a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
    prev = "a"
    for name in "bcdefgh":
        bomb += f"  {name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]\n"
        prev = name
    replace(DEF, "\ndatasets:\n", "\n" + bomb + "\ndatasets:\n")
    replace(DEF, "  keywords: [在线政务服务, 政府网站, 政务新媒体, CNNIC]\n", "  keywords: *h\n")


main(patch)
