"""The `egovdeck` command. `egovdeck build` goes to a running `egovdeck serve` before anything else is
imported (the client's whole cost is then ~30 ms); everything else, or no server, runs cli.main here."""

from __future__ import annotations

import contextlib
import os
import sys


def run() -> None:
    """main(), then exit without tearing the interpreter down: everything is written and closed by
    then, and the teardown would only free a heap of ReportLab, python-pptx and pydantic objects one
    by one (~80 ms, a tenth of a build)."""
    argv = sys.argv[1:]
    code = None
    if argv[:1] == ["build"] and not any(a.startswith(("--no-s", "--scheduler")) for a in argv) \
            and not os.environ.get("EGOVDECK_NO_SERVER"):
        from egovdeck.engine.server import run_remote

        code = run_remote(argv)
    if code is None:
        from egovdeck.cli.main import main

        code = main(argv, try_server=False)
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):  # a closed pipe has nothing left to flush
            stream.flush()
    os._exit(code)
