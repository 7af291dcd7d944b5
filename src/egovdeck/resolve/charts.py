"""Bind a chart spec to its dataset: filter, sort, pick series, colours and formats -> ChartData."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from egovdeck.charts.scale import (
    AXIS_BINS,
    Ticks,
    agreeing_range,
    auto_axis,
    axis_ticks,
    clean,
    coarser,
    round_step,
)
from egovdeck.document.chart import CHART_KINDS, ChartData, Milestone, Series
from egovdeck.document.theme import Theme
from egovdeck.input.data import Dataset, cell_matches, period_label
from egovdeck.input.definition import ONLY_FOR, ChartSpec
from egovdeck.text.numfmt import NumberFormat, parse_format
from egovdeck.text.textfit import join_source


class ChartError(Exception):
    """A chart spec that cannot be drawn; key names the offending field."""

    def __init__(self, message: str, key: str = "", hint: str = ""):
        super().__init__(message)
        self.key = key
        self.hint = hint


def matching_rows(ds: Dataset, where: dict[str, Any], render_text: Callable[[str, tuple[str | int, ...]], str]
                  ) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """(rows of ds matching a chart's or table's where:, the where with its templates rendered). A value may be
    a template ("{{ province }}" in an edition; rendered at ("where", field)). Raises ChartError at "where" (or
    "dataset" when there is no where:) when no row matches, its hint the values each field holds."""
    rendered = {k: render_text(v, ("where", k)) if isinstance(v, str) and "{" in v else v for k, v in where.items()}
    for k in where:
        if k not in ds.spec.columns:
            raise ChartError(f'dataset "{ds.id}" has no column "{k}"', f"where.{k}", f"columns: {', '.join(ds.columns)}")
    rows = [r for r in ds.rows if all(cell_matches(r.get(k), v) for k, v in rendered.items())]
    if not rows:
        raise ChartError(f'no data: dataset "{ds.id}" has no rows' + (f" matching {rendered}" if rendered else ""),
                         "where" if where else "dataset", _where_hint(ds, rendered))
    return rows, rendered


def skipped_periods(periods: list[str]) -> list[str]:
    """The periods ("2019" or "2019-12") a time series skips within its own rhythm: the most common step between
    its consecutive periods (a month, a quarter, half a year, a year), found in at least 3 of 5 steps, and each
    longer step that is a whole multiple of it skips the periods between. An uneven series (2016-12, 2018-12,
    2020-03, 2020-06) has none; mixed or unordered periods have none. breaker7: a monthly line of 124 months
    missing six ran straight across them, unseen."""
    from collections import Counter

    if len(periods) < 4 or len({len(p) for p in periods}) != 1:
        return []
    monthly = len(periods[0]) == 7
    at = [int(p[:4]) * 12 + int(p[5:7]) - 1 if monthly else int(p[:4]) for p in periods]
    steps = [b - a for a, b in zip(at, at[1:], strict=False)]
    if any(step <= 0 for step in steps):
        return []
    rhythm, count = Counter(steps).most_common(1)[0]
    if count * 5 < len(steps) * 3:
        return []
    skipped = []
    for a, step in zip(at, steps, strict=False):
        if step > rhythm and step % rhythm == 0:
            for k in range(a + rhythm, a + step, rhythm):
                skipped.append(f"{k // 12}-{k % 12 + 1:02d}" if monthly else str(k))
    return skipped


def _where_hint(ds: Dataset, where: dict) -> str:
    """What a filter that keeps no row could match instead: each where field's values in the dataset."""
    if not ds.rows:
        return f"the data file of dataset \"{ds.id}\" has no rows: add them below its header"
    parts = []
    for k in where:
        values = list(dict.fromkeys(str(r.get(k)) for r in ds.rows if r.get(k) is not None))
        parts.append(f"{k} has: {', '.join(values[:12])}" + (" …" if len(values) > 12 else ""))
    return "; ".join(parts) + " (values must match exactly; a list matches any of its values)"


