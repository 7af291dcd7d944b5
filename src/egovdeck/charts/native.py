"""Native, editable PowerPoint charts from a resolved ChartData.

python-pptx builds the chart part and its embedded workbook from *all* series; everything
python-pptx cannot express (combo charts, East Asian fonts, per-series label formats,
deterministic workbook bytes) is then written into the chart XML directly, in schema order.

Combo charts (python-pptx issue #1101): the chart is built as a column chart from every
series, so the workbook and the `c:f` references cover the line series too; the line
series' `c:ser` elements are then moved into a `c:lineChart` (on the primary axes, or on a
secondary value axis at the right with its own hidden category axis).
"""

from __future__ import annotations

import copy
import datetime as _dt
import io
import math
import zipfile
from dataclasses import replace
from typing import Protocol

from lxml import etree
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION

from egovdeck.charts.comboaxis import with_axes
from egovdeck.charts.deckroom import (
    column_label_fit,
    deck_label_frame,
    end_label_shifts,
    legend_names,
    line_label_fit,
    line_room,
    upright_room,
)
from egovdeck.charts.labelfit import LabelFit
from egovdeck.charts.labelplan import MIN_LABEL_PT, deck_chart_theme, deck_shown_labels
from egovdeck.charts.linelabels import decide_sides
from egovdeck.charts.pieroom import PieLayout, pie_layout
from egovdeck.charts.scale import axis_ticks, tick_decimals
from egovdeck.charts.segmentroom import asks_inside, deck_inside_labels
from egovdeck.charts.splitbars import NAME_SHARE, SharedBars  # noqa: F401  (NAME_SHARE: re-exported)
from egovdeck.compat.pptx_internals import add_chart_part, legend_element
from egovdeck.document.chart import ChartData, Series, contrast, ink_on
from egovdeck.document.theme import Theme
from egovdeck.ooxml import (
    chart_text_properties,
    insert_before,
    new_txPr,
    normalize_zip,
    qn,
    set_alt_text,
    set_run_font,
    solid_fill,
)
from egovdeck.text.numfmt import NumberFormat

NATIVE_KINDS = ("column", "bar", "line", "combo", "pie", "doughnut")
DEFAULT_DATE_TIME = _dt.datetime(2000, 1, 1)

# Axis ids of the secondary axes added to combo charts (python-pptx uses fixed ids too).
_SEC_CAT_ID = "50050"
_SEC_VAL_ID = "50060"

_LEGEND_POS = {
    "bottom": XL_LEGEND_POSITION.BOTTOM,
    "top": XL_LEGEND_POSITION.TOP,
    "right": XL_LEGEND_POSITION.RIGHT,
    "left": XL_LEGEND_POSITION.LEFT,
}

# Label positions (c:dLblPos) by chart family and ChartData.label_position.
_POS_BAR = {"auto": "outEnd", "outside": "outEnd", "inside": "inEnd", "center": "ctr"}
_POS_STACKED = {"auto": "ctr", "outside": "inEnd", "inside": "inEnd", "center": "ctr"}  # no outEnd when stacked
_POS_LINE = {"auto": "t", "outside": "t", "inside": "b", "center": "ctr"}
# auto: inside the slice at its outer end, a place that can be predicted (charts/pieroom.py keeps the labels
# that do not touch there and names the other slices in the legend); LibreOffice's "best fit" piles the
# labels of many small slices up outside the pie. outside too: LibreOffice draws outEnd labels of a pinned
# pie up to 20 pt from where its placement rule puts them (measured), so they could touch
_POS_PIE = {"auto": "inEnd", "outside": "inEnd", "inside": "inEnd", "center": "ctr"}

# Series children that follow spPr / marker / dPt / dLbls (union over bar, line and pie series).
_AFTER_SPPR = ("c:invertIfNegative", "c:pictureOptions", "c:marker", "c:explosion", "c:dPt", "c:dLbls",
               "c:trendline", "c:errBars", "c:cat", "c:val", "c:smooth", "c:shape", "c:extLst")
_AFTER_MARKER = ("c:dPt", "c:dLbls", "c:trendline", "c:errBars", "c:cat", "c:val", "c:smooth", "c:extLst")
_AFTER_DPT = ("c:dLbls", "c:trendline", "c:errBars", "c:cat", "c:val", "c:smooth", "c:shape", "c:extLst")
_AFTER_DLBLS = ("c:trendline", "c:errBars", "c:cat", "c:val", "c:smooth", "c:shape", "c:extLst")


# ----------------------------------------------------------------------------- XML helpers


def _el(tag: str, val=None, **attrs):
    e = etree.Element(qn(tag))
    if val is not None:
        e.set("val", str(val))
    for k, v in attrs.items():
        e.set(k, str(v))
    return e


def _sub(parent, tag: str, val=None, **attrs):
    e = _el(tag, val, **attrs)
    parent.append(e)
    return e


def _replace(parent, child, successors) -> None:
    for old in parent.findall(child.tag):
        parent.remove(old)
    insert_before(parent, child, successors)


def _ln(color: str | None, width_emu: int = 9525):
    ln = _el("a:ln", w=width_emu)
    if color is None:
        ln.append(_el("a:noFill"))
    else:
        ln.append(solid_fill(color))
    return ln


def _spPr(fill: str | None = None, line: str | None = None, line_w: int = 9525, no_fill=False, no_line=False):
    sp = _el("c:spPr")
    if fill:
        sp.append(solid_fill(fill))
    elif no_fill:
        sp.append(_el("a:noFill"))
    if line:
        sp.append(_ln(line, line_w))
    elif no_line:
        sp.append(_ln(None))
    return sp


def _marker(color: str, size: int = 5):
    m = _el("c:marker")
    _sub(m, "c:symbol", "circle")
    _sub(m, "c:size", size)
    m.append(_spPr(fill=color, line=color))
    return m


def _num_fmt(code: str):
    return _el("c:numFmt", formatCode=code, sourceLinked="0")


# ----------------------------------------------------------------------------- public API


class PartCache(Protocol):
    """Where finished chart parts are kept by content (the engine gives one; see engine.partcache).

    Keys are file-like names ("KEY.chart.xml", "KEY.xlsx"); `get` returns None for a missing or damaged entry."""

    def get(self, key: str) -> bytes | None: ...

    def put(self, key: str, data: bytes) -> None: ...


