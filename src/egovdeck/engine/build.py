"""The pipeline: load + check -> resolve the document -> render charts (cached) -> PDF + PPTX -> write atomically."""

from __future__ import annotations

import contextlib
import functools
import glob
import hashlib
import json
import os
import time
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from egovdeck import __version__
from egovdeck.document.theme import DEFAULT_PALETTE, Theme
from egovdeck.engine.epoch import pinned_epoch, source_epoch  # noqa: F401  (source_epoch re-exported)
from egovdeck.files import (
    CACHE_WARNINGS,
    digest_or_none,
    engine_fingerprint,
    read_digest,
    recover,
    replace_together,
    sweep_temp,
    temp_dir_for,
    write_atomic,
)
from egovdeck.speedflags import on as speed_trick
from egovdeck.text.fonts import FontSet, default_fonts

if TYPE_CHECKING:  # the heavy modules load only when a build really runs (not for "up to date")
    from egovdeck.decktemplate.reader import DeckTemplate
    from egovdeck.document.report import Document
    from egovdeck.engine.pdfjob import PdfProcesses
    from egovdeck.errors import Problem
    from egovdeck.input.project import Project

Log = Callable[[str], None]


@dataclass
class BuildResult:
    outputs: list[Path] = field(default_factory=list)
    pages: int = 0
    slides: int = 0
    charts_rendered: int = 0
    charts_cached: int = 0
    warnings: list[str] = field(default_factory=list)
    up_to_date: bool = False
    fitting: list[str] = field(default_factory=list)  # text shrinks and slide splits in the deck
    seconds: float = 0.0

    def summary(self) -> str:
        if self.up_to_date:
            return f"up to date: {len(self.outputs)} files unchanged ({self.seconds:.2f} s)"
        files = ", ".join(str(p) for p in self.outputs[:4]) + (f" and {len(self.outputs) - 4} more"
                                                                if len(self.outputs) > 4 else "")
        kinds = {p.suffix for p in self.outputs}
        counts = "".join(f"{n} {what}, " for n, what, ext in ((self.pages, "pages", ".pdf"), (self.slides, "slides", ".pptx"))
                         if ext in kinds or not kinds)
        return (f"wrote {files}: {counts}"
                f"{self.charts_rendered + self.charts_cached} chart"
                f"{'' if self.charts_rendered + self.charts_cached == 1 else 's'} ({self.charts_rendered} rendered, "
                f"{self.charts_cached} from cache), {len(self.warnings)} warning{'' if len(self.warnings) == 1 else 's'}, {self.seconds:.2f} s")


def theme_for(project: Project) -> Theme:
    spec = project.report.theme
    kwargs: dict[str, Any] = {}
    if spec.palette:
        kwargs["palette"] = tuple(c.lstrip("#").upper() for c in spec.palette)
    if spec.highlight:
        kwargs["highlight"] = spec.highlight.lstrip("#").upper()
    if spec.accent:
        kwargs["accent"] = spec.accent.lstrip("#").upper()
    theme = Theme(**kwargs) if kwargs else Theme(palette=DEFAULT_PALETTE)
    return theme


def fonts_for(project: Project) -> FontSet:
    spec = project.report.theme
    if not spec.font_regular:
        return default_fonts()
    from egovdeck.input.project import safe_path
    from egovdeck.text.fonts import family_name

    regular = safe_path(project.root, spec.font_regular)
    bold = safe_path(project.root, spec.font_bold) if spec.font_bold else regular
    stem = family_name(regular).replace(" ", "")
    return FontSet(regular, bold, family_name(regular), stem, stem + "-Bold" if bold != regular else stem)


# --------------------------------------------------------------------------- editions


@dataclass(frozen=True)
class Options:
    output_dir: Path | None = None
    cache_dir: Path | None = None
    use_cache: bool = True
    strict: bool = False
    formats: tuple[str, ...] = ("pdf", "pptx")
    jobs: int = 1
    pdf_standard: str | None = None  # overrides report.pdf_standard (--pdf-standard)
    deck_fonts: str | None = None  # overrides report.deck_fonts (--deck-fonts)
    template: str | None = None  # overrides theme.template (--template FILE)
    template_master: str | None = None  # overrides theme.template_master (--template-master)


