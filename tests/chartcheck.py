"""Charts as a reader sees them: resolve a spec against in-memory data (the production path), draw the
PDF-side chart alone on a page of exactly its size, and read the character boxes back with pdfplumber.

The boxes come from the PDF (the font's advance widths as ReportLab embedded them, transformed by the
text matrix, rotated labels included), not from the chart module's own layout arithmetic.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from egovdeck.document.chart import ChartData
from egovdeck.document.theme import Theme
from egovdeck.input.data import Dataset
from egovdeck.input.definition import ChartSpec, ColumnSpec, DatasetSpec
from egovdeck.resolve.charts import resolve_chart
from egovdeck.text.fonts import default_fonts, register_reportlab

THEME = Theme()
FONTS = default_fonts()


def dataset(rows: list[dict[str, Any]], types: dict[str, str], units: dict[str, str] | None = None,
            ds_id: str = "d") -> Dataset:
    cols = {k: ColumnSpec(type=t, unit=(units or {}).get(k, "")) for k, t in types.items()}
    spec = DatasetSpec(title="测试数据", file=f"{ds_id}.csv", source="测试", columns=cols)
    return Dataset(ds_id, spec, Path(f"/nonexistent/{ds_id}.csv"), rows)


def resolve(spec: dict[str, Any], ds: Dataset, chart_id: str = "c") -> ChartData:
    """ChartSpec -> ChartData exactly as a build does (value range pinned by the resolver)."""
    return resolve_chart(chart_id, ChartSpec(dataset=ds.id, **spec), ds, THEME, lambda t, _key: t)


@dataclass
class Box:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float


def chart_pdf(chart: ChartData, width: float, height: float, path: Path) -> Path:
    """The chart alone on a page of exactly width × height pt."""
    from reportlab.graphics import renderPDF
    from reportlab.pdfgen.canvas import Canvas

    from egovdeck.render.pdf.chart import chart_flowable

    register_reportlab(FONTS)
    c = Canvas(str(path), pagesize=(width, height), initialFontName=FONTS.rl_regular, invariant=1)
    renderPDF.draw(chart_flowable(chart, width, height, THEME, FONTS), c, 0, 0)
    c.showPage()
    c.save()
    return path


def char_boxes(pdf: Path) -> tuple[list[Box], float, float]:
    import pdfplumber

    with pdfplumber.open(pdf) as doc:
        page = doc.pages[0]
        boxes = [Box(ch["text"], ch["x0"], ch["x1"], ch["top"], ch["bottom"], ch["size"]) for ch in page.chars
                 if ch["text"].strip()]
        return boxes, float(page.width), float(page.height)


def outside(boxes: list[Box], width: float, height: float, tol: float = 0.3) -> list[Box]:
    return [b for b in boxes if b.x0 < -tol or b.top < -tol or b.x1 > width + tol or b.bottom > height + tol]


def overlaps(boxes: list[Box], tol: float = 0.35) -> list[tuple[Box, Box]]:
    """Pairs of characters whose boxes overlap by more than tol pt both ways. Characters of one line
    only touch (advance widths), and wrapped lines are at least one em apart, so any overlap is two
    texts drawn over each other."""
    out = []
    order = sorted(boxes, key=lambda b: b.x0)
    for i, a in enumerate(order):
        for b in order[i + 1:]:
            if b.x0 >= a.x1 - tol:
                break
            if min(a.x1, b.x1) - max(a.x0, b.x0) > tol and min(a.bottom, b.bottom) - max(a.top, b.top) > tol:
                out.append((a, b))
    return out


def problems(chart: ChartData, width: float, height: float, path: Path) -> list[str]:
    """What a reader would see wrong: characters off the canvas, characters drawn over each other."""
    boxes, w, h = char_boxes(chart_pdf(chart, width, height, path))
    out = [f"outside {w:.0f}×{h:.0f}: {b.text!r} at x {b.x0:.1f}..{b.x1:.1f}, y {b.top:.1f}..{b.bottom:.1f}"
           for b in outside(boxes, w, h)]
    out += [f"overlap: {a.text!r} ({a.x0:.1f},{a.top:.1f}) and {b.text!r} ({b.x0:.1f},{b.top:.1f})"
            for a, b in overlaps(boxes)]
    return out


def text_of(pdf: Path) -> str:
    return "".join(b.text for b in char_boxes(pdf)[0])


def turned_runs(chars: list[dict]) -> list[tuple[str, tuple[float, float, float, float]]]:
    """Text reading upwards or downwards (a turned data or category label) of pdfplumber's `chars`: each run
    of one column of characters with no gap over 2 pt, in reading order, and its box (x0, top, x1, bottom).
    pdfplumber's "size" of a turned character is its advance, not the font size (「.」 is smaller than 「8」),
    so the characters of one label are grouped by their column alone."""
    cols: dict[tuple[int, bool], list[dict]] = defaultdict(list)
    for c in chars:
        m = c.get("matrix")
        if c.get("upright", True) or not m or abs(m[0]) > 0.1 * abs(m[1]):
            continue
        cols[round(c["x0"]), m[1] > 0].append(c)
    out = []
    for (_, up), col in cols.items():
        col.sort(key=lambda c: -c["top"] if up else c["top"])
        run = [col[0]]
        for prev, c in zip(col, col[1:], strict=False):
            if (prev["top"] - c["bottom"] if up else c["top"] - prev["bottom"]) > 2.0:
                out.append(run)
                run = []
            run.append(c)
        out.append(run)
    return [("".join(c["text"] for c in run), (min(c["x0"] for c in run), min(c["top"] for c in run),
                                               max(c["x1"] for c in run), max(c["bottom"] for c in run)))
            for run in out]
