from badin import *  # noqa: F403  (lib/badin.py)
from variants import rows_of, to_xlsx  # noqa: F401  (lib/variants.py)


def patch():
    import zipfile
    rows = rows_of("homepage_updates")
    to_xlsx("homepage_updates", rows)
    src = zipfile.ZipFile("data/homepage_updates.xlsx")
    parts = {i.filename: src.read(i.filename) for i in src.infolist()}
    src.close()
    sheet = parts["xl/worksheets/sheet1.xml"]
    pad = b"<!--" + b" " * 800_000_000 + b"-->"   # 800 MB of comment, ~1.5 MB compressed
    with zipfile.ZipFile("data/homepage_updates.xlsx", "w", zipfile.ZIP_DEFLATED) as z:
        for name, body in parts.items():
            if name == "xl/worksheets/sheet1.xml":
                i = body.index(b"<sheetData")
                body = body[:i] + pad + body[i:]
            z.writestr(name, body)


main(patch)
