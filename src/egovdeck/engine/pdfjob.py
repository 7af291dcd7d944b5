"""The PDF side of a build: charts (content-addressed cache, else matplotlib -> SVG -> Drawing) and the brief.

In one process (`write_pdf`), or, on a machine with cores to spare, in two forked processes that
start importing before the definition is even loaded (`PdfProcesses`):

    main ─ load, resolve ──────────────── send ─ deck (python-pptx) ──────────────── collect
    writer ─ import ReportLab ──── wait ─ lay out the PDF; at each chart, take its Drawing ─┘
    charts ─ import matplotlib ─── wait ─ render the missing charts in order, stream them ──┘

The writer never waits for a chart it can take from the cache, and the layout of the text runs
while the charts are still being drawn: on 2 cores a cold build takes about the time of the longer
of deck and PDF, not their sum.
"""

from __future__ import annotations

import contextlib
import hashlib
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from egovdeck import __version__
from egovdeck.document.theme import Theme
from egovdeck.files import engine_fingerprint, file_digest, read_entry, write_entry
from egovdeck.speedflags import on as speed_trick
from egovdeck.text.fonts import FontSet

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

    from egovdeck.document.chart import ChartData
    from egovdeck.document.report import Document

Size = tuple[float, float]


class ChartCache:
    """Content-addressed SVGs: the key covers the resolved chart (spec + data), size, theme, the fonts'
    content and the engine fingerprint (all of egovdeck's code, Python and every library's version).

    Each entry carries its own checksum; a damaged one is deleted and the chart rendered again (with a
    warning). Only data is stored (SVG text): the ReportLab Drawing is rebuilt from it, so reading the
    cache can never run code."""

    def __init__(self, folder: Path | None, fonts: FontSet, theme: Theme):
        self.folder = folder
        # without a folder the keys only name the charts of this build: no need to read the package
        self.salt = "|".join([__version__, engine_fingerprint(), repr(theme), *(file_digest(p) for p in fonts.files())]
                             ) if folder is not None else repr(theme)

    def key(self, chart: ChartData, size: Size) -> str:
        return hashlib.sha256(f"{self.salt}|{size}|{chart!r}".encode()).hexdigest()[:32]

    def get(self, key: str) -> str | None:
        if self.folder is None:
            return None
        body = read_entry(self.folder / f"{key}.svg")
        if body is None:
            return None
        try:
            return body.decode("utf-8")
        except UnicodeDecodeError:  # pragma: no cover  (the checksum matched: written so by us)
            return None

    def put(self, key: str, svg: str) -> None:
        if self.folder is not None:
            write_entry(self.folder / f"{key}.svg", svg.encode("utf-8"))

    def drawing(self, svg: str, fonts: FontSet):
        """svg -> ReportLab Drawing (svglib, ~10 ms a chart)."""
        from egovdeck.render.pdf.chart import svg_to_drawing
        from egovdeck.text.fonts import register_reportlab

        register_reportlab(fonts)
        return svg_to_drawing(svg, fonts)

    def resizer(self, fonts: FontSet, theme: Theme) -> Callable[[ChartData, Size], object]:
        """(chart, size) -> its Drawing at that size, through the cache: the PDF writer asks for a chart at
        a size other than the planned one when it shrinks it to fit the room left on a page."""

        def resized(chart: ChartData, size: Size):
            key = self.key(chart, size)
            svg = self.get(key)
            if svg is None:
                svg = _render_one((chart, size, theme, fonts))
                self.put(key, svg)
            return self.drawing(svg, fonts)

        return resized

    def plan(self, doc: Document) -> tuple[dict[str, str], list[tuple[ChartData, Size, str]]]:
        """SVGs of the charts already in the cache (by chart id), and the (chart, size, key) still to render."""
        from egovdeck.render.pdf.geometry import pdf_chart_sizes

        sizes = pdf_chart_sizes(doc)
        svgs: dict[str, str] = {}
        todo: list[tuple[ChartData, Size, str]] = []
        for chart in doc.charts():
            key = self.key(chart, sizes[chart.id])
            hit = self.get(key)
            if hit is not None:
                svgs[chart.id] = hit
            else:
                todo.append((chart, sizes[chart.id], key))
        return svgs, todo


