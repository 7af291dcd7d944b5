from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    p = Path("data/gov_websites_total.csv"); p.write_bytes(b"\xef\xbb\xbf\xef\xbb\xbf" + p.read_bytes())


main(patch)
