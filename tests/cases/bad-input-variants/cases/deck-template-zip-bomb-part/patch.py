from badin import *  # noqa: F403  (lib/badin.py)
from variants import damaged_template  # lib/variants.py


def patch():
    def edit(name, body):
        if name == "ppt/presentation.xml":
            return body.replace(b"?>", b"?><!--" + b" " * 800_000_000 + b"-->", 1)
        return body

    damaged_template(edit)


main(patch)
