"""Run the definition's `prepare:` steps (steps.py) with pandas: new named datasets from read ones.

A prepared dataset is a data.Dataset like a read one (typed rows, a DatasetSpec with every column's type,
label and unit), so charts, tables, KPIs and the narrative use it the same way. Each step checks the columns
it names against the columns at that step; a problem is located at the step's key in the definition
(file:line:column) with a fix, and the dataset is then left out (what uses it is not reported again).

Rules that are not pandas' defaults, on purpose:
- a missing value stays missing: a sum, mean, share or growth over a missing value is missing, never a
  partial figure or a zero (the sidecar rule "a gap, never a zero");
- row order is kept wherever the step does not define one (groups and pivot rows in order of first
  appearance; sorts are stable), so the same inputs give the same bytes;
- the result's size is bounded by the data limits (data.data_limits: rows and cells).
"""

from __future__ import annotations

import difflib
import json
import math
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from egovdeck.errors import Collector
from egovdeck.input.data import PERIOD_RE, Dataset, Value, data_limits, period_label
from egovdeck.input.definition import ColumnSpec, DatasetSpec
from egovdeck.input.steps import (
    ChangeSpec,
    Comparison,
    FilterStep,
    GroupStep,
    MeltStep,
    PivotStep,
    PreparedSpec,
    RankSpec,
    RankStep,
    RenameStep,
    SelectStep,
    ShareSpec,
    ShareStep,
    SortStep,
    TopStep,
    step_kind,
)

if TYPE_CHECKING:
    import pandas as pd

    from egovdeck.input.yamlload import Located

NUMERIC = ("integer", "number")
ORDERED = ("integer", "number", "period", "date")  # compare with < and >: numbers, and periods/dates in time order
MAX_PIVOT_COLUMNS = 500


class StepError(ValueError):
    """A step that cannot run as written: the message, the key below the step it is about, and a fix."""

    def __init__(self, message: str, key: tuple = (), hint: str = ""):
        super().__init__(message)
        self.key, self.hint = tuple(key), hint


class _Table:
    """The dataset at one step: a pandas frame of object columns (ints stay ints, missing is None) and the
    declared spec of each column."""

    def __init__(self, frame: pd.DataFrame, columns: dict[str, ColumnSpec], name: str):
        self.frame, self.columns, self.name = frame, columns, name

    def need(self, column: str, key: tuple, kinds: tuple[str, ...] = (), what: str = "") -> ColumnSpec:
        """The spec of an existing column (of one of `kinds`, when given), or a StepError at key."""
        if column not in self.columns:
            close = difflib.get_close_matches(column, list(self.columns), n=1)
            raise StepError(f'no column "{column}" at this step', key,
                            (f'did you mean "{close[0]}"? ' if close else "")
                            + f"the columns here: {', '.join(self.columns)}")
        spec = self.columns[column]
        if kinds and spec.type not in kinds:
            raise StepError(f'{what or "this step"} needs {" or ".join(kinds)} values; "{column}" is {spec.type}',
                            key, f"choose a column of type {' or '.join(kinds)}")
        return spec

    def new(self, column: str, key: tuple, replacing: tuple[str, ...] = ()) -> None:
        if column in self.columns and column not in replacing:
            raise StepError(f'the column "{column}" exists already', key,
                            "choose another name for the new column (or rename the old one first)")

    def records(self) -> list[dict[str, Any]]:
        return self.frame.to_dict("records")


def _frame(rows: list[dict[str, Any]], columns: list[str]) -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame({c: pd.Series([r.get(c) for r in rows], dtype=object) for c in columns},
                        columns=columns, dtype=object)


def _clean(value: Any, kind: str) -> Value:
    """A pandas/numpy cell -> the Value a read dataset holds (None for missing, int for integer columns)."""
    if value is None:
        return None
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalars
        value = value.item()
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if kind == "integer" and value.is_integer():
            return int(value)
    if kind in ("text", "period", "date") and not isinstance(value, str):
        return str(value)
    return value


# --------------------------------------------------------------------------- steps


