from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    import os, shutil
    shutil.rmtree("output")
    os.makedirs(OUTSIDE / "out", exist_ok=True)
    write(OUTSIDE / "out" / "egov-2019.pdf", "keep me\n")
    os.symlink(os.path.abspath(OUTSIDE / "out"), "output")


main(patch)
