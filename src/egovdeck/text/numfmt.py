"""Number formats shared by every renderer: one spec -> text and an Excel format code.

Every number egovdeck writes (narrative filters, KPIs, tables, chart labels and axes, both
outputs) goes through `format_number`: Babel's zh_CN patterns on the Decimal of the value's
shortest repr, rounded half-up (0.15 -> 0.2 and 0.25 -> 0.3 everywhere: what a reader doing
the sum by hand expects, and not the binary float's 0.1). A value that rounds to zero is zero
(no "−0.0").

The minus sign is U+2212 (−) everywhere: it is the minus of typeset mathematics, as wide as
the plus sign and the digits' neighbours, it does not break a line from its number the way a
hyphen may, matplotlib draws it by default, and the bundled font has it. The deck's format codes
carry it as a literal in their negative section, so PowerPoint shows the same sign.
"""

from __future__ import annotations

import decimal
import re
from dataclasses import dataclass

MINUS = "\u2212"
# Chinese magnitudes: values are divided before drawing, so the deck's embedded
# workbook holds the same (scaled) numbers the PDF shows. Excel has no 10^4 scaling code.
MAGNITUDES = {"": 1.0, "万": 1e4, "亿": 1e8}


class FormatError(ValueError):
    """A number format code egovdeck cannot honour."""

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        if hint:
            self.hint = hint

    hint = ('write an Excel-style code egovdeck honours: 0, 0.0, #,##0, 0.0%, 0.00亿, literal text in quotes '
            '("0.0\"个\""), up to three sections positive;negative;zero ("+0.0;-0.0;0")')


def _decimal(value: float | int | decimal.Decimal, decimals: int) -> decimal.Decimal:
    d = value if isinstance(value, decimal.Decimal) else decimal.Decimal(repr(float(value)) if isinstance(
        value, float) else int(value))
    if not d.is_finite():
        raise ValueError(f"{d} is not a number that can be written")
    if d.adjusted() >= 100:
        raise ValueError(f"a number of {d.adjusted() + 1} digits is too long to write (at most 100)")
    with decimal.localcontext() as ctx:
        ctx.prec = 160  # every digit of a 100-digit number and its decimals
        q = d.quantize(decimal.Decimal(1).scaleb(-decimals), rounding=decimal.ROUND_HALF_UP)
    return q if q else abs(q)  # -0.0 -> 0.0


def rounded(value: float, decimals: int) -> decimal.Decimal:
    """The value as it is written with `decimals` places (half-up, no negative zero)."""
    return _decimal(value, decimals)


def format_number(value: float | decimal.Decimal, decimals: int = 0, grouping: bool = True) -> str:
    """14474 -> 14,474; -3.25 with decimals=1 -> −3.3; the one formatter of every number egovdeck writes."""
    from babel.numbers import format_decimal

    q = _decimal(value, decimals)
    pattern = ("#,##0" if grouping else "0") + ("." + "0" * decimals if decimals > 0 else "")
    with decimal.localcontext() as ctx:
        ctx.rounding, ctx.prec = decimal.ROUND_HALF_UP, 160
        text = format_decimal(abs(q), format=pattern, locale="zh_CN")
    return (MINUS + text) if q < 0 else text


@dataclass(frozen=True)
class NumberFormat:
    """How a value is written: decimals, thousands separators, percent sign, a suffix.

    An Excel-style code may give up to three sections, positive;negative;zero: a negative
    section writes the absolute value with its own literals (its "-" is written as −), a zero
    section is used for values that round to zero."""

    decimals: int = 0
    thousands: bool = True
    percent: bool = False  # the value is already in percent units (76.8 -> "76.8%")
    suffix: str = ""
    magnitude: str = ""  # "", "万" or "亿": divide by 1e4 / 1e8 and append it
    prefix: str = ""
    negative: NumberFormat | None = None
    zero: NumberFormat | None = None
    text: str | None = None  # a section of literal text only (a zero section like "持平" or "—")

    def scale(self, value: float) -> float:
        return value / MAGNITUDES[self.magnitude]

    def _body(self, value: float | decimal.Decimal) -> str:
        if self.text is not None:
            return self.text
        return (self.prefix + format_number(value, self.decimals, self.thousands)
                + ("%" if self.percent else "") + self.magnitude + self.suffix)

    def format(self, value: float | None) -> str:
        if value is None:
            return ""
        q = _decimal(value, self.decimals)
        if not q and self.zero is not None:
            return self.zero._body(0)
        if q < 0 and self.negative is not None:
            return self.negative._body(-q)
        return self._body(q)

    def _code(self) -> str:
        if self.text is not None:
            return '"' + self.text.replace('"', "") + '"'
        base = "#,##0" if self.thousands else "0"
        if self.decimals:
            base += "." + "0" * self.decimals
        tail = ("%" if self.percent else "") + self.magnitude + self.suffix
        return _quote(self.prefix) + base + _quote(tail)

    def excel(self) -> str:
        """The equivalent Excel/PowerPoint format code (for pre-scaled values), with the negative
        section spelled out so PowerPoint writes − as the PDF does."""
        neg = self.negative or NumberFormat(self.decimals, self.thousands, self.percent, self.suffix,
                                            self.magnitude, MINUS + self.prefix)
        pos = self._code()
        return f"{pos};{neg._code()}" + (f";{self.zero._code()}" if self.zero else "")