def _template_options(options: Options) -> dict:
    """load_project's keyword arguments for a template (and a PDF standard) given on the command line."""
    return {"template": Path(options.template) if options.template else None,
            "template_master": options.template_master, "pdf_standard": options.pdf_standard}


def edition_values(project: Project) -> list[str]:
    spec = project.report.editions
    if spec is None:
        return []
    if isinstance(spec.values, list):
        return [str(v) for v in spec.values]
    ds = project.datasets.get(spec.values.dataset)
    if ds is None or spec.values.field not in ds.spec.columns:
        from egovdeck.errors import EgovError, Problem

        raise EgovError(Problem(f"editions: no column {spec.values.field} in dataset {spec.values.dataset}",
                                hint=(f"its columns: {', '.join(ds.columns)}" if ds is not None else
                                      f"datasets: {', '.join(sorted(project.datasets))}"),
                                **project.located.where(("editions", "values"))))
    from egovdeck.errors import EgovError, Problem
    from egovdeck.input.definition import FILE_NAME_HINT, file_name_problem

    values: dict[str, None] = {}
    problems = []
    for i, row in enumerate(ds.rows):
        value = row[spec.values.field]
        if value is None:
            continue
        problem = file_name_problem(value)
        if problem:
            problems.append(Problem(f"edition {problem}", file=ds.where(i, spec.values.field),
                                    hint=f"{FILE_NAME_HINT} (the editions are the values of this column)"))
        values[str(value)] = None
    if problems:
        raise EgovError(problems)
    return list(values)


def check_targets(out_root: Path, targets: list[Path], project: Project) -> None:
    """Every output path stays inside the output folder and names a file there (the ids and editions
    were checked as file names; this is the writer's own guard). A folder or a file in the way is
    reported before anything is rendered, so no output is replaced half-way."""
    from egovdeck.errors import EgovError, Problem, display_path

    root = out_root.resolve()
    problems = []
    default = project.root / "output"
    # the project's own output/ leading elsewhere: a build would overwrite files outside the project
    # (nothing is written outside output/ and the project); a folder elsewhere is chosen with -o DIR
    if out_root == default and default.is_symlink() and not root.is_relative_to(project.root.resolve()):
        raise EgovError(Problem(
            f"output/ is a symbolic link to {root}, outside the project: the build would write (and replace "
            "files) there", file=default,
            hint=f"make output/ a folder (remove the link: rm {display_path(default)}), or build into that "
                 "folder on purpose with -o DIR"))
    for target in targets:
        resolved = target.parent.resolve() / target.name  # os.replace replaces a link at target, never follows it
        if root not in resolved.parents or target.name.startswith(".") or target.name in ("..", "."):
            problems.append(Problem(f"the output {target} would be written outside the output folder {root}",
                                    hint="report.id and edition values must be plain file names",
                                    **project.located.where(("report", "id"))))
        elif target.is_dir():
            problems.append(Problem(f"cannot write {display_path(target)}: a folder is in the way of the file",
                                    file=target, hint=f"remove or rename the folder {display_path(target)}"))
        else:
            blocker = next((p for p in reversed(target.parents) if p.exists() and not p.is_dir()), None)
            if blocker is not None:
                problems.append(Problem(
                    f"cannot write into {display_path(target.parent)}: {display_path(blocker)} is a file where a "
                    "folder is needed",
                    file=blocker, hint=f"remove or rename the file {display_path(blocker)} (or build into another "
                                       "folder with -o DIR)"))
    if problems:
        raise EgovError(list({str(p): p for p in problems}.values()))


