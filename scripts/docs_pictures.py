"""Pictures of every chart kind for the docs (make docs): docs/assets/generated/KIND-pdf.png and KIND-deck.png.

Builds docs/examples/reports/chart-kinds.yaml into a temporary folder, then, for each finding (its id is the chart
kind), crops its part of the PDF page (from its heading to the next heading, found with pdfplumber) and renders the
slide carrying its title (the deck converted by LibreOffice), both with poppler's pdftoppm. Without pdftoppm or
LibreOffice it says so and exits 0: the pages then show "(pictures: run make docs)" instead.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
DEFINITION = ROOT / "docs" / "examples" / "reports" / "chart-kinds.yaml"
OUT = ROOT / "docs" / "assets" / "generated"
DPI = 80


def _titles() -> dict[str, str]:
    report = yaml.safe_load(DEFINITION.read_text(encoding="utf-8"))
    return {f["id"]: f["title"] for s in report["sections"] for f in s["findings"]}


def _pdftoppm(pdf: Path, page: int, target: Path, box: tuple[float, float, float, float] | None = None,
              dpi: int = DPI) -> None:
    """Render page (1-based) of pdf to target (PNG); box = (x0, top, x1, bottom) in PDF points crops it."""
    cmd = ["pdftoppm", "-r", str(dpi), "-f", str(page), "-l", str(page), "-png", "-singlefile"]
    if box:
        k = dpi / 72
        x0, top, x1, bottom = box
        cmd += ["-x", str(int(x0 * k)), "-y", str(int(top * k)), "-W", str(int((x1 - x0) * k)),
                "-H", str(int((bottom - top) * k))]
    subprocess.run([*cmd, str(pdf), str(target.with_suffix(""))], check=True, capture_output=True)


def pdf_pictures(pdf: Path, titles: dict[str, str]) -> None:
    import pdfplumber

    with pdfplumber.open(pdf) as doc:
        found = []  # (kind, page number, top) of each finding's heading, in reading order
        for number, page in enumerate(doc.pages, start=1):
            for kind, title in titles.items():
                for match in page.search(title, regex=False):
                    found.append((kind, number, match["top"]))
        found.sort(key=lambda f: (f[1], f[2]))
        headings = {item[0]: item for item in found}  # the last mention: the heading, after the 目录 entry
        order = sorted(headings.values(), key=lambda f: (f[1], f[2]))
        for i, (kind, number, top) in enumerate(order):
            page = doc.pages[number - 1]
            nxt = order[i + 1] if i + 1 < len(order) else None
            bottom = nxt[2] - 6 if nxt and nxt[1] == number else page.height * 0.93
            part = page.within_bbox((0, top, page.width, bottom))
            drawn = [o["bottom"] for kind_ in ("chars", "rects", "lines", "curves", "images")
                     for o in getattr(part, kind_)]
            bottom = min(bottom, max(drawn, default=bottom) + 8)  # up to the last thing drawn (the source line)
            _pdftoppm(pdf, number, OUT / f"{kind}-pdf.png", (page.width * 0.08, top - 8, page.width * 0.92, bottom))


def deck_pictures(pptx: Path, titles: dict[str, str], work: Path) -> None:
    import pdfplumber

    from egovdeck.engine.preview import deck_to_pdf

    slides = deck_to_pdf(pptx, work / "lo")
    with pdfplumber.open(slides) as doc:
        texts = [(page.extract_text() or "").replace("\n", "") for page in doc.pages]
    for kind, title in titles.items():
        number = next((n for n, text in enumerate(texts, start=1) if title in text), None)
        if number is None:
            raise SystemExit(f"docs_pictures: no slide shows the title {title!r}")
        _pdftoppm(slides, number, OUT / f"{kind}-deck.png", dpi=50)


def main() -> int:
    from egovdeck.engine.build import build
    from egovdeck.engine.preview import soffice_path

    if shutil.which("pdftoppm") is None or soffice_path() is None:
        print("docs_pictures: needs pdftoppm (poppler-utils) and LibreOffice (libreoffice-impress); "
              "the docs are built without the chart pictures", file=sys.stderr)
        return 0
    OUT.mkdir(parents=True, exist_ok=True)
    titles = _titles()
    with tempfile.TemporaryDirectory(prefix="egovdeck-docs-") as tmp:
        work = Path(tmp)
        build(DEFINITION, output_dir=work / "output", cache_dir=work / "cache")
        pdf_pictures(work / "output" / "chart-kinds.pdf", titles)
        deck_pictures(work / "output" / "chart-kinds.pptx", titles, work)
    print(f"docs_pictures: wrote {len(titles) * 2} pictures into {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
