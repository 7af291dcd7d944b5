"""Speed tricks change how fast a build runs, never what it writes (src/egovdeck/speedflags.py)."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys

import pytest

from conftest import copy_project


def _build(definition, out, off: str) -> dict[str, str]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1600000000", "EGOVDECK_SPEED_OFF": off}
    done = subprocess.run([sys.executable, "-m", "egovdeck", "build", str(definition), "-o", str(out), "--jobs", "2"],
                          capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(out.iterdir()) if p.is_file()}


def test_every_speed_trick_off_gives_the_same_bytes(tmp_path):
    definition = copy_project(tmp_path / "p")
    fast = _build(definition, tmp_path / "fast", "")
    slow = _build(definition, tmp_path / "slow", "all")
    assert sorted(fast) == ["egov-2019.pdf", "egov-2019.pptx"] and slow == fast


def test_rl_accel_is_really_off_when_switched_off():
    code = "import egovdeck.speedflags\nfrom reportlab.lib.rl_accel import fp_str\nprint(fp_str.__module__)"
    for off, module in (("", "_rl_accel"), ("rl-accel", "reportlab.lib.rl_accel")):  # C, else ReportLab's Python
        env = {**os.environ, "EGOVDECK_SPEED_OFF": off}
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
        assert out.stdout.strip() == module


def test_an_unknown_trick_is_refused_by_name():
    env = {**os.environ, "EGOVDECK_SPEED_OFF": "pdf-processes,warp-drive"}
    done = subprocess.run([sys.executable, "-c", "import egovdeck.speedflags"], capture_output=True, text=True,
                          env=env)
    assert done.returncode == 1 and "unknown speed trick warp-drive" in done.stderr


def test_the_switch_names_every_trick_it_documents():
    from egovdeck import speedflags

    for name in speedflags.TRICKS:
        assert f"    {name} " in speedflags.__doc__, name
    with pytest.raises(ValueError):
        speedflags.on("nonsense")
