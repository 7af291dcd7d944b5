"""Reader-level checks of rendered text (issue 16, Done means), shared by the whole-report suite: two
characters drawn on top of each other, a chart's text outside its area, a deck character outside every box
of its slide, and the numbers both outputs print.

Everything is read from PDFs with pdfplumber: the brief itself, and LibreOffice's PDF of the deck (notes
pages are not exported, so speaker notes are excluded). Tolerances, calibrated on the bundled report and
generated ones (LibreOffice 25.2, ReportLab):
- a character's box is its advance wide and, vertically, 0.8 of its size centred on its middle (pdfplumber's
  boxes are the font's full ascent-to-descent height, which neighbouring lines of 1.2 pitch share);
- two boxes overlap when they share more than 30 % of the narrower width and of the lower height (kerned
  pairs share a few hundredths of a point; a glyph drawn on another shares most of it).
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from deckboxes import seen as as_read

NUMBER = re.compile(r"[−\-+]?\d[\d,]*(?:\.\d+)?%?")
SHARE = 0.3
CELL = 24.0  # pt: the grid that finds neighbours


def _angle(c: dict) -> int:
    """The direction of c's text in whole degrees (0: horizontal)."""
    a, b = c["matrix"][:2] if "matrix" in c else (1.0, 0.0)
    return round(math.degrees(math.atan2(b, a))) % 360


def _box(c: dict) -> tuple[float, float, float, float]:
    """Horizontal text: the advance by the middle 0.8 of the size (pdfplumber's top/bottom). Rotated text
    (the deck's 45° category labels): the same box in the text's own direction, from the text matrix --
    the upright bounding boxes of two neighbouring rotated glyphs overlap by geometry."""
    if _angle(c) == 0:
        mid = (c["top"] + c["bottom"]) / 2
        half = 0.4 * c["size"]
        return c["x0"], mid - half, c["x1"], mid + half
    a, b, _c, _d, e, f = c["matrix"]
    norm = math.hypot(a, b)
    ux, uy = a / norm, b / norm
    em = c["size"] / (abs(ux) + abs(uy))  # the upright box of a rotated em square
    along, across = e * ux + f * uy, -e * uy + f * ux
    return along, across - 0.02 * em, along + c.get("adv", em) * norm, across + 0.78 * em


def _shared(a, b) -> bool:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return (w > SHARE * min(a[2] - a[0], b[2] - b[0]) and h > SHARE * min(a[3] - a[1], b[3] - b[1])
            and w > 0.2 and h > 0.2)