def _filter(t: _Table, step: FilterStep, key: tuple) -> None:
    """Keep the rows meeting every condition. A value (or list) that no row of the column holds is a StepError at
    its condition, naming the values the column holds: a typo emptied the table and surfaced steps later as an
    unrelated fault (a pivot without the columns a growth names). A comparison (ge: 500) may keep no row: that
    depends on the data, and whatever uses the empty dataset says so where it is used."""
    from egovdeck.input.data import cell_matches, equal_cells

    keep = [True] * len(t.frame)
    for column, cond in step.filter.items():
        spec = t.need(column, (*key, column))
        cells = list(t.frame[column])
        if isinstance(cond, Comparison):
            tests = []
            for op, wanted in cond.model_dump(exclude_none=True).items():
                if op in ("gt", "ge", "lt", "le"):
                    if spec.type not in ORDERED:
                        raise StepError(f'{op}: compares numbers, periods or dates; "{column}" is {spec.type}',
                                        (*key, column, op), "for text use a value, a list, ne: or not_in:")
                    tests.append((op, _typed(wanted, spec, (*key, column, op))))
                else:
                    tests.append((op, wanted))
            for i, cell in enumerate(cells):
                keep[i] = keep[i] and cell_matches(cell, dict(tests))
            continue
        matched = [cell is not None and equal_cells(cell, cond) for cell in cells]
        if cells and not any(matched):
            known = list(dict.fromkeys(str(c) for c in cells if c is not None))
            close = difflib.get_close_matches(cond, known, n=1) if isinstance(cond, str) else []
            raise StepError(f"no row has {column} = {json.dumps(cond, ensure_ascii=False, default=str)}",
                            (*key, column), (f'did you mean "{close[0]}"? ' if close else "")
                            + f'{column} has: {", ".join(known[:12])}' + (" …" if len(known) > 12 else "")
                            + " (values must match exactly; a list matches any of its values)")
        keep = [k and m for k, m in zip(keep, matched, strict=True)]
    t.frame = t.frame[keep].reset_index(drop=True)


def _typed(value: Any, spec: ColumnSpec, key: tuple) -> Any:
    if spec.type in NUMERIC:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise StepError(f"expected a number to compare with, found {value!r}", key,
                            "write the number without quotes, e.g. ge: 100")
        return value
    text = str(value)
    if spec.type == "period" and not PERIOD_RE.match(text):
        raise StepError(f"expected a period like 2019 or 2019-12, found {value!r}", key, 'e.g. ge: "2018"')
    return text


def _select(t: _Table, step: SelectStep, key: tuple) -> None:
    seen: set[str] = set()
    for j, column in enumerate(step.select):
        t.need(column, (*key, j))
        if column in seen:
            raise StepError(f'"{column}" is selected twice', (*key, j), "name each column once")
        seen.add(column)
    t.frame = t.frame[list(step.select)]
    t.columns = {c: t.columns[c] for c in step.select}


def _rename(t: _Table, step: RenameStep, key: tuple) -> None:
    for old, new in step.rename.items():
        t.need(old, (*key, old))
        if new in t.columns and new not in step.rename:
            raise StepError(f'the column "{new}" exists already', (*key, old),
                            "choose another new name (or select: the columns you keep first)")
    names = [step.rename.get(c, c) for c in t.columns]
    if len(set(names)) != len(names):
        twice = next(n for n in names if names.count(n) > 1)
        raise StepError(f'two columns would be called "{twice}"', key, "give every column its own name")
    t.frame = t.frame.rename(columns=step.rename)
    t.columns = {step.rename.get(c, c): s for c, s in t.columns.items()}


