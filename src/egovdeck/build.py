"""The pipeline: load + check -> resolve the document -> render charts (cached) -> PDF + PPTX -> write atomically."""

from __future__ import annotations

import calendar
import contextlib
import datetime as dt
import hashlib
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from egovdeck import __version__
from egovdeck.charts.spec import ChartData
from egovdeck.document import Document
from egovdeck.fonts import FontSet, default_fonts
from egovdeck.project import Project, load_project, safe_path
from egovdeck.theme import DEFAULT_PALETTE, Theme

Log = Callable[[str], None]


@dataclass
class BuildResult:
    outputs: list[Path] = field(default_factory=list)
    pages: int = 0
    slides: int = 0
    charts_rendered: int = 0
    charts_cached: int = 0
    warnings: list[str] = field(default_factory=list)
    fitting: list[str] = field(default_factory=list)  # text shrinks and slide splits in the deck
    seconds: float = 0.0

    def summary(self) -> str:
        files = ", ".join(str(p) for p in self.outputs)
        return (f"wrote {files}: {self.pages} pages, {self.slides} slides, "
                f"{self.charts_rendered + self.charts_cached} charts ({self.charts_rendered} rendered, "
                f"{self.charts_cached} from cache), {len(self.warnings)} warnings, {self.seconds:.2f} s")


def theme_for(project: Project) -> Theme:
    spec = project.report.theme
    kwargs = {}
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
    from egovdeck.fonts import family_name

    regular = safe_path(project.root, spec.font_regular)
    bold = safe_path(project.root, spec.font_bold) if spec.font_bold else regular
    stem = family_name(regular).replace(" ", "")
    return FontSet(regular, bold, family_name(regular), stem, stem + "-Bold" if bold != regular else stem)


def source_epoch(date: dt.date) -> int:
    """SOURCE_DATE_EPOCH if set, else the report's own date: never the clock."""
    env = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if env.isdigit():
        return int(env)
    return calendar.timegm(date.timetuple())


@contextlib.contextmanager
def pinned_epoch(epoch: int) -> Iterator[None]:
    """ReportLab reads SOURCE_DATE_EPOCH for its timestamps; pin it for the duration of a render."""
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old


# --------------------------------------------------------------------------- chart cache


def _file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class ChartCache:
    """Content-addressed SVGs: the key covers the resolved chart (spec + data), size, theme, fonts and version."""

    def __init__(self, folder: Path | None, fonts: FontSet, theme: Theme):
        self.folder = folder
        self.salt = "|".join([__version__, repr(theme), *(_file_digest(p) for p in fonts.files())])

    def key(self, chart: ChartData, size: tuple[float, float]) -> str:
        return hashlib.sha256(f"{self.salt}|{size}|{chart!r}".encode()).hexdigest()[:32]

    def get(self, key: str) -> str | None:
        if self.folder is None:
            return None
        path = self.folder / f"{key}.svg"
        return path.read_text(encoding="utf-8") if path.exists() else None

    def put(self, key: str, svg: str) -> None:
        if self.folder is None:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp = self.folder / f".{key}.{os.getpid()}.tmp"
        tmp.write_text(svg, encoding="utf-8")
        os.replace(tmp, self.folder / f"{key}.svg")


def render_chart_svgs(doc: Document, fonts: FontSet, theme: Theme, cache: ChartCache,
                      result: BuildResult) -> dict[str, str]:
    from egovdeck.render.geometry import pdf_chart_sizes

    sizes = pdf_chart_sizes(doc)
    svgs: dict[str, str] = {}
    todo: list[tuple[ChartData, tuple[float, float], str]] = []
    for chart in doc.charts():
        size = sizes[chart.id]
        key = cache.key(chart, size)
        hit = cache.get(key)
        if hit is not None:
            svgs[chart.id] = hit
            result.charts_cached += 1
        else:
            todo.append((chart, size, key))
    if todo:
        from egovdeck.charts.mpl import render_svg

        for chart, size, key in todo:
            svg = render_svg(chart, size[0], size[1], theme, fonts)
            cache.put(key, svg)
            svgs[chart.id] = svg
            result.charts_rendered += 1
    return svgs


# --------------------------------------------------------------------------- writing


def write_atomically(target: Path, write: Callable[[Path], None]) -> None:
    """Write to a temporary file beside target, then rename: a failed build never damages the last good file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        write(tmp)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def build(definition: Path | None = None, *, output_dir: Path | None = None, cache_dir: Path | None = None,
          use_cache: bool = True, strict: bool = False, formats: tuple[str, ...] = ("pdf", "pptx"),
          log: Log = lambda _m: None) -> BuildResult:
    started = time.perf_counter()
    result = BuildResult()
    log("1/4 loading and checking the definition and data")
    project = load_project(definition, strict=strict)
    result.warnings = [str(p) for p in project.problems.warnings]
    for w in result.warnings:
        log(w)
    theme, fonts = theme_for(project), fonts_for(project)

    log("2/4 resolving narrative, charts and tables")
    from egovdeck.resolve import build_document

    doc = build_document(project, theme, fonts)
    out_dir = output_dir or project.root / "output"
    cache = ChartCache((cache_dir or project.root / ".egovdeck-cache") / "charts" if use_cache else None, fonts, theme)

    epoch = source_epoch(doc.date)
    with pinned_epoch(epoch):
        log("3/4 rendering charts")
        svgs = render_chart_svgs(doc, fonts, theme, cache, result) if "pdf" in formats else {}
        log("4/4 writing outputs")
        if "pdf" in formats:
            from egovdeck.render.pdf import render_pdf
            from egovdeck.render.pdfchart import svg_to_drawing

            target = out_dir / f"{doc.id}.pdf"

            def write_pdf(tmp: Path) -> None:
                result.pages = render_pdf(doc, tmp, lambda c: svg_to_drawing(svgs[c.id], fonts), fonts, theme)

            write_atomically(target, write_pdf)
            result.outputs.append(target)
        if "pptx" in formats:
            from egovdeck.render.pptx import render_pptx

            target = out_dir / f"{doc.id}.pptx"

            def write_pptx(tmp: Path) -> None:
                deck = render_pptx(doc, tmp, fonts, theme, epoch)
                result.slides = deck.slides
                result.fitting = deck.fitting

            write_atomically(target, write_pptx)
            result.outputs.append(target)
    result.seconds = time.perf_counter() - started
    return result
