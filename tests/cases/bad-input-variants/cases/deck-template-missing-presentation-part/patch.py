from badin import *  # noqa: F403  (lib/badin.py)
from variants import damaged_template  # lib/variants.py


def patch():
    damaged_template(lambda name, body: None if name == "ppt/presentation.xml" else body)


main(patch)
