"""PNG thumbnails of every page and slide plus one contact sheet, for a quick look without opening the files.

The PDF goes through poppler's pdftoppm; the deck through LibreOffice headless (PPTX -> PDF), which
is given the bundled fonts through a private fontconfig file (nothing is installed system-wide).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path

from egovdeck.errors import EgovError, Problem
from egovdeck.text.fonts import bundled_dir


class ClientMissing(EgovError):
    """An outside program (pdftoppm, LibreOffice) is not installed."""


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def fontconfig_env(workdir: Path, font_dir: Path | None = None, bundled: bool = True) -> dict[str, str]:
    """An environment whose fontconfig also sees font_dir (default: the bundled fonts); with bundled=False
    only the system's fonts (how a deck looks where its typeface is not installed)."""
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "fc-cache").mkdir(exist_ok=True)
    conf = workdir / "fonts.conf"
    extra = f"  <dir>{font_dir or bundled_dir()}</dir>\n" if bundled else ""
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
        f"{extra}  <cachedir>{workdir / 'fc-cache'}</cachedir>\n"
        "</fontconfig>\n", encoding="utf-8")
    return {**os.environ, "FONTCONFIG_FILE": str(conf)}


def deck_to_pdf(pptx: Path, outdir: Path, timeout: float = 240, bundled_fonts: bool = True,
                workdir: Path | None = None) -> Path:
    """Convert a deck to PDF with LibreOffice headless (a fresh profile unless workdir is given); return the PDF.

    bundled_fonts=False: LibreOffice sees only the system's fonts (the deck's typeface is not installed).
    workdir: a folder kept between calls for LibreOffice's profile and fontconfig's cache (creating both takes
    about as long as converting a short deck); one conversion at a time may use it, and each value of
    bundled_fonts needs its own. Default: a fresh folder, removed afterwards."""
    return decks_to_pdf([pptx], outdir, timeout, bundled_fonts, workdir)[0]


def decks_to_pdf(decks: list[Path], outdir: Path, timeout: float = 240, bundled_fonts: bool = True,
                 workdir: Path | None = None) -> list[Path]:
    """Convert several decks of distinct file names to PDFs in outdir with one LibreOffice run (it starts once);
    the PDFs in the order of `decks`. Arguments as deck_to_pdf."""
    soffice = soffice_path()
    if soffice is None:
        raise ClientMissing(Problem("LibreOffice is not installed, so the deck cannot be rendered",
                                    hint="apt-get install libreoffice-impress (the PDF preview works without it)"))
    decks, outdir = [p.resolve() for p in decks], outdir.resolve()
    if len({p.stem for p in decks}) != len(decks):
        raise ValueError(f"decks converted together need distinct names: {[p.name for p in decks]}")
    outdir.mkdir(parents=True, exist_ok=True)
    work = workdir or Path(tempfile.mkdtemp(prefix="egovdeck-lo-"))
    profile = work / ("profile" if workdir else "profile-" + uuid.uuid4().hex)
    try:
        cmd = [soffice, f"-env:UserInstallation=file://{profile}", "--headless",
               "--norestore", "--convert-to", "pdf", "--outdir", str(outdir), *map(str, decks)]
        proc = subprocess.run(cmd, env=fontconfig_env(work, bundled=bundled_fonts), capture_output=True, text=True,
                              timeout=timeout * len(decks))
        pdfs = [outdir / (p.stem + ".pdf") for p in decks]
        if proc.returncode != 0 or not all(pdf.exists() for pdf in pdfs):
            raise RuntimeError(f"soffice failed ({proc.returncode}): {proc.stdout.strip()} {proc.stderr.strip()}")
        return pdfs
    finally:
        if workdir is None:
            shutil.rmtree(work, ignore_errors=True)


def pdf_to_pngs(pdf: Path, outdir: Path, prefix: str, dpi: int) -> list[Path]:
    tool = shutil.which("pdftoppm")
    if tool is None:
        raise ClientMissing(Problem("pdftoppm (poppler) is not installed", hint="apt-get install poppler-utils"))
    outdir.mkdir(parents=True, exist_ok=True)
    for old in outdir.glob(f"{prefix}-*.png"):
        old.unlink()
    subprocess.run([tool, "-r", str(dpi), "-png", str(pdf), str(outdir / prefix)], check=True, capture_output=True)
    return sorted(outdir.glob(f"{prefix}-*.png"))


def contact_sheet(images: list[Path], target: Path, columns: int = 4, thumb_width: int = 360) -> Path:
    from PIL import Image

    thumbs = []
    for path in images:
        with Image.open(path) as im:
            ratio = thumb_width / im.width
            thumbs.append(im.convert("RGB").resize((thumb_width, max(1, int(im.height * ratio)))))
    rows = (len(thumbs) + columns - 1) // columns
    height = max(t.height for t in thumbs)
    sheet = Image.new("RGB", (columns * (thumb_width + 10) + 10, rows * (height + 10) + 10), "#9a9a9a")
    for i, t in enumerate(thumbs):
        sheet.paste(t, (10 + (i % columns) * (thumb_width + 10), 10 + (i // columns) * (height + 10)))
    sheet.save(target, optimize=True)
    return target


def preview(pdf: Path | None, pptx: Path | None, outdir: Path, dpi: int = 50,
            log=lambda _m: None) -> list[Path]:
    """Render what exists; return the PNGs written (pages, slides, contact sheets)."""
    written: list[Path] = []
    if pdf is not None and pdf.exists():
        pages = pdf_to_pngs(pdf, outdir, "page", dpi)
        written += pages + [contact_sheet(pages, outdir / "contact-pdf.png")]
    if pptx is not None and pptx.exists():
        try:
            with tempfile.TemporaryDirectory(prefix="egovdeck-preview-") as tmp:
                slides = pdf_to_pngs(deck_to_pdf(pptx, Path(tmp)), outdir, "slide", dpi)
            written += slides + [contact_sheet(slides, outdir / "contact-deck.png", columns=3)]
        except ClientMissing as exc:
            log(f"preview: {exc.problems[0].message}; {exc.problems[0].hint}")
    return written
