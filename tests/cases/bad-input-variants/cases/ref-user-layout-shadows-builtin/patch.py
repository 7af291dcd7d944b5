from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    replace(DEF, "\ndatasets:\n", "\nlayouts:\n  chart-text:\n    slots:\n      chart: {type: chart}\n    pdf: [[chart]]\n    slide:\n      chart: [0.0, 0.0, 2.0, 1.0]\n\ndatasets:\n")


main(patch)
