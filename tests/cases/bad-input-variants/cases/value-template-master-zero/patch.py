from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    replace(DEF, "\ndatasets:\n", "\ntheme:\n" + '  template_master: 0\n' + "\ndatasets:\n")


main(patch)
