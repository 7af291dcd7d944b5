"""Narrative templates: sandboxed Jinja2 whose numbers come from the datasets, formatted the Chinese way.

A template can call the data functions (latest, previous, value, rank, share, total, growth)
and the formatting filters (num, cn, pct, change, pp); it can never run code.
"""

from __future__ import annotations

import contextvars
import difflib
import functools
import json
import math
import re
import time
from collections.abc import Callable, Mapping, Sized
from typing import Any

from egovdeck.input.data import COMPARISONS, Dataset, Value, cell_matches, condition_problem
from egovdeck.input.definition import NARRATIVE_FUNCTIONS
from egovdeck.input.yamlload import Limit


class TemplateDataError(Exception):
    """A template asked for data that is not there."""

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.hint = hint


# --------------------------------------------------------------------------- formatting


def _decimal(value: float, decimals: int, grouping: bool = True) -> str:
    from egovdeck.text.numfmt import format_number

    return format_number(value, decimals, grouping)


MAX_DECIMALS = 10  # more than a brief prints (and Decimal's 28-digit context would fail on big numbers)


def _check_filter(name: str, value: Any, decimals: Any) -> None:
    """A filter's value must be a number, its decimals a whole number 0..MAX_DECIMALS; else a message naming
    the argument (was: InvalidOperation, or 10 printed for num(-1))."""
    from jinja2 import Undefined

    for arg in (value, decimals):
        if isinstance(arg, Undefined):
            str(arg)  # StrictUndefined raises its own "'x' is undefined" (located, with did-you-mean)
    if value is None:
        raise TemplateDataError(f"{name}: the value is missing (an empty cell)",
                                "choose a row with a value, or test it first: {% if v is not none %}…{% endif %}")
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TemplateDataError(f"{name}: the value must be a number, found {_short(value)}",
                                f"write {{{{ number | {name} }}}}: the number before the bar, e.g. "
                                f"{{{{ latest(\"dataset\", \"column\") | {name} }}}}")
    if isinstance(decimals, bool) or not isinstance(decimals, int) or not 0 <= decimals <= MAX_DECIMALS:
        raise TemplateDataError(f"{name}: decimals must be a whole number from 0 to {MAX_DECIMALS}, found "
                                f"{_short(decimals)}",
                                f"the argument in brackets is the number of decimals: {{{{ value | {name}(1) }}}}")


def num(value: float, decimals: int = 0) -> str:
    """14474 -> 14,474; 6.94 with decimals=2 -> 6.94; −3.2 (U+2212, as in the charts and tables)."""
    _check_filter("num", value, decimals)
    return _decimal(value, decimals)


def cn(value: float, decimals: int = 2) -> str:
    """Chinese magnitudes for raw counts: 3.2e13 -> 32万亿; 694000000 -> 6.94亿; 12000 -> 1.2万; 14474 -> 1.45万;
    1234 -> 1,234 (万亿 as the statistical communiqués write GDP: 99.1万亿元; it printed 320000亿).
    The magnitude is chosen by the value as written: 99999999.9 -> 1亿 (not 10,000万), 9999.6 -> 1万. Up to
    `decimals` digits after the point, trailing zeros dropped, below 1万 too: 6.94 -> 6.94, 12.5 | cn(1) -> 12.5
    (they printed 7 and 13: a value already in 万 or 亿 lost its decimals)."""
    from egovdeck.text.numfmt import rounded

    _check_filter("cn", value, decimals)
    for size, word in ((1e12, "万亿"), (1e8, "亿"), (1e4, "万")):
        if abs(rounded(value / size, decimals)) >= 1 and abs(rounded(value, 0)) >= size:
            return _trimmed(_decimal(value / size, decimals, grouping=size == 1e12)) + word
    return _trimmed(_decimal(value, decimals))


def _trimmed(text: str) -> str:
    """A number's text without the zeros a decimal part ends in: 1.20 -> 1.2, 3.00 -> 3 (−0 as 0)."""
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("−0", "-0") else text


def pct(value: float, decimals: int = 1) -> str:
    """76.8 -> 76.8% (the value is already in percent)."""
    _check_filter("pct", value, decimals)
    return _decimal(value, decimals, grouping=False) + "%"


# Chinese statistical publications write no space between Chinese and a number: 增长6.1%, 提高1.5个百分点.
def change(value: float, decimals: int = 1, unit: str = "%", up: str = "增长", down: str = "下降",
           same: str = "持平") -> str:
    """6.1 -> 增长6.1%; -19.7 -> 下降19.7%; 0 -> 持平. The word follows the value as written at `decimals`:
    0.04 and −0.04 at one decimal are 持平 too (never 增长0.0% or 下降0.0%)."""
    from egovdeck.text.numfmt import rounded

    _check_filter("change", value, decimals)
    written = rounded(value, decimals)
    if written == 0:
        return same
    word = up if written > 0 else down
    return f"{word}{_decimal(abs(value), decimals, grouping=unit != '%')}{unit}"