def add_native_chart(slide, chart: ChartData, left: int, top: int, width: int, height: int,
                     theme: Theme, date_time=None, cache: PartCache | None = None, turn_categories: bool = False,
                     shared: SharedBars | None = None):
    """Add `chart` to `slide` as a native PowerPoint chart; returns the GraphicFrame (EMU geometry).

    turn_categories: the category labels are drawn turned by 45° (c:catAx/c:txPr/a:bodyPr@rot), which
    PowerPoint and LibreOffice never wrap (the deck asks for it when their wrapping would cut a number).

    `date_time` (a datetime, default 2000-01-01) is written into the embedded workbook's
    docProps and zip entries so that the same chart always gives the same bytes. With a `cache`, the
    finished chart part and workbook are kept there by content and reused (~10 ms a chart). With `shared`
    (a part of a split ranking, egovdeck.charts.splitbars), its value range, major unit, tick-label size and
    inner plot box are the ones every part of the ranking uses.
    """
    if cache is not None:
        key = _part_key(chart, theme, date_time, (width, height) + ((45,) if turn_categories else ())
                        + ((shared,) if shared is not None else ()))
        xml, xlsx = cache.get(f"{key}.chart.xml"), cache.get(f"{key}.xlsx")
        if xml is not None and xlsx is not None and _usable(xml, xlsx):
            return _add_cached(slide, chart, left, top, width, height, xml, xlsx)
        frame = add_native_chart(slide, chart, left, top, width, height, theme, date_time,
                                 turn_categories=turn_categories, shared=shared)
        part = frame.chart.part
        cache.put(f"{key}.xlsx", part.chart_workbook.xlsx_part.blob)
        cache.put(f"{key}.chart.xml", _without_external_data(part.blob))
        return frame
    kind = chart.kind
    if shared is not None:  # a part of a split ranking: the parts' one text size (charts.splitbars)
        theme = replace(theme, chart_tick_size=shared.tick_size,
                        chart_label_size=min(theme.chart_label_size, shared.tick_size))
    else:
        theme = deck_chart_theme(chart, width / 12700, height / 12700, theme)  # a long ranking's text sizes
    if kind == "timeline":
        raise ValueError(f"chart {chart.id!r}: timelines are drawn with shapes, not as a native chart")
    if kind not in NATIVE_KINDS:
        raise ValueError(f"chart {chart.id!r}: unknown chart kind {kind!r}")
    if not chart.series:
        raise ValueError(f"chart {chart.id!r}: no series")
    if kind in ("pie", "doughnut") and len(chart.series) != 1:
        raise ValueError(f"chart {chart.id!r}: a {kind} chart takes exactly one series")
    for s in chart.series:
        if len(s.values) != len(chart.categories):
            raise ValueError(f"chart {chart.id!r}: series {s.name!r} has {len(s.values)} values "
                             f"for {len(chart.categories)} categories")
    if kind == "combo" and chart.y2_axis is None:  # not decided for both outputs: for this frame alone
        # (a combo's right axis and left top, egovdeck.charts.comboaxis)
        room = line_room(chart, width / 12700, height / 12700, theme, MIN_LABEL_PT)
        chart = with_axes(chart, [room] if room is not None else [])
    if kind in ("line", "combo") and chart.data_labels and not chart.line_label_sides:
        # not decided for both outputs (a chart drawn on its own): for this frame alone
        frame_ = deck_label_frame(chart, width / 12700, height / 12700, theme, MIN_LABEL_PT)
        if frame_ is not None:
            chart = replace(chart, line_label_sides=decide_sides(chart, [frame_]))
    # the low end's room for the label beyond the most negative bar: the resolver's (resolve.charts.low_end_room)
    # the labels both outputs draw (charts.labelplan: decided with the PDF's frame too); a chart drawn on
    # its own: the deck's rules (columns and lines thinned, stacked segments that hold their label, a pie's
    # labels that cannot touch); a pie names the others in its legend
    shown = chart.shown_labels if chart.shown_labels is not None else \
        frozenset(deck_shown_labels(chart, width / 12700, height / 12700, theme))
    # a pie pinned where pieroom puts it, its legend naming every slice not labelled in both outputs
    pie = pie_layout(chart, width / 12700, height / 12700, theme, MIN_LABEL_PT, only={i for _, i in shown}) \
        if kind in ("pie", "doughnut") and chart.data_labels and chart.series else None
    labelled = set(pie.labelled) if pie is not None else None
    # the columns' labels side by side (the PDF's rule), and a combo's line clear of the column tops
    fit = column_label_fit(chart, width / 12700, height / 12700, theme, MIN_LABEL_PT)
    lo, hi = upright_room(chart, width / 12700, height / 12700, theme, fit)
    if (lo, hi) != (chart.y_min, chart.y_max):  # room beyond the column ends for the labels reading upwards
        chart = replace(chart, y_min=lo, y_max=hi)
    line_fit = line_label_fit(chart, width / 12700, height / 12700, theme, MIN_LABEL_PT)
    lines = [s for s in chart.series if kind == "combo" and s.kind == "line"]
    # label_position inside/center: the labels inside their bars (decided for both outputs, charts.labelplan;
    # a chart drawn on its own: where they fit in this frame); the others beyond the bar end
    inside = (chart.inside_labels if chart.inside_labels is not None else
              frozenset(deck_inside_labels(chart, width / 12700, height / 12700, theme))) \
        if asks_inside(chart) else None
    if _bottom_up(chart):
        chart = _reversed(chart)
        ns, nc = len(chart.series), len(chart.categories)
        shown = frozenset((ns - 1 - j, nc - 1 - i) for j, i in shown)
        if inside is not None:
            inside = frozenset((ns - 1 - j, nc - 1 - i) for j, i in inside)
    chart = replace(chart, inside_labels=inside)
    if kind == "combo" and len(lines) == len(chart.series):
        raise ValueError(f"chart {chart.id!r}: a combo chart needs at least one column series")

    from pptx.chart.data import CategoryChartData  # imports xlsxwriter (~40 ms): only for a chart not cached

    data = CategoryChartData()
    data.categories = list(chart.categories)
    if labelled is not None and pie is not None:
        # a slice without a label is named in the legend with its share (as in the PDF), broken into lines
        # where LibreOffice could not place it in a column (pieroom.legend_entry)
        named = dict(zip(sorted(i for i, t in enumerate(chart.slice_texts()) if t is not None and i not in labelled),
                         pie.legend, strict=True))
        data.categories = [c if i in labelled else named.get(i, n)
                           for i, (c, n) in enumerate(zip(chart.categories, chart.legend_names(), strict=True))]
    # a name longer than its legend's row broken into lines, so that the viewer puts each entry on a row of
    # its own (deckroom.legend_names; LibreOffice drew two long names over each other)
    for s, name in zip(chart.series, legend_names(chart, width / 12700, theme), strict=True):
        data.add_series(name, [_clean(v) for v in s.values], number_format=s.fmt.excel())

    frame = slide.shapes.add_chart(_xl_type(chart), left, top, width, height, data)
    pchart = frame.chart
    cs = pchart.element
    plot_area = cs.find(qn("c:chart")).find(qn("c:plotArea"))

    pchart.has_title = False  # the slide carries the title; writes autoTitleDeleted=1
    _chart_space_basics(cs, theme)

    by_idx = {i: s for i, s in enumerate(chart.series)}
    # end labels moved apart as the PDF moves them (deckroom.end_label_shifts), as fractions of the frame's height
    shifts = {j: dy / (height / 12700) for j, dy in end_label_shifts(chart, width / 12700, height / 12700, theme).items()}
    if kind == "combo" and lines:
        _split_combo(plot_area, chart)

    for group in list(plot_area):
        local = etree.QName(group).localname
        if not local.endswith("Chart"):
            continue
        for old in group.findall(qn("c:dLbls")):
            group.remove(old)
        family = {"barChart": "bar", "lineChart": "line", "pieChart": "pie", "doughnutChart": "doughnut"}[local]
        if family in ("bar", "line"):
            vary = group.find(qn("c:varyColors"))
            if vary is not None:
                vary.set("val", "0")
        for ser in group.findall(qn("c:ser")):
            s = by_idx[int(ser.find(qn("c:idx")).get("val"))]
            _style_series(ser, s, family, chart, theme, line_fit if family == "line" else fit, labelled, shown,
                          shifts.get(chart.series.index(s), 0.0))
            if family in ("bar", "line"):
                _rounded_zero_labels(ser, s)
        if family == "bar":
            _bar_group(group, chart)
        elif family == "line":
            _replace(group, _el("c:marker", 1), ("c:smooth", "c:axId", "c:extLst"))
        elif family == "doughnut":
            hole = group.find(qn("c:holeSize"))
            if hole is not None:
                hole.set("val", "55")

    if pie is not None:
        _pin_plot(plot_area, pie, width / 12700, height / 12700)
    if kind not in ("pie", "doughnut"):
        _style_axes(plot_area, chart, theme, turn_categories)
        _positive_axis_ids(plot_area)
    if shared is not None:  # the tick labels of the shared range, not of this part's values
        val_ax = plot_area.findall(qn("c:valAx"))[0]
        ends = [replace(s, values=(shared.y_min, shared.y_max)) for s in chart.series[:1]]
        _ax_set(val_ax, _num_fmt(_axis_format(ends, shared.y_min, shared.y_max, shared.step)[0]))
        _ax_set(val_ax, _el("c:majorUnit", _num(shared.step)))
        _plot_layout(plot_area, shared.plot)

    _legend(pchart, chart, replace(theme, chart_legend_size=pie.legend_size) if pie is not None else theme,
            labelled)
    chart_text_properties(cs, theme.family, theme.chart_label_size, theme.text)
    set_alt_text(frame, chart.title, chart.alt_text)
    pchart.part.chart_workbook.update_from_xlsx_blob(_values_workbook(data))
    _stabilize_workbook(pchart, date_time or DEFAULT_DATE_TIME)
    return frame