def _melt(t: _Table, step: MeltStep, key: tuple) -> None:
    spec = step.melt
    for j, c in enumerate(spec.id):
        t.need(c, (*key, "id", j))
    columns = list(spec.columns) or [c for c in t.columns if c not in spec.id]
    if not columns:
        raise StepError("no columns left to melt (every column is in id)", (*key, "id"),
                        "list the wide columns under columns:")
    for j, c in enumerate(spec.columns):
        t.need(c, (*key, "columns", j))
        if c in spec.id:
            raise StepError(f'"{c}" is both in id and in columns', (*key, "columns", j),
                            "a column is either kept on every row (id) or melted (columns)")
    kinds = {t.columns[c].type for c in columns}
    if len(kinds) > 1 and not kinds <= set(NUMERIC):
        found = ", ".join(f"{c} ({t.columns[c].type})" for c in columns)
        raise StepError(f"the melted columns must hold one type of value: {found}", (*key, "columns"),
                        "melt only the value columns (years as columns); keep the others in id")
    units = list(dict.fromkeys(t.columns[c].unit for c in columns))
    if len(units) > 1:
        raise StepError(f"the melted columns have different units ({', '.join(u or 'none' for u in units)}): "
                        "one column cannot hold them", (*key, "columns"),
                        "melt columns of one unit; melt the others in another prepared dataset")
    for field, name in (("name", spec.name), ("value", spec.value)):
        if name in spec.id:
            raise StepError(f'the new column "{name}" is also an id column', (*key, field),
                            f"choose another {field}: name")
    if spec.name == spec.value:
        raise StepError(f'name and value are both "{spec.name}"', (*key, "value"), "give the two new columns "
                        "different names")
    name_type = spec.name_type
    if name_type == "auto":
        name_type = "period" if all(PERIOD_RE.match(c) for c in columns) else "text"
    for c in columns:
        if (name_type == "period" and not PERIOD_RE.match(c)) or (name_type == "integer" and not re.fullmatch(r"-?[0-9]+", c)):
            raise StepError(f'the column name "{c}" is not {"a period (2019 or 2019-12)" if name_type == "period" else "a whole number"}',
                            (*key, "name_type"), "rename the columns first, or use name_type: text")
    first = t.columns[columns[0]]
    value_type = first.type if len(kinds) == 1 else "number"
    _limit(len(t.frame) * len(columns), len(spec.id) + 2, key)
    frame = t.frame.melt(id_vars=list(spec.id), value_vars=columns, var_name=spec.name, value_name=spec.value)
    if name_type == "integer":
        frame[spec.name] = frame[spec.name].map(int).astype(object)
    t.frame = frame.astype(object)
    t.columns = {**{c: t.columns[c] for c in spec.id},
                 spec.name: ColumnSpec(type=name_type, label=spec.name_label),
                 spec.value: ColumnSpec(type=value_type, label=spec.label or first.label, unit=first.unit,
                                        required=all(t.columns[c].required for c in columns),
                                        decimals=max((d for c in columns if (d := t.columns[c].decimals) is not None),
                                                     default=None))}


def _pivot(t: _Table, step: PivotStep, key: tuple) -> None:
    import pandas as pd

    spec = step.pivot
    for j, c in enumerate(spec.index):
        t.need(c, (*key, "index", j))
    named = t.need(spec.columns, (*key, "columns"))
    value = t.need(spec.values, (*key, "values"))
    names = [_clean(v, "text") for v in dict.fromkeys(t.frame[spec.columns])]
    if None in names:
        raise StepError(f'the column "{spec.columns}" has an empty cell: it cannot name a column', (*key, "columns"),
                        "filter the rows with an empty value out first")
    if len(names) > MAX_PIVOT_COLUMNS:
        raise StepError(f'"{spec.columns}" has {len(names)} distinct values: more than {MAX_PIVOT_COLUMNS} columns',
                        (*key, "columns"), "pivot on a column with few values (years, levels), or filter first")
    clash = [n for n in names if n in spec.index]
    if clash:
        raise StepError(f'the new column "{clash[0]}" would have the name of an index column', (*key, "columns"),
                        "rename the index column first")
    index_cols = list(spec.index)
    dup = t.frame.duplicated(subset=[*index_cols, spec.columns], keep=False)
    if dup.any():
        row = t.frame[dup].iloc[0]
        which = ", ".join(f"{c}={row[c]}" for c in [*index_cols, spec.columns])
        raise StepError(f"several rows for {which}: pivot needs one value per row and column", (*key, "index"),
                        "add the column that tells them apart to index:, or group: them first")
    _limit(len(t.frame.drop_duplicates(subset=index_cols)), len(index_cols) + len(names), key)
    frame = t.frame.assign(**{spec.columns: [_clean(v, "text") for v in t.frame[spec.columns]]})
    wide = frame.pivot(index=index_cols, columns=spec.columns, values=spec.values)
    order = list(dict.fromkeys(map(tuple, frame[index_cols].itertuples(index=False, name=None))))
    wide = wide.reindex(pd.MultiIndex.from_tuples(order, names=index_cols) if len(index_cols) > 1
                        else pd.Index([o[0] for o in order], name=index_cols[0], dtype=object))
    wide = wide.reindex(columns=names).reset_index()
    wide.columns = [str(c) for c in wide.columns]
    t.frame = wide.astype(object).where(wide.notna(), None)
    t.columns = {**{c: t.columns[c] for c in index_cols},
                 **{str(n): ColumnSpec(type=value.type, label=period_label(str(n)) if named.type == "period" else str(n),
                                       unit=value.unit, required=False, decimals=value.decimals) for n in names}}


