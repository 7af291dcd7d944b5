"""Variants of the handed-over bad-input corpus (issue #18): tests/cases/bad-input-variants/.

Each case folder holds the corpus's own form: `patch.py` (applied to a copy of the bundled project with the
corpus helpers in lib/badin.py), `expect.txt` (exit code, where the message must point, what it must mention)
and sometimes `check.py` (what a reader of the outputs would see). `run.sh` and `lib/` are copies of the
corpus's runner (../shared/cases/bad-input), kept here so the test runs in a plain clone: for every case it
checks the exit code, file:line:column (or the key/file), a `hint:` line, no traceback, 30 s and 2 GB, nothing
outside output/ and the previous outputs byte-identical after a failed build.

The runner is sequential, about three seconds a case on a quiet machine, so `make test` runs a fixed sample:
every fourth case of each kind in name order (about 45 of 177). The nightly-style run
(`HYPOTHESIS_PROFILE=nightly make test`) or `EGOVDECK_BAD_INPUT_ALL=1` runs them all. Explore one kind by hand with `tests/cases/bad-input-variants/run.sh . .venv/bin/egovdeck 'tpl-*'`.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from clients import missing_client

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "cases" / "bad-input-variants"
KINDS = ("csv", "xlsx", "yaml", "tpl", "path", "font", "glyph", "value", "ref", "chart", "deck", "output")


def test_the_variants_cover_every_kind():
    names = [p.name for p in (CORPUS / "cases").iterdir() if (p / "expect.txt").exists()]
    assert all((CORPUS / "cases" / n / "patch.py").exists() for n in names)
    for kind in KINDS:
        assert sum(n.startswith(kind + "-") for n in names) >= 4, kind


def _all() -> bool:
    return os.environ.get("EGOVDECK_BAD_INPUT_ALL") == "1" or os.environ.get("HYPOTHESIS_PROFILE") == "nightly"


def _selected() -> list[str]:
    """Case names for the runner: none (= all) with EGOVDECK_BAD_INPUT_ALL=1, else every fourth case of each kind."""
    if _all():
        return []
    names = sorted(p.name for p in (CORPUS / "cases").iterdir() if (p / "expect.txt").exists())
    return [n for kind in KINDS for n in [m for m in names if m.startswith(kind + "-")][::4]]


def test_the_sample_takes_every_kind():
    picked = _selected()
    assert _all() or all(any(n.startswith(k + "-") for n in picked) for k in KINDS)


def test_bad_input_variants(tmp_path):
    for client in ("qpdf", "pdftotext"):
        if shutil.which(client) is None:
            missing_client(f"{client} is not installed (the corpus checks outputs with it)")
    if not Path("/usr/bin/time").exists():
        missing_client("/usr/bin/time is not installed (the corpus measures time and memory with it; apt-get install time)")
    egovdeck = Path(sys.executable).parent / "egovdeck"
    env = {**os.environ, "BADIN_SCRATCH": str(tmp_path)}
    proc = subprocess.run(["bash", str(CORPUS / "run.sh"), str(HERE.parent), str(egovdeck), *_selected()], env=env,
                          capture_output=True, text=True, timeout=3600)
    report = proc.stdout + proc.stderr
    failed = [ln for ln in report.splitlines() if ln.startswith("FAIL")]
    assert proc.returncode == 0 and not failed, "\n".join(failed) or report[-3000:]
    assert re.search(r"^\d+ passed, 0 failed", report, re.M), report[-3000:]
