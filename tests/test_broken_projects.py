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
import tempfile
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
        # characters the encoding lacks become "?", as Excel writes them (Big5 has no Simplified forms)
        path.write_bytes(path.read_text(encoding="utf-8").encode(edit["transcode"], errors="replace"))
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


def _prepare(tmp: Path, case: dict) -> Path:
    root = make_project(tmp, case)
    if case.get("command", "validate") == "build":  # the previous good outputs
        (root / "output").mkdir()
        for ext, data in PLACEHOLDER.items():
            (root / "output" / f"egov-2019.{ext}").write_bytes(data)
    return root


@pytest.fixture(scope="module")
def runs(request, tmp_path_factory) -> dict[str, tuple[Path, subprocess.CompletedProcess]]:
    """Run the CLI for every selected case, several at a time (each is a separate process anyway)."""
    from concurrent.futures import ThreadPoolExecutor

    wanted = {item.callspec.params["case"]["name"] for item in request.session.items
              if getattr(item, "callspec", None) and "case" in item.callspec.params}
    todo = [(c, tmp_path_factory.mktemp(c["name"])) for c in CASES if c["name"] in wanted]
    roots = [_prepare(tmp, c) for c, tmp in todo]

    def run(job: tuple[dict, Path]) -> subprocess.CompletedProcess:
        case, root = job
        return run_cli(root, case.get("command", "validate"), *case.get("args", []))

    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        procs = list(pool.map(run, [(c, r) for (c, _), r in zip(todo, roots, strict=True)]))
    return {c["name"]: (r, p) for (c, _), r, p in zip(todo, roots, procs, strict=True)}


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_broken_project(case, runs):
    root, proc = runs[case["name"]]
    check_output(case, proc, root.parent / "outside")
    if case.get("command", "validate") == "build":
        for ext, data in PLACEHOLDER.items():
            now = (root / "output" / f"egov-2019.{ext}").read_bytes()
            if case.get("exit", 1) == 0:
                assert now != data and len(now) > 10_000, f"{ext} was not rebuilt"
            else:
                assert now == data, f"output/egov-2019.{ext} was changed by a failed build"
        assert not list((root / "output").glob(".*.tmp")), "a temporary file was left behind"
    assert not list(root.parent.glob("egovdeck-crash-*")), "an internal error was reported"


def test_gb18030_dataset_builds_like_utf8(tmp_path):
    """The transcoded dataset reads back to the same rows as the UTF-8 original."""
    from egovdeck.input.project import load_project

    root = make_project(tmp_path, {"edits": [{"file": "data/gov_websites_by_level.csv", "transcode": "gb18030"}]})
    project = load_project(root / "reports" / "egov-2019.yaml")
    original = load_project(HERE.parent / "reports" / "egov-2019.yaml")
    ds = project.datasets["gov_websites_by_level"]
    assert ds.encoding == "gb18030"
    assert ds.rows == original.datasets["gov_websites_by_level"].rows
    assert [str(w) for w in project.problems.warnings] and all(
        "GB18030" in w.message for w in project.problems.warnings)


# --------------------------------------------------------------------------- egovdeck init


def test_init_creates_a_project_that_validates_and_builds(tmp_path):
    folder = tmp_path / "my-brief"
    proc = run_cli(tmp_path, "init", str(folder))
    assert proc.returncode == 0, proc.stderr
    assert sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()) == [
        "README.md", "data/gov_websites_total.csv", "data/gov_websites_total.yaml", "data/online_gov_users.csv",
        "data/online_gov_users.yaml", "reports/brief.yaml", "schema/dataset.schema.json", "schema/report.schema.json"]
    for rel, schema in (("reports/brief.yaml", "report"), ("data/online_gov_users.yaml", "dataset")):
        assert (folder / rel).read_text(encoding="utf-8").startswith(
            f"# yaml-language-server: $schema=../schema/{schema}.schema.json\n"), rel
    proc = run_cli(folder, "validate", "reports/brief.yaml", "--strict")
    assert proc.returncode == 0 and proc.stderr == "", proc.stderr
    assert "ok (2 sections, 2 charts, 2 datasets)" in proc.stdout
    proc = run_cli(tmp_path, "build", str(folder / "reports" / "brief.yaml"))
    assert proc.returncode == 0, proc.stderr
    for ext in ("pdf", "pptx"):
        assert (folder / "output" / f"brief.{ext}").stat().st_size > 10_000


