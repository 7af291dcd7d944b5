"""Chinese line breaking and fitting text into a box with the bundled font's metrics.

PowerPoint only shrinks text when someone edits the box, so the deck fits its own text at
build time: wrap with the same rules a typesetter uses (禁则), shrink down to a floor, and
hand back whatever still does not fit so the caller can continue it on a new slide.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from egovdeck.text.autospace import gaps
from egovdeck.text.fonts import Metrics

# The one kinsoku (禁则) table of every renderer (GB/T 15834 practice; the PDF's paragraphs, the
# deck's text boxes and the chart labels all break through break_lines below).
# Characters that may not start a line, and that may not end one: the closing and opening marks of
# GB/T 15834 with their half-width forms (a writer mixes them), the ellipsis and dash (……, ——, never
# split and never at a line start; the two-dot leader and the midline ellipsis ⋯ too), units written
# after a number (‰ ℃ °) and currency signs written before one.
NO_START = set("，。、；：？！）》」』】〕〗〉〙〛〞…‥⋯—―％%‰℃°′″,.;:?!)]}’”»›"
               "．｡､｣］｝｠·～々ーぁぃぅぇぉっゃゅょ")
NO_END = set("（《「『【〔〖〈〘〚〝‘“([{«‹［｛｢｟$¥￥£€")
# Characters of a run that must not be broken: Latin words, numbers with their separators and units
# (6.94, 14,474, 76.8%, −3.2, CNNIC, 2019-12).
ATOM_CHARS = set("0123456789.,%+-−/:_'&=@#~") | {chr(c) for c in range(65, 91)} | {chr(c) for c in range(97, 123)}
_ATOM = re.compile(r"[A-Za-z0-9][A-Za-z0-9.,%+\-−/:]*|\s+|.", re.S)
_FUZZ = 1e-6


def may_break(before: str, after: str, units: bool = False) -> bool:
    """Whether a line may end after `before` and the next start with `after` (both one character).

    units=True (chart labels, `wrap_label`): a number also keeps the CJK character written right after it,
    its unit or measure word (2000年, 12月, 45次, 12,345人): a label never ends in a bare number whose unit
    starts the next line. Body text breaks there (as LibreOffice and PowerPoint do)."""
    if not before or not after or after.isspace():
        return False  # spaces hang at the end of a line; the break comes after them
    if before.isspace():
        return after not in NO_START
    if after in NO_START or before in NO_END:
        return False
    if units and before.isdigit() and wide(after) and not _wide_punct(after):
        return False
    return not (before in ATOM_CHARS and after in ATOM_CHARS)


# A link: a URL (scheme:// or www.), an e-mail address, a host name of three or more labels, or a path of
# two or more slashes with a letter in it (not a date: 2020/03/31). It is one run of ATOM_CHARS, so no line
# may break inside it except right after one of LINK_BREAK_AFTER (the delimiters of RFC 3986; the Chicago
# Manual of Style 6.17 breaks a URL only at such marks), and never between two digits (2020.5, 10-12)
# nor inside "://": https://|www.gov.|cn/|col/|index_|1234567.|html, never gov.c|n or index_123|4567.
_LINK = re.compile(
    r"(?:[A-Za-z][A-Za-z0-9+.\-]*://|www\.)[A-Za-z0-9\-._~:/?#\[\]@!$&*+;=%]*[A-Za-z0-9/_\-=#~]"
    r"|[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+"
    r"|(?:[A-Za-z0-9\-]+\.){2,}[A-Za-z]{2,}(?:/[A-Za-z0-9\-._~/?#&=%]*[A-Za-z0-9/_\-=#~])?"
    r"|[A-Za-z0-9\-._~]*(?:/[A-Za-z0-9\-._~]+){2,}/?")
LINK_BREAK_AFTER = set("/._-?&=")
_LINK_HINT = set("/@.")


def links(text: str) -> list[tuple[int, int]]:
    """(start, end) of each link in text (see _LINK): URLs, e-mail addresses, host names and paths."""
    if not _LINK_HINT.intersection(text):
        return []
    return [m.span() for m in _LINK.finditer(text) if re.search(r"[A-Za-z]", m.group())]


def breaks(chars, units: bool = False) -> list[bool]:
    """For each index i of chars (one-character strings), whether a line may start at i: may_break of the
    two characters around it, except inside a link (`links`), which breaks only right after one of
    LINK_BREAK_AFTER, never between two digits, never before a mark that may not start a line."""
    n = len(chars)
    ok = [False] + [may_break(chars[i - 1], chars[i], units) for i in range(1, n)]
    text = "".join(c if len(c) == 1 else "\ufffc" for c in chars)
    for start, end in links(text):
        for i in range(start + 1, end):
            a, b = text[i - 1], text[i]
            ok[i] = (a in LINK_BREAK_AFTER and b not in LINK_BREAK_AFTER and b != ":" and b not in NO_START
                     and not (a != "/" and i >= 2 and text[i - 2].isdigit() and b.isdigit()))
    return ok


def pieces(text: str, units: bool = False) -> list[str]:
    """text cut at every place a line may break (may_break): the runs no line break may enter, such as
    numbers with their separators (14,474, −3.2%), dates (2019-12), Latin words and, with units=True, a
    number with the unit after it (2000年). Spaces between pieces are dropped. A line of a wrapped text
    is never narrower than its widest piece unless a piece was cut (`wrap_label` says when)."""
    out: list[str] = []
    start = 0
    ok = breaks(text, units)
    for i in range(1, len(text) + 1):
        if i == len(text) or text[i] == "\n" or ok[i]:
            piece = text[start:i].strip()
            if piece:
                out.append(piece)
            start = i
    return out


def viewer_may_cut(text: str) -> bool:
    """Whether a viewer that wraps text itself (LibreOffice and PowerPoint wrap a chart's category labels
    with their own, ICU-like line breaker) may break `text` where the label rule does not: between a
    number and the CJK unit after it (「2019年12」 over 「月31日」, LibreOffice 25.2) or after a hyphen or
    slash inside a date or word (「2024-」 over 「01」). Such a label is turned rather than left to wrap."""
    for i in range(1, len(text)):
        a, b = text[i - 1], text[i]
        if may_break(a, b, units=True):
            continue
        if (a.isdigit() and wide(b)) or (a in "-/–" and b.isalnum()):
            return True
    return False


def break_lines(chars, widths, max_widths, runts: bool = True, units: bool = False) -> list[tuple[int, int, int]]:
    """Greedy line breaking of one paragraph with the kinsoku table; the single rule of every renderer.

    chars: a sequence of one-character strings ("\n" is a forced break), widths: the advance of each
    (points), max_widths: a width or one per line (the last repeats). Returns (start, end, next) per
    line: the line is chars[start:end] (no spaces at either end) and the next line starts at `next`.
    A line ends at the last legal break that fits; only a run with no legal break in it (a word wider
    than the line) is cut where it overflows. units: see may_break (the chart labels' rule).
    """
    if isinstance(max_widths, int | float):
        max_widths = [max_widths]
    n = len(chars)
    out: list[tuple[int, int, int]] = []
    start = 0
    ok = breaks(chars, units)
    while start < n:
        while start < n and chars[start] in (" ", "\t"):
            start += 1
        if start >= n:
            break
        limit = max_widths[min(len(out), len(max_widths) - 1)]
        x = 0.0
        legal = -1  # the last index a line may start at
        i = start
        cut = n
        while i < n:
            c = chars[i]
            if c == "\n":
                cut = i
                break
            if i > start and ok[i] and not _opens_before_space(chars, start, i):
                legal = i
            x += widths[i]
            if x > limit + _FUZZ and i > start and not c.isspace():
                cut = legal if legal > start else _forced_cut(chars, start, i)
                break
            i += 1
        end = cut
        while end > start and chars[end - 1] in (" ", "\t"):
            end -= 1
        nxt = cut + 1 if cut < n and chars[cut] == "\n" else cut
        out.append((start, end, nxt))
        start = nxt
    # runts=False: the lines of a paragraph that continues elsewhere (its last line here is not its end)
    return _no_runt(chars, widths, max_widths, out, ok) if runts else out


RUNT = 2  # a paragraph's last line of up to this many characters takes one more word from the line above


def _forced_cut(chars, start: int, i: int) -> int:
    """Where a run with no legal break that fits (a word, or a character with its marks, wider than the line)
    is cut, near i where it overflows: closing marks hang at the end of the line (标点悬挂) instead of
    starting the next, and opening marks go down with what they open."""
    cut = i
    while cut < len(chars) and chars[cut] in NO_START:
        cut += 1
    if cut < len(chars) and chars[cut] != "\n":
        j = cut
        while j - 1 > start and chars[j - 1] in NO_END:
            j -= 1
        if j > start and chars[j - 1] not in NO_END:
            cut = j
    return cut


def _opens_before_space(chars, start: int, i: int) -> bool:
    """A break at i after spaces whose last visible character opens (「（ 字」): the line would end with it."""
    j = i - 1
    while j > start and chars[j] in (" ", "\t"):
        j -= 1
    return j < i - 1 and chars[j] in NO_END


def _weight(chars) -> int:
    """How many characters a line counts for the runt rule: not spaces, and not the closing punctuation that
    may not start a line (「骤）。」 is one character, a runt, with its marks)."""
    return sum(not c.isspace() and c not in NO_START for c in chars)


def _no_runt(chars, widths, max_widths, spans: list[tuple[int, int, int]],
             ok: list[bool]) -> list[tuple[int, int, int]]:
    """No paragraph ends with a line of one or two characters, its closing marks not counted (a runt, 孤字),
    when the line above can give
    it a word: the break above moves back to the previous legal break, if the last line still fits and the
    line above keeps at least as much (a narrow table cell: 广西壮/族自/治区, not 广西壮/族自治/区).
    Paragraph ends are the last line and every line ended by a forced break ("\n")."""
    out = list(spans)
    for k in range(1, len(out)):
        start, end, nxt = out[k]
        last = k == len(out) - 1 or nxt > end and chars[nxt - 1] == "\n"
        p_start, p_end, p_nxt = out[k - 1]
        if not last or p_nxt != start or chars[p_nxt - 1] == "\n" or _weight(chars[start:end]) > RUNT:
            continue  # not a paragraph's last line, or the line above ended the paragraph before
        limit = max_widths[min(k, len(max_widths) - 1)]
        best = None  # the latest break above that gives the last line enough, or the most it can get
        for p in range(start - 1, p_start + 1, -1):
            if not ok[p] or _opens_before_space(chars, p_start, p):
                continue
            q = p
            while q > p_start and chars[q - 1] in (" ", "\t"):
                q -= 1
            if sum(widths[p:end]) > limit + _FUZZ or _weight(chars[p_start:q]) < min(_weight(chars[p:end]), RUNT + 1):
                break
            best = (p, q)
            if _weight(chars[p:end]) > RUNT:
                break
        if best is not None:
            p, q = best
            out[k - 1] = (p_start, q, p)
            out[k] = (p, end, nxt)
    return out


def wide(c: str) -> bool:
    """A CJK character or full-width punctuation (East Asian Width W or F): no spaces around it."""
    return bool(c) and unicodedata.east_asian_width(c) in ("W", "F")


# ASCII white space only: U+3000 (the ideographic space of 「图1　…」) is text, never a soft break.
_SOFT = re.compile(r"[ \t\r\n]+")
# a hyphen-minus written before a number (a value printed without a filter: {{ x }} -> -30.3) is the minus
# sign U+2212 numfmt writes everywhere; never in a range or a date (2019-2020, 2020-03)
_HYPHEN_MINUS = re.compile(r"(?<![A-Za-z0-9.\-\u2212])-(?=\d)")
_BLANK = re.compile(r"[ \t\r]*\n[ \t\r]*\n\s*")


def _wide_punct(c: str) -> bool:
    """Full-width punctuation (，。；：（）「」、 ...): its glyph carries the space around it (GB/T 15834), so a
    folded line or a space typed next to it prints as nothing."""
    return wide(c) and unicodedata.category(c)[0] == "P"


def minus_signs(text: str) -> str:
    """text with each hyphen-minus written before a number as the minus sign U+2212 (see _HYPHEN_MINUS):
    source text, and the text cells of a table, print one minus sign like every formatted number."""
    return _HYPHEN_MINUS.sub("\u2212", text)


_NUMBER_END = re.compile(r"\d[%‰‱°℃]?$")
_NUMBER_START = re.compile(r"[+\-\u2212]?\d")


def _number_ends(text: str, at: int) -> bool:
    """A number ends just before index at (its digits, with a percent, per-mille or degree sign after them)."""
    return bool(_NUMBER_END.search(text, max(0, at - 2), at))


def _number_starts(text: str, at: int) -> bool:
    """A number starts at index at (its digits, with a plus or minus sign before them)."""
    return bool(_NUMBER_START.match(text, at))


def _join_lines(para: str) -> str:
    def one(m: re.Match[str]) -> str:
        before, after = para[m.start() - 1], para[m.end()] if m.end() < len(para) else ""
        if not after:
            return ""
        if wide(before) and wide(after):
            return ""  # 中文之间: a soft break or a folded line is no space
        if _wide_punct(before) or _wide_punct(after):
            return ""  # full-width punctuation carries its own space: 「数据，synthetic」, 「（National」
        if (wide(before) and _number_starts(para, m.end())) or (_number_ends(para, m.start()) and wide(after)):
            return ""  # Chinese statistical style: 增长6.1%与, 下降−3.2, no space between Chinese and numbers
        if "\n" in m.group() and (wide(before) or wide(after)):
            return ""  # a line break next to Chinese joins without a space (CSS Text 3 segment breaks)
        return " "  # between Latin words (reached many, WeChat mini programs): one space

    para = para.strip(" \t\r\n")
    return minus_signs(_SOFT.sub(one, para))


def paragraphs(text: str, folded: bool = False) -> list[str]:
    """Source text (a YAML | or > block) as the paragraphs a reader sees.

    A blank line starts a paragraph (in a folded > block YAML has already turned it into one
    line break); a line break between two CJK characters disappears and one between Latin words
    becomes one space. The PDF, the deck and the speaker notes all read text through this."""
    if not text:
        return []
    parts = text.split("\n") if folded else _BLANK.split(text)
    return [p for p in (collapse_spaces(_join_lines(part)) for part in parts) if p]


def collapse_spaces(text: str) -> str:
    """Runs of spaces as one, as a PDF paragraph shows them (ReportLab, like HTML, collapses them): the
    deck then gets the same text, and breaks it the same way."""
    return _SPACES.sub(" ", text)


_SPACES = re.compile(r"[ \t]{2,}")


def join_source(text: str, folded: bool = False) -> str:
    """paragraphs(), joined by one blank line each (the form the Document keeps)."""
    return "\n\n".join(paragraphs(text, folded))


def balance(chars, widths, width: float) -> list[tuple[int, int, int]]:
    """break_lines at the narrowest width that needs no more lines than `width` does: a title of two
    lines gets two lines of about equal length, never one character alone on the last."""
    spans = break_lines(chars, widths, width)
    if len(spans) < 2:
        return spans
    lo, hi = 0.0, float(width)
    for _ in range(24):
        mid = (lo + hi) / 2
        if len(break_lines(chars, widths, mid)) <= len(spans):
            hi = mid
        else:
            lo = mid
    return break_lines(chars, widths, hi)


def advances(chars: list[str], size: float, metrics: Metrics) -> list[float]:
    """Each character's advance (points), with the metrics' autospace on each character the viewer puts a
    gap before (egovdeck.text.autospace)."""
    widths = [metrics.width(c, size) for c in chars]
    if metrics.autospace:
        gap = metrics.autospace * size
        for i, before in enumerate(gaps("".join(chars))):
            if before:
                widths[i] += gap
    return widths


def balanced(text: str, width: float, size: float, metrics: Metrics) -> list[str]:
    chars = list(text)
    return [text[a:b] for a, b, _ in balance(chars, advances(chars, size, metrics), width)]


def note_text(note: str) -> str:
    """A figure's or table's note as printed: 「注：」 once, whether or not the note starts with it."""
    note = note.strip()
    if re.match(r"注\s*[：:]", note):
        return "注：" + re.sub(r"^注\s*[：:]\s*", "", note)
    return "注：" + note if note else ""


def atoms(text: str) -> list[str]:
    return _ATOM.findall(text)


def wrap(text: str, width: float, size: float, metrics: Metrics) -> list[str]:
    """The lines of one paragraph at `width` points (break_lines with the font's advances)."""
    return [text[a:b] for a, b, _ in wrap_spans(text, width, size, metrics)]


def wrap_spans(text: str, width: float, size: float, metrics: Metrics,
               runts: bool = True, units: bool = False) -> list[tuple[int, int, int]]:
    chars = list(text)
    return break_lines(chars, advances(chars, size, metrics), width, runts, units)


def wrap_whole(text: str, width: float, size: float, metrics: Metrics) -> list[str]:
    """A label's lines at width (pt) with the label rule, no piece (`pieces`: a number, a date, a Latin word,
    2000年) ever cut: a piece wider than the line takes a line of its own, as wide as it is (the caller
    measures the lines it gets)."""
    lines: list[str] = []
    for para in text.split("\n"):
        chars = list(para)
        widths = advances(chars, size, metrics)
        start = 0
        ok = breaks(chars, units=True)
        for i in range(1, len(chars) + 1):  # for the breaker only, a piece wider than the line fits it
            if i == len(chars) or ok[i]:
                total = sum(widths[start:i])
                if total > width > 0:
                    widths[start:i] = [w * width / total * 0.999 for w in widths[start:i]]
                start = i
        lines += [para[a:b] for a, b, _ in break_lines(chars, widths, width, units=True)] or [""]
    return lines or [""]


def wrap_label(text: str, width: float, size: float, metrics: Metrics, split_words: bool = True) -> list[str] | None:
    """Chart labels through the same breaker (for charts/*), with its label rule (may_break units=True: a
    number keeps its unit, 2000年): lines of text at width (pt). With split_words=False, None when a line
    would not end at a legal break: a piece (`pieces`: a number, a date, a Latin word, 2000年) wider than
    the line would be cut inside (「200」 over 「0年」) or stick out of it; the caller then shrinks, turns
    or thins the labels, or widens the line to `widest_piece`."""
    lines: list[str] = []
    for para in text.split("\n"):
        spans = wrap_spans(para, width, size, metrics, units=True)
        if not split_words and any(metrics.width(para[a:b], size) > width + _FUZZ for a, b, _ in spans):
            return None
        if not split_words and any(not _legal_end(para, nxt) for _, _, nxt in spans[:-1]):
            return None
        lines += [para[a:b] for a, b, _ in spans] or [""]
    return lines or [""]


def _legal_end(text: str, nxt: int) -> bool:
    """Whether a line that ends where the next starts at nxt ends at a legal break of the label rule."""
    j = nxt
    while j > 0 and text[j - 1] in (" ", "\t"):
        j -= 1
    return j < nxt or breaks(text, units=True)[nxt]


def widest_piece(text: str, size: float, metrics: Metrics) -> float:
    """Width (pt) of the widest run of a label no line break may enter (`pieces` with the label rule): the
    narrowest line the label wraps to with no number, date or Latin word cut."""
    return max((sum(advances(list(p), size, metrics)) for p in pieces(text, units=True)), default=0.0)


@dataclass
class Fitted:
    size: float
    paragraphs: list[list[str]]  # wrapped lines per paragraph that fit
    rest: list[str]  # paragraphs (or the tail of one) that did not fit at the floor size
    shrunk: bool
    texts: list[str] | None = None  # the source text of each placed paragraph (its spaces kept)

    @property
    def lines(self) -> int:
        return sum(len(p) for p in self.paragraphs)


def split_point(text: str, at: int) -> int:
    """Where a paragraph that must continue on the next slide is cut, at or before index `at` (the start
    of the first line that does not fit): after the last sentence end (。！？；) in the last two thirds,
    else after the last clause end (，、：), else at `at`; never inside a quoted term 「…」“…”《…》（…），
    unless the term opens the paragraph and is itself longer than the room (then it is cut at `at`)."""
    depth = 0
    opened = -1  # where the outermost open quote began
    ends: list[tuple[int, int]] = []  # (rank, index after the mark)
    for i, c in enumerate(text[:at]):
        if c in NO_END:
            if depth == 0:
                opened = i
            depth += 1
        elif c in "）》」』】〕〗〉”’)]}" and depth:
            depth -= 1
        elif depth == 0 and c in "。！？；!?;…":
            ends.append((0, i + 1))
        elif depth == 0 and c in "，、：,:" and not (c in ",:" and i + 1 < len(text) and text[i + 1].isdigit()):
            ends.append((1, i + 1))
    for rank in (0, 1):
        cands = [k for r, k in ends if r == rank and k > at // 3]
        if cands:
            return cands[-1]
    return opened if depth and opened > 0 else at


def height(lines: int, paragraphs: int, size: float, spacing: float, para_gap: float) -> float:
    return lines * size * spacing + max(paragraphs - 1, 0) * size * para_gap


def fit(paragraphs: list[str], width: float, box_height: float, metrics: Metrics, size: float, floor: float,
        spacing: float = 1.3, para_gap: float = 0.5, step: float = 0.5) -> Fitted:
    """Largest size in [floor, size] at which all paragraphs fit; else what fits at floor plus the rest."""
    s = size
    while s >= floor - 1e-9:
        wrapped = [wrap(p, width, s, metrics) for p in paragraphs]
        if height(sum(map(len, wrapped)), len(wrapped), s, spacing, para_gap) <= box_height:
            return Fitted(s, wrapped, [], s < size, list(paragraphs))
        s = round(s - step, 2)
    # Does not fit even at the floor: take whole lines until the box is full.
    s = floor
    placed: list[list[str]] = []
    texts: list[str] = []
    rest: list[str] = []
    used_lines = 0
    for i, p in enumerate(paragraphs):
        lines = wrap(p, width, s, metrics)
        room = int((box_height - len(placed) * s * para_gap) // (s * spacing)) - used_lines
        if room >= len(lines):
            placed.append(lines)
            texts.append(p)
            used_lines += len(lines)
            continue
        k = split_point(p, wrap_spans(p, width, s, metrics, runts=False)[room][0]) if room > 0 else 0
        if k > 0:
            placed.append(wrap(p[:k], width, s, metrics))
            texts.append(p[:k].rstrip())
            rest.append(p[k:].lstrip())
        else:
            rest.append(p)
        rest += paragraphs[i + 1:]
        break
    return Fitted(s, placed, rest, True, texts)


# A section title's own number: 一、 （一） 1. 1、 第一章 第1部分 (the brief numbers sections 一、二、, the deck 01 02)
_OWN_NUMBER = re.compile(r"^\s*(?:第?[一二三四五六七八九十百零〇]+[、．.]|[（(][一二三四五六七八九十\d]+[）)]|\d{1,3}(?:[、．]|\.(?!\d))"
                         r"|第[一二三四五六七八九十百\d]+(?:章|节|部分|篇))\s*(?=\S)")


def own_number(title: str) -> str:
    """The number a section title starts with (「一、」, 「（二）」, 「3.」, 「第一章」), or "" (never a year:
    「2019年…」 and 「5G…」 are no numbers)."""
    m = _OWN_NUMBER.match(title)
    return m.group(0) if m else ""
