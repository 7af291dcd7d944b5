from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    write("templates/corp.pptx", "not a presentation\n"); replace(DEF, "\ndatasets:\n", "\ntheme:\n" + '  template: templates/corp.pptx\n' + "\ndatasets:\n")


main(patch)