def _pin_plot(plot_area, pie: PieLayout, width_pt: float, height_pt: float) -> None:
    """The pie's square where pieroom placed it (c:layout/c:manualLayout, layoutTarget inner: the pie itself),
    so that the renderer's own layout moves neither the pie nor, with it, the slice labels."""
    _plot_layout(plot_area, pie.plot(width_pt, height_pt), digits=6)


def _values_workbook(data) -> bytes:
    """The chart's embedded workbook in python-pptx's layout (categories in A2:A, one series a column from B,
    its name in row 1), with every label written as a string cell and every value as a number.

    python-pptx writes labels with xlsxwriter's write(), which makes a label beginning with "=" a live
    formula (CSV/DDE injection: =HYPERLINK(...) from a data file). Here nothing is ever a formula or a link."""
    from xlsxwriter import Workbook

    out = io.BytesIO()
    book = Workbook(out, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
                          "strings_to_numbers": False})
    sheet = book.add_worksheet()
    sheet.set_column(0, 0, 10)

    def put(row: int, col: int, value, fmt=None) -> None:
        if value is None:
            sheet.write_blank(row, col, None, fmt)
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            sheet.write_number(row, col, value, fmt)
        else:
            sheet.write_string(row, col, str(value), fmt)

    for row, category in enumerate(data.categories, start=1):
        put(row, 0, category.label)
    for col, series in enumerate(data, start=1):
        put(0, col, series.name if series.name is not None else "")
        fmt = book.add_format({"num_format": series.number_format})
        for row, value in enumerate(series.values, start=1):
            put(row, col, value, fmt)
    book.close()
    return out.getvalue()


def _clean(v):
    if v is None:
        return None
    v = float(v) if not isinstance(v, int) else v
    if isinstance(v, float) and not math.isfinite(v):
        return None
    return v


def _bottom_up(chart: ChartData) -> bool:
    """Grouped horizontal bars are written last category and last series first, on a plain (bottom-up)
    category axis: the first category and, within each group, the first series then read at the top,
    and the legend lists the series in that order in PowerPoint and in LibreOffice alike (LibreOffice
    lists a bar chart's legend from the last series up and ignores a reversed category axis)."""
    return chart.kind == "bar" and not chart.stacked and len(chart.series) > 1


def _reversed(chart: ChartData) -> ChartData:
    series = tuple(replace(s, values=s.values[::-1], point_colors=s.point_colors[::-1])
                   for s in reversed(chart.series))
    return replace(chart, categories=chart.categories[::-1], series=series)


def _xl_type(chart: ChartData):
    kind, stacked = chart.kind, chart.stacked
    if kind in ("column", "combo"):
        return XL_CHART_TYPE.COLUMN_STACKED if stacked else XL_CHART_TYPE.COLUMN_CLUSTERED
    if kind == "bar":
        return XL_CHART_TYPE.BAR_STACKED if stacked else XL_CHART_TYPE.BAR_CLUSTERED
    if kind == "line":
        return XL_CHART_TYPE.LINE_MARKERS_STACKED if stacked else XL_CHART_TYPE.LINE_MARKERS
    if kind == "pie":
        return XL_CHART_TYPE.PIE
    return XL_CHART_TYPE.DOUGHNUT


# ----------------------------------------------------------------------------- chart space