def _sort(t: _Table, step: SortStep, key: tuple) -> None:
    order = []
    for j, item in enumerate(step.sort):
        name = item[1:] if item.startswith("-") else item
        t.need(name, (*key, j))
        order.append((name, item.startswith("-")))
    t.frame = _sorted(t.frame, order)


def _sorted(frame: pd.DataFrame, order: list[tuple[str, bool]]) -> pd.DataFrame:
    """Stable sort by (column, descending) pairs, missing values last whichever the direction."""
    indexes = list(range(len(frame)))
    for column, descending in reversed(order):  # stable sorts from the last key to the first
        cells = list(frame[column])
        known = [i for i in indexes if cells[i] is not None]
        known.sort(key=lambda i: cells[i], reverse=descending)  # reverse=True keeps ties in order too
        indexes = known + [i for i in indexes if cells[i] is None]
    return frame.iloc[indexes].reset_index(drop=True)


def _top(t: _Table, step: TopStep, key: tuple) -> None:
    spec = step.top
    t.need(spec.by, (*key, "by"), ORDERED, "top")
    for j, c in enumerate(spec.per):
        t.need(c, (*key, "per", j))
    frame = t.frame[t.frame[spec.by].map(lambda v: v is not None)]
    frame = _sorted(frame.reset_index(drop=True), [(spec.by, not spec.ascending)])
    if spec.per:
        frame = frame.groupby(list(spec.per), sort=False, dropna=False).head(spec.n)
    else:
        frame = frame.head(spec.n)
    t.frame = frame.reset_index(drop=True)


def _groups(frame: pd.DataFrame, per: list[str]) -> list[list[int]]:
    """Row positions of each group of equal `per` values, groups in order of first appearance."""
    if not per:
        return [list(range(len(frame)))]
    out: dict[tuple, list[int]] = {}
    for i, values in enumerate(frame[per].itertuples(index=False, name=None)):
        out.setdefault(tuple((v is None, str(v)) for v in values), []).append(i)  # an empty cell is its own group
    return list(out.values())