def test_init_sample_numbers_are_the_bundled_ones():
    """The sample data is copied from data/, not invented: every sample row is a row of the bundled CSV."""
    from egovdeck.input.scaffold import FILES

    for rel, text in FILES.items():
        bundled = (HERE.parent / rel).read_text(encoding="utf-8")
        if rel.endswith(".csv"):
            assert set(text.splitlines()) <= set(bundled.splitlines()), rel
        else:
            for key in ("title:", "source:", "unit:"):
                line = next(x for x in text.splitlines() if x.startswith(key))
                assert line in bundled.splitlines(), (rel, line)


def test_init_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    proc = run_cli(tmp_path, "init", str(tmp_path))
    assert proc.returncode == 1
    assert f"error: {tmp_path} is not empty; egovdeck init only writes into a new or empty folder" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert not (tmp_path / "reports").exists()


# --------------------------------------------------------------------------- exit codes


def test_usage_error_exits_2(tmp_path):
    proc = run_cli(tmp_path, "build", "--bogus")
    assert proc.returncode == 2
    assert "unrecognized arguments: --bogus" in proc.stderr


def test_no_command_exits_2(tmp_path):
    assert run_cli(tmp_path).returncode == 2


def test_internal_error_exits_3_with_a_traceback_file(monkeypatch, tmp_path, capsys):
    from egovdeck.cli import main as cli

    def boom(*_args, **_kwargs):
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(cli, "_run", boom)  # the pipeline behind every command; nothing else sees the patch
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    assert cli.main(["validate"]) == 3
    err = capsys.readouterr().err
    assert "egovdeck: internal error (RuntimeError('simulated bug')); traceback written to " in err
    crash = Path(err.rsplit("traceback written to ", 1)[1].strip())
    assert crash.parent == tmp_path and crash.name.startswith("egovdeck-crash-")
    text = crash.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in text and "RuntimeError: simulated bug" in text
    assert "Traceback" not in err


def test_missing_definition_exits_1(tmp_path):
    proc = run_cli(tmp_path, "validate")
    assert proc.returncode == 1
    assert "error: no report definition at reports/egov-2019.yaml" in proc.stderr
    assert "hint: run it in the project folder, or pass the definition" in proc.stderr


if __name__ == "__main__":  # explore: python tests/test_broken_projects.py NAME... (prints the CLI's output)
    wanted = sys.argv[1:]
    for case in CASES:
        if wanted and case["name"] not in wanted:
            continue
        with tempfile.TemporaryDirectory() as tmp:
            root = make_project(Path(tmp), case)
            proc = run_cli(root, case.get("command", "validate"), *case.get("args", []))
            print(f"=== {case['name']} -> {proc.returncode}\n{proc.stdout}{proc.stderr}")
            shutil.rmtree(root)


@pytest.mark.parametrize(("args", "hint"), [
    (("new", "x"), "hint: did you mean 'init'? (egovdeck init -h says how)"),
    (("biuld",), "hint: did you mean 'build'?"),
    (("build", "--only", "pfd"), "hint: did you mean 'pdf'?"),
])
def test_a_mistyped_command_or_choice_gets_the_close_one(tmp_path, args, hint):
    """Python 3.11's argparse lists the choices but never the close one; `egovdeck new` (what other tools call
    it) is init. Still exit 2, as every usage error."""
    proc = run_cli(tmp_path, *args)
    assert proc.returncode == 2 and hint in proc.stderr and "Traceback" not in proc.stderr
