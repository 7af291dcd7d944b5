from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    p = DEF; p.write_bytes(p.read_text(encoding="utf-8").encode("utf-16"))


main(patch)
