"""Editions on a Dask cluster that shares no disk with this machine (`egovdeck build --scheduler`).

The client loads and checks the project, then sends every file the build reads (definition, data and
sidecars, fonts, template, logo) by content: each file is scattered once under its sha256, so a worker
fetches each file at most once however many editions it builds. A task materialises the files in a
private folder on its worker (never the project's folder, which the worker need not see), builds one
edition there and returns the finished PDF and deck as bytes, or the edition's located problems. The
client writes the bytes atomically into the usual output folder, so a build through the cluster gives
the same files, byte for byte, as a local one.

Needs the optional extra: pip install 'egovdeck[dask]'.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from egovdeck.errors import EgovError, Problem

Log = Callable[[str], None]

# A task whose worker died is run again on another worker by the scheduler (up to its
# distributed.scheduler.allowed-failures, 3 by default); `retries` also re-runs a task that raised
# (an overloaded worker's MemoryError, say). An edition's input error is an outcome, never retried.
RETRIES = 2
KEEP_PROJECTS = 4


# --------------------------------------------------------------------------- what a task carries


@dataclass(frozen=True)
class Bundle:
    """The project by content: relative path -> sha256, plus where the definition is."""

    definition: str  # relative to the project root, POSIX separators
    files: tuple[tuple[str, str], ...]  # (relative path, digest), sorted

    @property
    def key(self) -> str:
        h = hashlib.sha256(self.definition.encode())
        for rel, digest in self.files:
            h.update(f"\0{rel}\0{digest}".encode())
        return h.hexdigest()


@dataclass
class EditionOutcome:
    """What a task sends back: the files (relative to the output folder) or the edition's problems."""

    edition: str | None
    files: dict[str, bytes] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    pages: int = 0
    slides: int = 0
    charts_rendered: int = 0
    charts_cached: int = 0
    fitting: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # the deck's, and damaged cache entries of the worker
    seconds: float = 0.0  # the worker's time on this edition (materialise, resolve, render, read back)


def project_files(project) -> list[Path]:
    """Every file of the project a build reads (fonts bundled with egovdeck are on every worker)."""
    from egovdeck.engine.build import fonts_for
    from egovdeck.text.fonts import default_fonts

    files = list(project.input_files())
    fonts = fonts_for(project)
    if fonts != default_fonts():
        files += list(fonts.files())
    return list(dict.fromkeys(files))


def bundle_for(project, sent: dict[str, str] | None = None) -> tuple[Bundle, dict[str, bytes]]:
    """The bundle and the file contents keyed by digest; `sent` (if given) receives path -> digest of
    what was sent, for the up-to-date manifest."""
    root = project.root.resolve()
    blobs: dict[str, bytes] = {}
    entries: dict[str, str] = {}
    for path in project_files(project):
        resolved = Path(path).resolve()
        try:
            rel = resolved.relative_to(root).as_posix()
        except ValueError:
            raise EgovError(Problem(f"{path} is outside the project folder {root}; a cluster worker cannot read it",
                                    file=project.definition,
                                    hint="keep data, fonts, templates and logos inside the project folder")) from None
        try:
            data = resolved.read_bytes()
        except OSError as exc:
            raise EgovError(Problem(f"cannot read {path}: {exc.strerror}", file=path,
                                    hint="check that the file is there and readable (permissions), then build "
                                         "again")) from None
        digest = hashlib.sha256(data).hexdigest()
        blobs[digest] = data
        entries[rel] = digest
        if sent is not None:
            sent[str(path)] = digest
    definition = project.definition.resolve().relative_to(root).as_posix()
    return Bundle(definition, tuple(sorted(entries.items()))), blobs


# --------------------------------------------------------------------------- on the worker

_LOCK = threading.Lock()  # one render at a time per worker process (os.environ, matplotlib state)
_PROJECTS: dict[tuple[str, bool], tuple[Path, object]] = {}