def decide_charts(project: Project, doc: Document, fonts: FontSet, theme: Theme, opened: DeckTemplate,
                  result: BuildResult) -> Document:
    """doc with the axes' steps, a combo's axes, which data labels each chart shows and on which side of a line
    decided once, with the PDF's and the deck's frames (on the opened deck template), whichever outputs are
    written (the same bytes either way; issue #16); the decisions' warnings added to result.warnings."""
    from egovdeck.engine.comboaxes import with_combo_axes
    from egovdeck.engine.frames import chart_frames
    from egovdeck.engine.labels import agree_chart_labels, series_label_warnings
    from egovdeck.engine.labelsides import with_line_label_sides
    from egovdeck.engine.ticks import agree_chart_ticks

    # both outputs' frames of every chart once (engine/frames.py), followed through the decisions; the value
    # axes' step first: every frame of both outputs labels every tick (the labels' room follows)
    frames = chart_frames(doc, fonts, theme, opened)
    doc = agree_chart_ticks(doc, fonts, theme, opened, frames)
    frames = frames.follow(doc)
    # then a combo's axes (the labels are decided on them); a line no band clears is warned at its key
    doc = with_combo_axes(doc, fonts, theme, opened, frames, functools.partial(_chart_warning, project, result))
    frames = frames.follow(doc)
    doc, label_warnings = with_line_label_sides(doc, fonts, theme, opened, frames)
    result.warnings += label_warnings
    doc = agree_chart_labels(doc, fonts, theme, opened, frames.follow(doc))
    result.warnings += series_label_warnings(doc, project)
    return doc


def render_edition(project: Project, edition: str | None, options: Options,
                   pdf_side: PdfProcesses | None = None) -> BuildResult:
    """Resolve and render one edition (or the plain report when edition is None).

    With `pdf_side` (forked processes already importing ReportLab and matplotlib while this one loaded
    and resolved), the PDF is written there while this process writes the deck."""
    from egovdeck.engine.pdfjob import ChartCache, write_pdf
    from egovdeck.resolve.report import build_document

    result = BuildResult()
    theme, fonts = theme_for(project), fonts_for(project)
    template = None
    if project.report.theme.template:
        from egovdeck.input.template import template_for

        # a bad corporate template failed in load_project, before anything is written; it is opened for a
        # PDF alone too: its chart frames decide which data labels the PDF shows (engine/labels.py)
        template = template_for(project, check=False)
    params = {project.report.editions.parameter: edition} if edition is not None and project.report.editions else {}
    doc = build_document(project, theme, fonts, params=params, edition=edition or "")
    result.warnings += doc.warnings  # located ones from resolving (a highlighted category cut by top:)
    from egovdeck.decktemplate.reader import TemplateRef

    opened = (template or TemplateRef()).open()  # the deck is drawn on this one too
    doc = decide_charts(project, doc, fonts, theme, opened, result)
    if options.pdf_standard:
        doc = replace(doc, pdf_standard=options.pdf_standard)
    if options.deck_fonts:
        doc = replace(doc, deck_fonts=options.deck_fonts)
    out_dir = options.output_dir or project.root / "output"
    stem = doc.id
    if edition is not None:
        out_dir, stem = out_dir / doc.id, edition
    charts_kept = options.use_cache and speed_trick("chart-cache")
    cache = ChartCache((options.cache_dir or project.root / ".egovdeck-cache") / "charts" if charts_kept
                       else None, fonts, theme)
    pdf_target, pptx_target = out_dir / f"{stem}.pdf", out_dir / f"{stem}.pptx"
    check_targets(options.output_dir or project.root / "output",
                  [t for t, f in ((pdf_target, "pdf"), (pptx_target, "pptx")) if f in options.formats], project)
    out_dir.mkdir(parents=True, exist_ok=True)
    # temporary files go to the cache's tmp/ folder: a reader of output/ never sees them
    tmp_dir = temp_dir_for(out_dir, cache_root(project.root, options) / "tmp")
    for folder in {out_dir, out_dir / ".egovdeck-tmp"}:  # and those of killed builds are swept
        sweep_temp(folder)
    tmp = {t: tmp_dir / f".{t.name}.{os.getpid()}.tmp" for t in (pdf_target, pptx_target)}
    if pdf_side is None and parallel_formats(options):
        from egovdeck.engine.pdfjob import PdfProcesses

        pdf_side = PdfProcesses(cold=False)
    try:
        with pinned_epoch(source_epoch(doc.date)) as epoch:
            if "pdf" in options.formats:
                from egovdeck.render.pdf.brief import too_wide_tables
                from egovdeck.render.pdf.geometry import unreadable_rankings

                result.warnings += unreadable_rankings(doc)  # a chart the brief cannot make readable
                result.warnings += too_wide_tables(doc, fonts)  # a table whose numbers must break
            if pdf_side is not None:
                result.charts_rendered, result.charts_cached = pdf_side.start(
                    doc, tmp[pdf_target], fonts, theme, cache, options.jobs, epoch)
            elif "pdf" in options.formats:
                result.pages, result.charts_rendered, result.charts_cached = write_pdf(
                    doc, tmp[pdf_target], fonts, theme, cache, options.jobs, epoch)
            if "pptx" in options.formats:
                from egovdeck.engine.partcache import FolderCache
                from egovdeck.render.pptx.deck import render_pptx

                cache_dir = options.cache_dir or project.root / ".egovdeck-cache"
                native = FolderCache(cache_dir / "native") if charts_kept else None
                subsets = FolderCache(cache_dir / "fonts") if options.use_cache else None
                from egovdeck.errors import EgovError

                try:
                    deck = render_pptx(doc, tmp[pptx_target], fonts, theme, epoch, template=opened,
                                       chart_cache=native, font_cache=subsets)
                except EgovError as exc:  # a slide its content cannot fit: at the finding's place
                    raise EgovError([_located(project, p) for p in exc.problems]) from None
                result.slides, result.fitting = deck.slides, deck.fitting
                if "pdf" not in options.formats:  # the deck's own charts (the PDF side counts them otherwise)
                    result.charts_rendered = deck.charts
                result.warnings += deck.warnings
            if pdf_side is not None:
                result.pages = pdf_side.finish()
            # Only when every file is complete are the previous outputs replaced, as a pair.
            done = [(tmp[t], t) for t in (pdf_target, pptx_target) if tmp[t].exists()]
            replace_together(done, cache_root(project.root, options) / "tmp")
            result.outputs += [t for _tmp, t in done]
    except OSError as exc:
        if exc.filename is None:  # a write that failed (a full disk) names no file: the output folder it is
            exc.filename = str(out_dir)
        raise
    finally:
        if pdf_side is not None:
            pdf_side.kill()  # no half-written PDF left behind by a build that failed
        for path in tmp.values():
            path.unlink(missing_ok=True)
        if tmp_dir == out_dir / ".egovdeck-tmp":  # the fallback folder: not left behind empty (a full disk)
            with contextlib.suppress(OSError):
                tmp_dir.rmdir()  # only if empty: another build's files keep it
    return result


