from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    import re; p = Path("data/gov_site_columns_by_level.csv"); lines = p.read_text(encoding="utf-8").split("\n"); hdr = lines[0].split(","); i = hdr.index("columns"); out = [lines[0]] + [",".join(c if k != i else "0" for k, c in enumerate(l.split(","))) if l else l for l in lines[1:]]; p.write_text("\n".join(out), encoding="utf-8")


main(patch)