def _used_keys(spec: ChartSpec) -> ChartSpec:
    """spec with every key its kind does not use (input.definition.ONLY_FOR; validate warned at each) back at its
    default, so that no renderer is changed by one (an end_labels: true narrowed a column chart's plot)."""
    unused = {k for k in spec.model_fields_set & ONLY_FOR.keys() if spec.kind not in ONLY_FOR[k]}
    if not unused:
        return spec
    fields = type(spec).model_fields
    return spec.model_copy(update={k: fields[k].get_default(call_default_factory=True) for k in unused})


def _check_pins(lo: float | None, hi: float | None, dmin: float, dmax: float, fmt: NumberFormat,
                keys: tuple[str, str], stacked: bool) -> None:
    """A value range the definition pins must hold the data it draws (dmin..dmax: the smallest and largest value,
    or stacked total, in the axis's units): a bar or point past an end would be cut off at the axis (the deck) or
    drawn across the title and the page (the PDF), its label lost. Raises ChartError at the pinned key."""
    what = "stacked total" if stacked else "value"
    if hi is not None and dmax > hi:
        raise ChartError(f"{fmt.format(hi)} is below the largest {what} drawn, {fmt.format(dmax)}: "
                         "it would be cut off at the axis", keys[1],
                         f"raise {keys[1]} to {fmt.format(dmax)} or more, or remove it (egovdeck then chooses the "
                         "range from the data)")
    if lo is not None and dmin < lo:
        raise ChartError(f"{fmt.format(lo)} is above the smallest {what} drawn, {fmt.format(dmin)}: "
                         "it would be cut off at the axis", keys[0],
                         f"lower {keys[0]} to {fmt.format(dmin)} or less, or remove it (egovdeck then chooses the "
                         "range from the data)")


def _default_format(values: list[float], unit: str, decimals: int | None = None) -> NumberFormat:
    """The format of a series without one: the column's decimals (ColumnSpec.decimals) if it has them, else
    the values' own, at most 2."""
    if decimals is not None:
        return NumberFormat(decimals=decimals, thousands=True, percent=unit == "%")
    decimals = 0
    for v in values:
        text = f"{v:.4f}".rstrip("0").rstrip(".")
        if "." in text:
            decimals = max(decimals, min(2, len(text.split(".")[1])))
    return NumberFormat(decimals=decimals, thousands=True, percent=unit == "%")


OTHER_NAMES = ("其他", "其它", "其他类", "其他方式", "其余")  # an "other" category the data may have