def _chart_space_basics(cs, theme: Theme) -> None:
    """zh-CN language, square corners, transparent background without a border."""
    after_lang = ("c:roundedCorners", "c:AlternateContent", "c:clrMapOvr", "c:pivotSource", "c:protection",
                  "c:chart", "c:spPr", "c:txPr", "c:externalData", "c:printSettings", "c:userShapes", "c:extLst")
    _replace(cs, _el("c:lang", "zh-CN"), after_lang)
    _replace(cs, _el("c:roundedCorners", 0), after_lang[1:])
    _replace(cs, _spPr(no_fill=True, no_line=True), after_lang[7:])
    c_chart = cs.find(qn("c:chart"))
    blanks = c_chart.find(qn("c:dispBlanksAs"))
    if blanks is None:
        insert_before(c_chart, _el("c:dispBlanksAs", "gap"), ("c:showDLblsOverMax", "c:extLst"))
    else:
        blanks.set("val", "gap")
    plot_vis = c_chart.find(qn("c:plotVisOnly"))
    if plot_vis is None:
        insert_before(c_chart, _el("c:plotVisOnly", 1), ("c:dispBlanksAs", "c:showDLblsOverMax", "c:extLst"))


# ----------------------------------------------------------------------------- combo


def _split_combo(plot_area, chart: ChartData) -> None:
    """Move the line series of a combo out of the barChart into lineChart(s)."""
    bar = plot_area.find(qn("c:barChart"))
    bar_ax = [a.get("val") for a in bar.findall(qn("c:axId"))]
    groups: dict[bool, list] = {False: [], True: []}
    for ser in bar.findall(qn("c:ser")):
        s = chart.series[int(ser.find(qn("c:idx")).get("val"))]
        if s.kind == "line":
            groups[s.secondary].append(ser)
    anchor = bar
    for secondary in (False, True):
        sers = groups[secondary]
        if not sers:
            continue
        line = _el("c:lineChart")
        _sub(line, "c:grouping", "standard")
        _sub(line, "c:varyColors", 0)
        for ser in sers:
            bar.remove(ser)
            for tag in ("c:invertIfNegative", "c:pictureOptions", "c:shape"):
                for old in ser.findall(qn(tag)):
                    ser.remove(old)
            insert_before(ser, _el("c:smooth", 0), ("c:extLst",))
            line.append(ser)
        _sub(line, "c:marker", 1)
        ax_ids = (_SEC_CAT_ID, _SEC_VAL_ID) if secondary else bar_ax
        for ax in ax_ids:
            _sub(line, "c:axId", ax)
        anchor.addnext(line)
        anchor = line
    if groups[True]:
        _add_secondary_axes(plot_area)


def _add_secondary_axes(plot_area) -> None:
    cat = _el("c:catAx")
    _sub(cat, "c:axId", _SEC_CAT_ID)
    _sub(_sub(cat, "c:scaling"), "c:orientation", "minMax")
    _sub(cat, "c:delete", 1)
    _sub(cat, "c:axPos", "b")
    _sub(cat, "c:majorTickMark", "none")
    _sub(cat, "c:minorTickMark", "none")
    _sub(cat, "c:tickLblPos", "nextTo")
    _sub(cat, "c:crossAx", _SEC_VAL_ID)
    _sub(cat, "c:crosses", "autoZero")
    _sub(cat, "c:auto", 1)
    _sub(cat, "c:lblAlgn", "ctr")
    _sub(cat, "c:lblOffset", 100)
    _sub(cat, "c:noMultiLvlLbl", 0)

    val = _el("c:valAx")
    _sub(val, "c:axId", _SEC_VAL_ID)
    _sub(_sub(val, "c:scaling"), "c:orientation", "minMax")
    _sub(val, "c:delete", 0)
    _sub(val, "c:axPos", "r")
    _sub(val, "c:majorTickMark", "none")
    _sub(val, "c:minorTickMark", "none")
    _sub(val, "c:tickLblPos", "nextTo")
    _sub(val, "c:crossAx", _SEC_CAT_ID)
    _sub(val, "c:crosses", "max")
    _sub(val, "c:crossBetween", "between")

    last_axis = [e for e in plot_area if etree.QName(e).localname in ("catAx", "valAx", "dateAx", "serAx")][-1]
    last_axis.addnext(cat)
    cat.addnext(val)


# ----------------------------------------------------------------------------- series


def _style_series(ser, s: Series, family: str, chart: ChartData, theme: Theme, fit: LabelFit | None = None,
                  labelled: set[int] | None = None, shown: frozenset[tuple[int, int]] | None = None,
                  end_shift: float = 0.0) -> None:
    for tag in ("c:spPr", "c:marker", "c:dPt", "c:dLbls"):
        for old in ser.findall(qn(tag)):
            ser.remove(old)
    n = len(chart.categories)
    if family == "bar":
        insert_before(ser, _spPr(fill=s.color, no_line=True), _AFTER_SPPR)
        for i, color in enumerate(s.point_colors[:n]):
            if color and color.upper() != s.color.upper():
                dpt = _el("c:dPt")
                _sub(dpt, "c:idx", i)
                _sub(dpt, "c:invertIfNegative", 0)
                _sub(dpt, "c:bubble3D", 0)
                dpt.append(_spPr(fill=color, no_line=True))
                insert_before(ser, dpt, _AFTER_DPT)
    elif family == "line":
        sp = _el("c:spPr")
        ln = _sub(sp, "a:ln", w=28575, cap="rnd")
        ln.append(solid_fill(s.color))
        _sub(ln, "a:round")
        insert_before(ser, sp, _AFTER_SPPR)
        insert_before(ser, _marker(s.color), _AFTER_MARKER)
        for i, color in enumerate(s.point_colors[:n]):
            if color and color.upper() != s.color.upper():
                dpt = _el("c:dPt")
                _sub(dpt, "c:idx", i)
                dpt.append(_marker(color))  # the size of every marker: the labels were placed around them
                _sub(dpt, "c:bubble3D", 0)
                insert_before(ser, dpt, _AFTER_DPT)
        smooth = ser.find(qn("c:smooth"))
        if smooth is not None:
            smooth.set("val", "0")
    else:  # pie / doughnut: one colour per category
        insert_before(ser, _spPr(line="FFFFFF", line_w=12700), _AFTER_SPPR)
        for i in range(n):
            color = s.point_colors[i] if i < len(s.point_colors) and s.point_colors[i] else theme.color(i)
            dpt = _el("c:dPt")
            _sub(dpt, "c:idx", i)
            _sub(dpt, "c:bubble3D", 0)
            dpt.append(_spPr(fill=color, line="FFFFFF", line_w=12700))
            insert_before(ser, dpt, _AFTER_DPT)

    dlbls = _series_labels(s, family, chart, theme, fit, labelled, shown, end_shift)
    if dlbls is not None:
        insert_before(ser, dlbls, _AFTER_DLBLS)


