from badin import *  # noqa: F403  (lib/badin.py)
from variants import damaged_template  # lib/variants.py


def patch():
    external = (b'<Relationship Id="rId999" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
                b'image" Target="file:///etc/passwd" TargetMode="External"/></Relationships>')

    def edit(name, body):
        if name == "ppt/slideMasters/_rels/slideMaster1.xml.rels":
            return body.replace(b"</Relationships>", external)
        return body

    damaged_template(edit)


main(patch)
