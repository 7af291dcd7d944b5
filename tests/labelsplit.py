"""A chart label broken inside a number, a date or a Latin word, read from a PDF the way a reader reads it
(issue 16, charts and text rules: "no number or Latin word split across lines").

The reader knows nothing of the renderer: it groups pdfplumber's characters into lines along their own
baseline (horizontal text, the PDF's labels turned 90°, LibreOffice's 45° labels), takes two lines as lines
of one wrapped label when they are the same size and direction, one line pitch apart and side by side along
it, and looks the pair up in the category names it was given. A pair that reads as a name cut where no line
may break is a split:

- inside an atom: digits with their separators, decimal point and percent sign (12,345, −3.2%, 2024-03,
  2.0), a Latin word (Autonomous, CNNIC, https://www.gov.cn/xinwen): a run of letters and digits with the
  marks between them;
- a link (a URL with its scheme or www., an e-mail address, a host name of three labels or more) is an
  atom that may break only right after one of / . _ - ? & = (never between two digits, never inside ://);
- between a number and the CJK character written right after it, its unit (2000年 over two lines as
  「2000」「年」), when `units` is set (egovdeck's label rule; LibreOffice breaks there, so the deck is
  read without it).

A line that ends in 「…」 is a name cut short on purpose, not a split.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

ATOM = re.compile(r"[A-Za-z0-9][A-Za-z0-9.,%\-−/:'_&?=@#~]*")
LINK = re.compile(r"^(?:[a-z][a-z0-9+.-]*://|www\.|[^@]+@)|^(?:[a-z0-9-]+\.){2,}[a-z]{2,}(?:/|$)", re.I)


def _link_breaks(atom: str) -> set[int]:
    """Positions inside a link atom where a line may break: right after / . _ - ? & = ."""
    if not LINK.match(atom):
        return set()
    marks = "/._-?&="
    return {i for i in range(1, len(atom)) if atom[i - 1] in marks and atom[i] not in marks + ":"
            and not (atom[i - 1] != "/" and i >= 2 and atom[i - 2].isdigit() and atom[i].isdigit())}


@dataclass
class Line:
    text: str  # without white space
    angle: int
    size: float
    across: float  # the baseline's distance from the origin, perpendicular to the text
    lo: float  # along the baseline: where the line starts and ends
    hi: float
    page: int
    mids: list[float]  # along the baseline: the middle of each character




def _cjk(c: str) -> bool:
    return unicodedata.east_asian_width(c) in ("W", "F") and unicodedata.category(c)[0] != "P"


def forbidden(name: str, units: bool = True) -> set[int]:
    """Positions p of name without its white space where a line break between p-1 and p cuts an atom
    (or, with units, a number from the CJK unit right after it)."""
    keep = [i for i, c in enumerate(name) if not c.isspace()]
    at = {i: k for k, i in enumerate(keep)}  # index in name -> index without white space
    out: set[int] = set()
    for m in ATOM.finditer(name):
        a, b = m.start(), m.end()
        while b > a + 1 and name[b - 1] in ".,:-−/'_&":
            b -= 1  # a sentence's full stop or a comma after a word is not part of it
        free = {a + i for i in _link_breaks(name[a:b])}
        out.update(at[i] for i in range(a + 1, b) if i not in free)
        if units and name[b - 1].isdigit() and b < len(name) and _cjk(name[b]):
            out.add(at[b])
    return out


def lines(chars: list[dict], page: int = 1) -> list[Line]:
    """The page's characters as lines along their baselines (any direction), split where the gap along the
    line is more than half a character (the space between two labels)."""
    rows: dict[tuple[int, int, int], list[tuple[float, float, float, dict]]] = {}
    for c in chars:
        if not c["text"].strip():
            continue
        a, b = c["matrix"][0], c["matrix"][1]
        norm = math.hypot(a, b) or 1.0
        ux, uy = a / norm, b / norm
        x, y = c["matrix"][4], c["matrix"][5]
        along, across = x * ux + y * uy, -x * uy + y * ux
        angle = round(math.degrees(math.atan2(uy, ux))) % 360
        size = c["size"]
        if angle in (0, 180):
            adv = c["x1"] - c["x0"]
        elif angle in (90, 270):  # pdfplumber's size of a turned glyph is its advance: the em is across
            adv, size = c["bottom"] - c["top"], c["x1"] - c["x0"]
        else:  # a slanted glyph's box is its diagonal: the advance is about the size for CJK
            adv = min(math.hypot(c["x1"] - c["x0"], c["bottom"] - c["top"]), size)
        rows.setdefault((angle, round(size * 2), round(across / max(size * 0.3, 0.5))), []).append(
            (along, along + adv, across, c, size))
    out = []
    for (angle, _, _), row in rows.items():
        row.sort(key=lambda t: t[0])
        run = [row[0]]
        for t in row[1:]:
            if t[0] - run[-1][1] > t[4] * 0.5:
                out.append(_line(run, angle, page))
                run = [t]
            else:
                run.append(t)
        out.append(_line(run, angle, page))
    return out


def _line(run, angle: int, page: int) -> Line:
    return Line("".join(t[3]["text"] for t in run), angle, run[0][4], sum(t[2] for t in run) / len(run),
                run[0][0], run[-1][1], page, [(t[0] + t[1]) / 2 for t in run])


def neighbours(ls: list[Line]) -> list[tuple[Line, Line]]:
    """Pairs (first, next) of lines that can be two lines of one label: same direction and size, the next one
    0.8 to 1.8 sizes further across (below a horizontal line; right of an upward one), overlapping along."""
    out = []
    by_kind: dict[tuple[int, float], list[Line]] = {}
    for ln in ls:
        by_kind.setdefault((ln.angle, round(ln.size, 1)), []).append(ln)
    for group in by_kind.values():
        for a in group:
            for b in group:
                gap = a.across - b.across  # the next line of a text is further "down" in the text's own frame
                if a is b or not 0.8 * a.size <= gap <= 1.8 * a.size:
                    continue
                if min(a.hi, b.hi) - max(a.lo, b.lo) > -0.5 * a.size and not _ticks(a, b):
                    out.append((a, b))
    return out


TICK = re.compile(r"^[−\-+]?[\d,]+(?:\.\d+)?%?$")


def _ticks(a: Line, b: Line) -> bool:
    """Two neighbouring tick labels of a value axis, not two lines of one label: each a whole number, the two
    aligned at one end (a right axis' labels start together, a left axis' end together; a label's lines are
    centred under their category, so lines of different widths do not align). A tick pitch of 1.25-1.8
    sizes read as 「10」 over 「0」, a split of 「100」."""
    if not (TICK.match(a.text) and TICK.match(b.text)) or a.text == b.text:
        return False
    tol = 0.3
    return abs(a.lo - b.lo) <= tol or abs(a.hi - b.hi) <= tol


def splits(pdf: Path, names: list[str], units: bool = True) -> list[str]:
    """Labels of `names` printed over two lines cut inside a number, date or Latin word, as 'page N: name:
    「first」 over 「next」'.

    Neighbouring labels whose lines touch (LibreOffice draws wrapped CJK labels edge to edge) read as one
    line: the end of the first line is taken where it stands over the next line, the start of the next
    line where it stands under the first, each within 0.75 of a character beyond the other's ends."""
    import pdfplumber

    wanted = [(n, re.sub(r"\s+", "", n), forbidden(n, units)) for n in names]
    found = []
    with pdfplumber.open(pdf) as doc:
        for k, page in enumerate(doc.pages, start=1):
            for a, b in neighbours(lines(page.chars, k)):
                if a.text.endswith("…"):
                    continue
                w = 0.75 * a.size
                heads, tails = {a.text}, {b.text}
                if a.lo < b.lo - 2 * a.size and a.hi > b.hi + 2 * a.size:  # a runs on into its neighbours
                    heads.add(_within(a, b.lo - w, b.hi + w))
                if b.lo < a.lo - 2 * a.size and b.hi > a.hi + 2 * a.size:
                    tails.add(_within(b, a.lo - w, a.hi + w))
                heads, tails = heads - {""}, tails - {""}
                for name, flat, bad in wanted:
                    if any(flat[p - len(h):p] == h and flat[p:p + len(t)] == t
                           for p in bad for h in heads for t in tails):
                        found.append(f"page {k}: {name!r}: 「{a.text}」 over 「{b.text}」")
    return sorted(set(found))


def _within(line: Line, lo: float, hi: float) -> str:
    """The characters of line from the first to the last whose middle lies between lo and hi."""
    inside = [i for i, x in enumerate(line.mids) if lo <= x <= hi]
    return line.text[inside[0]:inside[-1] + 1] if inside else ""
