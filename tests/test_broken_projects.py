"""A corpus of broken projects (tests/broken/cases.yaml): each is a small patch to a copy of the bundled project.

For every case the real CLI runs in a subprocess inside the patched copy; the test checks the exit code, the exact
message fragments, where the message points (file:line[:column] and key path), that no traceback leaks out, and,
for the build cases, that the previous outputs are byte-for-byte untouched.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import copy_project

HERE = Path(__file__).resolve().parent
CASES_FILE = HERE / "broken" / "cases.yaml"
OUTSIDE = "@OUTSIDE@"  # in case texts: the folder beside the project (outside it)
PLACEHOLDER = {"pdf": b"%PDF-1.7 previous good brief\n", "pptx": b"PK previous good deck\n"}


def load_cases() -> list[dict]:
    from ruamel.yaml import YAML

    return YAML(typ="safe", pure=True).load(CASES_FILE.read_text(encoding="utf-8"))


def _sub(value, outside: Path):
    if isinstance(value, str):
        return value.replace(OUTSIDE, str(outside))
    if isinstance(value, list):
        return [_sub(v, outside) for v in value]
    if isinstance(value, dict):
        return {k: _sub(v, outside) for k, v in value.items()}
    return value


def apply_edit(root: Path, outside: Path, edit: dict) -> None:
    """Apply one edit of a case to the project copy at root."""
    edit = _sub(edit, outside)
    base = outside if edit.get("outside") else root
    path = base / edit["file"]
    if "replace" in edit:
        text = path.read_text(encoding="utf-8")
        old, new = edit["replace"], edit["with"]
        count = text.count(old)
        assert count == edit.get("count", 1), f"{edit['file']}: {old!r} occurs {count} times"
        path.write_text(text.replace(old, new), encoding="utf-8")
    elif "write" in edit:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(edit["write"].encode(edit.get("encoding", "utf-8")))
    elif "transcode" in edit:  # re-encode an existing UTF-8 file
        path.write_bytes(path.read_text(encoding="utf-8").encode(edit["transcode"]))
    elif "random_bytes" in edit:
        import random

        path.write_bytes(random.Random(6).randbytes(edit["random_bytes"]))
    elif "xlsx" in edit:
        from openpyxl import Workbook

        wb = Workbook()
        wb.remove(wb.active)
        for sheet, rows in edit["xlsx"].items():
            ws = wb.create_sheet(sheet)
            for row in rows:
                ws.append(row)
        wb.save(path)
    elif "symlink" in edit:
        path.symlink_to(edit["symlink"])
    elif edit.get("delete"):
        path.unlink()
    else:  # pragma: no cover - a mistake in cases.yaml
        raise AssertionError(f"unknown edit {edit}")


def make_project(tmp_path: Path, case: dict) -> Path:
    root = tmp_path / "project"
    outside = tmp_path / "outside"
    outside.mkdir()
    copy_project(root)
    for edit in case.get("edits", []):
        apply_edit(root, outside, edit)
    return root


def run_cli(root: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "TMPDIR": str(root.parent)}
    return subprocess.run([sys.executable, "-m", "egovdeck", *args], cwd=root, capture_output=True, text=True,
                          env=env, timeout=120)


def check_output(case: dict, proc: subprocess.CompletedProcess, outside: Path | None = None) -> None:
    if outside is not None:
        case = _sub(case, outside)
    err = proc.stderr
    context = f"\n--- stdout\n{proc.stdout}\n--- stderr\n{err}"
    assert proc.returncode == case.get("exit", 1), context
    assert "Traceback" not in err and "Traceback" not in proc.stdout, context
    for fragment in case.get("expect", []):
        assert fragment in err, f"missing {fragment!r}" + context
    for fragment in case.get("absent", []):
        assert fragment not in err, f"unexpected {fragment!r}" + context
    if "where" in case:
        level = "warning" if case.get("warning") else "error"
        head = f"{case['where']}: {level}: " + (f"{case['key']}: " if case.get("key") else "")
        assert head in err, f"missing location {head!r}" + context
    if "problems" in case:
        n = case["problems"]
        assert f"egovdeck: {n} problem{'s' if n != 1 else ''} found; nothing was written" in err, context
    if case.get("exit", 1) == 0:
        assert "error:" not in err, context
        if case.get("command", "validate") == "validate":
            assert ": ok (" in proc.stdout, context


CASES = load_cases()


def test_the_corpus_is_large_and_well_formed():
    names = [c["name"] for c in CASES]
    assert len(names) >= 30
    assert len(set(names)) == len(names)
    assert all(c.get("exit", 1) == 0 or c.get("expect") for c in CASES)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_broken_project(case, tmp_path):
    root = make_project(tmp_path, case)
    command = case.get("command", "validate")
    previous = {}
    if command == "build":
        out = root / "output"
        out.mkdir()
        for ext, data in PLACEHOLDER.items():
            (out / f"egov-2019.{ext}").write_bytes(data)
            previous[ext] = data
    proc = run_cli(root, command, *case.get("args", []))
    check_output(case, proc, tmp_path / "outside")
    if command == "build":
        for ext, data in previous.items():
            now = (root / "output" / f"egov-2019.{ext}").read_bytes()
            if case.get("exit", 1) == 0:
                assert now != data and len(now) > 10_000, f"{ext} was not rebuilt"
            else:
                assert now == data, f"output/egov-2019.{ext} was changed by a failed build"
        assert not list((root / "output").glob(".*.tmp")), "a temporary file was left behind"
    assert not list(tmp_path.glob("egovdeck-crash-*")), "an internal error was reported"


def test_gb18030_dataset_builds_like_utf8(tmp_path):
    """The transcoded dataset reads back to the same rows as the UTF-8 original."""
    from egovdeck.project import load_project

    root = make_project(tmp_path, {"edits": [{"file": "data/gov_websites_by_level.csv", "transcode": "gb18030"}]})
    project = load_project(root / "reports" / "egov-2019.yaml")
    original = load_project(HERE.parent / "reports" / "egov-2019.yaml")
    ds = project.datasets["gov_websites_by_level"]
    assert ds.encoding == "gb18030"
    assert ds.rows == original.datasets["gov_websites_by_level"].rows
    assert [str(w) for w in project.problems.warnings] and all(
        "GB18030" in w.message for w in project.problems.warnings)


if __name__ == "__main__":  # explore: python tests/test_broken_projects.py NAME... (prints the CLI's output)
    import tempfile

    wanted = sys.argv[1:]
    for case in CASES:
        if wanted and case["name"] not in wanted:
            continue
        with tempfile.TemporaryDirectory() as tmp:
            root = make_project(Path(tmp), case)
            proc = run_cli(root, case.get("command", "validate"), *case.get("args", []))
            print(f"=== {case['name']} -> {proc.returncode}\n{proc.stdout}{proc.stderr}")
            shutil.rmtree(root)
