from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    replace(DEF, '\ndatasets:\n', '\npage:\n  size: A5\n  margin_mm: [20, 33, 20, 33]\n\ndatasets:\n')


main(patch)
