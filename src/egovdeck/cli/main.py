"""Command line: parse arguments, call the pipeline, map errors to exit codes.

Exit codes: 0 success, 1 a problem in the user's input, 2 wrong usage, 3 an internal error.
Heavy libraries (matplotlib, ReportLab, python-pptx) are imported only by the commands that need them.
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import os
import re
import sys
import tempfile
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NoReturn

from egovdeck import __version__

ALIASES = {"new": "init", "create": "init", "make": "build", "render": "build", "check": "validate",
           "lint": "validate", "server": "serve"}  # words users type for a command (a hint, not a command)


class _Parser(argparse.ArgumentParser):
    """argparse with a hint for a command or choice typed wrong (Python 3.11's argparse names the choices
    but never the close one): exit 2 as every usage error (docs/reference/exit-codes.md)."""

    def error(self, message: str) -> NoReturn:
        m = re.search(r"invalid choice: '([^']*)' \(choose from (.*)\)", message)
        if m:
            wrong, choices = m.group(1), re.findall(r"'([^']*)'", m.group(2))
            close = [ALIASES[wrong]] if ALIASES.get(wrong) in choices else \
                difflib.get_close_matches(wrong, choices, n=1)
            if close:
                message += f"\n    hint: did you mean {close[0]!r}?" + (
                    f" (egovdeck {close[0]} -h says how)" if "argument COMMAND" in message else "")
        super().error(message)


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="egovdeck", description="Build a PDF brief and a PowerPoint deck from data and a report definition.")
    p.add_argument("--version", action="version", version=f"egovdeck {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    b = sub.add_parser("build", help="build output/<id>.pdf and output/<id>.pptx")
    b.add_argument("report", nargs="?", type=Path, help="report definition (default: reports/egov-2019.yaml)")
    b.add_argument("-o", "--output", type=Path, help="output folder (default: output/ in the project)")
    b.add_argument("--only", choices=["pdf", "pptx"], help="build one format only")
    b.add_argument("--no-cache", action="store_true", help="render every chart afresh")
    b.add_argument("--cache-dir", type=Path, help="cache folder (default: .egovdeck-cache/ in the project)")
    b.add_argument("--strict", action="store_true", help="unknown keys are errors, not warnings")
    b.add_argument("--pdf-standard", choices=["PDF/A-2b", "PDF/A-1b", "none"],
                   help="the PDF brief as PDF/A-2b, PDF/A-1b or a plain PDF (default: report.pdf_standard, PDF/A-2b)")
    b.add_argument("--deck-fonts", choices=["subset", "full", "none"],
                   help="fonts embedded in the deck: the characters it uses, the whole font (for decks people will "
                        "edit) or none (default: report.deck_fonts, subset)")
    b.add_argument("-j", "--jobs", type=int, metavar="N", help="worker processes (default: the number of cores)")
    eds = b.add_mutually_exclusive_group()
    eds.add_argument("--edition", metavar="VALUE", help="build one edition into output/<report>/<VALUE>.pdf|pptx")
    eds.add_argument("--all-editions", action="store_true", help="build every edition the definition declares")
    b.add_argument("-q", "--quiet", action="store_true", help="print only errors")
    b.add_argument("-v", "--verbose", action="store_true", help="print each step")
    b.add_argument("--scheduler", metavar="ADDRESS",
                   help="build on a Dask cluster (tcp://HOST:PORT, or 'local' for one on this machine); "
                        "needs egovdeck[dask]")
    _template_arguments(b)
    b.add_argument("--no-server", action="store_true",
                   help="build in this process even when `egovdeck serve` is running")

    sv = sub.add_parser("serve", help="keep a warm process that runs `egovdeck build` (fast rebuilds)")
    sv.add_argument("--idle-minutes", type=float, default=0.0, metavar="M",
                    help="stop after M minutes without a build (default: run until Ctrl-C)")

    w = sub.add_parser("watch", help="rebuild whenever the definition, data, fonts or templates change")
    w.add_argument("report", nargs="?", type=Path)
    w.add_argument("--only", choices=["pdf", "pptx"])
    w.add_argument("--max-builds", type=int, help=argparse.SUPPRESS)  # for tests: stop after N builds

    pv = sub.add_parser("preview", help="PNG thumbnails of every page and slide plus contact sheets")
    pv.add_argument("report", nargs="?", type=Path)
    pv.add_argument("--dpi", type=int, default=50)
    pv.add_argument("-o", "--output", type=Path, help="folder for the PNGs (default: output/preview/<id>)")

    v = sub.add_parser("validate", help="check the definition and data without rendering")
    v.add_argument("report", nargs="?", type=Path)
    v.add_argument("--strict", action="store_true")
    _template_arguments(v)

    i = sub.add_parser("init", help="create a small working project in a new folder")
    i.add_argument("folder", type=Path)
    i.add_argument("--name", default="brief", help="report id: reports/NAME.yaml -> output/NAME.pdf (default: brief)")

    s = sub.add_parser("schema", help="write the JSON Schemas of report definitions and dataset sidecars (for editors)")
    s.add_argument("-o", "--output", type=Path, default=Path("schema/report.schema.json"))
    return p


def _template_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--template", type=Path, metavar="FILE.pptx",
                   help="deck template (.pptx/.potx) instead of the definition's theme.template")
    p.add_argument("--template-master", metavar="NAME|NUMBER",
                   help="the template's slide master to use (1 = first), instead of theme.template_master")


def main(argv: list[str] | None = None, try_server: bool = True) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    if not args.command:
        parser.print_help()
        return 2
    if try_server and args.command == "build" and not args.no_server and not getattr(args, "scheduler", None) \
            and not os.environ.get("EGOVDECK_NO_SERVER"):
        from egovdeck.engine.server import run_remote

        code = run_remote(list(sys.argv[1:] if argv is None else argv))
        if code is not None:
            return code
    from egovdeck.errors import EgovError, os_problem

    try:
        try:
            return _run(args)
        except OSError as exc:  # the machine: a read-only or full disk, a file in the way, permissions
            raise EgovError(os_problem(exc)) from None
    except EgovError as exc:
        problems = exc.problems
        for p in problems:
            print(p, file=sys.stderr)
        n = sum(1 for p in problems if not p.warning)
        print(f"egovdeck: {n} problem{'s' if n != 1 else ''} found; nothing was written", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("egovdeck: interrupted; previous outputs are untouched", file=sys.stderr)
        return 130
    except Exception:  # an internal error: short message, full traceback in a file
        with tempfile.NamedTemporaryFile("w", prefix="egovdeck-crash-", suffix=".txt", delete=False) as fh:
            traceback.print_exc(file=fh)
        print(f"egovdeck: internal error ({sys.exc_info()[1]!r}); traceback written to {fh.name}", file=sys.stderr)
        return 3


@contextlib.contextmanager
def _progress(quiet: bool, verbose: bool) -> Iterator[Callable[[str], None]]:
    """Step messages: a live status line on a terminal (rich), one plain line per step otherwise.
    Warnings are always printed (unless --quiet)."""
    if quiet:
        yield lambda msg: print(msg, file=sys.stderr) if "warning:" in msg else None
        return
    if sys.stderr.isatty() and not verbose:
        from rich.console import Console
        from rich.live import Live
        from rich.spinner import Spinner

        console = Console(stderr=True)
        # redrawn at each step, without rich's refresh thread: the build forks its PDF processes, and a
        # fork must not happen while another thread runs
        with Live(Spinner("dots", "egovdeck build"), console=console, auto_refresh=False, transient=True) as live:
            live.refresh()
            yield lambda msg: console.print(msg, markup=False, highlight=False) if "warning:" in msg \
                else live.update(Spinner("dots", msg.strip()), refresh=True)
        return
    yield lambda msg: print(msg, file=sys.stderr, flush=True)


def _run(args: argparse.Namespace) -> int:
    if args.command == "schema":
        from egovdeck.input.schema import write_schema

        path = write_schema(args.output)
        print(f"wrote {path} and {path.parent / 'dataset.schema.json'}")
        return 0
    if args.command == "init":
        from egovdeck.input.scaffold import init_project

        init_project(args.folder, args.name)
        print(f"created {args.folder}: egovdeck build {args.folder / 'reports' / (args.name + '.yaml')}")
        return 0
    if args.command == "serve":
        from egovdeck.engine.server import serve

        return serve(main, lambda argv: _parser().parse_args(argv), args.idle_minutes,
                     log=lambda m: print(m, flush=True))
    if args.command == "watch":
        from egovdeck.engine.build import build, warm_up
        from egovdeck.engine.watch import run_watch

        formats = (args.only,) if args.only else ("pdf", "pptx")
        return run_watch(args.report, lambda: build(args.report, formats=formats).summary(),
                         max_builds=args.max_builds, warm=warm_up)
    if args.command == "preview":
        from egovdeck.engine.build import build
        from egovdeck.engine.preview import preview

        result = build(args.report, log=lambda m: print(m, file=sys.stderr) if "warning:" in m else None)
        pdf = next((p for p in result.outputs if p.suffix == ".pdf"), None)
        pptx = next((p for p in result.outputs if p.suffix == ".pptx"), None)
        first = pdf or pptx
        assert first is not None  # a build writes at least one of them
        outdir = args.output or first.parent / "preview" / first.stem
        written = preview(pdf, pptx, outdir, args.dpi, log=lambda m: print(m, file=sys.stderr))
        sheets = [p for p in written if p.name.startswith("contact")]
        print(f"wrote {len(written) - len(sheets)} thumbnails to {outdir}; contact sheets: "
              + ", ".join(str(p) for p in sheets))
        return 0
    if args.command == "validate":
        from egovdeck.engine.build import fonts_for, theme_for
        from egovdeck.input.project import load_project
        from egovdeck.resolve.report import build_document

        project = load_project(args.report, strict=args.strict, template=args.template,
                               template_master=args.template_master)
        for w in project.problems.warnings:
            print(w, file=sys.stderr)
        from egovdeck.engine.build import edition_values
        from egovdeck.errors import EgovError, Problem

        theme, fonts = theme_for(project), fonts_for(project)
        editions = edition_values(project)
        problems: list[Problem] = []
        said: set[str] = set()  # resolving's warnings, once when editions share them
        wanted: list[str | None] = [*editions] or [None]
        for value in wanted:  # every edition is checked, all problems reported at once
            spec = project.report.editions
            params = {spec.parameter: value} if value is not None and spec is not None else {}
            try:
                doc = build_document(project, theme, fonts, params=params, edition=value or "")
                for said_once in doc.warnings:
                    if said_once not in said:
                        said.add(said_once)
                        print(said_once, file=sys.stderr)
            except EgovError as exc:
                problems += [p for p in exc.problems if str(p) not in {str(q) for q in problems}]
        if problems:
            raise EgovError(problems)
        counts = [_count(len(doc.sections), "section"), _count(len(doc.charts()), "chart"),
                  _count(len(project.datasets), "dataset")] + ([_count(len(editions), "edition")] if editions else [])
        print(f"{project.definition}: ok ({', '.join(counts)})")
        return 0
    if args.command == "build" and args.scheduler:
        from egovdeck.engine.cluster import run_command

        if args.template is not None or args.template_master is not None:
            print("egovdeck build: error: --template and --template-master are not supported with --scheduler "
                  "(the workers read the definition): name the template in theme.template", file=sys.stderr)
            return 2

        return run_command(args)
    if args.command == "build":
        from egovdeck.engine.build import build

        formats = (args.only,) if args.only else ("pdf", "pptx")
        if args.jobs is not None and args.jobs < 1:
            print("egovdeck build: error: --jobs must be at least 1", file=sys.stderr)
            return 2
        shown: set[str] = set()  # the warnings already printed as they came

        with _progress(args.quiet, args.verbose) as progress:
            def log(msg: str) -> None:
                if "warning:" in msg:  # every _progress prints these
                    shown.add(msg.strip())
                progress(msg)

            result = build(args.report, output_dir=args.output, cache_dir=args.cache_dir,
                           use_cache=not args.no_cache, strict=args.strict, formats=formats, jobs=args.jobs,
                           pdf_standard=args.pdf_standard, deck_fonts=args.deck_fonts, template=args.template,
                           template_master=args.template_master,
                           edition=args.edition, all_editions=args.all_editions, log=log)
        for text in dict.fromkeys(result.warnings):  # a warning is never only counted, and printed once
            line = text if text.lstrip().startswith(("warning", "/")) or ": warning: " in text else f"warning: {text}"
            if text.strip() not in shown and line.strip() not in shown:
                print(line, file=sys.stderr)
        if not args.quiet:
            for line in result.fitting:
                print(f"fit: {line}")
            print(result.summary())
        return 0
    return 2


def _count(n: int, noun: str) -> str:
    """1 section, 2 sections."""
    return f"{n} {noun}{'' if n == 1 else 's'}"
