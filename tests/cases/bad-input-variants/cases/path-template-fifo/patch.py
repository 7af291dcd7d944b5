from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    import os; os.mkfifo("corp.pptx"); replace(DEF, "\ndatasets:\n", "\ntheme:\n" + '  template: corp.pptx\n' + "\ndatasets:\n")


main(patch)