def resolve_chart(chart_id: str, spec: ChartSpec, ds: Dataset, theme: Theme,
                  render_text: Callable[[str, tuple[str | int, ...]], str],
                  warn: Callable[[str, str, str], None] | None = None) -> ChartData:
    """spec + ds -> ChartData. render_text(text, key) renders a template of the spec at key (("title",),
    ("note",), ("where", field), ("highlight", i)) and joins its source lines the CJK way: the key locates
    errors and tells a YAML > block (where one line break is a paragraph) from | and plain scalars."""
    if spec.kind not in CHART_KINDS:
        raise ChartError(f'unknown chart kind "{spec.kind}"', "kind", f"known kinds: {', '.join(CHART_KINDS)}")
    spec = _used_keys(spec)
    # where/highlight values may be templates ("{{ province }}" in an edition)
    rows, where = matching_rows(ds, spec.where, render_text)
    highlight = [render_text(h, ("highlight", i)) if "{" in h else h for i, h in enumerate(spec.highlight)]
    title = render_text(spec.title, ("title",)) if spec.title else join_source(ds.spec.title)
    # the source line and axis titles are joined like every other source text (a > block's space after
    # 「，」, a | block's line breaks): the PDF and the deck print them as written once
    source = join_source(spec.source if spec.source is not None else ds.spec.source)
    note = render_text(spec.note, ("note",)) if spec.note else ""
    if spec.kind == "timeline":
        for f in (spec.period, spec.label, spec.text):
            if f not in ds.spec.columns:
                raise ChartError(f'dataset "{ds.id}" has no column "{f}"', "period/label/text",
                                 f"columns: {', '.join(ds.columns)}")
        as_period = ds.spec.columns[spec.period].type == "period"  # 2019-03 -> 2019年3月, as the charts print it

        def stage(r: dict) -> str:
            value = str(r[spec.period] or "")
            return period_label(value) if as_period and value else value

        ms = tuple(Milestone(stage(r), str(r[spec.label] or ""), str(r[spec.text] or "")) for r in rows)
        alt = spec.alt or f"{title}：" + "；".join(f"{m.period}{m.label}" for m in ms)
        return ChartData(chart_id, "timeline", title, source=source, note=note, milestones=ms, alt_text=alt,
                         data_labels=False, legend=None, dataset=ds.id)

    if not spec.x:
        raise ChartError("no category field", "x", "set x: to the column holding the categories (periods, provinces…)")
    ys = [spec.y] if isinstance(spec.y, str) else list(spec.y)
    if not ys:
        raise ChartError("no value field", "y", "set y: to the numeric column(s) to draw")
    for key, f in [("x", spec.x), *[("y", y) for y in ys], *([("series", spec.series)] if spec.series else [])]:
        if f not in ds.spec.columns:
            raise ChartError(f'dataset "{ds.id}" has no column "{f}"', key, f"columns: {', '.join(ds.columns)}")
    for y in ys:
        if ds.spec.columns[y].type not in ("integer", "number"):
            raise ChartError(f'column "{y}" of dataset "{ds.id}" is {ds.spec.columns[y].type}, not numeric', "y",
                             "declare it as integer or number in the dataset sidecar")

    def cat(r: dict) -> str:
        return period_label(r[spec.x]) if ds.spec.columns[spec.x].type == "period" else str(r[spec.x])

    # Long format: one series per distinct value of the series field.
    if spec.series:
        names = list(dict.fromkeys(str(r[spec.series]) for r in rows))
        cats = list(dict.fromkeys(cat(r) for r in rows))
        table = {(cat(r), str(r[spec.series])): r[ys[0]] for r in rows}
        columns = {n: [table.get((c, n)) for c in cats] for n in names}
        fields = {n: ys[0] for n in names}
    else:
        cats = [cat(r) for r in rows]
        columns = {y: [r[y] for r in rows] for y in ys}
        fields = {y: y for y in ys}
        if len(set(cats)) != len(cats):
            raise ChartError(f'categories of "{spec.x}" repeat ({len(cats)} rows, {len(set(cats))} distinct)', "x",
                             "filter the rows with where:, or name a series: field for long-format data")

    # Sort by the first series; top-N.
    if spec.sort != "none":
        first = next(iter(columns.values()))
        order = sorted(range(len(cats)), key=lambda i: (first[i] is None, first[i] or 0), reverse=spec.sort == "desc")
        if spec.sort == "desc":  # keep unknowns last
            order = [i for i in order if first[i] is not None] + [i for i in order if first[i] is None]
        cats = [cats[i] for i in order]
        columns = {k: [v[i] for i in order] for k, v in columns.items()}
    every = cats
    if spec.top:
        cats = cats[: spec.top]
        columns = {k: v[: spec.top] for k, v in columns.items()}

    if spec.kind in ("pie", "doughnut"):
        if len(columns) != 1:
            raise ChartError(f"a {spec.kind} chart takes exactly one value field, got {len(columns)}", "y",
                             "keep one field in y: (or filter the rows with where: to one series), or use kind: "
                             "column (or bar) to compare several series")
        vals = next(iter(columns.values()))
        for c, v in zip(cats, vals, strict=True):
            if v is None:
                raise ChartError(f'{spec.kind}: the slice "{c}" has no value', "y", "a pie needs every share")
            if v < 0:
                raise ChartError(f'{spec.kind}: the slice "{c}" is negative ({v})', "y",
                                 "pie and doughnut slices must be zero or positive; use a bar chart for changes")
        if not any(v > 0 for v in vals):  # every slice zero: nothing to draw (the renderer's own error was exit 3)
            raise ChartError(f"{spec.kind}: every slice is zero, so there is nothing to draw", "y",
                             "check the data (or its filter); a pie needs at least one positive share")
        if spec.other_below:
            total = sum(vals) or 1.0
            keep = [i for i, v in enumerate(vals) if 100 * v / total >= spec.other_below]
            fold = [i for i in range(len(vals)) if i not in keep]
            # a category already named 其他 (an "other" the data has) takes the folded ones in, wherever it is:
            # two slices named 其他 (one with a value, one only in the legend) read as one
            own = [i for i in keep if str(cats[i]).strip() in OTHER_NAMES]
            if own and fold:
                keep = [i for i in keep if i not in own]
                fold = own + fold
            if len(fold) > 1:
                other = sum(vals[i] for i in fold)
                cats = [cats[i] for i in keep] + ["其他"]
                vals = [vals[i] for i in keep] + [other]
                columns = {next(iter(columns)): vals}

    # Validate numbers.
    for k, vals in columns.items():
        for c, v in zip(cats, vals, strict=True):
            if v is not None and not isinstance(v, int | float):
                raise ChartError(f'value of "{fields[k]}" for "{c}" is not a number: {v!r}', "y",
                                 "y: names the numeric column(s) to draw; declare the column as integer or number "
                                 "in the sidecar, or draw another column")

    # Colours: explicit list/dict, else the palette in order.
    keys = list(columns)
    colors: dict[str, str] = {}
    for i, k in enumerate(keys):
        if isinstance(spec.colors, dict) and k in spec.colors:
            colors[k] = spec.colors[k].lstrip("#").upper()
        elif isinstance(spec.colors, list) and i < len(spec.colors):
            colors[k] = spec.colors[i].lstrip("#").upper()
        else:
            colors[k] = theme.color(i)

    secondary = set(spec.secondary)
    if spec.kind == "combo" and not secondary:
        raise ChartError("a combo chart needs secondary: [the field(s) drawn as a line on the right axis]", "secondary",
                         "add secondary: [FIELD] (the other series stay columns), or use kind: column")
    unknown = secondary - set(keys)
    if unknown:
        raise ChartError(f"secondary names fields that are not series: {', '.join(sorted(unknown))}", "secondary",
                         f"series: {', '.join(keys)}")

    series: list[Series] = []
    for k in keys:
        vals = columns[k]
        unit = ds.unit(fields[k])
        fmt_text = spec.format2 if (k in secondary and spec.format2) else spec.format
        fmt = parse_format(fmt_text) if fmt_text else _default_format([v for v in vals if v is not None], unit,
                                                                         ds.spec.columns[fields[k]].decimals)
        scaled = tuple(None if v is None else fmt.scale(float(v)) for v in vals)
        name = spec.names.get(k) or ((period_label(k) if ds.spec.columns[spec.series].type == "period" else k)
                                     if spec.series else ds.label(k))
        point_colors: tuple[str, ...] = ()
        if spec.kind in ("pie", "doughnut"):
            point_colors = tuple(theme.color(j) for j in range(len(cats)))
        elif highlight and len(keys) == 1 and spec.kind == "line":  # the highlighted points' markers only
            point_colors = tuple(theme.highlight if c in highlight else "" for c in cats)
        elif highlight and len(keys) == 1:
            point_colors = tuple(theme.highlight if c in highlight else theme.dim for c in cats)
        kind = "line" if spec.kind == "line" or (spec.kind == "combo" and k in secondary) else "column"
        series.append(Series(name, scaled, colors[k], fmt, kind, k in secondary, point_colors))
    cut = [h for h in highlight if h not in cats and h in every]
    if cut and warn is not None:  # an edition's own category outside the top N: nothing to highlight, not an error
        warn(f"highlight: {', '.join(cut)} {'is' if len(cut) == 1 else 'are'} not among the first {spec.top} "
             f"categories the chart keeps (top: {spec.top}), so nothing is highlighted for "
             f"{'it' if len(cut) == 1 else 'them'}", "highlight", "raise top:, or highlight a category it keeps")
    if warn is not None and spec.kind in ("line", "combo") and ds.spec.columns[spec.x].type == "period" \
            and spec.sort == "none":
        skipped = skipped_periods([str(r[spec.x]) for r in rows if r[spec.x] is not None])
        if skipped:
            shown = "、".join(period_label(p) for p in skipped[:4]) + (" …" if len(skipped) > 4 else "")
            warn(f"the time axis skips {len(skipped)} period{'s' if len(skipped) > 1 else ''} of its own rhythm "
                 f"({shown}): no row holds {'them' if len(skipped) > 1 else 'it'}, so the line runs straight across as if "
                 f"{'they were' if len(skipped) > 1 else 'it were'} not there", "x",
                 "add a row for each with an empty value (the line then shows a gap), or leave the periods uneven "
                 "on purpose")
    missing_hl = [h for h in highlight if h not in every]
    if missing_hl:
        raise ChartError(f"highlight names categories not in the chart: {', '.join(missing_hl)}", "highlight",
                         f"categories: {', '.join(cats[:12])}{' …' if len(cats) > 12 else ''}")

    prim = [s for s in series if not s.secondary]
    sec = [s for s in series if s.secondary]
    formats = {k: s.fmt for k, s in zip(keys, series, strict=True)}
    y_title = spec.y_title if spec.y_title is not None else _unit_title(ds, fields, keys, secondary, False, formats)
    y2_title = spec.y2_title if spec.y2_title is not None else _unit_title(ds, fields, keys, secondary, True, formats)
    legend = None if spec.legend == "none" else spec.legend
    # One value range for both renderers (the deck's axis would otherwise be PowerPoint's own choice).
    y_min, y_max = spec.y_min, spec.y_max
    auto_lo = auto_hi = False
    y_step: float | None = None
    if spec.kind in ("column", "bar", "combo", "line"):
        if spec.stacked:
            known = [sum(v for s in prim if (v := s.values[i]) is not None and v > 0) for i in range(len(cats))]
            known += [sum(v for s in prim if (v := s.values[i]) is not None and v < 0) for i in range(len(cats))]
        else:
            known = [v for s in prim for v in s.values if v is not None]
        if known:
            dmin, dmax = min(known), max(known)
            _check_pins(spec.y_min, spec.y_max, dmin, dmax, prim[0].fmt, ("y_min", "y_max"), spec.stacked)
            if spec.kind == "combo" and sec and dmax > 0:
                dmax /= 0.62  # the columns keep to the lower part, the line runs above them
            # bars start at zero (a truncated bar axis exaggerates differences); lines get a margin
            auto_lo, auto_hi = y_min is None, y_max is None
            user_lo, user_hi = y_min, y_max
            fits = _bar_ticks_fit(prim[0].fmt, theme) if spec.kind == "bar" and prim else None
            # the low end moved for the label beyond the most negative bar before the ticks are judged: the
            # step is chosen for the range both outputs draw
            room_below = (auto_lo and dmin < 0 and not spec.stacked and spec.labels
                          and spec.label_position in ("auto", "outside") and spec.kind in ("bar", "column"))
            for bins in range(AXIS_BINS, 1, -1):  # a ranking's ticks across: fewer when their labels are wide
                lo, hi, step = auto_axis(dmin, dmax, zero=spec.kind != "line", nbins=bins)
                y_min = lo if user_lo is None else user_lo
                y_max = hi if user_hi is None else user_hi
                if not (auto_lo and auto_hi) and y_max > y_min:
                    # an end the definition pins: the step of the whole range; a chosen low end on one of its
                    # multiples (ticks run up from the low end, in both outputs)
                    step = round_step(y_min, y_max, bins)
                    if auto_lo:
                        y_min = clean(math.floor(y_min / step + 1e-9) * step)
                    # a range at or below zero: LibreOffice ticks it from −y_max, the others from y_min; the
                    # chosen end (or the step) moved so that both are ticks (charts/scale.py tick_anchor)
                    y_min, y_max, step = agreeing_range(y_min, y_max, step, auto_lo, auto_hi)
                if room_below and y_max > y_min:
                    y_min = low_end_room(y_min, y_max, step, dmin, prim, theme, spec.kind == "bar")
                if fits is None or y_max <= y_min or fits(axis_ticks(y_min, y_max, step)):
                    break
            else:
                if fits is not None and y_max > y_min:
                    y_min, y_max, step = _coarser(y_min, y_max, step, auto_lo, auto_hi, fits)
                    if room_below:
                        y_min = low_end_room(y_min, y_max, step, dmin, prim, theme, spec.kind == "bar")
            if auto_hi:
                y_max = zero_label_room(y_min, y_max, step, dmax, spec.kind, spec.labels and not spec.stacked
                                        and spec.label_position in ("auto", "outside"))
            # one tick step for both outputs (the PDF's drawing, the deck's c:majorUnit), whatever the frames
            y_step = step if y_max > y_min else None
    if sec and spec.kind == "combo":
        known2 = [v for s in sec for v in s.values if v is not None]
        if known2:
            _check_pins(spec.y2_min, spec.y2_max, min(known2), max(known2), sec[0].fmt, ("y2_min", "y2_max"), False)
    data = ChartData(
        id=chart_id, kind=spec.kind, title=title, categories=tuple(cats), series=tuple(series),
        stacked=spec.stacked, data_labels=spec.labels, label_position=spec.label_position,
        legend=legend if (len(series) > 1 or spec.kind in ("pie", "doughnut")) else None,
        x_title=spec.x_title, y_title=y_title if spec.kind not in ("pie", "doughnut") else "",
        y2_title=y2_title if sec else "", y_min=y_min, y_max=y_max, y2_min=spec.y2_min,
        y2_max=spec.y2_max, y_min_auto=auto_lo, y_max_auto=auto_hi, y_step=y_step, source=source, note=note, end_labels=spec.end_labels, dataset=ds.id,
    )
    alt = spec.alt or describe(data, prim + sec)
    return ChartData(**{**data.__dict__, "alt_text": alt})