def _series_labels(s: Series, family: str, chart: ChartData, theme: Theme, fit: LabelFit | None = None,
                   labelled: set[int] | None = None, shown: frozenset[tuple[int, int]] | None = None,
                   end_shift: float = 0.0):
    """The c:dLbls of one series, or None for no labels. fit: the size and direction of the columns' or the
    line's labels (`egovdeck.charts.labelfit`); labelled: the slices of a pie that carry a label (None: all);
    shown: the (series, category) labels drawn (`egovdeck.charts.labelplan`; None: all), every other one
    deleted (c:dLbl c:delete); a line's labels on the side decided for both outputs (chart.line_label_sides,
    `egovdeck.charts.linelabels`): which labels are drawn, and where, is never decided here. end_shift: how
    far (a fraction of the frame's height, down) the series' end label is moved from its point to clear the
    other end labels (deckroom.end_label_shifts: c:layout/c:manualLayout, an offset from its place)."""
    end = max((i for i, v in enumerate(s.values) if _clean(v) is not None), default=None) \
        if family == "line" and chart.end_labels else None
    if family == "line" and chart.end_labels and not (chart.data_labels and chart.line_label_sides
                                                      and chart.label_position != "center"):
        last = end
        if last is None:
            return None
        dlbls = _el("c:dLbls")
        lbl = _sub(dlbls, "c:dLbl")
        _sub(lbl, "c:idx", last)
        _shifted(lbl, end_shift)
        _label_body(lbl, s.fmt.excel(), "r", theme.text, theme, show_val=True)
        _flags(dlbls, show_val=False)
        return dlbls
    if not chart.data_labels:
        return None
    pos_key = chart.label_position if chart.label_position in _POS_BAR else "auto"
    color = theme.text
    inside_pos = None
    if family == "bar":
        pos = (_POS_STACKED if chart.stacked else _POS_BAR)[pos_key]
        if asks_inside(chart):  # beyond the bar end, but where the label fits inside (chart.inside_labels)
            inside_pos, pos = pos, _POS_BAR["outside"]
        if pos in ("inEnd", "ctr"):
            color = ink_on(s.color, theme.text)
    elif family == "line":
        pos = _POS_LINE[pos_key]
        color = s.color  # a line's labels in its own colour never read as the bars' labels
    elif family == "pie":
        pos = _POS_PIE[pos_key]
        if pos in ("inEnd", "ctr"):
            color = "FFFFFF"
    else:  # doughnut: PowerPoint rejects c:dLblPos on doughnut labels
        pos = None
    dlbls = _el("c:dLbls")
    if family in ("pie", "doughnut"):
        _slice_labels(dlbls, s, chart, pos, theme, labelled)
        if s.fmt.percent:
            _label_body(dlbls, s.fmt.excel(), pos, color, theme, show_val=True, show_cat=True, sep="\n")
        else:
            _label_body(dlbls, "0.0%", pos, color, theme, show_cat=True, show_pct=True, sep="\n")
        _sub(dlbls, "c:showLeaderLines", 1)
    else:
        j = chart.series.index(s)
        if shown is not None:  # the labels decided for both outputs (charts.labelplan): the others deleted
            for i, v in enumerate(s.values):
                if v is not None and (j, i) not in shown:
                    lbl = _sub(dlbls, "c:dLbl")
                    _sub(lbl, "c:idx", i)
                    _sub(lbl, "c:delete", 1)
        if inside_pos is not None:  # each label that fits inside its bar (charts.segmentroom), in contrast ink
            for i in sorted(i for jj, i in chart.inside_labels or () if jj == j):
                if s.values[i] is None or (shown is not None and (j, i) not in shown):
                    continue
                lbl = _el("c:dLbl")
                _sub(lbl, "c:idx", i)
                _label_body(lbl, s.fmt.excel(), inside_pos, ink_on(s.point_colors[i] if i < len(s.point_colors)
                                                                  and s.point_colors[i] else s.color, theme.text),
                            theme, show_val=True)
                later = [d for d in dlbls.iterfind(qn("c:dLbl")) if int(d.find(qn("c:idx")).get("val")) > i]
                later[0].addprevious(lbl) if later else dlbls.append(lbl)
        bar_fit = fit if family in ("bar", "line") and not chart.stacked and fit is not None else None
        sides = chart.line_label_sides[j] if family == "line" and pos in ("t", "b") and chart.line_label_sides \
            else None
        if bar_fit is not None and (bar_fit.size != theme.chart_label_size or bar_fit.rotated) and family == "bar":
            _label_body(dlbls, s.fmt.excel(), pos, color, replace(theme, chart_label_size=bar_fit.size),
                        show_val=True, rotated=bar_fit.rotated)
            return dlbls
        size_theme = replace(theme, chart_label_size=bar_fit.size) if family == "line" and bar_fit else theme
        if sides is not None:  # each point on the side decided for the PDF and the deck (charts.linelabels)
            for i, v in enumerate(s.values):
                if _clean(v) is None or i >= len(sides) or (sides[i] == pos and i != end):
                    continue
                deleted = next((d for d in dlbls.iterfind(qn("c:dLbl"))
                                if d.find(qn("c:idx")).get("val") == str(i)), None)
                if deleted is not None:  # not drawn in either output (charts.labelplan), but an end label
                    if i != end:
                        continue
                    dlbls.remove(deleted)
                lbl = _sub(dlbls, "c:dLbl")
                _sub(lbl, "c:idx", i)
                if i == end:  # the end label: right of the last point, as the PDF's (with labels: true)
                    _shifted(lbl, end_shift)
                    _label_body(lbl, s.fmt.excel(), "r", theme.text, theme, show_val=True)
                elif sides[i]:
                    _label_body(lbl, s.fmt.excel(), sides[i], color, size_theme, show_val=True)
                else:
                    _sub(lbl, "c:delete", 1)
        _label_body(dlbls, s.fmt.excel(), pos, color, size_theme, show_val=True)
    return dlbls


def _rounded_zero_labels(ser, s: Series) -> None:
    """Labels of values that print as zero read as the PDF prints them (numfmt rounds, then picks the
    section): −0.04 at one decimal is 「0.0」, not 「−0.0」, and a nonzero value rounding to zero takes the
    zero section (「持平」). Excel and LibreOffice pick the section by the raw value, so such a point gets a
    c:dLbl of its own whose number format is that text as a literal. A point without a label stays without."""
    from egovdeck.text.numfmt import rounded

    dlbls = ser.find(qn("c:dLbls"))
    if dlbls is None or dlbls.find(qn("c:numFmt")) is None:
        return
    labelled = dlbls.find(qn("c:showVal")).get("val") == "1"
    own = {int(d.find(qn("c:idx")).get("val")): d for d in dlbls.findall(qn("c:dLbl"))}
    for i, v in enumerate(s.values):
        v = _clean(v)
        if v is None or v == 0 or rounded(v, s.fmt.decimals) != 0:
            continue
        code = '"' + s.fmt.format(v).replace('"', "") + '"'
        lbl = own.get(i)
        if lbl is None:
            if not labelled:
                continue
            lbl = _el("c:dLbl")
            _sub(lbl, "c:idx", i)
            for child in dlbls:  # the series' label settings, then its own number format
                if etree.QName(child).localname not in ("dLbl", "showLeaderLines", "leaderLines", "extLst"):
                    lbl.append(copy.deepcopy(child))
            later = [d for k, d in own.items() if k > i]
            if later:
                min(later, key=lambda d: int(d.find(qn("c:idx")).get("val"))).addprevious(lbl)
            else:
                first = next((c for c in dlbls if etree.QName(c).localname != "dLbl"), None)
                first.addprevious(lbl) if first is not None else dlbls.append(lbl)
            own[i] = lbl
        fmt = lbl.find(qn("c:numFmt"))
        if fmt is not None:
            fmt.set("formatCode", code)