def _quote(text: str) -> str:
    return '"' + text.replace('"', "") + '"' if text else ""


_SECTION = re.compile(r'^(?P<pre>(?:"[^"]*"|\\.|[^0#.,"\\])*?)(?P<num>#,##0|#,#|0[0,]*|#)(?P<dec>\.0*)?'
                      r'(?P<post>(?:"[^"]*"|\\.|[^0#"\\])*)$')
# Excel codes egovdeck does not write: colours and conditions [..], scientific E+, fractions ?, text @,
# fills * and padding _, dates and times (y m d h s), General (quote other letters: "0.0\"pts\"")
_UNSUPPORTED = re.compile(r"[\[?@*_]|[A-Za-z]+")


def _literal(text: str) -> str:
    return re.sub(r'"([^"]*)"|\\(.)', lambda m: m.group(1) if m.group(1) is not None else m.group(2), text)


def _section(code: str, literal_ok: bool = False) -> NumberFormat:
    unquoted = re.sub(r'"[^"]*"|\\.', "", code)
    bad = _UNSUPPORTED.search(unquoted)
    if bad:
        raise FormatError(f'"{code}": {bad.group(0)!r} is not supported')
    m = _SECTION.match(code.strip())
    if not m and literal_ok and not re.search(r"[0#]", unquoted):
        return NumberFormat(text=_literal(code.strip()))
    if not m:
        if not re.search(r"[0#]", unquoted):
            raise FormatError(f'"{code}" has no digit placeholder (0 or #,##0)')
        raise FormatError(f'"{code}" is not a number format egovdeck can write')
    pre, num, dec, post = m.group("pre"), m.group("num"), m.group("dec"), m.group("post")
    if (num.endswith(",") and not dec) or post.startswith(","):
        # Excel's scaling commas (#,##0, shows thousands, 0,, millions): egovdeck writes values unscaled, so
        # the code would print a stray "," or the full number where the reader expects thousands
        n = len(post) - len(post.lstrip(",")) + len(num) - len(num.rstrip(","))
        raise FormatError(f'"{code}": {n} comma{"s" if n > 1 else ""} after the last digit would scale the number '
                          f"by 1/{1000 ** n:,} in Excel; egovdeck does not scale with commas",
                          hint='convert the data to the unit you print (e.g. 千个 or 万个), or use 万/亿: "0.00万", '
                               '"0.00亿"; a comma between digits ("#,##0") only groups thousands')
    thousands = "," in num
    decimals = len(dec) - 1 if dec else 0
    post = _literal(post)
    if (gap := re.match(r"\s+([%‰]|[^\x00-\x7f])", post)) and not gap.group(1).isspace():
        # "0.0 亿" printed the value unscaled (the magnitude must follow the digits) and "0.0 %" unmultiplied
        tight = code.strip()[:m.start("post")] + post.lstrip()
        raise FormatError(f'"{code}": a space between the number and “{gap.group(1)}”',
                          hint=f'write "{tight}": Chinese statistics print a unit, 万/亿 or % right after the '
                               "number (增长6.1%, 0.72亿); a Latin unit may keep its space (0.0\" GB\")")
    percent = post.startswith("%")
    if percent:
        post = post[1:]
    magnitude = post[0] if post[:1] in ("万", "亿") else ""
    if magnitude:
        post = post[1:]
    return NumberFormat(decimals, thousands, percent, post, magnitude, _literal(pre).replace("-", MINUS))


def _split_sections(code: str) -> list[str]:
    parts, cur, quoted, escaped = [], "", False, False
    for c in code:
        if escaped:
            cur, escaped = cur + c, False
        elif c == "\\":
            cur, escaped = cur + c, True
        elif c == '"':
            cur, quoted = cur + c, not quoted
        elif c == ";" and not quoted:
            parts.append(cur)
            cur = ""
        else:
            cur += c
    if quoted:
        raise FormatError(f'"{code}": a quote " is not closed')
    return [*parts, cur]


def parse_format(text: str | None, default_decimals: int = 0) -> NumberFormat:
    """Parse a format code: "0", "0.0", "#,##0", "0.0%", "0.00亿", "#,##0个", "+0.0;-0.0;0"; raises
    FormatError for a code egovdeck cannot write as it says."""
    if not text or not text.strip():
        return NumberFormat(decimals=default_decimals)
    parts = _split_sections(text.strip())
    if len(parts) > 3:
        raise FormatError(f'"{text}": at most three sections (positive;negative;zero), found {len(parts)}')
    if any(not p.strip() for p in parts):
        raise FormatError(f'"{text}": an empty section')
    sections = [_section(p, literal_ok=i == 2) for i, p in enumerate(parts)]
    first = sections[0]
    if len(sections) == 1:
        return first
    neg = sections[1]
    zero = sections[2] if len(sections) == 3 else None
    if neg.magnitude != first.magnitude or (zero and zero.magnitude not in ("", first.magnitude)):
        raise FormatError(f'"{text}": every section must use the same 万/亿 magnitude')
    return NumberFormat(first.decimals, first.thousands, first.percent, first.suffix, first.magnitude,
                        first.prefix, neg, zero)
