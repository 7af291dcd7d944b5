"""How full the brief's pages are, read from the PDF with pdfplumber the way a reader sees a page.

`empty_feet(pdf)` lists, for every body page followed by another page of the same flow, the room left
empty at its foot and the room the next page's first block needed at least to start there. A page
foot emptier than that block's least start is a page that did not fill: the block could have started
there (the rule of render/pdf/brief: text splits with two lines at least, a heading keeps two lines of
its lead or moves with its figure or table, a figure's chart may give up height, a table starts with its
header and two rows, a section starts on a new page when less than SECTION_START is left).

Block kinds are read from the type, as a reader tells them apart: a section heading (16 pt and more,
bold), a finding heading (12.5 pt bold), a caption (10 pt bold, 「图N」/「表N」/「续表N」), body text
(10.5 pt regular), source and note lines (8 pt, 「资料来源」/「注」). Anything else at the top of a page
(a KPI band, a chart continued in a side-by-side row) is not judged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

MM = 72 / 25.4
SECTION_START = 260.0  # pt: a section heading needs this much room or starts a new page (brief.CondPageBreak)
CHART_KEEPS = 0.6  # a chart keeps at least this fraction of its planned height ...
CHART_FLOOR = 120.0  # ... and at least this many points (render/pdf/geometry.min_chart_height)
LEAD_ROOM = 0.2  # a heading leaves its figure for a page foot only when more than this of the page is empty
SMALL_TABLE = 150.0  # pt of body: a table this short moves whole
SLACK = 14.0  # pt: space before/after a block, rounding of the frame's sums
H2_ABOVE = 10.0  # pt a finding heading keeps above it except at a page's top (brief's h2 spaceBefore)
BLOCK_BELOW = 8.0  # pt a figure or table keeps under its source line (brief: Spacer(1, 8) after the block)


@dataclass
class Line:
    top: float
    bottom: float
    size: float
    bold: bool
    text: str

    @property
    def kind(self) -> str:
        if self.bold and self.size >= 16:
            return "h1"
        if self.bold and 12 <= self.size < 16:
            return "h2"
        if self.bold and abs(self.size - 10) < 0.3 and re.match(r"^(续?表|图)\d+", self.text):
            return "caption"
        if not self.bold and abs(self.size - 10.5) < 0.3:
            return "body"
        if not self.bold and self.size <= 8.5 and re.match(r"^(资料来源|注|数据来源|来源)", self.text):
            return "source"
        return "other"


@dataclass
class Foot:
    page: int  # 1-based
    empty: float  # pt left empty at the foot
    need: float  # pt the next page's first block needs at least (inf: not judged)
    first: str  # the next page's first line


def _lines(page, top: float, bottom: float) -> list[Line]:
    out = []
    for ln in page.extract_text_lines(return_chars=True):
        if ln["top"] < top - 1 or ln["bottom"] > bottom + 1:
            continue
        sizes = [c["size"] for c in ln["chars"]]
        bold = sum("Bold" in c["fontname"] for c in ln["chars"]) > len(ln["chars"]) / 2
        out.append(Line(ln["top"], ln["bottom"], max(sizes), bold, re.sub(r"\s+", "", ln["text"])))
    return out


def _ink_bottom(page, top: float, bottom: float) -> float:
    """The lowest mark (character, rule, fill, curve, image) inside the frame."""
    marks = [*page.chars, *page.rects, *page.lines, *page.curves, *page.images]
    ys = [m["bottom"] for m in marks if m["top"] >= top - 1 and m["bottom"] <= bottom + 1]
    return max(ys, default=top)


def _row_bottoms(page, below: float) -> list[float]:
    """The bottoms of a table's body rows under `below` (its header's bottom), as a reader sees rows: the
    rows are shaded in turn (white, light), so every edge of a light band is a row edge; a light band made
    of several touching rects (the pieces of a tall row) is one row. The last white row has no edge of its
    own: not listed."""
    bands: list[list[float]] = []
    for r in sorted((r for r in page.rects if r["top"] >= below - 1 and r.get("fill")
                     and _light(r.get("non_stroking_color"))), key=lambda r: r["top"]):
        if bands and r["top"] <= bands[-1][1] + 0.5:
            bands[-1][1] = max(bands[-1][1], r["bottom"])
        else:
            bands.append([r["top"], r["bottom"]])
    edges = sorted({round(e, 1) for band in bands for e in band} - {round(below, 1)})
    return [e for e in edges if e > below + 1]


def _light(color) -> bool:
    """The light row shade (F3F6FA, about 0.95-0.98 in each channel), not white or the header's accent."""
    if not isinstance(color, list | tuple) or len(color) != 3:
        return False
    return all(0.9 < c < 0.995 for c in color)


