from badin import *  # noqa: F403  (lib/badin.py)
from variants import damaged_template  # lib/variants.py


def patch():
    import re

    def edit(name, body):
        if name == "[Content_Types].xml":
            return re.sub(rb'<Override PartName="/ppt/slideMasters/slideMaster1.xml"[^>]*/>', b"", body)
        return body

    damaged_template(edit)


main(patch)
