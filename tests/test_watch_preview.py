"""egovdeck watch (rebuild on change, keep the last good outputs) and egovdeck preview (thumbnails)."""

from __future__ import annotations

import hashlib
import io
import subprocess
import sys
import time
from pathlib import Path

from clients import missing_client
from conftest import copy_project


def _wait_for(predicate, timeout: float = 120.0) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError("timed out")


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_watch_rebuilds_on_change_and_keeps_outputs_when_a_rebuild_fails(tmp_path):
    definition = copy_project(tmp_path)
    out = tmp_path / "output" / "egov-2019.pptx"
    log = tmp_path / "watch.log"
    with log.open("w") as fh:
        proc = subprocess.Popen([sys.executable, "-m", "egovdeck", "watch", str(definition), "--only", "pptx",
                                 "--max-builds", "3"], stdout=fh, stderr=subprocess.STDOUT, cwd=tmp_path)
    try:
        _wait_for(lambda: "watching" in log.read_text())
        first = _sha(out)
        text = definition.read_text(encoding="utf-8")
        definition.write_text(text.replace("网民线上办事使用率显著提升", "网民线上办事的使用率显著提升"), encoding="utf-8")
        _wait_for(lambda: log.read_text().count("wrote ") >= 2)
        second = _sha(out)
        assert second != first
        definition.write_text(text.replace("layout: chart-text", "layout: chart-txt", 1), encoding="utf-8")
        _wait_for(lambda: "build failed" in log.read_text())
        assert _sha(out) == second  # the last good deck is untouched
        assert 'unknown layout "chart-txt"' in log.read_text()
        proc.wait(timeout=60)
        assert proc.returncode == 0
    finally:
        proc.kill()


def test_preview_writes_thumbnails_and_contact_sheets(tmp_path):
    import shutil

    if shutil.which("pdftoppm") is None:
        missing_client("pdftoppm is not installed")
    definition = copy_project(tmp_path)
    proc = subprocess.run([sys.executable, "-m", "egovdeck", "preview", str(definition), "--dpi", "20"],
                          capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    folder = tmp_path / "output" / "preview" / "egov-2019"
    pages = sorted(folder.glob("page-*.png"))
    assert len(pages) >= 10 and (folder / "contact-pdf.png").exists()
    if shutil.which("soffice") or shutil.which("libreoffice"):
        assert len(list(folder.glob("slide-*.png"))) >= 20 and (folder / "contact-deck.png").exists()
    else:
        assert "LibreOffice is not installed" in proc.stderr


def test_watch_rebuilds_for_an_edit_saved_during_its_first_build(tmp_path):
    """A new user's edit saved while watch's first build ran was never built (the watcher started after it): the
    inputs are compared with those the first build read once the watcher runs."""
    import threading

    from egovdeck.engine.watch import run_watch

    definition = copy_project(tmp_path)
    calls = []

    def build_once() -> str:
        calls.append(definition.read_text(encoding="utf-8"))
        if len(calls) == 1:  # the user saves while the first build runs
            time.sleep(0.3)
            definition.write_text(calls[0].replace("网民线上办事使用率显著提升", "网民线上办事的使用率显著提升"),
                                  encoding="utf-8")
            time.sleep(0.3)
        return "built"

    stop = threading.Event()
    timer = threading.Timer(20, stop.set)
    timer.start()
    try:
        run_watch(definition, build_once, stop=stop, max_builds=2, out=io.StringIO(), err=io.StringIO())
    finally:
        timer.cancel()
    assert len(calls) == 2 and "网民线上办事的使用率" in calls[1]


def test_a_kept_libreoffice_profile_draws_what_a_fresh_one_draws(tmp_path):
    """The tests keep LibreOffice's profile and font cache between conversions (tests/clients.py): a deck drawn
    so has the same characters, fonts and places as with a fresh profile, and several decks go through one run."""
    import pdfplumber
    from pptx import Presentation

    from clients import libreoffice_to_pdf
    from egovdeck.engine.preview import decks_to_pdf, soffice_path

    if soffice_path() is None:
        missing_client("LibreOffice (soffice) is not installed")
    decks = []
    for i, text in enumerate(["政务服务用户规模达6.94亿", "Online services −12.5%"]):
        prs = Presentation()
        slide = prs.slides.add_slide(prs.slide_layouts[5])
        slide.shapes.title.text = text
        decks.append(tmp_path / f"d{i}.pptx")
        prs.save(decks[-1])

    def drawn(pdf: Path) -> list[tuple]:
        with pdfplumber.open(pdf) as doc:
            return [(c["text"], c["fontname"].split("+")[-1], round(c["x0"], 1), round(c["top"], 1))
                    for page in doc.pages for c in page.chars]

    # the second deck goes through a profile the first one's run left (or an earlier test's)
    kept = [drawn(libreoffice_to_pdf(d, tmp_path / "kept")) for d in decks]
    fresh_together = [drawn(p) for p in decks_to_pdf(decks, tmp_path / "fresh")]  # a fresh profile, one run
    assert kept == fresh_together
    assert all(kept)