def pp(value: float, decimals: int = 1, same: str = "持平") -> str:
    """Percentage-point change: 1.5 -> 提高1.5个百分点; −0.4 -> 降低0.4个百分点; 0 -> 持平
    (so is any value written as zero at `decimals`: 0.04 at one decimal)."""
    from egovdeck.text.numfmt import rounded

    _check_filter("pp", value, decimals)
    written = rounded(value, decimals)
    if written == 0:
        return same
    word = "提高" if written > 0 else "降低"
    return f"{word}{_decimal(abs(value), decimals, grouping=False)}个百分点"


FILTERS: dict[str, Callable[..., str]] = {"num": num, "cn": cn, "pct": pct, "change": change, "pp": pp}


# --------------------------------------------------------------------------- data functions


class ColumnFigure(float):
    """A number read from a column with print decimals (ColumnSpec.decimals; a prepared share, growth or mean
    keeps every digit and sets them): written bare ({{ value(...) }}, or joined with ~) it prints at those
    decimals like the column's table cells (33.333… with decimals 1 -> 33.3); arithmetic on it gives a plain
    float, which a filter writes."""

    __slots__ = ("decimals",)
    decimals: int

    def __new__(cls, value: float, decimals: int) -> ColumnFigure:
        figure = super().__new__(cls, value)
        figure.decimals = decimals
        return figure

    def __str__(self) -> str:
        return num(float(self), self.decimals)


def _figure(dataset: Dataset, col: str, value: Value) -> Value:
    """value as a ColumnFigure when col is a number column with print decimals and value a float."""
    decimals = dataset.spec.columns[col].decimals if col in dataset.spec.columns else None
    if decimals is None or not isinstance(value, float):
        return value
    return ColumnFigure(value, decimals)


