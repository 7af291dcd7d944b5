from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    import os, shutil
    shutil.rmtree("output")
    os.makedirs(OUTSIDE / "empty", exist_ok=True)
    os.symlink(os.path.abspath(OUTSIDE / "empty"), "output")


main(patch)
