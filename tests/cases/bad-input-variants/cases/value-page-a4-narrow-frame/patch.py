from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    replace(DEF, '\ndatasets:\n', '\npage:\n  margin_mm: [22, 64, 22, 64]\n\ndatasets:\n')


main(patch)
