from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    from egovdeck.render.template import DEFAULT_TEMPLATE
    import io, re, zipfile
    src = zipfile.ZipFile(DEFAULT_TEMPLATE)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename.startswith("ppt/slideMasters/_rels/"):
                body = re.sub(rb'<Relationship [^>]*relationships/theme"[^>]*/>', b"", body)
            dst.writestr(info, body)
    write_bytes("templates/corp.pptx", out.getvalue())
    replace(DEF, "\ndatasets:\n", "\ntheme:\n  template: templates/corp.pptx\n\ndatasets:\n")


main(patch)
