from badin import *  # noqa: F403  (lib/badin.py)
from variants import damaged_template  # lib/variants.py


def patch():
    damaged_template(lambda name, body: body)
    replace(DEF, "  template: templates/corp.pptx\n", "  template: templates/corp.pptx\n  template_layouts: {content: 不存在的版式}\n")


main(patch)
