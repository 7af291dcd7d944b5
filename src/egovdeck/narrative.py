"""Narrative templates: sandboxed Jinja2 whose numbers come from the datasets, formatted the Chinese way.

A template can call the data functions (latest, previous, value, rank, share, total, growth)
and the formatting filters (num, cn, pct, change, pp); it can never run code.
"""

from __future__ import annotations

import difflib
import functools
import json
import re
from collections.abc import Callable, Mapping
from typing import Any

from egovdeck.data import Dataset, Value


class TemplateDataError(Exception):
    """A template asked for data that is not there."""

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.hint = hint


# --------------------------------------------------------------------------- formatting


def _decimal(value: float, decimals: int, grouping: bool = True) -> str:
    from egovdeck.numfmt import format_number

    return format_number(value, decimals, grouping)


def num(value: float | None, decimals: int = 0) -> str:
    """14474 -> 14,474; 6.94 with decimals=2 -> 6.94; −3.2 (U+2212, as in the charts and tables)."""
    if value is None:
        raise TemplateDataError("num: the value is missing (an empty cell)")
    return _decimal(value, decimals)


def cn(value: float, decimals: int = 2) -> str:
    """Chinese magnitudes for raw counts: 694000000 -> 6.94亿; 12000 -> 1.2万; 14474 -> 14,474."""
    if value is None:
        raise TemplateDataError("cn: the value is missing (an empty cell)")
    for size, word in ((1e8, "亿"), (1e4, "万")):
        if abs(value) >= size:
            text = _decimal(value / size, decimals, grouping=False)
            if "." in text:
                text = text.rstrip("0").rstrip(".")
            return text + word
    return _decimal(value, 0)


def pct(value: float, decimals: int = 1) -> str:
    """76.8 -> 76.8% (the value is already in percent)."""
    return _decimal(value, decimals, grouping=False) + "%"


# Chinese statistical publications write no space between Chinese and a number: 增长6.1%, 提高1.5个百分点.
def change(value: float, decimals: int = 1, unit: str = "%", up: str = "增长", down: str = "下降") -> str:
    """6.1 -> 增长6.1%; -19.7 -> 下降19.7%; by the sign of the value as written (−0.04 -> 增长0.0%)."""
    from egovdeck.numfmt import rounded

    word = up if rounded(value, decimals) >= 0 else down
    return f"{word}{_decimal(abs(value), decimals, grouping=unit != '%')}{unit}"


def pp(value: float, decimals: int = 1) -> str:
    """Percentage-point change: 1.5 -> 提高1.5个百分点."""
    from egovdeck.numfmt import rounded

    word = "提高" if rounded(value, decimals) >= 0 else "降低"
    return f"{word}{_decimal(abs(value), decimals, grouping=False)}个百分点"


FILTERS: dict[str, Callable[..., str]] = {"num": num, "cn": cn, "pct": pct, "change": change, "pp": pp}


# --------------------------------------------------------------------------- data functions


class DataFunctions:
    """The functions a template may call, bound to the report's datasets (and edition parameters)."""

    def __init__(self, datasets: Mapping[str, Dataset], params: Mapping[str, Any] | None = None):
        self.datasets = datasets
        self.params = dict(params or {})
        self.used: list[str] = []  # datasets read, in order (a KPI's figures need a source line too)

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
        rows = [r for r in dataset.rows if all(_match(r.get(k), v) for k, v in where.items())]
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
            raise TemplateDataError(f'latest("{ds}", "{col}"): no known value')
        return known[-1]

    def previous(self, ds: str, col: str, **where: Any) -> Value:
        known = [r[col] for r in self._rows(ds, col, where) if r[col] is not None]
        if len(known) < 2:
            raise TemplateDataError(f'previous("{ds}", "{col}"): fewer than two known values')
        return known[-2]

    def value(self, ds: str, col: str, **where: Any) -> Value:
        v = self._one(ds, col, where)[col]
        if v is None:
            raise TemplateDataError(f'value("{ds}", "{col}", {where}) is empty (unknown)')
        return v

    def total(self, ds: str, col: str, **where: Any) -> float:
        return sum(r[col] for r in self._rows(ds, col, where) if isinstance(r[col], int | float))

    def count(self, ds: str, **where: Any) -> int:
        return len(self._rows(ds, None, where))

    def rank(self, ds: str, col: str, **where: Any) -> int:
        """1-based rank (largest first) of the single row matching where."""
        target = self._one(ds, col, where)[col]
        values = [r[col] for r in self._rows(ds, col, {}) if r[col] is not None]
        return 1 + sum(1 for v in values if v > target)

    def share(self, ds: str, col: str, **where: Any) -> float:
        """Percent of the column's total that the matching row holds."""
        return 100.0 * self.value(ds, col, **where) / self.total(ds, col)

    def top(self, ds: str, col: str, n: int = 1) -> list[dict[str, Value]]:
        rows = [r for r in self._rows(ds, col, {}) if r[col] is not None]
        return sorted(rows, key=lambda r: r[col], reverse=True)[:n]

    def growth(self, new: float, old: float) -> float:
        """Percent change from old to new."""
        if not old:
            raise TemplateDataError("growth: the base value is zero or missing")
        return 100.0 * (new - old) / old

    def globals(self) -> dict[str, Any]:
        return {
            "latest": self.latest, "previous": self.previous, "value": self.value, "total": self.total,
            "count": self.count, "rank": self.rank, "share": self.share, "top": self.top,
            "growth": self.growth, "params": self.params, **self.params,
        }


def _match(cell: Value, wanted: Any) -> bool:
    if isinstance(wanted, list | tuple):
        return any(_match(cell, w) for w in wanted)
    return cell == wanted or (cell is not None and str(cell) == str(wanted))


# --------------------------------------------------------------------------- environment


@functools.cache
def environment():
    from jinja2 import StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    env = ImmutableSandboxedEnvironment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False)
    env.filters.update(FILTERS)
    return env


@functools.lru_cache(maxsize=4096)
def _compiled(source: str):
    """Compiling is most of a render's cost; editions render the same templates with other values."""
    return environment().from_string(source)


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
    from jinja2.exceptions import SecurityError

    try:
        tpl = _compiled(template)
        return tpl.render(functions.globals())
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
            raise TemplateError(f"undefined in template: {msg}", line, hint, needle=name) from None
        raise TemplateError(f"undefined in template: {msg}", line,
                            "check the names of the fields and functions used") from None
    except TemplateDataError as exc:
        raise TemplateError(str(exc), _template_line(exc), exc.hint) from None
    except (TypeError, ValueError, ZeroDivisionError) as exc:
        raise TemplateError(f"{type(exc).__name__}: {exc}", _template_line(exc),
                            "check the arguments of the functions and filters used") from None


def _assigned(template: str) -> list[str]:
    """Names set in the template with {% set name = … %}."""
    return re.findall(r"{%-?\s*set\s+(\w+)", template)
