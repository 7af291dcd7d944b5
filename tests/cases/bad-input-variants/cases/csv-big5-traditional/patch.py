from badin import *  # noqa: F403  (lib/badin.py)


def patch():
    # Saved by a Traditional Chinese Excel as Big5 (characters Big5 lacks become "?", as Excel writes them).
    p = Path("data/gov_websites_by_province.csv")
    p.write_bytes(p.read_text(encoding="utf-8").encode("big5", errors="replace"))


main(patch)