def _slice_labels(dlbls, s: Series, chart: ChartData, pos, theme: Theme, labelled: set[int] | None = None) -> None:
    """One c:dLbl per slice with the PDF's text (name, then 「share（value）」 or the value) and an ink that
    contrasts with where it sits: the slice's fill for labels on the ring/inside (white on dark slices),
    the page for labels outside."""
    on_fill = pos in (None, "inEnd", "ctr", "bestFit")
    for i, text in enumerate(chart.slice_texts()):
        lbl = _sub(dlbls, "c:dLbl")
        _sub(lbl, "c:idx", i)
        if text is None or (labelled is not None and i not in labelled):  # the legend names it
            _sub(lbl, "c:delete", 1)
            continue
        fill = s.point_colors[i] if i < len(s.point_colors) and s.point_colors[i] else theme.color(i)
        ink = ink_on(fill, theme.text) if on_fill else theme.text
        # neither ink reads on this fill, or the label may spill over the neighbouring slices: a white label
        # box (doughnut labels, pos None, are centred on the ring; a pie's inEnd or ctr label is wider than a
        # thin slice, and on a neighbour's fill its ink may not read)
        boxed = pos in ("bestFit", "inEnd", "ctr", None) or on_fill and contrast(ink, fill) < 4.5
        if boxed:
            ink = theme.text
        rich = _sub(_sub(lbl, "c:tx"), "c:rich")
        _sub(rich, "a:bodyPr", wrap="none")  # each line whole: LibreOffice wraps 「25.6%（297,176）」 inside the number
        _sub(rich, "a:lstStyle")
        for line in (chart.categories[i], text):
            p = _sub(rich, "a:p")
            set_run_font(_sub(_sub(p, "a:pPr"), "a:defRPr"), theme.family, size_pt=theme.chart_label_size,
                         color=ink)
            r = _sub(p, "a:r")
            set_run_font(_sub(r, "a:rPr"), theme.family, size_pt=theme.chart_label_size, color=ink)
            _sub(r, "a:t").text = line
        lbl.append(_spPr(fill="FFFFFF", no_line=True) if boxed else _spPr(no_fill=True, no_line=True))
        tx = new_txPr(theme.family, theme.chart_label_size, ink)
        tx.find(qn("a:bodyPr")).set("wrap", "none")
        lbl.append(tx)
        if pos:
            _sub(lbl, "c:dLblPos", pos)
        _flags(lbl, show_val=True, show_cat=True)


def _shifted(lbl, dy: float) -> None:
    """A c:dLbl moved dy (a fraction of the chart's height, down) from where its c:dLblPos puts it:
    c:layout/c:manualLayout with x and y in the default factor mode, an offset from that place (ISO/IEC
    29500-1 §21.2.2.95; LibreOffice reads it as the label's custom position). Nothing for dy = 0."""
    if abs(dy) < 1e-6:
        return
    layout = _sub(lbl, "c:layout")
    manual = _sub(layout, "c:manualLayout")
    _sub(manual, "c:x", 0)
    _sub(manual, "c:y", round(dy, 4))


def _label_body(parent, fmt_code, pos, color, theme: Theme, show_val=False, show_cat=False, show_pct=False,
                sep=None, rotated=False) -> None:
    parent.append(_num_fmt(fmt_code))
    parent.append(_spPr(no_fill=True, no_line=True))
    # reading upwards: a:bodyPr rot in 60000ths of a degree
    parent.append(new_txPr(theme.family, theme.chart_label_size, color, rot=-5400000 if rotated else None))
    if pos:
        _sub(parent, "c:dLblPos", pos)
    _flags(parent, show_val=show_val, show_cat=show_cat, show_pct=show_pct)
    if sep is not None:
        e = _sub(parent, "c:separator")
        e.text = sep


def _flags(parent, show_val=False, show_cat=False, show_pct=False) -> None:
    _sub(parent, "c:showLegendKey", 0)
    _sub(parent, "c:showVal", int(show_val))
    _sub(parent, "c:showCatName", int(show_cat))
    _sub(parent, "c:showSerName", 0)
    _sub(parent, "c:showPercent", int(show_pct))
    _sub(parent, "c:showBubbleSize", 0)


def _bar_group(group, chart: ChartData) -> None:
    after_gap = ("c:overlap", "c:serLines", "c:axId", "c:extLst")
    _replace(group, _el("c:gapWidth", 60 if chart.kind == "bar" else 80), after_gap)
    n_primary = len(group.findall(qn("c:ser")))
    if chart.stacked:
        _replace(group, _el("c:overlap", 100), after_gap[1:])
    elif n_primary > 1:
        _replace(group, _el("c:overlap", -10), after_gap[1:])


# ----------------------------------------------------------------------------- axes