def _need(lines: list[Line], i: int, top: float, frame_h: float, page=None) -> float:
    """The least room (pt, from the frame's top) the block starting at lines[i] needs to start a page."""
    if i >= len(lines):
        return float("inf")
    first = lines[i]
    kind = first.kind
    if kind == "h1":
        return SECTION_START
    if kind == "body":
        run = [ln for ln in _run(lines, i, "body")]
        return run[min(2, len(run) - 1)].bottom - top
    if kind == "h2":
        run = _run(lines, i + 1, "body")
        if len(run) >= 2:
            return max(run[1].bottom - top, LEAD_ROOM * frame_h)
        return _need(lines, i + 1 + len(run), top, frame_h, page)
    if kind == "caption" and first.text.startswith("图"):
        # the chart runs from under the caption to the first source line (or the next block)
        j = next((k for k in range(i + 1, len(lines)) if lines[k].kind != "other"), len(lines))
        end = lines[j].top if j < len(lines) else lines[-1].bottom
        chart = max(0.0, end - first.bottom)
        sources = _run(lines, j, "source")
        block_bottom = sources[-1].bottom if sources else end
        shrink = chart - max(chart * CHART_KEEPS, min(chart, CHART_FLOOR))
        return block_bottom - top - shrink
    if kind == "caption":  # a table: its header (bold lines) and two lines of body, or all of a short one
        rows = lines[i + 1: next((k for k in range(i + 1, len(lines)) if lines[k].kind != "other"), len(lines))]
        body = [ln for ln in rows if not ln.bold]
        if not body:
            return float("inf")
        if rows[-1].bottom - first.bottom <= SMALL_TABLE + 25:
            return rows[-1].bottom - top
        if page is not None:  # the header and two rows (brief.TABLE_ROWS)
            head = [ln for ln in rows if ln.bold]
            edges = _row_bottoms(page, head[-1].bottom if head else first.bottom)
            if len(edges) >= 2:
                return edges[1] - top
        return body[min(1, len(body) - 1)].bottom - top
    return float("inf")


def _run(lines: list[Line], i: int, kind: str) -> list[Line]:
    out = []
    while i < len(lines) and lines[i].kind == kind:
        out.append(lines[i])
        i += 1
    return out


def empty_feet(pdf: Path, margin_mm: tuple[float, float, float, float] = (22, 20, 22, 20)) -> list[Foot]:
    """Every body page (after the 目录, before 数据说明) followed by a page of the same flow: the room
    left at its foot and what the next page's first block needed."""
    import pdfplumber

    feet: list[Foot] = []
    with pdfplumber.open(pdf) as doc:
        pages = doc.pages
        top_m, _r, bottom_m, _l = (m * MM for m in margin_mm)
        frame_top, frame_bottom = top_m, float(pages[0].height) - bottom_m
        frame_h = frame_bottom - frame_top
        lines = [_lines(p, frame_top, frame_bottom) for p in pages]
        for n in range(2, len(pages) - 1):  # 0 cover, 1 目录 (its own page)
            nxt = lines[n + 1]
            if not nxt or not lines[n] or any(ln.kind == "h1" and ln.text == "数据说明" for ln in lines[n] + nxt):
                continue
            empty = frame_bottom - _ink_bottom(pages[n], frame_top, frame_bottom)
            if lines[n][-1].kind == "source":  # the space under a figure's or table's source line is not room
                empty -= BLOCK_BELOW
            need = _need(nxt, 0, frame_top, frame_h, pages[n + 1])
            if nxt[0].kind == "h2":  # drawn at a page's foot, the heading has its space above it
                need += H2_ABOVE
            feet.append(Foot(n + 1, empty, need, nxt[0].text[:20]))
    return feet


def assert_pages_fill(pdf: Path) -> None:
    """No page foot is left emptier than the least start of the block that follows it."""
    bad = [f for f in empty_feet(pdf) if f.empty > f.need + SLACK]
    assert not bad, "pages that did not fill: " + "; ".join(
        f"page {f.page}: {f.empty:.0f} pt empty, but {f.first!r} needed only {f.need:.0f}" for f in bad)