def warm_up() -> None:
    """Load and exercise everything a build uses, once, for a long-running process (`egovdeck watch`,
    `egovdeck serve`): a small sample project is built here, in this process, into a temporary folder.
    Rebuilds then start with every import, font and first-use cache ready (~0.3 s saved each)."""
    if not speed_trick("watch-warm"):
        return
    import tempfile

    from egovdeck.input.scaffold import init_project

    with tempfile.TemporaryDirectory(prefix="egovdeck-warm-") as tmp:
        folder = Path(tmp) / "sample"
        init_project(folder, "warm")
        build(folder / "reports" / "warm.yaml", output_dir=folder / "output", use_cache=False, jobs=1)
    import gc

    gc.collect()
    gc.freeze()  # the collector never walks the warm heap again, and forked builds keep sharing its pages


def parallel_formats(options: Options) -> bool:
    """PDF and deck in parallel processes: both wanted, more than one job, and fork available."""
    from egovdeck.engine.pdfjob import can_fork

    return "pdf" in options.formats and "pptx" in options.formats and options.jobs > 1 and can_fork() \
        and speed_trick("pdf-processes")


# This worker process's copy of the project, handed over by the pool's initializer (a forked worker
# inherits it without pickling); a worker of another pool loads the definition itself.
_worker_project: Project | None = None


def _adopt_project(project: Project) -> None:
    global _worker_project
    _worker_project = project


def _edition_job(definition: str, edition: str, options: Options) -> BuildResult:
    from egovdeck.input.project import load_project

    project = _worker_project
    if project is None or str(project.definition.resolve()) != definition:
        project = load_project(Path(definition), strict=options.strict, **_template_options(options))
    return render_edition(project, edition, replace(options, jobs=1))


