"""Write the generated reference sections into the pages of docs/ (egovdeck.cli.reference.expand), so the
Markdown in the repository reads whole where it is shown without the site (a code host, an editor).

usage: python scripts/reference_pages.py [--check]
  --check: change nothing; exit 1 naming the pages whose generated sections are stale.
"""

from __future__ import annotations

import sys
from pathlib import Path

from egovdeck.cli.reference import expand

DOCS = Path(__file__).resolve().parents[1] / "docs"


def stale_pages() -> dict[Path, str]:
    """page -> its expanded text, for every page of docs/ whose text differs from it."""
    out = {}
    for page in sorted(DOCS.rglob("*.md")):
        text = page.read_text(encoding="utf-8")
        if "<!-- egovdeck:" in text and expand(text, pictures=False) != text:
            out[page] = expand(text, pictures=False)
    return out


def main(argv: list[str]) -> int:
    stale = stale_pages()
    if "--check" in argv:
        for page in stale:
            print(f"{page.relative_to(DOCS.parent)}: generated reference is stale; run make reference-pages")
        return 1 if stale else 0
    for page, text in stale.items():
        page.write_text(text, encoding="utf-8")
        print(f"wrote {page.relative_to(DOCS.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