def zero_label_room(lo: float, hi: float, step: float, dmax: float, kind: str, outside_labels: bool) -> float:
    """The high end of a bar or column chart's range (hi, chosen for the data) when a zero value is labelled
    beyond its (empty) bar's end: that is the positive side in both outputs, so a range ending at zero (no
    positive value, dmax 0) reaches one step beyond it; else hi. breaker7's yearbook: values 0, 0, −4.7 drew
    the two labels 「0」 on the zero line at the plot's edge."""
    if kind in ("bar", "column") and outside_labels and dmax == 0 and hi == 0 and lo < 0:
        return step
    return hi


def low_end_room(lo: float, hi: float, step: float, dmin: float, prim: list[Series], theme: Theme,
                 across: bool = True) -> float:
    """The low end of a bar or column chart's range (lo, the resolver's choice) moved down by whole steps
    until the data label beyond the most negative bar (dmin < 0) has its room: the label's extent along the
    value axis, as a share of a plot of BAR_AXIS_PT, between dmin and the low end.

    Decided once, here, for both outputs, each of which draws it in a frame of its own.
    `across`: the label's extent is its width (a bar chart), else its height (a column chart: a width
    reading there doubled the range of a column chart and crowded its labels out), at the
    narrowest plot either output draws. Each renderer then keeps this low end
    (the deck's c:min, where LibreOffice's ticks start; the PDF may only widen its plot below it without a
    tick, egovdeck.charts.plan.axes.lower_to). A label too wide for the narrowest plot (half of it or more)
    moves nothing. Whole steps keep the ticks on the resolver's values (charts/scale.py tick_anchor)."""
    from egovdeck.text.fonts import default_fonts, metrics

    m = metrics(default_fonts().regular)
    widest = max((m.width(s.fmt.format(v), theme.chart_label_size) for s in prim for v in s.values
                  if v is not None and math.isfinite(v)), default=0.0)
    need = (widest if across else theme.chart_label_size * 1.4) + LABEL_GAP_PT
    frac = need / BAR_AXIS_PT
    if frac >= 0.5 or hi <= lo:
        return lo
    for _ in range(20):
        if dmin - lo >= frac * (hi - lo):
            break
        lo = clean(lo - step)
    return lo