class DataFunctions:
    """The functions a template may call, bound to the report's datasets (and edition parameters)."""

    def __init__(self, datasets: Mapping[str, Dataset], params: Mapping[str, Any] | None = None):
        self.datasets = datasets
        self.params = dict(params or {})
        self.used: list[str] = []  # datasets read, in order (a KPI's figures need a source line too)
        self.deadline: float | None = None  # set by the first render(): see MAX_TEMPLATE_SECONDS

    def _rows(self, ds: str, col: str | None, where: dict[str, Any]) -> list[dict[str, Value]]:
        if ds not in self.datasets:
            close = difflib.get_close_matches(str(ds), list(self.datasets), n=1)
            raise TemplateDataError(f'unknown dataset "{ds}"', (f'did you mean "{close[0]}"? ' if close else "")
                                    + f'datasets: {", ".join(sorted(self.datasets))}')
        dataset = self.datasets[ds]
        self.used.append(ds)
        for name in [*(where or {}), *([col] if col else [])]:
            if name not in dataset.spec.columns:
                close = difflib.get_close_matches(str(name), dataset.columns, n=1)
                raise TemplateDataError(f'dataset "{ds}" has no column "{name}"',
                                        (f'did you mean "{close[0]}"? ' if close else "")
                                        + f'its columns: {", ".join(dataset.columns)}')
        for name, wanted in (where or {}).items():
            _check_condition(name, wanted)
            found = condition_problem(dataset.spec.columns[name].type, wanted)
            if found is not None:
                raise TemplateDataError(f"{name}={json.dumps(wanted, ensure_ascii=False, default=str)}: {found[1]}",
                                        found[2])
        rows = [r for r in dataset.rows if all(cell_matches(r.get(k), v) for k, v in where.items())]
        return rows

    def _one(self, ds: str, col: str, where: dict[str, Any]) -> dict[str, Value]:
        rows = self._rows(ds, col, where)
        if len(rows) != 1:
            call = ", ".join([f'"{ds}"', f'"{col}"', *(f"{k}={json.dumps(v, ensure_ascii=False)}"
                                                       for k, v in where.items())])
            if rows:
                hint = ("add filters (field=value) until exactly one row is left: "
                        f"the {len(rows)} rows differ in " + ", ".join(
                            c for c in self.datasets[ds].columns
                            if c not in where and len({str(r.get(c)) for r in rows}) > 1)[:200])
            else:
                values = []
                for k in where:
                    known = list(dict.fromkeys(str(r.get(k)) for r in self.datasets[ds].rows))
                    close = difflib.get_close_matches(str(where[k]), known, n=1)
                    shown = ", ".join(known[:12]) + (" …" if len(known) > 12 else "")
                    values.append((f'did you mean {k}="{close[0]}"? ' if close else "") + f"{k} has: {shown}")
                hint = "; ".join(values) or f'dataset "{ds}" has no rows'
            raise TemplateDataError(f"value({call}) matches {len(rows)} rows, expected exactly 1", hint)
        return rows[0]

    def latest(self, ds: str, col: str, **where: Any) -> Value:
        """The last known (non-empty) value of col, in file order."""
        known = [r[col] for r in self._rows(ds, col, where) if r[col] is not None]
        if not known:
            raise TemplateDataError(f'latest("{ds}", "{col}"): no known value',
                                    "every matching row's cell is empty: check the filters (field=value) or fill "
                                    "the column in the data file")
        return _figure(self.datasets[ds], col, known[-1])

    def previous(self, ds: str, col: str, **where: Any) -> Value:
        known = [r[col] for r in self._rows(ds, col, where) if r[col] is not None]
        if len(known) < 2:
            raise TemplateDataError(f'previous("{ds}", "{col}"): fewer than two known values',
                                    "previous() needs two rows with a value: widen the filters (field=value), or "
                                    "test first: {% if count(\"dataset\") > 1 %}…{% endif %}")
        return _figure(self.datasets[ds], col, known[-2])

    def value(self, ds: str, col: str, **where: Any) -> Value:
        v = self._one(ds, col, where)[col]
        if v is None:
            call = ", ".join([f'"{ds}"', f'"{col}"', *(f"{k}={json.dumps(v, ensure_ascii=False, default=str)}"
                                                       for k, v in where.items())])
            raise TemplateDataError(f"value({call}) is empty (unknown: a gap in the data)",
                                    "pick a row with a value (another field=value), or fill the cell in the data file; "
                                    "latest(\"dataset\", \"column\") takes the last row that has one")
        return _figure(self.datasets[ds], col, v)

    def _numbers(self, name: str, ds: str, col: str, where: dict[str, Any]) -> list[tuple[dict[str, Value], int | float]]:
        """(row, value) of the rows matching where whose col has a value; col must be a number column
        (TemplateDataError otherwise: was a Python TypeError, or a rank of text in code-point order)."""
        rows = self._rows(ds, col, where)
        kind = self.datasets[ds].spec.columns[col].type
        if kind not in ("number", "integer"):
            numeric = [c for c, spec in self.datasets[ds].spec.columns.items() if spec.type in ("number", "integer")]
            raise TemplateDataError(f'{name}("{ds}", "{col}"): the column "{col}" holds {kind} values, not numbers',
                                    f"{name}() counts a number column: "
                                    + (f'{", ".join(numeric)}' if numeric else f'dataset "{ds}" has none')
                                    + "; value() or latest() give a text or period cell")
        return [(r, v) for r in rows if isinstance(v := r[col], int | float) and not isinstance(v, bool)]

    def total(self, ds: str, col: str, **where: Any) -> int | float:
        """Sum of the column over the rows matching where; empty cells count as nothing."""
        return sum(v for _, v in self._numbers("total", ds, col, where))

    def count(self, ds: str, **where: Any) -> int:
        """Rows matching every field=condition: a value, a list (any of them) or a comparison such as
        websites={"ge": 500} (eq, ne, gt, ge, lt, le, not_in)."""
        return len(self._rows(ds, None, where))

    def rank(self, ds: str, col: str, **where: Any) -> int:
        """1-based rank (largest first) of the single row matching where."""
        values = [v for _, v in self._numbers("rank", ds, col, {})]
        target = self._number_of("rank", ds, col, where)
        return 1 + sum(1 for v in values if v > target)

    def share(self, ds: str, col: str, **where: Any) -> float:
        """Percent of the column's total that the matching row holds."""
        whole = sum(v for _, v in self._numbers("share", ds, col, {}))
        part = self._number_of("share", ds, col, where)
        if not whole:
            raise TemplateDataError(f'share("{ds}", "{col}"): the column sums to zero, so no row has a share of it',
                                    "check the column, or test it first: "
                                    f'{{% if total("{ds}", "{col}") %}}…{{% endif %}}')
        return 100.0 * part / whole

    def _number_of(self, name: str, ds: str, col: str, where: dict[str, Any]) -> float:
        """The number in col of the single row matching where (TemplateDataError when it is empty)."""
        value = self.value(ds, col, **where)
        if not isinstance(value, int | float) or isinstance(value, bool):  # _numbers has refused non-number columns
            raise TemplateDataError(f'{name}("{ds}", "{col}"): the matching row holds {_short(value)}, not a number',
                                    "fix the cell in the data file")
        return float(value)

    def top(self, ds: str, col: str, n: int = 1, ascending: bool = False, **where: Any) -> list[dict[str, Value]]:
        """The n rows with the largest values of col (ascending=true: the smallest, smallest first); rows
        with an empty col are left out; equal values keep their file order."""
        if not isinstance(n, int) or isinstance(n, bool) or n < 1:
            raise TemplateDataError(f"top: n must be a whole number of at least 1, found {n!r}",
                                    'e.g. top("dataset", "column", 3) for the three largest')
        if not isinstance(ascending, bool):
            raise TemplateDataError(f"top: ascending must be true or false, found {_short(ascending)}",
                                    'e.g. top("dataset", "column", 3, ascending=true) for the three smallest')
        pairs = self._numbers("top", ds, col, where)
        dataset = self.datasets[ds]
        return [{name: _figure(dataset, name, cell) for name, cell in r.items()}
                for r, _ in sorted(pairs, key=lambda pair: pair[1], reverse=not ascending)][:n]

    def growth(self, new: float, old: float) -> float:
        """Percent change from old to new."""
        for which, number in (("new", new), ("old", old)):
            if number is not None and (isinstance(number, bool) or not isinstance(number, int | float)):
                raise TemplateDataError(f"growth(): the {which} value must be a number, found {_short(number)}",
                                        f"write {USAGE['growth']}, e.g. growth(latest(\"dataset\", \"column\"), "
                                        "previous(\"dataset\", \"column\"))")
        if new is None:
            raise TemplateDataError("growth(): the new value is empty (unknown: a gap in the data)",
                                    "the first argument is the newer figure; latest() takes the last row that has one")
        if not old:
            raise TemplateDataError(f"growth({_short(new)}, {_short(old)}): growth from a base of "
                                    f"{'zero' if old == 0 else 'nothing (an empty value)' if old is None else _short(old)} is undefined",
                                    "check the base value (the second argument, the older figure); when it can be 0, "
                                    "write the change as a difference ({{ (new - old) | num }}) or test it first: "
                                    "{% if old %}…{% endif %}")
        return 100.0 * (new - old) / old

    def globals(self) -> dict[str, Any]:
        funcs = {name: getattr(self, name) for name in NARRATIVE_FUNCTIONS}
        return {**{name: _checked(name, f) for name, f in funcs.items()}, "params": self.params, **self.params}