def _chart_warning(project: Project, result: BuildResult, chart_id: str, message: str, key: str,
                   hint: str) -> None:
    """A warning about the chart `chart_id` (a finding's id and its slot, resolve.report) located at `key`
    under its slot in the definition, as resolving's are ("file:line:col: warning: …")."""
    from egovdeck.errors import Problem

    loc: tuple = ()
    for si, section in enumerate(project.report.sections):
        for fi, finding in enumerate(section.findings):
            for slot in finding.slots:
                if f"{finding.id}-{slot}" == chart_id:
                    loc = ("sections", si, "findings", fi, "slots", slot, key)
    where = project.located.where(loc) if loc else {}
    result.warnings.append(str(Problem(f"chart: {message}", hint=hint, warning=True, **where)))


def _located(project: Project, problem: Problem) -> Problem:
    """A renderer's problem about a finding or a table (key "findings.<id>" or "tables.<finding>-<slot>": the
    resolved document has no positions) at that finding's place in the definition (file:line:col); others as
    they are."""
    if problem.file is not None or not problem.key.startswith(("findings.", "tables.")):
        return problem
    kind, _, name = problem.key.partition(".")
    for si, section in enumerate(project.report.sections):
        for fi, finding in enumerate(section.findings):
            loc: tuple = ("sections", si, "findings", fi)
            if kind == "tables":
                slot = next((s for s in finding.slots if f"{finding.id}-{s}" == name), None)
                if slot is None:
                    continue
                loc = (*loc, "slots", slot)
            elif finding.id != name:
                continue
            return replace(problem, **project.located.where(loc))
    return problem


def _shown(warning: str) -> str:
    """A warning as logged: a located one (resolving's: "file:line:col: warning: …") as it is, the others after
    "warning: "."""
    return warning if ": warning: " in warning else f"warning: {warning}"


MERGED = ("pages", "slides", "charts_rendered", "charts_cached", "fitting", "warnings")


def merge(into, part) -> None:
    """Add one edition's result to the whole build's: its outputs (when it has them), counts, fitting
    notes and warnings. `into`: a BuildResult or cluster.ClusterResult; `part`: a BuildResult or a
    worker's cluster.EditionOutcome (the same field names)."""
    into.outputs += getattr(part, "outputs", [])
    for name in MERGED:
        setattr(into, name, getattr(into, name) + getattr(part, name))


# --------------------------------------------------------------------------- the pipeline


def build(definition: Path | None = None, *, output_dir: Path | None = None, cache_dir: Path | None = None,
          use_cache: bool = True, strict: bool = False, formats: tuple[str, ...] = ("pdf", "pptx"),
          jobs: int | None = None, edition: str | None = None, all_editions: bool = False,
          executor: Executor | None = None, log: Log = lambda _m: None,
          pdf_standard: str | None = None, deck_fonts: str | None = None, template: Path | str | None = None,
          template_master: str | int | None = None) -> BuildResult:
    """Build the report (or one edition, or all of them). `executor` may be any concurrent.futures.Executor.

    `template`, `template_master`: the deck template and its master instead of the definition's (--template)."""
    started = time.perf_counter()
    options = Options(output_dir, cache_dir, use_cache, strict, formats, jobs or os.cpu_count() or 1, pdf_standard,
                      deck_fonts, str(Path(template).resolve()) if template is not None else None,
                      str(template_master) if template_master is not None else None)
    recover(project_cache_dir(definition, options) / "tmp")  # a build killed while replacing its outputs
    manifest = Manifest.for_build(definition, options, edition, all_editions) if use_cache else None
    if manifest is not None and speed_trick("manifest") and manifest.up_to_date():
        result = BuildResult(outputs=manifest.outputs(), up_to_date=True)
        result.seconds = time.perf_counter() - started
        return result

    log("1/4 loading and checking the definition and data")
    CACHE_WARNINGS.clear()
    if manifest is not None:
        from egovdeck.text.fonts import default_fonts

        manifest.note(default_fonts().files())  # before the forked writer reads them
    pdf_side = None
    if not all_editions and parallel_formats(options):
        from egovdeck.engine.pdfjob import PdfProcesses

        # no cache yet: the chart renderer starts importing matplotlib at once
        pdf_side = PdfProcesses(cold=not use_cache or not any((project_cache_dir(definition, options) / "charts").glob("*.svg")))
    try:
        return _build(definition, options, edition, all_editions, executor, log, manifest, started, pdf_side)
    finally:
        if pdf_side is not None:
            pdf_side.kill()  # unused (the build stopped early) or already done