def _style_axes(plot_area, chart: ChartData, theme: Theme, turn: bool = False) -> None:
    horizontal = chart.kind == "bar"
    cat_axes = plot_area.findall(qn("c:catAx"))
    val_axes = plot_area.findall(qn("c:valAx"))
    primary = [s for s in chart.series if not (chart.kind == "combo" and s.kind == "line" and s.secondary)]
    secondary = [s for s in chart.series if chart.kind == "combo" and s.kind == "line" and s.secondary]

    cat = cat_axes[0]
    if horizontal and not _bottom_up(chart):
        # categories read top-to-bottom in ChartData order; value axis stays at the bottom
        cat.find(qn("c:scaling")).find(qn("c:orientation")).set("val", "maxMin")
        val_axes[0].find(qn("c:crosses")).set("val", "max")
    _axis_common(cat, theme, title=chart.x_title, vertical=horizontal, line=theme.axis)
    if turn and not horizontal:  # reading upwards at 45° (60000ths of a degree): never wrapped by the viewer
        _ax_set(cat, new_txPr(theme.family, theme.chart_tick_size, theme.text, rot=-2700000))
    low = chart.y_min if chart.y_min is not None else min(
        (v for s in primary for v in s.values if v is not None), default=0.0)
    if low < 0:  # negative bars: the category labels sit outside the plot at the low end, never on them
        _ax_set(cat, _el("c:tickLblPos", "low"))
    if chart.category_step > 1 and not horizontal:  # the names both outputs show (ChartData.category_step)
        _ax_set(cat, _el("c:tickLblSkip", chart.category_step))
    elif len(chart.categories) > 12:
        _ax_set(cat, _el("c:tickLblSkip", 1))  # a ranking names every category, never every other one

    fmt, step = _axis_format(primary or list(chart.series), chart.y_min, chart.y_max, chart.y_step)
    _axis_common(val_axes[0], theme, title=chart.y_title, vertical=not horizontal, line=None, num_fmt=fmt,
                 gridlines=True, vmin=chart.y_min, vmax=chart.y_max)
    if step is not None:
        _ax_set(val_axes[0], _el("c:majorUnit", _num(step)))
    if secondary and len(val_axes) > 1:
        right = chart.y2_axis  # decided for both outputs (egovdeck.charts.comboaxis): range, step, decimals
        if right is not None:
            fmt2, step2 = _axis_format(secondary, right.lo, right.hi, right.step)
            vmin2, vmax2 = right.lo, right.hi
            if vmin2 < 0 <= min((v for s in secondary for v in s.values if v is not None), default=0.0):
                first = _first_section(fmt2)  # no negative tick label for a series with no negative value
                fmt2 = f"{first};;{first}"
        else:
            (fmt2, step2), vmin2, vmax2 = _axis_format(secondary), chart.y2_min, chart.y2_max
        _axis_common(val_axes[1], theme, title=chart.y2_title, vertical=True, line=None,
                     num_fmt=fmt2, vmin=vmin2, vmax=vmax2)
        if right is not None and step2 is not None:
            _ax_set(val_axes[1], _el("c:majorUnit", _num(step2)))


def _plot_layout(plot_area, box: tuple[float, float, float, float], digits: int = 4) -> None:
    """The inner plot box (the axes' rectangle, without tick labels) at fractions (x, y, w, h) of the chart
    frame: c:layout/c:manualLayout with layoutTarget inner and edge modes (ISO/IEC 29500-1 §21.2.2.95);
    PowerPoint and LibreOffice then place the plot there whatever the labels' widths."""
    for old in plot_area.findall(qn("c:layout")):
        plot_area.remove(old)
    layout = _el("c:layout")
    manual = _sub(layout, "c:manualLayout")
    _sub(manual, "c:layoutTarget", "inner")
    _sub(manual, "c:xMode", "edge")
    _sub(manual, "c:yMode", "edge")
    for tag, v in zip(("c:x", "c:y", "c:w", "c:h"), box, strict=True):
        _sub(manual, tag, f"{v:.{digits}f}")
    plot_area.insert(0, layout)


def _positive_axis_ids(plot_area) -> None:
    """Axis ids as the schema types them: c:axId and c:crossAx are CT_UnsignedInt (ISO/IEC 29500-1
    §21.2.2.9), but python-pptx writes negative ones (-2068027336). Each id becomes its absolute value, the
    same mapping everywhere, so the chart groups and axes still refer to each other."""
    for el in plot_area.iter(qn("c:axId"), qn("c:crossAx")):
        val = el.get("val", "")
        if val.startswith("-"):
            el.set("val", val[1:])


# CT_CatAx / CT_ValAx child order.
_AX_ORDER = ("c:axId", "c:scaling", "c:delete", "c:axPos", "c:majorGridlines", "c:minorGridlines", "c:title",
             "c:numFmt", "c:majorTickMark", "c:minorTickMark", "c:tickLblPos", "c:spPr", "c:txPr", "c:crossAx",
             "c:crosses", "c:crossesAt", "c:crossBetween", "c:auto", "c:lblAlgn", "c:lblOffset",
             "c:tickLblSkip", "c:tickMarkSkip", "c:majorUnit", "c:minorUnit", "c:dispUnits",
             "c:noMultiLvlLbl", "c:extLst")


def _ax_set(ax, child) -> None:
    tag = etree.QName(child).localname
    i = _AX_ORDER.index("c:" + tag)
    _replace(ax, child, _AX_ORDER[i + 1:])


def _axis_common(ax, theme: Theme, title: str, vertical: bool, line: str | None, num_fmt: str | None = None,
                 gridlines=False, vmin=None, vmax=None) -> None:
    if gridlines:
        grid = _el("c:majorGridlines")
        grid.append(_spPr(line=theme.grid, line_w=6350))
        _ax_set(ax, grid)
    else:
        for old in ax.findall(qn("c:majorGridlines")):
            ax.remove(old)
    if title:
        _ax_set(ax, _axis_title(title, theme, vertical))
    else:
        for old in ax.findall(qn("c:title")):
            ax.remove(old)
    if num_fmt:
        _ax_set(ax, _num_fmt(num_fmt))
    _ax_set(ax, _el("c:majorTickMark", "none"))
    _ax_set(ax, _el("c:minorTickMark", "none"))
    _ax_set(ax, _el("c:tickLblPos", "nextTo"))
    _ax_set(ax, _spPr(line=line, line_w=9525) if line else _spPr(no_line=True))
    _ax_set(ax, new_txPr(theme.family, theme.chart_tick_size, theme.text))
    if vmin is not None or vmax is not None:
        scaling = ax.find(qn("c:scaling"))
        for tag in ("c:max", "c:min"):
            for old in scaling.findall(qn(tag)):
                scaling.remove(old)
        orientation = scaling.find(qn("c:orientation"))
        if orientation is None:
            orientation = _sub(scaling, "c:orientation", "minMax")
        if vmin is not None:  # CT_Scaling: logBase, orientation, max, min
            orientation.addnext(_el("c:min", _num(vmin)))
        if vmax is not None:
            orientation.addnext(_el("c:max", _num(vmax)))


