from badin import *  # noqa: F403  (lib/badin.py)
from variants import damaged_template  # lib/variants.py


def patch():
    damaged_template(lambda name, body: body)  # the bundled template unchanged
    replace(DEF, "  template: templates/corp.pptx\n", "  template: templates/corp.pptx\n  template_master: 99\n")


main(patch)