def _build(definition: Path | None, options: Options, edition: str | None, all_editions: bool,
           executor: Executor | None, log: Log, manifest: Manifest | None, started: float,
           pdf_side: PdfProcesses | None) -> BuildResult:
    from egovdeck.input.project import load_project

    strict = options.strict
    project = load_project(definition, strict=strict, **_template_options(options))
    if manifest is not None:  # the inputs libraries read later (fonts, logo, template), before they do
        manifest.note([*project.input_files(), *fonts_for(project).files()])
    for folder in ("tmp", "charts", "native"):  # temporary files of builds killed before they finished
        sweep_temp(cache_root(project.root, options) / folder)
    for old in (cache_root(project.root, options) / "charts").glob("*.pickle"):  # left by older versions
        old.unlink(missing_ok=True)
    result = BuildResult(warnings=[str(p) for p in project.problems.warnings])
    for w in result.warnings:
        log(w)
    editions = edition_values(project)
    if edition is not None and edition not in editions:
        from egovdeck.errors import EgovError, Problem

        hint = f"editions: {', '.join(editions[:40])}" if editions else "the definition declares no editions:"
        raise EgovError(Problem(f'no edition "{edition}"', file=project.definition, hint=hint))
    spec = project.report.editions
    if editions and edition is None and not all_editions:
        assert spec is not None  # edition_values found some
        from egovdeck.errors import EgovError, Problem

        param = spec.parameter
        raise EgovError(Problem(
            f"this definition builds one edition per {param} ({len(editions)} editions)",
            file=project.definition, **{k: v for k, v in project.located.where(("editions",)).items() if k != "file"},
            hint=f"build one with --edition {editions[0]}, or all of them with --all-editions"))
    if all_editions and not editions:
        from egovdeck.errors import EgovError, Problem

        raise EgovError(Problem("--all-editions: the definition declares no editions", file=project.definition,
                                hint="declare editions: (parameter: and values:) in the definition, or build without --all-editions"))

    if not all_editions:
        log("2/4 resolving narrative, charts and tables")
        log("3/4 rendering charts and writing outputs")
        logged = len(result.warnings)
        merge(result, render_edition(project, edition, options, pdf_side=pdf_side))
        for w in result.warnings[logged:]:  # resolving's (located) and the deck's (a chart it could not make readable)
            log(_shown(w))
    else:
        log(f"2/4 building {len(editions)} editions")
        from egovdeck.resolve.report import build_document

        # Check every edition before rendering any (all problems at once, nothing written).
        theme, fonts = theme_for(project), fonts_for(project)
        assert spec is not None  # --all-editions without editions was refused above
        for value in editions:
            build_document(project, theme, fonts, params={spec.parameter: value}, edition=value)
        out_root = options.output_dir or project.root / "output"
        check_targets(out_root, [out_root / project.report.report.id / f"{value}.{ext}" for value in editions
                                 for ext in options.formats], project)
        key = str(project.definition.resolve())
        own = executor is None
        if executor is None:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            from egovdeck.engine.pdfjob import can_fork, warm_charts, warm_writer

            ctx = multiprocessing.get_context("fork") if can_fork() else None
            if speed_trick("pool-warm"):
                from egovdeck.render.pptx import deck  # noqa: F401  (the workers start warm)

                warm_writer(fonts)
                warm_charts(fonts)

            # forked workers adopt the loaded project; spawned ones (no fork) load it themselves
            executor = ProcessPoolExecutor(max(1, options.jobs), mp_context=ctx) if ctx is None else \
                ProcessPoolExecutor(max(1, options.jobs), mp_context=ctx, initializer=_adopt_project,
                                    initargs=(project,))
        pool = executor
        try:
            futures = [pool.submit(_edition_job, key, value, options) for value in editions]
            for future in futures:
                part = future.result()
                merge(result, part)
                log(f"   {part.outputs[0].stem}: done")
                for w in part.warnings:  # the edition's own: resolving's, the deck's
                    log(f"   {part.outputs[0].stem}: {_shown(w)}")
        finally:
            if own:
                pool.shutdown()
    for warning in dict.fromkeys(CACHE_WARNINGS):  # damaged cache entries, rendered again
        result.warnings.append(warning)
        log(warning)
    log("4/4 done")
    if manifest is not None:
        manifest.record(project, result.outputs)
    result.seconds = time.perf_counter() - started
    return result