def _worker_folder() -> Path:
    try:
        from distributed import get_worker

        base = Path(get_worker().local_directory)
    except (ImportError, ValueError):
        base = Path(tempfile.gettempdir())
    folder = base / "egovdeck"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _materialise(bundle: Bundle, blobs: dict[str, bytes], strict: bool):
    """The project in a private folder of this worker, loaded once per worker and bundle."""
    from egovdeck.input.project import load_project

    cached = _PROJECTS.get((bundle.key, strict))
    if cached is not None:
        return cached
    root = _worker_folder() / "projects" / bundle.key[:24]
    if not root.exists():
        staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=root.parent if root.parent.exists()
                                        else _mkdir(root.parent)))
        for rel, digest in bundle.files:
            parts = PurePosixPath(rel).parts
            if PurePosixPath(rel).is_absolute() or ".." in parts:
                raise ValueError(f"refusing a file outside the project: {rel}")
            target = staging.joinpath(*parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            data = blobs[digest]
            if hashlib.sha256(data).hexdigest() != digest:
                raise ValueError(f"{rel}: content does not match its digest")
            target.write_bytes(data)
        try:
            os.replace(staging, root)
        except OSError:  # another thread of this worker was first
            shutil.rmtree(staging, ignore_errors=True)
    definition = root.joinpath(*PurePosixPath(bundle.definition).parts)
    project = load_project(definition, strict=strict, root=root)
    while len(_PROJECTS) >= KEEP_PROJECTS:  # a long-lived worker keeps the few projects it last built
        old_root, _ = _PROJECTS.pop(next(iter(_PROJECTS)))
        if old_root != root:
            shutil.rmtree(old_root, ignore_errors=True)
    _PROJECTS[(bundle.key, strict)] = (root, project)
    return root, project


def _mkdir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def _rebase(problems: list[Problem], worker_root: Path, client_root: str) -> list[Problem]:
    """Problems name the user's files, not the worker's private copies."""
    out = []
    for p in problems:
        if p.file:
            try:
                rel = Path(p.file).resolve().relative_to(worker_root.resolve())
                p.file = str(Path(client_root) / rel)
            except ValueError:
                pass
        for old in {str(worker_root), str(worker_root.resolve())}:
            p.message = p.message.replace(old, client_root)
            p.hint = p.hint.replace(old, client_root)
        out.append(p)
    return out


def run_edition(bundle: Bundle, blobs: dict[str, bytes], edition: str | None, formats: tuple[str, ...],
                strict: bool, use_cache: bool, epoch: str, client_root: str, code: str = "",
                pdf_standard: str | None = None) -> EditionOutcome:
    """One task: build one edition from the bundle and return the outputs as bytes."""
    from egovdeck import __version__
    from egovdeck.engine.build import Options, render_edition
    from egovdeck.files import CACHE_WARNINGS, code_digest

    if code and code != code_digest():  # other code would not give the same bytes as a local build
        return EditionOutcome(edition, problems=[Problem(
            f"a Dask worker runs other egovdeck code than this client (the worker has egovdeck {__version__} "
            f"in {sys.prefix})", hint="install the same egovdeck on every worker as here: "
                                     f"pip install 'egovdeck[dask]=={__version__}' (or the same source tree)")])

    with _LOCK:
        started = time.perf_counter()
        CACHE_WARNINGS.clear()
        old = os.environ.get("SOURCE_DATE_EPOCH")
        if epoch:
            os.environ["SOURCE_DATE_EPOCH"] = epoch
        else:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        worker_root: Path | None = None
        out = Path(tempfile.mkdtemp(prefix="out-", dir=_worker_folder()))
        try:
            worker_root, project = _materialise(bundle, blobs, strict)
            options = Options(output_dir=out, cache_dir=_worker_folder() / "cache", use_cache=use_cache,
                              strict=strict, formats=formats, jobs=1, pdf_standard=pdf_standard)
            result = render_edition(project, edition, options)
            files = {p.relative_to(out).as_posix(): p.read_bytes() for p in result.outputs}
            warnings = [*result.warnings, *dict.fromkeys(CACHE_WARNINGS)]
            return EditionOutcome(edition, files, [], result.pages, result.slides, result.charts_rendered,
                                  result.charts_cached, result.fitting, warnings, time.perf_counter() - started)
        except EgovError as exc:
            problems = list(exc.problems)
            if worker_root is not None:
                problems = _rebase(problems, worker_root, client_root)
            return EditionOutcome(edition, problems=problems)
        finally:
            shutil.rmtree(out, ignore_errors=True)
            if old is None:
                os.environ.pop("SOURCE_DATE_EPOCH", None)
            else:
                os.environ["SOURCE_DATE_EPOCH"] = old


# --------------------------------------------------------------------------- on the client


@dataclass
class ClusterResult:
    outputs: list[Path] = field(default_factory=list)
    failed: dict[str, list[Problem]] = field(default_factory=dict)  # edition -> its problems
    pages: int = 0
    slides: int = 0
    charts_rendered: int = 0
    charts_cached: int = 0
    fitting: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    editions: int = 0
    seconds: float = 0.0
    up_to_date: bool = False
    worker_seconds: float = 0.0  # summed over the editions: the workers' own time on them
    bytes_sent: int = 0  # the project's files, scattered once
    bytes_returned: int = 0  # the outputs the workers sent back
    client_seconds: float = 0.0  # the client's time writing the outputs

    def summary(self) -> str:
        if self.up_to_date:
            return f"up to date: {len(self.outputs)} files unchanged ({self.seconds:.2f} s)"
        done = self.editions - len(self.failed)
        text = (f"wrote {len(self.outputs)} files for {done} of {self.editions} editions: {self.pages} pages, "
                f"{self.slides} slides, {self.charts_rendered + self.charts_cached} charts "
                f"({self.charts_rendered} rendered, {self.charts_cached} from cache), {self.seconds:.2f} s")
        return text


def _client(scheduler: str):
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise EgovError(Problem("--scheduler needs Dask distributed, which is not installed",
                                hint="pip install 'egovdeck[dask]'")) from None
    if scheduler == "local":
        cluster = LocalCluster(processes=True, threads_per_worker=1, dashboard_address=None)
        return Client(cluster), cluster
    try:
        return Client(scheduler, timeout="10s"), None
    except (OSError, TimeoutError, ValueError) as exc:
        raise EgovError(Problem(f"cannot reach the Dask scheduler at {scheduler}: {exc}",
                                hint="start one with `dask scheduler` (and `dask worker ADDRESS`), "
                                     "or use --scheduler local")) from None


def _wanted(project, edition: str | None, all_editions: bool) -> list[str | None]:
    """The editions to build, with the same checks and messages as a local build."""
    from egovdeck.engine.build import edition_values

    editions = edition_values(project)
    if all_editions:
        if not editions:
            raise EgovError(Problem("--all-editions: the definition declares no editions", file=project.definition,
                                    hint="declare editions: (parameter: and values:) in the definition, or build without --all-editions"))
        return list(editions)
    if edition is not None:
        if edition not in editions:
            hint = f"editions: {', '.join(editions[:40])}" if editions else "the definition declares no editions:"
            raise EgovError(Problem(f'no edition "{edition}"', file=project.definition, hint=hint))
        return [edition]
    if editions:
        raise EgovError(Problem(f"this definition builds one edition per {project.report.editions.parameter} "
                                f"({len(editions)} editions)", file=project.definition,
                                hint=f"build one with --edition {editions[0]}, or all of them with --all-editions"))
    return [None]


def expected_files(report_id: str, edition: str | None, formats: tuple[str, ...]) -> list[str]:
    """The outputs of one edition relative to the output folder, as a local build names them."""
    stem = f"{report_id}/{edition}" if edition is not None else report_id
    return [f"{stem}.{fmt}" for fmt in ("pdf", "pptx") if fmt in formats]


def build_on_cluster(definition: Path | None, scheduler: object, *, output_dir: Path | None = None,
                     cache_dir: Path | None = None, strict: bool = False,
                     formats: tuple[str, ...] = ("pdf", "pptx"), use_cache: bool = True,
                     edition: str | None = None, all_editions: bool = False, pdf_standard: str | None = None,
                     log: Log = lambda _m: None, on_start: Callable[[int], None] | None = None,
                     on_done: Callable[[EditionOutcome], None] | None = None) -> ClusterResult:
    """Build the editions on a Dask cluster. `scheduler` is an address (tcp://HOST:PORT), "local" for a
    LocalCluster on this machine, or a distributed.Client already connected.

    The same records as a local build (build.build): a killed build's pending pair replacement is
    finished first; the up-to-date manifest is consulted (an unchanged build contacts no cluster) and,
    when every edition was written, recorded under the same key, so a local build after a cluster build
    (or the reverse) is up to date. Each finished edition's PDF and deck replace the previous pair
    together (files.replace_together); an edition whose input is wrong, or whose worker returned other
    files than the edition's pair, is reported with its edition and writes nothing, and the manifest is
    then not recorded. Ctrl-C (KeyboardInterrupt) cancels every task not yet finished."""
    from egovdeck.engine.build import Manifest, Options, _cache_dir, cache_root, check_targets
    from egovdeck.files import CACHE_WARNINGS, recover, sweep_temp
    from egovdeck.input.project import load_project
    from egovdeck.text.fonts import default_fonts

    started = time.perf_counter()
    formats = tuple(formats)
    options = Options(output_dir, cache_dir, use_cache, strict, formats, 1, pdf_standard)
    recover(_cache_dir(definition, options) / "tmp")  # a build killed while replacing its outputs
    manifest = Manifest.for_build(definition, options, edition, all_editions) if use_cache else None
    if manifest is not None and manifest.up_to_date():
        return ClusterResult(outputs=manifest.outputs(), up_to_date=True, seconds=time.perf_counter() - started)
    CACHE_WARNINGS.clear()
    if manifest is not None:
        manifest.note(default_fonts().files())  # what the workers' own copies are checked against
    project = load_project(definition, strict=strict)
    wanted = _wanted(project, edition, all_editions)
    out_dir = Path(output_dir or project.root / "output")
    report_id = project.report.report.id
    check_targets(out_dir, [out_dir.joinpath(*rel.split("/")) for value in wanted
                            for rel in expected_files(report_id, value, formats)], project)
    sent: dict[str, str] = {}
    bundle, blobs = bundle_for(project, sent)
    if manifest is not None:  # the inputs as sent: the workers built from these bytes
        for path, digest in sent.items():
            manifest.before.setdefault(path, digest)
    tmp_root = cache_root(project.root, options) / "tmp"
    sweep_temp(tmp_root)
    if on_start is not None:
        on_start(len(wanted))
    result = ClusterResult(warnings=[str(p) for p in project.problems.warnings], editions=len(wanted))
    result.bytes_sent = sum(map(len, blobs.values()))
    for w in result.warnings:
        log(w)

    own_client = own = None  # what this call opened, it closes (a Client passed in stays open)
    if isinstance(scheduler, str):
        client, own = _client(scheduler)
        own_client = client
    else:
        client = scheduler
    try:
        from distributed import as_completed

        log(f"sending {len(blobs)} files ({result.bytes_sent / 1e6:.1f} MB) to the cluster")
        # keyed by content: a file shared by many editions (or builds) is one piece of data on the cluster
        scattered = client.scatter({f"egovdeck-file-{d}": data for d, data in blobs.items()}, broadcast=False)
        scattered = {key.removeprefix("egovdeck-file-"): future for key, future in scattered.items()}
        epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
        from egovdeck.files import code_digest

        code = code_digest()
        client_root = str(project.root)
        futures = [client.submit(run_edition, bundle, scattered, value, formats, strict, use_cache, epoch,
                                 client_root, code, pdf_standard,
                                 key=f"egovdeck-edition-{bundle.key[:12]}-{i}-{os.getpid()}-{time.time_ns()}",
                                 retries=RETRIES, pure=False)
                   for i, value in enumerate(wanted)]
        try:
            for future in as_completed(futures):
                outcome: EditionOutcome = future.result()
                collected = time.perf_counter()
                _collect(outcome, out_dir, tmp_root, expected_files(report_id, outcome.edition, formats), result)
                result.client_seconds += time.perf_counter() - collected
                if outcome.warnings:
                    name = outcome.edition if outcome.edition is not None else "report"
                    for w in outcome.warnings:
                        log(f"edition {name}: {w}" if w.startswith("warning:") else f"edition {name}: warning: {w}")
                if on_done is not None:
                    on_done(outcome)
        except BaseException:
            client.cancel(futures)
            raise
    finally:
        if own_client is not None:
            own_client.close()
        if own is not None:
            own.close()
    if manifest is not None and not result.failed:  # partial results are never recorded as a complete build
        manifest.record(project, result.outputs)
    result.seconds = time.perf_counter() - started
    return result


def _collect(outcome: EditionOutcome, out_dir: Path, tmp_root: Path, expected: list[str],
             result: ClusterResult) -> None:
    """Write one edition's outputs: its PDF and deck replace the previous pair together, or nothing is
    written (the edition's problems, or a reply that is not exactly the edition's files)."""
    from egovdeck.engine.build import merge
    from egovdeck.files import replace_together, temp_dir_for

    label = outcome.edition if outcome.edition is not None else "(report)"
    if not outcome.problems and sorted(outcome.files) != sorted(expected):
        outcome.problems = [Problem(f"a worker returned {sorted(outcome.files)} instead of {expected}; "
                                    "nothing was written for this edition",
                                    hint="install the same egovdeck on every worker as on this machine")]
    if outcome.problems:
        result.failed[label] = outcome.problems
        return
    result.bytes_returned += sum(map(len, outcome.files.values()))
    targets = [(out_dir.joinpath(*rel.split("/")), outcome.files[rel]) for rel in expected]
    folder = targets[0][0].parent
    folder.mkdir(parents=True, exist_ok=True)
    tmp_dir = temp_dir_for(folder, tmp_root)
    pairs = [(tmp_dir / f".{target.name}.{os.getpid()}.tmp", target) for target, _data in targets]
    try:
        for (tmp, _target), (_t, data) in zip(pairs, targets, strict=True):
            tmp.write_bytes(data)
        replace_together(pairs, tmp_root)
    finally:
        for tmp, _target in pairs:
            tmp.unlink(missing_ok=True)
    result.outputs += [target for target, _data in targets]
    merge(result, outcome)
    result.worker_seconds += outcome.seconds


# --------------------------------------------------------------------------- the command


def run_command(args) -> int:
    """`egovdeck build ... --scheduler ADDRESS`: progress over editions, problems per edition, exit code."""
    formats = (args.only,) if args.only else ("pdf", "pptx")
    quiet = args.quiet
    tty = sys.stderr.isatty() and not args.verbose and not quiet
    progress = task = None

    def say(msg: str) -> None:
        if quiet and "warning:" not in msg:
            return
        if progress is not None:
            progress.console.print(msg, markup=False, highlight=False)
        else:
            print(msg, file=sys.stderr, flush=True)

    def done(outcome: EditionOutcome) -> None:
        name = outcome.edition if outcome.edition is not None else "report"
        state = "failed" if outcome.problems else "done"
        if progress is not None:
            progress.advance(task)
            if outcome.problems:
                say(f"   {name}: failed")
        elif not quiet:
            say(f"   {name}: {state}")

    scheduler = args.scheduler
    common = dict(output_dir=args.output, cache_dir=args.cache_dir, strict=args.strict, formats=formats,
                  use_cache=not args.no_cache, edition=args.edition, all_editions=args.all_editions,
                  pdf_standard=args.pdf_standard)
    try:
        if tty:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            with Progress(TextColumn("editions"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                          transient=True, console=_console()) as progress:
                task = progress.add_task("editions", total=None)
                result = build_on_cluster(args.report, scheduler, on_start=lambda n: progress.update(task, total=n),
                                          on_done=done, log=say, **common)
        else:
            result = build_on_cluster(args.report, scheduler, log=say, on_done=done, **common)
    except KeyboardInterrupt:
        print("egovdeck: interrupted; the remaining editions were cancelled; editions already written are "
              "complete, no file was left half-written", file=sys.stderr)
        return 130
    if result.failed:
        for name, problems in result.failed.items():
            for p in problems:
                print(f"edition {name}: {p}", file=sys.stderr)
        ok = result.editions - len(result.failed)
        print(f"egovdeck: {len(result.failed)} of {result.editions} editions failed "
              f"({', '.join(list(result.failed)[:10])}{', ...' if len(result.failed) > 10 else ''}); "
              f"nothing was written for them; the other {ok} were written", file=sys.stderr)
        if not quiet:
            print(result.summary())
        return 1
    if not quiet:
        for line in result.fitting:
            print(f"fit: {line}")
        print(result.summary())
    return 0


def _console():
    from rich.console import Console

    return Console(stderr=True)

