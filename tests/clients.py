"""External clients for tests: LibreOffice headless (pptx -> pdf), with the project font visible.

`libreoffice_to_pdf` skips the calling test when `soffice` is missing, unless the
environment sets EGOVDECK_REQUIRE_CLIENTS=1, in which case it fails.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FONT_DIR = ROOT / "fonts"


def require_clients() -> bool:
    return os.environ.get("EGOVDECK_REQUIRE_CLIENTS") == "1"


def missing_client(reason: str):
    """Skip the current test, or fail it when clients are required."""
    if require_clients():
        pytest.fail(f"{reason} (EGOVDECK_REQUIRE_CLIENTS=1)")
    pytest.skip(reason)


_WORKDIRS: dict[bool, Path] = {}


def _workdir(bundled_fonts: bool) -> Path:
    """LibreOffice's profile and fontconfig's cache, kept for this test process (one per font setting): a fresh
    profile and font cache for each conversion took as long as converting a short deck. Conversions in one
    pytest process run one at a time; the folder is removed when the process ends."""
    if bundled_fonts not in _WORKDIRS:
        import atexit
        import tempfile

        _WORKDIRS[bundled_fonts] = Path(tempfile.mkdtemp(prefix="egovdeck-tests-lo-"))
        atexit.register(shutil.rmtree, _WORKDIRS[bundled_fonts], True)
    return _WORKDIRS[bundled_fonts]


def libreoffice_to_pdf(pptx_path, outdir, timeout: float = 240, bundled_fonts: bool = True) -> Path:
    """Convert `pptx_path` to PDF in `outdir` with LibreOffice headless (the bundled fonts visible, or with
    bundled_fonts=False only the system's: the deck's typeface is then not installed). Several decks could
    go to one LibreOffice run (engine.preview.decks_to_pdf), but with the profile kept a run of a short deck
    is mostly its conversion: two one-slide decks took 8.5 s together and 9.1 s apart (a fresh profile 16.7 s
    for one), measured on the shared machine."""
    from egovdeck.engine.preview import deck_to_pdf, soffice_path

    if soffice_path() is None:
        missing_client("LibreOffice (soffice) is not installed")
    return deck_to_pdf(Path(pptx_path), Path(outdir), timeout, bundled_fonts, _workdir(bundled_fonts))


def tool(name: str) -> str:
    """Path of a command-line client, or skip/fail the test (see module docstring)."""
    path = shutil.which(name)
    if path is None:
        missing_client(f"{name} is not installed (apt-get install poppler-utils / qpdf)")
    return path


def pdftotext_pages(pdf: Path) -> list[str]:
    out = subprocess.run([tool("pdftotext"), "-layout", "-enc", "UTF-8", str(pdf), "-"], capture_output=True,
                         text=True, check=True).stdout
    return out.split("\f")[:-1] if out.endswith("\f") else out.split("\f")


def pdffonts_rows(pdf: Path) -> list[dict[str, str]]:
    """pdffonts' table: name, type, emb, sub, uni per font."""
    out = subprocess.run([tool("pdffonts"), str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = []
    for line in out.splitlines()[2:]:
        parts = line.split()
        # columns from the right: object ID (2), uni, sub, emb, then encoding; name and type before
        rows.append({"name": parts[0], "type": " ".join(parts[1:-6]), "emb": parts[-5], "sub": parts[-4],
                     "uni": parts[-3]})
    return rows