def _axis_format(series: list[Series], lo: float | None = None, hi: float | None = None,
                 step: float | None = None, ticks: list[float] | None = None) -> tuple[str, float | None]:
    """(format code, major unit or None) of a value axis' tick labels: the series' separators and percent
    sign, no magnitude suffix (the unit is the axis title), as the PDF draws them.

    A pinned range [lo, hi] gets the PDF's ticks (egovdeck.charts.scale.axis_ticks with the resolver's
    `step`, ChartData.y_step): its step as c:majorUnit and the decimals the step needs, so LibreOffice never
    picks a step of its own (an all-zero chart: 0.0 in the deck, 0.00 in the PDF) nor prints −0.0 or two
    ticks alike. `ticks` (a combo's right axis, egovdeck.charts.comboaxis): those ticks' decimals, as the
    PDF's tick_format. Neither: the format's decimals, none from 5 up."""
    fmt = series[0].fmt
    top = max((abs(v) for s in series for v in s.values if v is not None), default=0.0)
    decimals = 0 if top >= 5 or fmt.decimals == 0 else 1
    unit = None
    if ticks is not None and len(ticks) > 1:
        decimals = min(tick_decimals(ticks), 4)
    elif lo is not None and hi is not None and hi > lo:
        t = axis_ticks(lo, hi, step)
        decimals, unit = t.decimals, t.step
    return NumberFormat(decimals=decimals, thousands=fmt.thousands, percent=fmt.percent).excel(), unit


def _first_section(code: str) -> str:
    """The positive section of an Excel number format code (up to the first ; outside quotes)."""
    quoted = False
    for i, ch in enumerate(code):
        if ch == '"':
            quoted = not quoted
        elif ch == ";" and not quoted:
            return code[:i]
    return code


def _num(v: float) -> str:
    return repr(int(v)) if float(v).is_integer() else repr(float(v))


def _axis_title(text: str, theme: Theme, vertical: bool):
    title = _el("c:title")
    rich = _sub(_sub(title, "c:tx"), "c:rich")
    body = _sub(rich, "a:bodyPr")
    # units read horizontally, as in the PDF (a rotated one-character unit such as 个 reads like an arrow)
    body.set("rot", "0")
    body.set("vert", "horz")
    _sub(rich, "a:lstStyle")
    p = _sub(rich, "a:p")
    set_run_font(_sub(_sub(p, "a:pPr"), "a:defRPr"), theme.family, size_pt=theme.chart_tick_size,
                 bold=False, color=theme.muted)
    r = _sub(p, "a:r")
    set_run_font(_sub(r, "a:rPr"), theme.family, size_pt=theme.chart_tick_size, bold=False, color=theme.muted)
    _sub(r, "a:t").text = text
    _sub(title, "c:overlay", 0)
    return title


# ----------------------------------------------------------------------------- legend


def _legend(pchart, chart: ChartData, theme: Theme, labelled: set[int] | None = None) -> None:
    """The legend: of the series; of a pie's slices when it has no labels; with labels, of the slices whose
    label was left out (pieroom), at the bottom, the labelled ones deleted from it."""
    unlabelled: list[int] = []
    where = chart.legend or "bottom"
    if chart.kind in ("pie", "doughnut"):
        texts = chart.slice_texts()
        if chart.data_labels and labelled is not None:
            unlabelled = [i for i, t in enumerate(texts) if t is not None and i not in labelled]
            where = "bottom"
        show = (chart.legend is not None and not chart.data_labels) or bool(unlabelled)
    else:
        show = chart.legend is not None and len(chart.series) > 1
    pchart.has_legend = show
    if not show:
        return
    pchart.legend.position = _LEGEND_POS.get(where, XL_LEGEND_POSITION.BOTTOM)
    pchart.legend.include_in_layout = False
    # python-pptx omits val="r" (the schema default); write it out for every reader
    legend_el = legend_element(pchart.legend)
    legend_pos = legend_el.find(qn("c:legendPos"))
    legend_pos.set("val", {"bottom": "b", "top": "t", "right": "r", "left": "l"}.get(where, "b"))
    if unlabelled:  # CT_Legend: legendPos, legendEntry*, layout, overlay, spPr, txPr
        for i in sorted(set(range(len(chart.categories))) - set(unlabelled), reverse=True):
            entry = _el("c:legendEntry")
            _sub(entry, "c:idx", i)
            _sub(entry, "c:delete", 1)
            legend_pos.addnext(entry)
    set_run_font(pchart.legend.font, theme.family, size_pt=theme.chart_legend_size, color=theme.text)


# ----------------------------------------------------------------------------- cached parts


def _part_key(chart: ChartData, theme: Theme, date_time, size=None) -> str:
    """The cache key of a finished chart part; size (the frame's EMU) is in it: the label room depends on it."""
    import hashlib

    import pptx

    text = f"{pptx.__version__}|{theme!r}|{date_time!r}|{chart!r}|{size!r}"  # the cache adds the engine's fingerprint
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _usable(xml: bytes, xlsx: bytes) -> bool:
    """A cached part that parses and a workbook that opens as a zip (the checksum already matched)."""
    try:
        etree.fromstring(xml)
        with zipfile.ZipFile(io.BytesIO(xlsx)) as z:
            return z.testzip() is None
    except (etree.XMLSyntaxError, zipfile.BadZipFile, ValueError):
        return False


def _without_external_data(blob: bytes) -> bytes:
    """The chart part's XML minus the link to its workbook, which is made afresh when it is reused."""
    root = etree.fromstring(blob)
    for el in root.findall(qn("c:externalData")):
        root.remove(el)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _add_cached(slide, chart: ChartData, left: int, top: int, width: int, height: int, xml: bytes, xlsx: bytes):
    """What slide.shapes.add_chart does, from a finished chart part instead of chart data."""
    from pptx.opc.constants import CONTENT_TYPE as CT
    from pptx.parts.chart import ChartPart

    package = slide.part.package
    part = ChartPart.load(package.next_partname(ChartPart.partname_template), CT.DML_CHART, package, xml)
    part.chart_workbook.update_from_xlsx_blob(xlsx)
    frame = add_chart_part(slide, part, left, top, width, height)
    set_alt_text(frame, chart.title, chart.alt_text)
    return frame


# ----------------------------------------------------------------------------- workbook


def _stabilize_workbook(pchart, date_time) -> None:
    """Pin docProps created/modified and zip timestamps of the embedded xlsx."""
    workbook = pchart.part.chart_workbook
    part = workbook.xlsx_part
    if part is None:
        return
    workbook.update_from_xlsx_blob(stable_xlsx(part.blob, date_time))


def stable_xlsx(blob: bytes, date_time=None) -> bytes:
    """The xlsx `blob` with docProps/core.xml dates set to `date_time` and a normalized zip."""
    date_time = date_time or DEFAULT_DATE_TIME
    if isinstance(date_time, tuple):
        date_time = _dt.datetime(*date_time)
    stamp = date_time.strftime("%Y-%m-%dT%H:%M:%SZ")
    src = zipfile.ZipFile(io.BytesIO(blob))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                root = etree.fromstring(content)
                for el in root.iter():
                    if etree.QName(el).localname in ("created", "modified"):
                        el.text = stamp
                content = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            dst.writestr(info.filename, content)
    return normalize_zip(out.getvalue(), date_time=date_time.timetuple()[:6])
