from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    replace(DEF, "\ndatasets:\n", "\nlayouts:\n  my-chart:\n    slots:\n      chart: {type: chart}\n    pdf: [[chart]]\n    slide:\n      chart: [-0.2, 0.0, 0.5, 1.0]\n      text: [0.5, 0.0, 0.5, 1.0]\n\ndatasets:\n"); replace(DEF, "        title: 市级政府网站缩减幅度最大\n        layout: chart-text\n", "        title: 市级政府网站缩减幅度最大\n        layout: my-chart\n")


main(patch)
