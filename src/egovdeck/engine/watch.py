"""egovdeck watch: rebuild when the definition, data, fonts or templates change; keep the last good outputs."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from pathlib import Path

from egovdeck.errors import EgovError, os_problem
from egovdeck.input.paths import default_definition, project_root

WATCHED = ("reports", "data", "fonts", "templates")
IGNORED = ("output", ".egovdeck-cache", ".git", ".venv")
STARTED_MS = 200  # the watcher's first empty yield after this long: it runs, the inputs are compared once


def watch_paths(definition: Path) -> list[Path]:
    root = project_root(definition)
    paths = [root / name for name in WATCHED if (root / name).is_dir()]
    return paths or [definition.resolve().parent]


def _relevant(changes: set, root: Path) -> bool:
    """A change to an input, not to our own outputs, caches or hidden/temporary files."""
    for _kind, changed in changes:
        path = Path(changed).resolve()
        parts = path.relative_to(root).parts if path.is_relative_to(root) else path.parts
        if not path.name.startswith(".") and not (parts and parts[0] in IGNORED):
            return True
    return False


def _snapshot(paths: list[Path], root: Path) -> dict[str, tuple[int, int]]:
    """path -> (mtime ns, size) of every input file under paths (what _relevant would call a change)."""
    seen: dict[str, tuple[int, int]] = {}
    for base in paths:
        for path in base.rglob("*") if base.is_dir() else [base]:
            rel = path.relative_to(root).parts if path.is_relative_to(root) else path.parts
            if path.name.startswith(".") or (rel and rel[0] in IGNORED) or not path.is_file():
                continue
            try:
                st = path.stat()
            except OSError:  # gone while walking: the watcher sees it
                continue
            seen[str(path)] = (st.st_mtime_ns, st.st_size)
    return seen


def run_watch(definition: Path | None, build_once: Callable[[], str], *, stop: threading.Event | None = None,
              max_builds: int | None = None, out=sys.stdout, err=sys.stderr,
              warm: Callable[[], None] = lambda: None) -> int:
    """Build, then rebuild on every relevant change. A failed rebuild prints its problems and keeps the outputs."""
    from watchfiles import watch

    definition = Path(definition or default_definition())
    root = project_root(definition)
    builds = 0

    def attempt() -> None:
        nonlocal builds
        builds += 1
        try:
            try:
                print(build_once(), file=out, flush=True)
            except OSError as exc:  # a full disk, a read-only folder: say so and keep watching
                raise EgovError(os_problem(exc)) from None
        except EgovError as exc:
            for p in exc.problems:
                print(p, file=err)
            print("egovdeck watch: build failed; the previous outputs are kept. Waiting for changes…", file=err,
                  flush=True)

    paths = watch_paths(definition)
    before = _snapshot(paths, root)  # the inputs the first build reads, to catch an edit saved while it runs
    attempt()
    warm()  # after the first build: rebuilds then start with everything loaded
    print(f"egovdeck watch: watching {', '.join(str(p) for p in paths)} (Ctrl-C to stop)", file=out, flush=True)
    caught_up = False
    try:
        # yield_on_timeout: an empty set once the watcher runs with nothing to say, the moment to compare the inputs
        # with `before`: an edit saved during the first build (before the watcher started) was missed
        for changes in watch(*paths, stop_event=stop, debounce=300, step=100, raise_interrupt=False,
                             yield_on_timeout=True, rust_timeout=STARTED_MS):
            if not caught_up:
                caught_up = True
                if _snapshot(paths, root) != before:  # one rebuild for that edit and any the watcher brings
                    attempt()
                    if max_builds is not None and builds >= max_builds:
                        break
                    continue
            if not changes or not _relevant(changes, root):
                continue
            attempt()
            if max_builds is not None and builds >= max_builds:
                break
    except KeyboardInterrupt:
        pass
    return 0