def _render_one(job: tuple[ChartData, Size, Theme, FontSet]) -> str:
    from egovdeck.charts.mpl import render_svg

    chart, size, theme, fonts = job
    return render_svg(chart, size[0], size[1], theme, fonts)


def render_charts(todo: list[tuple[ChartData, Size, str]], fonts: FontSet, theme: Theme, cache: ChartCache,
                  jobs: int = 1):
    """Yield (chart id, svg) in document order, storing each SVG in the cache. Only matplotlib is
    needed here: the PDF writer turns SVGs into Drawings (it has ReportLab loaded anyway).

    One process renders them all: a pool of chart renderers forked beside the PDF writer and the deck
    saved nothing on the case it was for (docs/benchmarks.md, "Speed tricks") and was removed. `jobs` is
    kept for the callers and unused."""
    if not todo:
        return
    warm_charts(fonts)
    for chart, size, key in todo:
        svg = _render_one((chart, size, theme, fonts))
        cache.put(key, svg)
        yield chart.id, svg


# --------------------------------------------------------------------------- warming up


def warm_writer(fonts: FontSet) -> None:
    """ReportLab, the platypus modules, svglib and the fonts, as the PDF writer needs them."""
    from egovdeck.render.pdf import brief, chart  # noqa: F401
    from egovdeck.text.fonts import register_reportlab

    register_reportlab(fonts)
    import pikepdf.pdfa  # noqa: F401  (the PDF/A step, ~0.5 s of imports)


def warm_charts(fonts: FontSet, stop: Callable[[], bool] = lambda: False) -> None:
    """matplotlib (~0.3 s), registered with the fonts; gives up when stop() turns true."""
    from egovdeck.charts import mpl
    from egovdeck.text.fonts import metrics, register_matplotlib

    if mpl.preload(stop):
        register_matplotlib(fonts)
        for path in fonts.files():
            metrics(path)


# --------------------------------------------------------------------------- one process


def write_pdf(doc: Document, target: Path, fonts: FontSet, theme: Theme, cache: ChartCache,
              jobs: int = 1, epoch: int | None = None) -> tuple[int, int, int]:
    """Charts and PDF in this process; returns (pages, charts rendered, charts from the cache)."""
    from egovdeck.render.pdf.brief import render_pdf

    svgs, todo = cache.plan(doc)
    svgs.update(render_charts(todo, fonts, theme, cache, jobs))
    pages = render_pdf(doc, target, lambda chart: cache.drawing(svgs[chart.id], fonts), fonts, theme, epoch,
                       cache.resizer(fonts, theme))
    return pages, len(todo), len(svgs) - len(todo)


# --------------------------------------------------------------------------- forked processes


def can_fork() -> bool:
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


class Forked:
    """A function run in a forked child; result() returns its value or re-raises its error.

    With `warm`, the child first runs warm(stop) (imports, say) and then waits for the rest of its
    arguments, sent later by send(); stop() turns true as soon as they arrive, so warming up never
    delays the job by more than the module it is importing."""

    def __init__(self, fn: Callable[..., object], args: tuple = (),
                 warm: Callable[[Callable[[], bool]], None] | None = None, close_in_child: tuple = ()):
        import multiprocessing

        ctx = multiprocessing.get_context("fork")
        self._recv, send = ctx.Pipe(duplex=False)
        inbox: Connection | None = None
        self._inbox: Connection | None = None
        if warm is not None:
            inbox, self._inbox = ctx.Pipe(duplex=False)

        def run() -> None:
            for conn in close_in_child:
                conn.close()
            try:
                call_args = args
                if inbox is not None and warm is not None:
                    with contextlib.suppress(Exception):  # warming up is only ever an optimisation
                        warm(inbox.poll)
                    call_args = (*args, *pickle.loads(inbox.recv_bytes()))
                payload = ("ok", fn(*call_args))
            except BaseException as exc:  # noqa: BLE001  (sent back and re-raised in the parent)
                from egovdeck.errors import EgovError

                payload = ("egov", exc.problems) if isinstance(exc, EgovError) else \
                    ("os", (exc.errno, exc.strerror, exc.filename)) if isinstance(exc, OSError) else ("error", repr(exc))
            send.send_bytes(pickle.dumps(payload))

        # not a daemon: the chart renderer may fork a pool of its own (it is always killed or joined)
        self._proc = ctx.Process(target=run, daemon=False)
        self._proc.start()
        send.close()
        if inbox is not None:
            inbox.close()

    def send(self, *args: object) -> None:
        assert self._inbox is not None, "send() is for a Forked started with warm"
        self._inbox.send_bytes(pickle.dumps(args, protocol=pickle.HIGHEST_PROTOCOL))

    def kill(self) -> None:
        if self._proc.is_alive():
            self._proc.kill()
        self._proc.join()

    def result(self, what: str = "a worker process"):
        from egovdeck.errors import EgovError

        try:
            kind, value = pickle.loads(self._recv.recv_bytes())
        except EOFError:
            kind, value = "error", f"the process died (exit code {self._proc.exitcode})"
        self._proc.join()
        if kind == "egov":
            raise EgovError(value)
        if kind == "os":  # the machine's (a full disk, a read-only folder): reported as such by the CLI
            raise OSError(*value)
        if kind == "error":
            raise RuntimeError(f"{what} failed: {value}")
        return value


