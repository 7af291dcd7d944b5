from badin import *  # noqa: F403  (lib/badin.py)
from variants import damaged_template  # lib/variants.py


def patch():
    import re

    def edit(name, body):
        if name.startswith("ppt/slideLayouts/"):
            return None
        if name == "ppt/slideMasters/_rels/slideMaster1.xml.rels":
            return re.sub(rb"<Relationship [^>]*slideLayout[^>]*/>", b"", body)
        if name == "ppt/slideMasters/slideMaster1.xml":
            return re.sub(rb"<p:sldLayoutIdLst>.*?</p:sldLayoutIdLst>", b"", body, flags=re.S)
        if name == "[Content_Types].xml":
            return re.sub(rb'<Override PartName="/ppt/slideLayouts/[^>]*/>', b"", body)
        return body

    damaged_template(edit)


main(patch)