def _coarser(lo: float, hi: float, step: float, free_lo: bool, free_hi: bool,
             fits: Callable[[Ticks], bool]) -> tuple[float, float, float]:
    """(lo, hi, step) with a whole multiple of `step` (2 to 10 times) whose tick labels fit (`fits`, the
    narrowest plot either output draws), the free ends rounded out to it and every reader ticking alike
    (anchors_agree): a ranking whose round ticks are too many for its plot gets fewer, the same in both
    outputs, rather than each output labelling every k-th gridline of its own. Unchanged when none fits."""
    return coarser(lo, hi, step, free_lo, free_hi, lambda a, b, s: fits(axis_ticks(a, b, s))) or (lo, hi, step)


LABEL_GAP_PT = 6.0  # pt between a bar end and its label, and beyond the label (charts/deckroom.py LABEL_GAP)
BAR_AXIS_PT = 100.0  # pt of a ranking's value axis at the theme's tick size: its narrowest plot, a deck ranking split in two beside long names


def _bar_ticks_fit(fmt: NumberFormat, theme: Theme) -> Callable[[Ticks], bool]:
    """Whether a bar chart's tick labels, side by side under its plot, fit BAR_AXIS_PT with a gap between
    them (widths of the bundled font): the step is chosen once for both outputs, so it is chosen for the
    narrowest plot they draw (the deck's is wider at its larger text)."""
    from egovdeck.text.fonts import default_fonts, metrics

    m = metrics(default_fonts().regular)

    def fits(t: Ticks) -> bool:
        tick = NumberFormat(decimals=t.decimals, thousands=fmt.thousands, percent=fmt.percent)
        widest = max(m.width(tick.format(v), theme.chart_tick_size) for v in t.values)
        return (len(t.values) - 1) * (widest + 6) <= BAR_AXIS_PT

    return fits