def overlaps(chars: list[dict]) -> list[tuple[dict, dict]]:
    """Pairs of visible characters drawn on top of each other."""
    # the deck's invisible characters before a minus (deckboxes.INVISIBLE) have boxes but draw nothing
    visible = [c for c in chars if as_read(c["text"]).strip() and c["x1"] - c["x0"] > 0.5]
    grid: dict[tuple[int, int], list[int]] = defaultdict(list)
    boxes = [_box(c) for c in visible]
    for i, c in enumerate(visible):
        b = (c["x0"], c["top"], c["x1"], c["bottom"])  # the grid is in page space
        for gx in range(int(b[0] // CELL), int(b[2] // CELL) + 1):
            for gy in range(int(b[1] // CELL), int(b[3] // CELL) + 1):
                grid[gx, gy].append(i)
    angles = [_angle(c) for c in visible]
    found, seen = [], set()
    for members in grid.values():
        for k, i in enumerate(members):
            for j in members[k + 1:]:
                if (i, j) in seen or angles[i] != angles[j]:  # text at different angles is not compared
                    continue
                seen.add((i, j))
                if _shared(boxes[i], boxes[j]):
                    found.append((visible[i], visible[j]))
    return found


def word_at(chars: list[dict], c: dict) -> str:
    """The run of characters c belongs to on its line (for messages and for telling numbers apart)."""
    line = sorted((d for d in chars if abs(d["top"] - c["top"]) < 1 and d["text"].strip()), key=lambda d: d["x0"])
    k = next(i for i, d in enumerate(line) if d is c)
    lo = hi = k
    while lo > 0 and line[lo]["x0"] - line[lo - 1]["x1"] < 0.3 * c["size"]:
        lo -= 1
    while hi + 1 < len(line) and line[hi + 1]["x0"] - line[hi]["x1"] < 0.3 * c["size"]:
        hi += 1
    return "".join(d["text"] for d in line[lo:hi + 1])


def is_number(text: str) -> bool:
    """Text made of numbers only: one data label, or several crowded labels run together ("22.292.8")."""
    return bool(re.fullmatch(r"[\d.,%−\-+（）()]+", text)) and any(ch.isdigit() for ch in text)


# ----------------------------------------------------------------------------- the deck's boxes

A = "http://schemas.openxmlformats.org/drawingml/2006/main"
P = "http://schemas.openxmlformats.org/presentationml/2006/main"
C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS = {"a": A, "p": P, "c": C, "r": R}


@dataclass
class Frame:
    slide: int
    kind: str  # "text", "table", or the chart's plot kinds (barChart, pieChart, doughnutChart ...)
    x0: float
    top: float
    x1: float
    bottom: float
    values: tuple[float, ...] = ()  # a chart's values (its cache), to tell data labels from axis ticks
    places: frozenset[int] = frozenset()  # decimals of its data labels' number formats (a tick may differ)

    def holds(self, c: dict, tol: float = 1.5) -> bool:
        """c lies in the frame (a hanging mark may start past the right edge by the gap before it, as in
        deckboxes.py)."""
        from deckboxes import HANG_GAP, HANGING

        mid = (c["top"] + c["bottom"]) / 2
        right = c["x1"] <= self.x1 + tol or (c["text"] in HANGING and c["x0"] <= self.x1 + tol + HANG_GAP * c["size"])
        return self.x0 - tol <= c["x0"] and right and self.top - tol <= mid <= self.bottom + tol


def deck_frames(pptx: Path) -> list[Frame]:
    """Every shape of every slide that draws text (text shapes and placeholders at the position their
    layout gives them, tables, charts), in points."""
    from pptx import Presentation

    frames = []
    for n, slide in enumerate(Presentation(str(pptx)).slides, start=1):
        for sh in slide.shapes:
            if sh.left is None or sh.width is None:
                continue
            box = (sh.left / 12700, sh.top / 12700, (sh.left + sh.width) / 12700, (sh.top + sh.height) / 12700)
            if getattr(sh, "has_chart", False) and sh.has_chart:
                plot = etree.fromstring(sh.chart_part.blob).find(f"{{{C}}}chart/{{{C}}}plotArea")
                kinds = "+".join(etree.QName(e).localname for e in plot if etree.QName(e).localname.endswith("Chart"))
                values = tuple(float(v.text) for v in plot.iterfind(f".//{{{C}}}val//{{{C}}}v"))
                codes = [e.get("formatCode", "") for e in plot.iterfind(f".//{{{C}}}dLbls//{{{C}}}numFmt")]
                places = frozenset(len(m.group(1)) if (m := re.search(r"\.(0+)", code.split(";")[0])) else 0
                                   for code in codes)
                frames.append(Frame(n, kinds, *box, values=values, places=places))
            elif getattr(sh, "has_table", False) and sh.has_table:
                frames.append(Frame(n, "table", *box))
            elif sh.has_text_frame:
                frames.append(Frame(n, "text", *box))
    return frames


# ----------------------------------------------------------------------------- the checks

CJK_NUMBER_SPACE = re.compile(r"[\u4e00-\u9fff][ \u00a0\u2009]+[−\-+]?\d|\d%?[ \u00a0\u2009]+[\u4e00-\u9fff]")
HYPHEN_MINUS = re.compile(r"(?<![\w.\-/:])-\d")


def pdf_problems(pdf: Path) -> list[str]:
    """The brief: characters on top of each other; a chart's text past the page's text frame or into
    another chart beside it. A chart's characters are the ones in its /Figure marked content (tags.py)."""
    import pdfplumber

    found = []
    with pdfplumber.open(pdf) as doc:
        pages = [[c for c in p.chars if c["text"].strip()] for p in doc.pages]
        width = float(doc.pages[0].width)
    body = [c for chars in pages for c in chars if c.get("tag") != "Figure" and c["size"] >= 8]
    left, right = min(c["x0"] for c in body), max(c["x1"] for c in body)
    right = max(right, width - left)  # the text frame is centred on the page
    for n, chars in enumerate(pages, start=1):
        for a, b in overlaps(chars):
            wa, wb = word_at(chars, a), word_at(chars, b)
            found.append(f"page {n}: “{wa}” and “{wb}” drawn on top of each other at ({a['x0']:.0f}, {a['top']:.0f})")
        figures: dict[int, list[dict]] = defaultdict(list)
        for c in chars:
            if c.get("tag") == "Figure":
                figures[c.get("mcid")].append(c)
        hulls = {}
        for mcid, fig in figures.items():
            x0, x1 = min(c["x0"] for c in fig), max(c["x1"] for c in fig)
            top, bottom = min(c["top"] for c in fig), max(c["bottom"] for c in fig)
            hulls[mcid] = (x0, top, x1, bottom)
            if x0 < left - 1 or x1 > right + 1:
                out = min(fig, key=lambda c: c["x0"]) if x0 < left - 1 else max(fig, key=lambda c: c["x1"])
                found.append(f"page {n}: chart text “{word_at(chars, out)}” past the text frame "
                             f"({x0:.1f}–{x1:.1f} pt, frame {left:.1f}–{right:.1f})")
        ids = sorted(hulls, key=str)
        for i, a in enumerate(ids):
            for b in ids[i + 1:]:
                ha, hb = hulls[a], hulls[b]
                if min(ha[2], hb[2]) - max(ha[0], hb[0]) > 1 and min(ha[3], hb[3]) - max(ha[1], hb[1]) > 1:
                    found.append(f"page {n}: the texts of two charts run into each other")
    return found


def deck_problems(pptx: Path, rendered: Path) -> list[str]:
    """LibreOffice's drawing of the deck: characters on top of each other; a character outside every
    text box, table and chart frame of its slide (a chart's text outside its frame)."""
    import pdfplumber

    frames = deck_frames(pptx)
    found = []
    with pdfplumber.open(rendered) as doc:
        for n, page in enumerate(doc.pages, start=1):
            chars = [c for c in page.chars if c["text"].strip()]
            mine = [f for f in frames if f.slide == n]
            for c in chars:
                if not any(f.holds(c) for f in mine):
                    found.append(f"slide {n}: “{word_at(chars, c)}” outside every box of its slide "
                                 f"at ({c['x0']:.0f}, {c['top']:.0f})")
                    break
            for a, b in overlaps(chars):
                wa, wb = word_at(chars, a), word_at(chars, b)
                found.append(f"slide {n}: “{wa}” and “{wb}” drawn on top of each other at ({a['x0']:.0f}, {a['top']:.0f})")
    return found


def pdf_line_texts(pdf: Path) -> list[list[str]]:
    """Each page's lines as pdfplumber reads them (spaces where the PDF draws them)."""
    import pdfplumber

    with pdfplumber.open(pdf) as doc:
        return [[line["text"] for line in page.extract_text_lines(layout=False, strip=True)] for page in doc.pages]


def joined(lines: list[str]) -> str:
    """Text without its white space (line breaks, and the spaces a line end swallows) and the deck's invisible
    characters (deckboxes.INVISIBLE)."""
    return re.sub(r"\s+", "", as_read("".join(lines)))


def drawn_runs(chars: list[dict]) -> list[tuple[str, dict]]:
    """Each line of characters as drawn, left to right, with the space characters the PDF draws, and its
    first character; a gap of more than half a character (a table's cell margin, a chart's label spacing)
    splits it."""
    rows: dict[tuple[int, int], list[dict]] = defaultdict(list)
    for c in chars:
        if c.get("upright", True) and as_read(c["text"]):
            rows[round(c["bottom"]), round(c["size"] * 2)].append(c)
    out = []
    for row in rows.values():
        row.sort(key=lambda c: c["x0"])
        text, first = row[0]["text"], row[0]
        for prev, c in zip(row, row[1:], strict=False):
            if c["x0"] - prev["x1"] > c["size"] * 0.5:
                out.append((text, first))
                text, first = "", c
            text += c["text"]
        out.append((text, first))
    return out


def drawn_lines(chars: list[dict]) -> list[str]:
    return [text for text, _ in drawn_runs(chars)]


def value_of(number: str) -> float:
    return float(number.replace("−", "-").replace(",", "").rstrip("%"))


def printed(value: float, places: int) -> float:
    """`value` as a reader sees it printed with `places` decimals: halves rounded away from zero, as both
    outputs write numbers (egovdeck.text.numfmt, ROUND_HALF_UP; LibreOffice's rtl::math::round) -- Python's
    round() takes the even neighbour (−30.25 -> −30.2, while both outputs print −30.3)."""
    import decimal

    q = decimal.Decimal(repr(value)).quantize(decimal.Decimal(1).scaleb(-places), rounding=decimal.ROUND_HALF_UP)
    return float(q)


def deck_numbers(pptx: Path, rendered: Path) -> tuple[set[str], set[str], set[str]]:
    """Numbers LibreOffice draws on the slides: (outside charts, a chart's data labels, a chart's axis
    ticks). Inside a chart frame a number is a data label when its value is one of the chart's at its
    printed precision (and printed with a data label's decimals); the others are its value axis' ticks, the
    PDF's too (egovdeck.charts.scale.axis_ticks; a combo's right axis and the top lifted for its line are
    decided once for both outputs too, egovdeck.charts.comboaxis)."""
    import pdfplumber

    frames = deck_frames(pptx)
    plain, labels, ticks = set(), set(), set()
    with pdfplumber.open(rendered) as doc:
        for n, page in enumerate(doc.pages, start=1):
            charts = [f for f in frames if f.slide == n and f.values]
            for text, first in drawn_runs(page.chars):
                for x in NUMBER.findall(text):
                    chart = next((f for f in charts if f.holds(first)), None)
                    if chart is None:
                        plain.add(x)
                        continue
                    places = len(x.rstrip("%").partition(".")[2])
                    v = value_of(x)
                    if chart.places and places not in chart.places:
                        ticks.add(x)  # printed with other decimals than any data label
                    elif any(abs(printed(w, places) - v) < 10 ** -places / 2 + 1e-9 for w in chart.values):
                        labels.add(x)
                    elif any(abs(printed(-w, places) - v) < 10 ** -places / 2 + 1e-9 for w in chart.values):
                        pass  # a negative bar's label LibreOffice 25.2 draws without its sign (not ours)
                    else:
                        ticks.add(x)
    return plain, labels, ticks