USAGE = {
    "latest": 'latest("dataset", "column", field=value…)', "previous": 'previous("dataset", "column", field=value…)',
    "value": 'value("dataset", "column", field=value…)', "total": 'total("dataset", "column", field=value…)',
    "count": 'count("dataset", field=value or field={"ge": 500}…)', "rank": 'rank("dataset", "column", field=value…)',
    "share": 'share("dataset", "column", field=value…)',
    "top": 'top("dataset", "column", n, ascending=false, field=value…)', "growth": "growth(new, old)"}
_TEXT_ARGS = ("ds", "col")
_ARG_NAMES = {"ds": "dataset", "col": "column"}


def _checked(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    """func with its arguments checked first: a missing, extra or wrong-typed argument is a message naming
    it and showing the call's form (was: "TypeError: DataFunctions.latest() missing 1 required positional
    argument: 'col'")."""
    import inspect

    signature = inspect.signature(func)

    @functools.wraps(func)
    def call(*args: Any, **kwargs: Any) -> Any:
        try:
            bound = signature.bind(*args, **kwargs)
        except TypeError as exc:
            text = str(exc)
            m = re.search(r"missing a required argument: '(\w+)'", text)
            if m:
                message = f"{name}() needs the {_ARG_NAMES.get(m.group(1), m.group(1))} argument"
            elif "too many positional" in text:
                message = f"{name}() takes at most {sum(1 for p in signature.parameters.values() if p.kind == p.POSITIONAL_OR_KEYWORD)} arguments before the field=value filters, found {len(args)}"
            elif (m := re.search(r"unexpected keyword argument '(\w+)'", text)):
                message = f'{name}() has no argument "{m.group(1)}"'
            elif (m := re.search(r"multiple values for argument '(\w+)'", text)):
                message = f'{name}(): the argument "{m.group(1)}" is given twice'
            else:
                message = f"{name}(): {text}"
            raise TemplateDataError(message, f"write {USAGE[name]}") from None
        for arg in _TEXT_ARGS:
            if arg in bound.arguments and not isinstance(bound.arguments[arg], str):
                raise TemplateDataError(f"{name}(): the {_ARG_NAMES[arg]} argument must be a name in quotes, found "
                                        f"{_short(bound.arguments[arg])}", f"write {USAGE[name]}")
        return func(*args, **kwargs)

    return call


def _check_condition(field: str, wanted: Any) -> None:
    if not isinstance(wanted, dict):
        return
    for op, value in wanted.items():
        if op not in COMPARISONS:
            close = difflib.get_close_matches(str(op), COMPARISONS, n=1)
            raise TemplateDataError(f'{field}={{"{op}": …}}: unknown comparison "{op}"',
                                    (f'did you mean "{close[0]}"? ' if close else "")
                                    + "comparisons: eq, ne, gt, ge, lt, le, not_in, e.g. websites={\"ge\": 500}")
        if op in ("gt", "ge", "lt", "le") and (isinstance(value, bool) or not isinstance(value, int | float | str)):
            raise TemplateDataError(f'{field}={{"{op}": …}}: compare with a number or a period, found {_short(value)}',
                                    'e.g. websites={"ge": 500} or period={"ge": "2018"}')
    if not wanted:
        raise TemplateDataError(f"{field}={{}}: an empty comparison", 'e.g. websites={"ge": 500}')


# --------------------------------------------------------------------------- environment




# --------------------------------------------------------------------------- limits

MAX_TEMPLATE_STEPS = Limit("EGOVDECK_MAX_TEMPLATE_STEPS", 100_000,
                           "loop iterations, calls and operations in one template, and the length of a range()")
MAX_TEMPLATE_CHARS = Limit("EGOVDECK_MAX_TEMPLATE_CHARS", 100_000,
                           "characters a template produces, and the size of any text or list it builds")
MAX_TEMPLATE_DIGITS = Limit("EGOVDECK_MAX_TEMPLATE_DIGITS", 100, "digits of a whole number computed in a template")
MAX_TEMPLATE_SECONDS = Limit("EGOVDECK_MAX_TEMPLATE_SECONDS", 3,
                             "seconds the narrative templates of one document (edition) may take together")
TEMPLATE_LIMITS = (MAX_TEMPLATE_STEPS, MAX_TEMPLATE_CHARS, MAX_TEMPLATE_DIGITS, MAX_TEMPLATE_SECONDS)


class TemplateLimitError(Exception):
    """A template went over one of the limits above."""

    def __init__(self, message: str, limit: Limit, hint: str = ""):
        super().__init__(message)
        self.hint = (hint or "make the template build less") + " " + limit.hint()


class _Budget:
    """What one render may still spend: steps, time, sizes (read from the limits once per render)."""

    def __init__(self, deadline: float | None = None) -> None:
        self.steps = 0
        self.max_steps = MAX_TEMPLATE_STEPS.value()
        self.max_chars = MAX_TEMPLATE_CHARS.value()
        self.max_int = 10 ** MAX_TEMPLATE_DIGITS.value()  # the first number with one digit too many
        self.max_bits = self.max_int.bit_length()
        self.deadline = deadline if deadline is not None else time.monotonic() + MAX_TEMPLATE_SECONDS.value()

    def tick(self) -> None:
        self.steps += 1
        if self.steps > self.max_steps:
            raise TemplateLimitError(f"the template takes more than {self.max_steps:,} steps (loops, calls)",
                                     MAX_TEMPLATE_STEPS, "use fewer or shorter loops, and no macro that calls itself")
        if not self.steps % 256 and time.monotonic() > self.deadline:
            raise TemplateLimitError(f"the templates take longer than {MAX_TEMPLATE_SECONDS.value()} s",
                                     MAX_TEMPLATE_SECONDS, "use fewer or shorter loops")

    def check(self, value: Any, what: str) -> Any:
        """value, unless it is a number or a text/list too large to keep."""
        if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() >= self.max_bits \
                and abs(value) >= self.max_int:
            self.too_large(what)
        if isinstance(value, str | list | tuple | dict) and len(value) > self.max_chars:
            raise TemplateLimitError(f"{what} makes {_sized(value)}, too large", MAX_TEMPLATE_CHARS)
        return value

    def too_large(self, what: str) -> None:
        raise TemplateLimitError(f"{what}: the number is too large (more than {MAX_TEMPLATE_DIGITS.value()} digits)",
                                 MAX_TEMPLATE_DIGITS, "a narrative prints figures from the data; compute nothing this big")

    def sizes(self, what: str, args: tuple, kwargs: dict) -> None:
        """Refuse size arguments (widths, counts, repeats) beyond what a template may build."""
        for arg in (*args, *kwargs.values()):
            if isinstance(arg, int) and not isinstance(arg, bool) and abs(arg) > self.max_chars:
                raise TemplateLimitError(f"{what}: {arg:,} is too large a size or count", MAX_TEMPLATE_CHARS)


def _sized(value: Sized, length: int | None = None) -> str:
    n = len(value) if length is None else length
    return f"a text of {n:,} characters" if isinstance(value, str) else f"a list of {n:,} items"


_BUDGET: contextvars.ContextVar[_Budget] = contextvars.ContextVar("egovdeck_template_budget")


def _budget() -> _Budget:
    budget = _BUDGET.get(None)
    return budget if budget is not None else _Budget()  # outside render() (compile-time folding): a fresh one


_FORMAT_WIDTH = re.compile(r"%[-+ #0]*(?:\*|\d{6,})|%[-+ #0]*\d*\.(?:\*|\d{6,})|\{[^{}]*:[^{}]*(?:\d{6,}|\{)")


def _binop(operator: str, left: Any, right: Any) -> Any:
    """left operator right, refusing results too large to build (checked before they are built)."""
    budget = _budget()
    budget.tick()
    what = f"{_short(left)} {operator} {_short(right)}"
    ints = all(isinstance(v, int) and not isinstance(v, bool) for v in (left, right))
    if operator == "**" and ints and right > 0 and abs(left) > 1 and right * math.log2(abs(left)) > budget.max_bits:
        budget.too_large(what)
    if operator == "*":
        if ints and left.bit_length() + right.bit_length() > budget.max_bits + 1:
            budget.too_large(what)
        seq, n = (left, right) if isinstance(right, int) else (right, left)
        if isinstance(seq, str | list | tuple) and isinstance(n, int) and len(seq) * n > budget.max_chars:
            raise TemplateLimitError(f"{what} makes {_sized(seq, len(seq) * n)}, too large", MAX_TEMPLATE_CHARS)
    if operator == "%" and isinstance(left, str):
        _check_format(budget, what, left, "%", right)
    return budget.check(_OPERATORS[operator](left, right), what)


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 30 else text[:27] + "…"


def _range(*args: int) -> range:
    """range(), at most MAX_TEMPLATE_STEPS numbers long."""
    rng = range(*args)
    budget = _budget()
    if len(rng) > budget.max_steps:
        raise TemplateLimitError(f"range({', '.join(map(str, args))}) has {len(rng):,} numbers, too many to go through",
                                 MAX_TEMPLATE_STEPS)
    return rng


_SIZED_FILTERS = frozenset({"center", "indent", "batch", "slice", "tojson", "wordwrap", "truncate", "urlize"})


def _bounded_filter(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    """A built-in Jinja filter whose size arguments (widths, counts) and result are bounded."""
    passes = getattr(func, "jinja_pass_arg", None) is not None  # set by jinja2.pass_context and friends

    @functools.wraps(func)  # keeps Jinja's pass_context/pass_eval_context marker
    def bounded(*args: Any, **kwargs: Any) -> Any:
        budget = _budget()
        budget.tick()
        value_at = 1 if passes else 0  # the context comes first, then the filtered value
        if name in _SIZED_FILTERS:
            budget.sizes(f"|{name}", args[value_at + 1:], kwargs)
        value = args[value_at] if len(args) > value_at else None
        rest = [*args[value_at + 1:], *kwargs.values()]
        if name == "format" and isinstance(value, str):
            _check_format(budget, "|format", value, "%", rest)
        elif name == "replace" and len(rest) >= 2:
            _check_replace(budget, str(value), str(rest[0]), str(rest[1]))
        elif name == "join" and isinstance(value, Sized):
            _check_join(budget, str(rest[0]) if rest else "", value)
        elif name in ("indent", "tojson") and rest:
            width = rest[0] if not isinstance(rest[0], str) else len(rest[0])
            if isinstance(width, int) and width * (len(str(value)) + 1) > budget.max_chars:
                raise TemplateLimitError(f"|{name}: an indent of {width} makes the text too large", MAX_TEMPLATE_CHARS)
        return budget.check(func(*args, **kwargs), f"|{name}")

    return bounded


def _too_large(budget: _Budget, what: str, size: int) -> None:
    if size > budget.max_chars:
        raise TemplateLimitError(f"{what} would make a text of about {size:,} characters, too large", MAX_TEMPLATE_CHARS)


def _check_replace(budget: _Budget, text: str, old: str, new: str) -> None:
    times = len(text) + 1 if not old else text.count(old)
    _too_large(budget, "replace()", len(text) + times * max(len(new) - len(old), 0))


def _check_join(budget: _Budget, separator: str, items: Sized) -> None:
    _too_large(budget, "join()", len(separator) * len(items))


def _check_format(budget: _Budget, what: str, fmt: str, marker: str, args: Any) -> None:
    """A format string fills each field with (at most) its largest argument: bound that before formatting."""
    if _FORMAT_WIDTH.search(fmt):
        raise TemplateLimitError(f"{what}: a format width too large", MAX_TEMPLATE_CHARS,
                                 "format numbers with the filters num, cn, pct, change, pp")
    values = list(args.values()) if isinstance(args, dict) else list(args) if isinstance(args, list | tuple) else [args]
    widest = max((len(str(v)) for v in values), default=0)
    _too_large(budget, what, len(fmt) + fmt.count(marker) * widest)


# Methods of str a template may call: those whose result is at most about as long as their inputs, and the
# few with a size argument (checked). Others (translate, encode, …) have no use in a narrative.
_STR_METHODS = frozenset({"capitalize", "casefold", "count", "endswith", "find", "index", "isalnum", "isalpha",
    "isascii", "isdecimal", "isdigit", "islower", "isnumeric", "isspace", "istitle", "isupper", "lower", "lstrip",
    "partition", "removeprefix", "removesuffix", "rfind", "rindex", "rpartition", "rsplit", "rstrip", "split",
    "splitlines", "startswith", "strip", "swapcase", "title", "upper", "center", "ljust", "rjust", "zfill",
    "replace", "join", "format", "format_map", "expandtabs"})


def _check_method(budget: _Budget, owner: str, name: str, args: tuple, kwargs: dict) -> None:
    if name not in _STR_METHODS:
        from jinja2.exceptions import SecurityError

        raise SecurityError(f"the text method {name}() is not available in narrative templates")
    if name in ("center", "ljust", "rjust", "zfill", "expandtabs"):
        budget.sizes(f".{name}()", args, kwargs)
    rest = [*args, *kwargs.values()]
    if name in ("format", "format_map"):
        _check_format(budget, f".{name}()", owner, "{", rest if name == "format" else (rest or [{}])[0])
    elif name == "replace" and len(rest) >= 2:
        _check_replace(budget, owner, str(rest[0]), str(rest[1]))
    elif name == "join" and rest and isinstance(rest[0], Sized):
        _check_join(budget, owner, rest[0])
    elif name == "expandtabs":
        _too_large(budget, ".expandtabs()", len(owner) + owner.count("\t") * int(rest[0] if rest else 8))


_OPERATORS: dict[str, Callable[[Any, Any], Any]] = {}


def _sandbox_class():
    import operator

    from jinja2 import pass_context
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    _OPERATORS.update({"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv,
                       "//": operator.floordiv, "%": operator.mod, "**": operator.pow})

    class NarrativeSandbox(ImmutableSandboxedEnvironment):
        """Jinja's immutable sandbox with bounded operators, calls, loops and sizes (the sandbox's public hooks:
        intercepted_binops/call_binop and call)."""

        intercepted_binops = frozenset(_OPERATORS)

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            return _binop(operator, left, right)

        def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
            budget = _budget()
            budget.tick()
            # str.format reaches here wrapped by the sandbox (functools.update_wrapper keeps __wrapped__)
            owner = getattr(getattr(__obj, "__wrapped__", __obj), "__self__", None)
            if isinstance(owner, str):
                _check_method(budget, owner, getattr(__obj, "__name__", ""), args, kwargs)
            return budget.check(super().call(__context, __obj, *args, **kwargs), "a call")

    @pass_context
    def counted(context: Any, iterable: Any) -> Any:
        """Every item a {% for %} loop takes is a step."""
        budget = _budget()
        for item in iterable:
            budget.tick()
            yield item

    return NarrativeSandbox, counted


_LOOP_FILTER = "egovdeck_counted_loop"
# Names a template already uses: an edition parameter may not take one of them (it would hide it).
RESERVED_NAMES = frozenset({"latest", "previous", "value", "total", "count", "rank", "share", "top", "growth",
                            "params", "range", "dict", "namespace", "cycler", "joiner", "loop", "self", "caller",
                            "varargs", "kwargs", "true", "false", "none", "True", "False", "None"})


def _finalize(value: Any) -> Any:
    """Every {{ … }} value: a step, and size-checked (a {% set %} block collects them)."""
    budget = _budget()
    budget.tick()
    if isinstance(value, float) and not math.isfinite(value):  # 1e308 * 10 would print "inf" in the brief
        raise TemplateDataError(f"the template computed {value} (not a finite number)",
                                "check the arithmetic: a number grew past what can be written, or was divided by zero")
    if isinstance(value, ColumnFigure):
        return str(value)
    if isinstance(value, float) and repr(value) != repr(round(value, 9)):
        # binary float noise printed as is (74.60499999999999): a filter was meant, often one that bound to the
        # last operand only (a / b | round(1) rounds b)
        raise TemplateDataError(f"a number printed without a format: {value!r}",
                                "write it with a number filter around the whole arithmetic: {{ (a / b) | num(1) }} "
                                "(a filter binds tighter than / and *: a / b | round(1) rounds b only)")
    return budget.check(value, "a value printed")


@functools.cache
def environment():
    from jinja2 import StrictUndefined

    sandbox, counted = _sandbox_class()
    env = sandbox(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False, finalize=_finalize)
    for name, func in list(env.filters.items()):
        env.filters[name] = _bounded_filter(name, func)
    env.filters.update(FILTERS)
    env.filters[_LOOP_FILTER] = counted
    env.globals.pop("lipsum", None)  # lipsum(n) builds any amount of text
    env.globals["range"] = _range
    return env


@functools.cache
def _transformer():
    from jinja2 import nodes
    from jinja2.visitor import NodeTransformer

    class Bounded(NodeTransformer):
        """Routes what the sandbox has no hook for through a bounded filter: {% for %} (each item is a step)
        and ~ (the joined text is size-checked)."""

        def visit_For(self, node: Any) -> Any:  # noqa: N802 (Jinja's visitor naming)
            node = self.generic_visit(node)
            node.iter = nodes.Filter(node.iter, _LOOP_FILTER, [], [], None, None, lineno=node.iter.lineno)
            return node

        def visit_Concat(self, node: Any) -> Any:  # noqa: N802
            node = self.generic_visit(node)
            return nodes.Filter(nodes.List(node.nodes, lineno=node.lineno), "join", [], [], None, None,
                                lineno=node.lineno)

    return Bounded


_NOT_IN_NARRATIVE = {"Include": "include", "Import": "import", "FromImport": "from … import", "Extends": "extends"}


@functools.lru_cache(maxsize=4096)
def _compiled(source: str):
    """Compiling is most of a render's cost; editions render the same templates with other values.

    Every {% for %} goes through a step counter; include/import/extends are refused (no template files)."""
    from jinja2 import nodes

    env = environment()
    tree = env.parse(source)
    for node in tree.find_all(tuple(getattr(nodes, name) for name in _NOT_IN_NARRATIVE)):
        tag = _NOT_IN_NARRATIVE[type(node).__name__]
        raise TemplateError(f"{{% {tag} %}} is not allowed in narrative templates", node.lineno,
                            "a narrative is one self-contained template that reads no files: write the text here "
                            "(a {% macro %} in the same text can be reused)", needle=tag.split()[0])
    tree = _transformer()().visit(tree)
    tree.set_environment(env)
    return env.from_string(tree)


class TemplateError(Exception):
    """Rendering failed; message says why, line is the template line (1-based) if known.

    needle is a piece of the template's text at the fault (an undefined name), to find its column."""

    def __init__(self, message: str, line: int | None = None, hint: str = "", needle: str = ""):
        super().__init__(message)
        self.line = line
        self.hint = hint
        self.needle = needle


def _template_line(exc: BaseException) -> int | None:
    """The template line being rendered when exc was raised (Jinja puts template frames in the traceback)."""
    import traceback

    line = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename == "<template>":
            line = frame.lineno
    return line


def render(template: str, functions: DataFunctions) -> str:
    """Render one template string; every failure becomes a TemplateError."""
    if "{" not in template:
        return template
    from jinja2 import TemplateSyntaxError, UndefinedError
    from jinja2.exceptions import SecurityError, TemplateRuntimeError

    if functions.deadline is None:  # the time limit is for all the templates of one document (edition)
        functions.deadline = time.monotonic() + MAX_TEMPLATE_SECONDS.value()
    token = _BUDGET.set(_Budget(functions.deadline))
    try:
        try:
            tpl = _compiled(template)
        except RecursionError:
            raise TemplateError("the template is nested too deeply to read", None,
                                "write it as shorter, simpler expressions (fewer brackets, ifs and filters "
                                "inside one another)") from None
        out, size, limit = [], 0, _BUDGET.get().max_chars
        for piece in tpl.generate(functions.globals()):
            size += len(piece)
            if size > limit:
                raise TemplateLimitError(f"the template produces more than {limit:,} characters", MAX_TEMPLATE_CHARS)
            out.append(piece)
        return "".join(out)
    except TemplateLimitError as exc:
        raise TemplateError(f"template too costly: {exc}", _template_line(exc), exc.hint) from None
    except RecursionError as exc:
        raise TemplateError("a macro calls itself without end (recursion too deep)", _template_line(exc),
                            "give the macro a case where it stops calling itself") from None
    except OverflowError as exc:
        raise TemplateError(f"a number too large: {exc}", _template_line(exc),
                            "a narrative prints figures from the data; compute nothing this big") from None
    except TemplateSyntaxError as exc:
        raise TemplateError(f"template syntax: {exc.message}", exc.lineno,
                            "write values as {{ name }} and close every {{ and {%") from None
    except SecurityError as exc:
        raise TemplateError(f"not allowed in a template: {exc}", _template_line(exc),
                            "templates may only read data and format it") from None
    except UndefinedError as exc:
        msg = str(exc)
        line = _template_line(exc)
        if "unsafe" in msg or "__" in msg:
            raise TemplateError(f"not allowed in a template: {msg}", line,
                                "templates may only read data and format it") from None
        m = re.match(r"'([^']+)' is undefined", msg)
        if m:
            name = m.group(1)
            known = [*functions.globals(), *_assigned(template)]
            close = difflib.get_close_matches(name, known, n=1)
            hint = (f'did you mean "{close[0]}"? ' if close else "") + \
                "data functions: latest, previous, value, total, count, rank, share, top, growth"
            if name in FILTERS:  # num(1000000): a filter written as a function
                hint = (f"{name} is a filter: write the value, a bar and the filter, e.g. {{{{ 1000000 | {name} }}}} "
                        f"or {{{{ latest(\"dataset\", \"column\") | {name}(1) }}}}")
            raise TemplateError(f"undefined in template: {msg}", line, hint, needle=name) from None
        raise TemplateError(f"undefined in template: {msg}", line,
                            "check the names of the fields and functions used") from None
    except TemplateRuntimeError as exc:  # e.g. FilterArgumentError: round("x", "y")
        raise TemplateError(f"in template: {exc}", _template_line(exc),
                            "check the arguments of the functions and filters used") from None
    except TemplateDataError as exc:
        raise TemplateError(str(exc), _template_line(exc), exc.hint) from None
    except (TypeError, ValueError, ArithmeticError, LookupError, AttributeError, AssertionError) as exc:
        raise TemplateError(*_python_error(exc)) from None
    finally:
        _BUDGET.reset(token)


def _python_error(exc: Exception) -> tuple[str, int | None, str]:
    """(message, template line, hint) for a Python error raised by the template's own expressions: said in the
    template's terms (a filter binds before arithmetic; division by zero), never as the exception's class
    alone. An AssertionError is a Jinja2 filter's own argument check (truncate(-1))."""
    line = _template_line(exc)
    text = str(exc)
    if isinstance(exc, ZeroDivisionError):
        return ("the template divides by zero", line,
                "test the divisor first, e.g. {% if old %}…{% endif %}; growth(new, old) says when its base is zero")
    if isinstance(exc, TypeError) and re.search(r"operand type\(s\) for [^:]+: ('\w+' and 'str'|'str' and '\w+')"
                                                r"|can only concatenate str", text):
        return (f"arithmetic on text: {text}", line,
                "a filter applies before arithmetic, so {{ a - b | num }} formats b first: put the arithmetic in "
                "brackets, {{ (a - b) | num }}; a text cell cannot be computed with (join texts with ~)")
    if isinstance(exc, AssertionError):
        return (f"a filter's argument is out of range{': ' + text if text else ''}", line,
                "check the numbers in the filter's brackets, e.g. truncate(20)")
    if isinstance(exc, ValueError) and text.endswith("not a number that can be written"):
        return (text, line, "check the arithmetic: a number grew past what can be written, or a 0 divided a 0")
    return (f"{type(exc).__name__}: {text}", line, "check the arguments of the functions and filters used")


def _assigned(template: str) -> list[str]:
    """Names set in the template with {% set name = … %}."""
    return re.findall(r"{%-?\s*set\s+(\w+)", template)
