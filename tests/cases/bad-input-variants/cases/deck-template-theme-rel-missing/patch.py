from badin import *  # noqa: F403  (lib/badin.py)
from variants import damaged_template  # lib/variants.py


def patch():
    import re

    def edit(name, body):
        if name.startswith("ppt/slideMasters/_rels/"):
            return re.sub(rb'<Relationship [^>]*relationships/theme"[^>]*/>', b"", body)
        return body

    damaged_template(edit)


main(patch)