def _unit_title(ds: Dataset, fields: dict[str, str], keys: list[str], secondary: set[str], want_secondary: bool,
                formats: dict[str, NumberFormat]) -> str:
    """The value axis' title: the unit its series share, in the magnitude their format prints (a column in
    元 formatted 0.0万 is read in 万元: the ticks are divided by 10^4), or "" when they differ."""
    units = [scaled_unit(ds.unit(fields[k]), formats[k].magnitude) for k in keys
             if (k in secondary) == want_secondary and (ds.unit(fields[k]) or formats[k].magnitude)]
    return units[0] if units and len(set(units)) == 1 else ""


def scaled_unit(unit: str, magnitude: str) -> str:
    """unit read after dividing by `magnitude` (numfmt.MAGNITUDES): (元, 万) -> 万元, (人, 亿) -> 亿人,
    (万人, 万) -> 亿人, ("", 万) -> 万; a unit already in 亿 (or a percent) with a magnitude is kept whole
    with the magnitude before it."""
    if not magnitude:
        return unit
    if unit.startswith("万") and magnitude == "万":
        return "亿" + unit[1:]
    return magnitude + unit


KIND_NAMES = {"column": "柱状图", "bar": "条形图", "line": "折线图", "combo": "柱线组合图", "pie": "饼图",
              "doughnut": "环形图"}


def describe(chart: ChartData, series: list[Series]) -> str:
    """Alt text: what the chart shows, with its key numbers."""
    parts = [f"{KIND_NAMES.get(chart.kind, '图表')}：{chart.title}。"]
    cats = chart.categories
    for s in series:
        known = [(c, v) for c, v in zip(cats, s.values, strict=True) if v is not None]
        if not known:
            continue
        if len(known) <= 6:
            body = "，".join(f"{c} {s.fmt.format(v)}" for c, v in known)
        else:
            hi = max(known, key=lambda cv: cv[1])
            lo = min(known, key=lambda cv: cv[1])
            body = (f"共{len(known)}项，最高为{hi[0]} {s.fmt.format(hi[1])}，最低为{lo[0]} {s.fmt.format(lo[1])}")
        gaps = len(cats) - len(known)
        parts.append(f"{s.name}：{body}" + (f"（{gaps}期数据缺失）" if gaps else "") + "。")
    return "".join(parts)
