from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    p = Path("data/gov_websites_total.csv"); t = p.read_text(encoding="utf-8"); p.write_bytes(t.replace("\n", "\r\n", 1).replace("\n", "\r").encode("utf-8"))


main(patch)