def _group(t: _Table, step: GroupStep, key: tuple) -> None:
    spec = step.group
    for j, c in enumerate(spec.by):
        t.need(c, (*key, "by", j))
    for column, how in spec.aggregate.items():
        if column in spec.by:
            raise StepError(f'"{column}" is a group column: it cannot be aggregated too', (*key, "aggregate", column),
                            "remove it from aggregate:")
        if how in ("sum", "mean", "median"):
            t.need(column, (*key, "aggregate", column), NUMERIC, how)
        elif how in ("min", "max"):
            t.need(column, (*key, "aggregate", column), ORDERED, how)
        else:
            t.need(column, (*key, "aggregate", column))
    if spec.count:
        t.new(spec.count, (*key, "count"), tuple(spec.aggregate))
        if spec.count in spec.aggregate or spec.count in spec.by:
            raise StepError(f'the count column "{spec.count}" has the name of another result column',
                            (*key, "count"), "choose another name, e.g. rows")
    import statistics

    rows = t.records()
    out = []
    for members in _groups(t.frame, list(spec.by)):
        first = rows[members[0]]
        result = {c: first[c] for c in spec.by}
        for column, how in spec.aggregate.items():
            cells = [rows[i][column] for i in members]
            known = [c for c in cells if c is not None]
            if how == "count":
                result[column] = len(known)
            elif how in ("first", "last"):
                result[column] = cells[0] if how == "first" else cells[-1]
            elif len(known) < len(cells) or not known:
                result[column] = None  # a gap stays a gap: never a partial sum
            else:
                how_to: dict[str, Callable[[list[Any]], Any]] = {
                    "sum": sum, "mean": statistics.fmean, "median": statistics.median, "min": min, "max": max}
                got = how_to[how](known)
                # a mean keeps every digit (rounded when printed, to the column's decimals); a sum is rounded to
                # the values' own decimals, which only drops float noise (6.94 + 3.94 is 10.88, not 10.879999…)
                result[column] = got if how in ("mean", "median") else _round(got, _places(known))
        if spec.count:
            result[spec.count] = len(members)
        out.append(result)
    columns = {c: t.columns[c] for c in spec.by}
    for column, how in spec.aggregate.items():
        col = t.columns[column]
        kind = "integer" if how == "count" else ("number" if how in ("mean", "median") else col.type)
        columns[column] = col.model_copy(update={
            "type": kind, "unit": "" if how == "count" else col.unit, "required": False,
            "decimals": spec.decimals if how in ("mean", "median") else (None if how == "count" else col.decimals)})
    if spec.count:
        columns[spec.count] = ColumnSpec(type="integer", label="行数")
    t.frame = _frame(out, list(columns))
    t.columns = columns


def _change(t: _Table, spec: ChangeSpec, key: tuple, growth: bool) -> None:
    what = "growth" if growth else "difference"
    t.new(spec.column, (*key, "column"))
    if spec.new is not None and spec.old is not None:
        new = t.need(spec.new, (*key, "new"), NUMERIC, what)
        old = t.need(spec.old, (*key, "old"), NUMERIC, what)
        pairs = list(zip(t.frame[spec.new], t.frame[spec.old], strict=True))
        unit_of = new
        kind_ok = old.type
    else:
        assert spec.of is not None and spec.along is not None
        unit_of = t.need(spec.of, (*key, "of"), NUMERIC, what)
        t.need(spec.along, (*key, "along"), ORDERED, "along")
        for j, c in enumerate(spec.per):
            t.need(c, (*key, "per", j))
        cells, along = list(t.frame[spec.of]), list(t.frame[spec.along])
        previous: list[Any] = [None] * len(cells)
        for members in _groups(t.frame, list(spec.per)):
            seen: dict[str, int] = {}
            for i in members:
                if str(along[i]) in seen:
                    raise StepError(f'two rows of one group have {spec.along} = {along[i]}: the previous row is '
                                    "not clear", (*key, "per"), "add the column that tells them apart to per:")
                seen[str(along[i])] = i
            ordered = sorted((i for i in members if along[i] is not None), key=lambda i: along[i])
            for before, after in zip(ordered, ordered[1:], strict=False):
                previous[after] = cells[before]
        pairs = list(zip(cells, previous, strict=True))
        kind_ok = unit_of.type
    values: list[Value] = []
    for new_v, old_v in pairs:
        if new_v is None or old_v is None or (growth and old_v == 0):
            values.append(None)
        elif growth:
            values.append(100.0 * (new_v - old_v) / old_v)
        else:
            values.append(new_v - old_v)
    own = _places([v for p in pairs for v in p])
    if not growth and spec.decimals is None:
        values = [_round(v, own) for v in values]  # exact: 6.94 − 3.94 is 3.0, not 2.9999999999999996
    # a growth (or a difference given decimals) keeps every digit: rounded once, when printed (to `decimals`)
    places = spec.decimals if spec.decimals is not None else (1 if growth else None)
    kind = "number" if growth or "number" in (unit_of.type, kind_ok) else "integer"
    unit = spec.unit if spec.unit is not None else ("%" if growth else unit_of.unit)
    t.frame = t.frame.assign(**{spec.column: _object(values)})
    t.columns = {**t.columns, spec.column: ColumnSpec(type=kind, label=spec.label, unit=unit, required=False,
                                                      decimals=places)}


