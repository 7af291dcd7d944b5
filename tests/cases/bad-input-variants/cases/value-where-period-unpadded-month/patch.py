from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    replace(DEF, '            secondary: [share]\n', '            secondary: [share]\n            where: {period: {ge: 2018-6}}\n')


main(patch)