# --------------------------------------------------------------------------- up to date


class Manifest:
    """What the last successful build read and wrote, so an unchanged rebuild can stop at once.

    Its key is the build's fingerprint: egovdeck's code and the libraries (engine_fingerprint), the
    options that change the bytes (formats, edition, --strict, output folder) and SOURCE_DATE_EPOCH;
    the recorded inputs carry the digest of the bytes the build actually read."""

    def __init__(self, path: Path, key: dict):
        self.path, self.key = path, key
        self.before: dict[str, str | None] = {}

    @classmethod
    def for_build(cls, definition: Path | None, options: Options, edition: str | None,
                  all_editions: bool) -> Manifest | None:
        from egovdeck.input.paths import default_definition, project_root

        definition = Path(definition or default_definition())
        if not definition.exists():
            return None
        root = project_root(definition)
        key = {"definition": str(definition.resolve()), "formats": list(options.formats), "edition": edition,
               "all": all_editions, "output": str(options.output_dir or ""), "strict": options.strict,
               "epoch": os.environ.get("SOURCE_DATE_EPOCH", "").strip(), "version": __version__,
               "engine": engine_fingerprint(), "pdf_standard": options.pdf_standard,
               "deck_fonts": options.deck_fonts, "template": options.template,
               "template_master": options.template_master}
        name = hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()[:16]
        return cls((options.cache_dir or root / ".egovdeck-cache") / "manifests" / f"{name}.json", key)

    def _load(self) -> dict | None:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        ok = isinstance(data, dict) and data.get("key") == self.key and isinstance(data.get("globs"), dict) \
            and isinstance(data.get("inputs"), dict) and isinstance(data.get("outputs"), dict)
        return data if ok else None

    def up_to_date(self) -> bool:
        data = self._load()
        if not data:
            return False
        for pattern, files in data["globs"].items():
            if sorted(glob.glob(pattern)) != files:
                return False
        return all(d is not None and digest_or_none(Path(p)) == d
                   for p, d in {**data["inputs"], **data["outputs"]}.items())

    def outputs(self) -> list[Path]:
        data = self._load() or {}
        return [Path(p) for p in data.get("outputs", {})]

    def note(self, paths) -> None:
        """Digests of inputs that libraries read during the build, taken before they do: if a file
        differs by the end, the build may have read either version and is not recorded as up to date."""
        for p in paths:
            self.before.setdefault(str(p), digest_or_none(p))

    def _input_digest(self, path: Path) -> str | None:
        read = read_digest(path)  # the bytes the build parsed (definition, sidecars, data, template)
        if read is not None:
            return read
        # read by a library (fonts, logo): the version from before the build began; if it has
        # changed since, the next build sees the difference and builds again
        return self.before[str(path)] if str(path) in self.before else digest_or_none(path)

    def record(self, project: Project, outputs: list[Path]) -> None:
        inputs = [*project.input_files(), *fonts_for(project).files()]
        globs = {str(project.root / pat): sorted(glob.glob(str(project.root / pat))) for pat in project.report.datasets}
        data = {"key": self.key, "globs": globs,
                "inputs": {str(p): self._input_digest(p) for p in inputs},
                "outputs": {str(p): digest_or_none(p) for p in outputs}}
        write_atomic(self.path, json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))


def cache_root(root: Path, options: Options) -> Path:
    return options.cache_dir or root / ".egovdeck-cache"


def project_cache_dir(definition: Path | None, options: Options) -> Path:
    """The cache folder of the project `definition` belongs to (before the project is loaded)."""
    from egovdeck.input.paths import default_definition, project_root

    return cache_root(project_root(Path(definition or default_definition())), options)