def _places(values: list[Any]) -> int:
    """The most decimals any of the values is written with (6 at most): 6.94 -> 2; a whole number -> 0."""
    out = 0
    for v in values:
        if isinstance(v, float) and math.isfinite(v) and not v.is_integer():
            text = repr(v)
            out = max(out, 6 if "e" in text else min(6, len(text.split(".")[1])))
    return out


def _round(value: Any, decimals: int) -> Any:
    """Half-up, like every number egovdeck prints (numfmt); whole numbers stay ints; None stays None."""
    if value is None or isinstance(value, int):
        return value
    from egovdeck.text.numfmt import rounded

    return float(rounded(value, decimals))


def _object(values: list[Any]):
    import pandas as pd

    return pd.Series(values, dtype=object)


def _per_group(t: _Table, spec: ShareSpec | RankSpec, key: tuple, kinds, what: str):
    """The checks a share or rank step starts with (new column, its `of` column of `kinds`, the `per`
    columns); then the `of` cells and the row indexes of each group."""
    t.new(spec.column, (*key, "column"))
    t.need(spec.of, (*key, "of"), kinds, what)
    for j, c in enumerate(spec.per):
        t.need(c, (*key, "per", j))
    return list(t.frame[spec.of]), _groups(t.frame, list(spec.per))


def _add_column(t: _Table, spec: ShareSpec | RankSpec, values: list[Value], kind: str, unit: str,
                decimals: int | None = None) -> None:
    t.frame = t.frame.assign(**{spec.column: _object(values)})
    t.columns = {**t.columns, spec.column: ColumnSpec(type=kind, label=spec.label, unit=unit, required=False,
                                                      decimals=decimals)}


def _share(t: _Table, step: ShareStep, key: tuple) -> None:
    spec = step.share
    cells, groups = _per_group(t, spec, key, NUMERIC, "share")
    values: list[Value] = [None] * len(cells)
    for members in groups:
        group = [cells[i] for i in members]
        if any(v is None for v in group):
            continue
        total = sum(group)
        if total:
            for i in members:
                values[i] = 100.0 * cells[i] / total  # every digit: rounded once, when printed
    _add_column(t, spec, values, "number", "%", spec.decimals)


def _rank(t: _Table, step: RankStep, key: tuple) -> None:
    spec = step.rank
    cells, groups = _per_group(t, spec, key, ORDERED, "rank")
    values: list[Value] = [None] * len(cells)
    for members in groups:
        known = [cells[i] for i in members if cells[i] is not None]
        for i in members:
            v = cells[i]
            if v is not None:
                values[i] = 1 + sum(1 for w in known if (w < v if spec.ascending else w > v))
    _add_column(t, spec, values, "integer", "位")


def _limit(rows: int, columns: int, key: tuple) -> None:
    limits = data_limits(Collector())
    if rows > limits.rows or rows * columns > limits.cells:
        raise StepError(f"the step would make {rows:,} rows of {columns} columns, more than the data limits "
                        f"({limits.rows:,} rows, {limits.cells:,} cells)", key,
                        "filter or select first; or raise EGOVDECK_MAX_DATA_ROWS / EGOVDECK_MAX_DATA_CELLS")


STEPS: dict[str, Callable[[_Table, Any, tuple], None]] = {
         "filter": _filter, "select": _select, "rename": _rename, "melt": _melt, "pivot": _pivot, "sort": _sort,
         "top": _top, "group": _group, "share": _share, "rank": _rank,
         "growth": lambda t, s, k: _change(t, s.growth, k, True),
         "difference": lambda t, s, k: _change(t, s.difference, k, False)}


# --------------------------------------------------------------------------- datasets


