"""Chinese line breaking and fitting text into a box with the bundled font's metrics.

PowerPoint only shrinks text when someone edits the box, so the deck fits its own text at
build time: wrap with the same rules a typesetter uses (禁则), shrink down to a floor, and
hand back whatever still does not fit so the caller can continue it on a new slide.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from egovdeck.fonts import Metrics

# Characters that may not start a line, and that may not end one (GB/T 15834 practice).
NO_START = set("，。、；：？！）》」』】〕〗〉…—％%,.;:?!)]}’”·～")
NO_END = set("（《「『【〔〖〈‘“([{")
# Runs that must not be broken: Latin words, numbers with their separators and units like 6.94 or 14,474.
_ATOM = re.compile(r"[A-Za-z0-9][A-Za-z0-9.,%+\-−/:]*|\s+|.", re.S)


def atoms(text: str) -> list[str]:
    return _ATOM.findall(text)


def wrap(text: str, width: float, size: float, metrics: Metrics) -> list[str]:
    """Greedy line breaking of one paragraph; never breaks inside a Latin word or number."""
    lines: list[str] = []
    line: list[str] = []  # atoms of the current line

    def measure(parts: list[str]) -> float:
        return metrics.width("".join(parts).rstrip(), size)

    for atom in atoms(text):
        if atom.isspace() and not line:
            continue
        if not line or measure([*line, atom]) <= width:
            line.append(atom)
            continue
        # Break before atom. Punctuation may not start a line: carry the last atom(s) down with it;
        # an opening bracket may not end a line: carry it down too.
        k = len(line)
        if atom[0] in NO_START:
            k -= 1
            while k > 0 and line[k][0] in NO_START:
                k -= 1
        while k > 0 and line[k - 1][-1] in NO_END:
            k -= 1
        if k <= 0:  # nothing can move: break here rather than overflow forever
            k = len(line)
        lines.append("".join(line[:k]).rstrip())
        line = [a for a in line[k:] if not (a.isspace() and a is line[k])] + [atom]
        while line and line[0].isspace():
            line.pop(0)
    if "".join(line).strip():
        lines.append("".join(line).rstrip())
    return lines


@dataclass
class Fitted:
    size: float
    paragraphs: list[list[str]]  # wrapped lines per paragraph that fit
    rest: list[str]  # paragraphs (or the tail of one) that did not fit at the floor size
    shrunk: bool

    @property
    def lines(self) -> int:
        return sum(len(p) for p in self.paragraphs)


def height(lines: int, paragraphs: int, size: float, spacing: float, para_gap: float) -> float:
    return lines * size * spacing + max(paragraphs - 1, 0) * size * para_gap


def fit(paragraphs: list[str], width: float, box_height: float, metrics: Metrics, size: float, floor: float,
        spacing: float = 1.3, para_gap: float = 0.5, step: float = 0.5) -> Fitted:
    """Largest size in [floor, size] at which all paragraphs fit; else what fits at floor plus the rest."""
    s = size
    while s >= floor - 1e-9:
        wrapped = [wrap(p, width, s, metrics) for p in paragraphs]
        if height(sum(map(len, wrapped)), len(wrapped), s, spacing, para_gap) <= box_height:
            return Fitted(s, wrapped, [], s < size)
        s = round(s - step, 2)
    # Does not fit even at the floor: take whole lines until the box is full.
    s = floor
    placed: list[list[str]] = []
    rest: list[str] = []
    used_lines = 0
    for i, p in enumerate(paragraphs):
        lines = wrap(p, width, s, metrics)
        room = int((box_height - len(placed) * s * para_gap) // (s * spacing)) - used_lines
        if room >= len(lines):
            placed.append(lines)
            used_lines += len(lines)
            continue
        if room > 0:
            placed.append(lines[:room])
            rest.append("".join(lines[room:]))
        else:
            rest.append(p)
        rest += paragraphs[i + 1:]
        break
    return Fitted(s, placed, rest, True)