class PdfProcesses:
    """The PDF writer and the chart renderer as forked processes (see the module docstring).

    Started before the definition is loaded, with the bundled fonts warmed; `cold` starts the chart
    renderer at once too (there is no cache to serve the charts), else it is forked only if a chart
    turns out to be missing."""

    def __init__(self, cold: bool):
        import multiprocessing

        from egovdeck.text.fonts import default_fonts

        fonts = default_fonts()
        self._recv, self._send = multiprocessing.get_context("fork").Pipe(duplex=False)
        warm = speed_trick("fork-warm")  # off: each process imports what it needs once its job arrives
        self.writer = Forked(_writer_job, (self._recv,), warm=lambda _stop: warm_writer(fonts) if warm else None,
                             close_in_child=(self._send,))
        self.charts = Forked(_charts_job, (self._send,), warm=lambda stop: warm_charts(fonts, stop) if warm else None,
                             close_in_child=(self._recv,)) if cold else None
        self._recv.close()

    def start(self, doc: Document, target: Path, fonts: FontSet, theme: Theme, cache: ChartCache, jobs: int,
              epoch: int) -> tuple[int, int]:
        """Hand over the resolved document; returns (charts to render, charts from the cache)."""
        svgs, todo = cache.plan(doc)
        if todo and self.charts is None:
            self.charts = Forked(_charts_job, (self._send, todo, fonts, theme, cache, jobs))
        elif self.charts is not None:
            if todo:
                self.charts.send(todo, fonts, theme, cache, jobs)
            else:
                self.charts.kill()
                self.charts = None
        self._send.close()  # the renderer holds the only writing end: the writer sees EOF if it dies
        self.writer.send(doc, target, fonts, theme, cache, svgs, epoch)
        return len(todo), len(svgs)

    def finish(self) -> int:
        """Pages of the PDF, once both processes are done; re-raises their errors (the renderer's first)."""
        if self.charts is not None:
            self.charts.result("rendering the charts")
        return self.writer.result("writing the PDF")

    def kill(self) -> None:
        for proc in (self.writer, self.charts):
            if proc is not None:
                proc.kill()
        self._send.close()


def _charts_job(out: Connection, todo: list, fonts: FontSet, theme: Theme, cache: ChartCache, jobs: int) -> int:
    for item in render_charts(todo, fonts, theme, cache, jobs):
        out.send_bytes(pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL))
    out.close()
    return len(todo)


def _writer_job(charts: Connection, doc: Document, target: Path, fonts: FontSet, theme: Theme, cache: ChartCache,
                svgs: dict[str, str], epoch: int) -> int:
    from egovdeck.engine.epoch import pinned_epoch
    from egovdeck.render.pdf.brief import render_pdf

    def drawing_for(chart: ChartData):
        while chart.id not in svgs:  # the renderer sends in document order: rarely more than one wait
            try:
                chart_id, svg = pickle.loads(charts.recv_bytes())
            except EOFError:
                raise RuntimeError("the chart renderer stopped before sending every chart") from None
            svgs[chart_id] = svg
        return cache.drawing(svgs[chart.id], fonts)

    with pinned_epoch(epoch):
        return render_pdf(doc, target, drawing_for, fonts, theme, epoch, cache.resizer(fonts, theme))