def prepare(ds_id: str, spec: PreparedSpec, source: Dataset) -> Dataset:
    """Run spec's steps on source; StepError (with its key below ("steps", i, kind)) for a step that cannot."""
    table = _Table(_frame(source.rows, source.columns), dict(source.spec.columns), ds_id)
    for i, step in enumerate(spec.steps):
        kind = step_kind(step)
        STEPS[kind](table, step, ("steps", i, kind))
    for name, text in spec.columns.items():
        if name not in table.columns:
            close = difflib.get_close_matches(name, list(table.columns), n=1)
            raise StepError(f'the result has no column "{name}"', ("columns", name),
                            (f'did you mean "{close[0]}"? ' if close else "")
                            + f"its columns: {', '.join(table.columns)}")
        table.columns[name] = table.columns[name].model_copy(update=text.model_dump(exclude_none=True))
    rows = [{c: _clean(r.get(c), table.columns[c].type) for c in table.columns} for r in table.records()]
    base = source.spec
    done = "、".join(dict.fromkeys(_step_words(step) for step in spec.steps))
    made = f"本表由“{base.title}”经{done}整理得出（报告定义中的数据准备步骤）。" if done else ""
    dspec = DatasetSpec(title=spec.title or base.title, file=base.file, source=spec.source or base.source,
                        unit=base.unit if spec.unit is None else spec.unit, notes=[*base.notes, *spec.notes, *([made] if made else [])],
                        key=[], columns=table.columns)
    return Dataset(ds_id, dspec, source.path, rows, source.encoding, source.meta_path,
                   extra={"prepared_from": source.id})


STEP_WORDS = {"filter": "筛选", "select": "选取列", "rename": "重命名列", "melt": "宽表转长表", "pivot": "长表转宽表",
              "sort": "排序", "group": "分组汇总", "growth": "计算增长率", "difference": "计算差值", "share": "计算占比",
              "rank": "计算排名"}


def _step_words(step: Any) -> str:
    """How the 数据说明 page names a step: 筛选, 取最大的5项, …"""
    kind = step_kind(step)
    if kind == "top":
        return f"取{'最小' if step.top.ascending else '最大'}的{step.top.n}项"
    return STEP_WORDS[kind]


def prepare_all(specs: dict[str, PreparedSpec], datasets: dict[str, Dataset], located: Located,
                problems: Collector, failed: set[str], incomplete: bool = False) -> dict[str, Dataset]:
    """The prepared datasets, each after the one it starts from; problems located at their keys.

    Ids that fail are added to `failed`, so that what uses them is not reported again."""
    out: dict[str, Dataset] = {}
    state: dict[str, str] = {}  # id -> "running" | "done"

    def make(ds_id: str) -> Dataset | None:
        if ds_id in out:
            return out[ds_id]
        if state.get(ds_id) == "running":
            problems.add(f'the prepared dataset "{ds_id}" starts from itself (through from:)',
                         hint="a prepared dataset starts from a read dataset or an earlier prepared one",
                         **located.where(("prepare", ds_id, "from")))
            return None
        if state.get(ds_id) == "done":
            return None
        state[ds_id] = "running"
        spec = specs[ds_id]
        try:
            if ds_id in datasets:
                problems.add(f'the prepared dataset "{ds_id}" has the id of a read dataset',
                             hint="give it another name (ids of read datasets are their sidecars' names)",
                             **located.where(("prepare", ds_id)))
                return None
            if spec.from_ in specs:
                source = make(spec.from_)
            elif spec.from_ in datasets:
                source = datasets[spec.from_]
            else:
                if spec.from_ not in failed and not incomplete:
                    known = sorted([*datasets, *specs])
                    close = difflib.get_close_matches(spec.from_, known, n=1)
                    problems.add(f'unknown dataset "{spec.from_}"',
                                 hint=(f'did you mean "{close[0]}"? ' if close else "") + f"datasets: {', '.join(known)}",
                                 **located.where(("prepare", ds_id, "from")))
                return None
            if source is None:
                return None
            try:
                out[ds_id] = prepare(ds_id, spec, source)
            except StepError as exc:
                problems.add(f'prepare "{ds_id}": {exc}', hint=exc.hint, **located.where(("prepare", ds_id, *exc.key)))
                return None
            return out[ds_id]
        finally:
            state[ds_id] = "done"
            if ds_id not in out:
                failed.add(ds_id)

    for ds_id in specs:
        make(ds_id)
    return out
