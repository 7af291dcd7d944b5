"""The typed report model: what a definition (YAML) and a dataset sidecar may contain.

Renderers only ever see these objects, never raw YAML or CSV.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field, field_validator, model_validator
from pydantic.json_schema import JsonDict

from egovdeck.document.chart import CHART_KINDS
from egovdeck.input.modelbase import Strict, invalid

ColumnType = Literal["integer", "number", "text", "date", "period"]
BUILT_IN_LAYOUTS = ("chart-text", "chart-wide", "two-charts", "kpi-row", "kpi-text", "table", "timeline")
# resources/layouts.yaml defines them; a test checks the two agree
# A where: value: one value, or a list of values (any of them matches).
WHERE_SCHEMA: JsonDict = {"additionalProperties": {"anyOf": [
    {"type": ["string", "number", "boolean", "null"]},
    {"type": "array", "items": {"type": ["string", "number", "boolean", "null"]}},
    {"type": "object", "propertyNames": {"enum": ["eq", "ne", "gt", "ge", "lt", "le", "not_in"]}}]}}

# The functions a narrative template can call (resolve.narrative.DataFunctions implements each one;
# an edition parameter may not take one of these names).
NARRATIVE_FUNCTIONS = ("latest", "previous", "value", "total", "count", "rank", "share", "top", "growth")


_HEX = re.compile(r"#?[0-9A-Fa-f]{6}")


def colour_problem(value: Any) -> str | None:
    if isinstance(value, str) and _HEX.fullmatch(value):
        return None
    return f'expected a colour like #C00000 (six hex digits RRGGBB), found "{value}"'


COLOUR_HINT = 'quote it in YAML ("#1F5FA8": an unquoted # starts a comment); colour names like "red" are not understood'


def _colour(value: str) -> str:
    problem = colour_problem(value)
    if problem:
        raise invalid(problem, hint=COLOUR_HINT)
    return value


Colour = Annotated[str, AfterValidator(_colour), Field(json_schema_extra={"pattern": "^#?[0-9A-Fa-f]{6}$"})]

_NOT_IN_FILE_NAMES = set('/\\<>:"|?*')
MAX_FILE_NAME = 120
# bytes of UTF-8 a name may take: file systems allow 255 bytes per name (ext4, XFS, APFS, NTFS: 255 UTF-16
# units), and the writer adds the extension and, for its temporary file, ".NAME.pptx.PID.tmp" (about 25 bytes)
MAX_FILE_NAME_BYTES = 200
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


def file_name_problem(value: Any) -> str | None:
    """Why value cannot be an output file name (a report id, an edition), or None.

    The rule: not empty, at most 120 characters and 200 bytes of UTF-8 (file systems allow 255 bytes a name,
    the writer adds its extension and a temporary name's), no path separators or characters Windows forbids
    (/ \\ < > : " | ? *), no control characters, not starting with a dot or a space (no hidden files,
    no "." or ".."), not ending with a dot or a space, not a name Windows reserves (CON, NUL, COM1 ...)."""
    text = str(value)
    if not text.strip():
        return "an empty name cannot name an output file"
    if len(text) > MAX_FILE_NAME:
        return f"{len(text)} characters: at most {MAX_FILE_NAME} can name an output file"
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_FILE_NAME_BYTES:  # 3 bytes a Chinese character: 67 of them fill a name
        return (f"too long for a file name: {size} bytes in UTF-8 ({len(text)} characters, a Chinese character "
                f"takes 3 bytes); at most {MAX_FILE_NAME_BYTES} bytes can name an output file")
    bad = sorted({c for c in text if c in _NOT_IN_FILE_NAMES or unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp")})
    if bad:
        shown = ", ".join(repr(c) if c.isprintable() else f"U+{ord(c):04X}" for c in bad)
        return f'"{text}" cannot name an output file: it contains {shown}'
    if text[0] in ". " or text[-1] in ". ":
        return f'"{text}" cannot name an output file: it starts or ends with a dot or a space'
    if text.split(".")[0].upper() in _RESERVED:
        return f'"{text}" cannot name an output file: Windows reserves the name {text.split(".")[0].upper()}'
    return None


FILE_NAME_HINT = ("it becomes a file name inside the output folder: use letters, digits, Chinese characters, "
                  "- and _ only (no / or .., not starting with a dot), and keep it short (at most 66 Chinese "
                  "characters or 120 letters; the title is where the long name goes)")


def _file_name(value: str) -> str:
    problem = file_name_problem(value)
    if problem:
        raise invalid(problem, hint=FILE_NAME_HINT)
    return value


FileName = Annotated[str, AfterValidator(_file_name)]


# A value-axis limit: a finite number of the size data may have (data.MAX_MAGNITUDE); .nan, .inf or 1e300
# cannot be drawn or written.
AxisLimit = Annotated[float | None, Field(None, allow_inf_nan=False, ge=-1e15, le=1e15,
                                          description="Value axis limit (a finite number, |x| ≤ 10^15)")]
MIN_AXIS_SPAN = 1e-9  # a narrower range has no ticks to write (the same floor as data.MIN_MAGNITUDE)


def _check_range(model: Any, low: str, high: str) -> None:
    lo, hi = getattr(model, low), getattr(model, high)
    if lo is not None and hi is not None and lo >= hi:
        raise invalid(f"{low} ({lo:g}) must be below {high} ({hi:g})", (low,),
                      hint="swap the two values, or drop one and let egovdeck choose it")
    if lo is not None and hi is not None and hi - lo < MIN_AXIS_SPAN:
        raise invalid(f"the range from {low} ({lo:g}) to {high} ({hi:g}) is too narrow to draw (less than "
                      f"{MIN_AXIS_SPAN:g})", (low,), hint="widen the range, or drop one limit and let egovdeck choose it")


def _format_code(value: str | None) -> str | None:
    """A number format code egovdeck cannot write as it says is an error at validate time (numfmt)."""
    if value is not None:
        from egovdeck.text.numfmt import parse_format

        parse_format(value)  # FormatError is a ValueError: a located problem
    return value


# --------------------------------------------------------------------------- datasets


class ColumnSpec(Strict):
    """One column of a dataset file: its type, label, unit and whether a cell may be empty."""

    type: ColumnType = Field("text", description="integer, number, text, date (YYYY-MM-DD) or period (2019 or 2019-12)",
                             examples=["number"])
    label: str = Field("", description="Display name in tables and charts (Chinese); default: the column name",
                       examples=["在线政务服务用户规模"])
    unit: str = Field("", description="Unit as printed after numbers and on value axes, e.g. 亿人, 个, %",
                      examples=["亿人"])
    required: bool = Field(True, description="false if empty cells are allowed (an empty cell is a gap, never a zero)",
                           examples=[False])
    decimals: int | None = Field(
        None, ge=0, le=6, description="Decimals a number column is printed with where no format is given (table "
                                      "cells, chart labels); the values keep every digit and are rounded only when "
                                      "printed. A prepare step that computes a column (share, growth, mean) sets "
                                      "it to the step's decimals", examples=[1])


class DatasetSpec(Strict):
    """A dataset sidecar (data/NAME.yaml) describing data/NAME.csv|xlsx."""

    title: str = Field(..., description="What the dataset measures (Chinese)", examples=["中国在线政务服务用户规模"])
    file: str = Field(..., description="CSV or XLSX file, relative to the sidecar", examples=["online_gov_users.csv"])
    sheet: str | None = Field(None, description="XLSX: sheet name (default: the sheet Excel opens the workbook on, its active sheet)",
                              examples=["Sheet1"])
    header_row: int = Field(1, ge=1, description="XLSX: 1-based row holding the column names (rows above it are skipped)",
                            examples=[2])
    encoding: Literal["utf-8", "gb18030"] | None = Field(
        None, description="CSV: the file's text encoding. Without it egovdeck reads UTF-8 (with or without BOM) and "
                          "falls back to GB18030 with a warning; declared, the file is read in that encoding without "
                          "a warning, and a file not in it is an error. Not used for XLSX",
        examples=["gb18030"])
    source: str = Field(..., description="The 「资料来源：…」 line printed under every chart and table using it",
                        examples=["资料来源：CNNIC第45次《中国互联网络发展状况统计报告》"])
    unit: str = Field("", description="Main unit of the values", examples=["亿人"])
    notes: list[str] = Field(default_factory=list, description="Caveats for the 数据说明 page",
                             examples=[["2017年12月数据缺失，表中不列。"]])
    key: list[str] = Field(default_factory=list, description="Columns whose combination must be unique",
                           examples=[["period"]])
    columns: dict[str, ColumnSpec] = Field(..., description="Every column of the file, in order, with its type",
                                           examples=[{"period": {"type": "period", "label": "时间"},
                                                      "users": {"type": "number", "unit": "亿人"}}])


# --------------------------------------------------------------------------- blocks




_AXES = ("column", "bar", "line", "combo")
# Chart keys that change only some kinds of chart: any other kind draws the same without them, so a key given
# there is a warning naming the kinds it is for (input.project). Read from resolve/charts.py and the renderers.
ONLY_FOR: dict[str, tuple[str, ...]] = {
    # a combo's columns side by side (the brief drew them so while the deck stacked them): one way in both
    "stacked": ("column", "bar"),
    "label_position": ("column", "bar", "combo", "pie", "doughnut"),
    "other_below": ("pie", "doughnut"),
    "end_labels": ("line", "combo"),
    "highlight": ("column", "bar", "line"),
    **{k: ("combo",) for k in ("secondary", "y2_min", "y2_max", "y2_title", "format2")},
    **{k: _AXES for k in ("y_min", "y_max", "y_title", "x_title")},
    **{k: ("timeline",) for k in ("period", "label", "text")},
    **{k: ("column", "bar", "line", "combo", "pie", "doughnut")
       for k in ("x", "y", "series", "sort", "top", "colors", "format", "legend", "names", "labels")},
}


class ChartSpec(Strict):
    """One chart; only dataset, x, y and kind are needed, the rest has good defaults."""

    kind: str = Field("column", description="column (vertical bars), bar (horizontal bars), line, combo (columns + "
                                            "lines on a right axis), pie, doughnut or timeline",
                      examples=["column"], json_schema_extra={"enum": list(CHART_KINDS)})
    dataset: str = Field(..., description="Dataset id: the sidecar's file name without .yaml", examples=["online_gov_users"])
    title: str = Field("", description="Figure title (template allowed); default: the dataset's title",
                       examples=["2016—2020年中国在线政务服务用户规模"])
    x: str = Field("", description="Category field (periods, provinces, levels): one category per row",
                   examples=["period"])
    y: list[str] | str = Field(default_factory=list, description="Value field(s); one series each (numeric columns)",
                               examples=["users", ["websites", "change"]])
    series: str | None = Field(None, description="Long-format data: the field whose values name the series "
                                                 "(then y is one field)", examples=["level"])
    where: dict[str, Any] = Field(default_factory=dict, description="Keep rows whose field equals the value (or is "
                                  "in the list); values may be templates such as '{{ province }}'",
                                  examples=[{"level": ["省级", "市级"]}], json_schema_extra=WHERE_SCHEMA)
    names: dict[str, str] = Field(default_factory=dict, description="Display names of series (default: the column label)",
                                  examples=[{"users": "用户规模"}])
    secondary: list[str] = Field(default_factory=list, description="combo: value fields drawn as a line on the right axis",
                                 examples=[["share"]])
    stacked: bool = Field(False, description="Stack column/bar series instead of grouping them", examples=[True])
    format: str | None = Field(None, description='Number format (Excel-style): "0", "0.00", "#,##0", "0.0%", "0.00亿", '
                                  '"+0.0;-0.0;0" (positive;negative;zero); default from the data', examples=["0.00"])
    format2: str | None = Field(None, description="Number format of the secondary-axis series", examples=["0.0%"])
    _formats = field_validator("format", "format2")(_format_code)
    labels: bool = Field(True, description="Show data labels", examples=[False])
    label_position: Literal["auto", "outside", "inside", "center"] = Field(
        "auto", description="column/bar data labels: auto and outside put them beyond the bar end, inside just within "
                                   "it, center in its middle (inside and center only where the label fits in the bar in both the PDF and the deck; "
                                   "elsewhere beyond the bar end)",
        examples=["inside"])
    legend: Literal["bottom", "top", "right", "none"] = Field(
        "bottom", description="Legend position; shown for two or more series and for pie/doughnut (a labelled pie lists "
                             "only the slices whose label finds no room, under it; with labels: false every slice, "
                             "at this side)", examples=["none"])
    x_title: str = Field("", description="Category axis title", examples=["年份"])
    y_title: str | None = Field(None, description="Value axis title; default: the unit of the first series",
                                examples=["亿人"])
    y2_title: str | None = Field(None, description="combo: right (secondary) axis title; default: its unit",
                                 examples=["%"])
    y_min: AxisLimit = Field(None, description="Value axis minimum (a finite number, |x| ≤ 10^15) in the units the axis "
                                                "prints (with format 0.0万: in 万); default: from the data "
                                                "(bars and columns start at 0, lines get a margin); at or below "
                                                "the smallest value (stacked: total) drawn, else an error (it "
                                                "would be cut off)", examples=[0])
    y_max: AxisLimit = Field(None, description="Value axis maximum (a finite number, |x| ≤ 10^15) in the units the "
                                                "axis prints; default: chosen "
                                                "from the data; at or above the largest value (stacked: total) drawn, "
                                                "else an error (it would be cut off)", examples=[100])
    y2_min: AxisLimit = Field(None, description="combo: right axis minimum; at or below the line's "
                                                 "smallest value", examples=[0])
    y2_max: AxisLimit = Field(None, description="combo: right axis maximum; at or above the line's "
                                                 "largest value", examples=[100])
    sort: Literal["none", "asc", "desc"] = Field(
        "none", description="Order categories by the first value field: none (data order), asc or desc",
        examples=["desc"])
    top: int | None = Field(None, ge=1, description="Keep the first N categories after sorting", examples=[10])
    highlight: list[str] = Field(default_factory=list, description="Categories drawn in the highlight colour",
                                 examples=[["广东"]])
    colors: list[str] | dict[str, str] = Field(default_factory=list, description="Series colours (hex RRGGBB, quoted) "
                                               "by order or by field", examples=[["#1F5FA8", "#C00000"]])
    other_below: float | None = Field(None, ge=0, le=100,
                                      description="pie/doughnut: fold slices below this percent into 其他",
                                      examples=[3])
    end_labels: bool = Field(False, description="line: label the last known point of each line (with labels: false, only that one)", examples=[True])
    note: str = Field("", description="Printed under the chart (template allowed)", examples=["注：2017年数据缺失。"])
    source: str | None = Field(None, description="Overrides the dataset's source line",
                               examples=["资料来源：国家统计局"])
    alt: str | None = Field(None, description="Alt text (read by screen readers); default: generated from the data",
                            examples=["柱形图：用户规模逐年上升"])
    # timeline fields
    period: str = Field("period", description="timeline: field with the period label", examples=["period"])
    label: str = Field("label", description="timeline: field with the stage title", examples=["stage"])
    text: str = Field("text", description="timeline: field with the description", examples=["text"])

    @field_validator("colors")
    @classmethod
    def _colours(cls, value: list[str] | dict[str, str]) -> list[str] | dict[str, str]:
        items = value.items() if isinstance(value, dict) else enumerate(value)
        for key, colour in items:
            problem = colour_problem(colour)
            if problem:
                raise invalid(problem, (key,), COLOUR_HINT)
        return value

    @model_validator(mode="after")
    def _ranges(self) -> ChartSpec:
        _check_range(self, "y_min", "y_max")
        _check_range(self, "y2_min", "y2_max")
        return self


class TimelineSpec(Strict):
    """A timeline slot: one milestone per dataset row (period, stage title, description), drawn with shapes."""

    kind: Literal["timeline"] = Field("timeline", description="Always timeline (may be left out)",
                                      examples=["timeline"])
    dataset: str = Field(..., description="Dataset id: one row per milestone, in order", examples=["egov_milestones"])
    title: str = Field("", description="Figure title (template allowed); default: the dataset's title",
                       examples=["在线政务服务平台建设历史沿革"])
    where: dict[str, Any] = Field(default_factory=dict, description="Keep rows whose field equals the value (or is "
                                  "in the list); values may be templates such as '{{ province }}'; no matching row is an "
                                  "error naming the values", examples=[{"stage": ["孕育期", "发力期"]}],
                                  json_schema_extra=WHERE_SCHEMA)
    period: str = Field("period", description="Field with the period label of each milestone", examples=["period"])
    label: str = Field("label", description="Field with the stage title", examples=["stage"])
    text: str = Field("text", description="Field with the description", examples=["text"])
    note: str = Field("", description="Printed under the timeline (template allowed)", examples=["注：据公开资料整理。"])
    source: str | None = Field(None, description="Overrides the dataset's source line", examples=["资料来源：公开资料整理"])
    alt: str | None = Field(None, description="Alt text; default: the periods and stage titles",
                            examples=["时间轴：1983年起步，2014年以来深化发展"])

    def chart(self) -> ChartSpec:
        """The same settings as the ChartSpec the renderers draw (kind timeline)."""
        return ChartSpec.model_validate(self.model_dump())


class KPI(Strict):
    """One key figure of a kpis slot: a big number, what it is, and a change line."""

    value: str = Field(..., description="The big number (template)",
                       examples=['{{ latest("online_gov_users", "users") | num(2) }}亿人'])
    label: str = Field(..., description="What it is", examples=["在线政务服务用户规模"])
    change: str = Field("", description="Change line (template)", examples=["较2018年底增加约3亿"])


class TableColumn(Strict):
    """One column of a table slot."""

    field: str = Field(..., description="Dataset column shown", examples=["websites"])
    label: str | None = Field(None, description="Column heading; default: the column's label (and unit)",
                              examples=["政府网站数量（个）"])
    format: str | None = Field(None, description='Number format (Excel-style), e.g. "#,##0", "0.0%"; default from the data',
                               examples=["#,##0"])
    align: Literal["auto", "left", "right", "center"] = Field(
        "auto", description="Cell alignment; auto puts numbers right and text left", examples=["center"])
    _formats = field_validator("format")(_format_code)


class TableSpec(Strict):
    """A table slot: rows of a dataset, continued on the next page (续表) when long."""

    dataset: str = Field(..., description="Dataset id", examples=["gov_websites_by_province"])
    title: str = Field("", description="Table title (template allowed); default: the dataset's title",
                       examples=["2019年各省政府网站数量"])
    columns: list[TableColumn] = Field(default_factory=list, description="Default: every column except status/provenance",
                                       examples=[[{"field": "province", "label": "省份"}, {"field": "websites"}]])
    where: dict[str, Any] = Field(default_factory=dict, description="Keep rows whose field equals the value (or is "
                                  "in the list); values may be templates such as '{{ province }}'; no matching row is an "
                                  "error naming the values", examples=[{"period": "2019-12"}],
                                  json_schema_extra=WHERE_SCHEMA)
    sort: str | None = Field(None, description="Field to sort by, '-field' for descending", examples=["-websites"])
    top: int | None = Field(None, ge=1, description="Keep the first N rows after sorting", examples=[10])
    note: str = Field("", description="Printed under the table (template allowed)", examples=["注：按网站数量降序排列。"])
    source: str | None = Field(None, description="Overrides the dataset's source line", examples=["资料来源：国家统计局"])


class Finding(Strict):
    """One finding: a PDF subsection and one slide (or more, when it continues)."""

    id: str = Field(..., description="Unique id across the report; names the finding's charts and slide anchors",
                    examples=["users-scale"])
    title: str = Field(..., description="Heading / slide title (template allowed)", examples=["在线政务服务用户规模达6.94亿"])
    layout: str = Field(..., description="A built-in layout (chart-text, chart-wide, two-charts, kpi-row, kpi-text, "
                                         "table, timeline) or one declared under layouts:", examples=list(BUILT_IN_LAYOUTS),
                        # editors offer the built-in names; any other name is a layout under layouts:
                        json_schema_extra={"anyOf": [{"enum": list(BUILT_IN_LAYOUTS)}, {"type": "string"}]})
    text: str = Field("", description="Narrative (a sandboxed template whose numbers come from the data)",
                      examples=['截至2020年3月，用户规模达{{ value("online_gov_users", "users", period="2020-03") | num(2) }}亿人。'])
    notes: str = Field("", description="Extra speaker notes, after the narrative", examples=["口径说明：不含港澳台。"])
    slots: dict[str, Any] = Field(default_factory=dict, description="Blocks filling the layout's slots: slot name -> "
                                  "a chart, table or timeline (a mapping) or KPIs (a list), by the slot's type in the layout",
                                  examples=[{"chart": {"dataset": "online_gov_users", "x": "period", "y": "users"}}])


class Section(Strict):
    """A section: a numbered heading in the PDF and a section slide in the deck, then its findings."""

    id: str = Field(..., description="Unique section id (anchors, bookmarks)", examples=["users"])
    title: str = Field(..., description="Section heading (template allowed)", examples=["在线政务服务用户规模"])
    summary: str = Field("", description="Lead paragraph under the section heading (template)",
                         examples=["在线政务服务用户规模持续扩大。"])
    findings: list[Finding] = Field(..., min_length=1, description="One or more findings, in reading order")


# --------------------------------------------------------------------------- layouts


SlotType = Literal["chart", "text", "kpis", "table", "timeline"]


class SlotSpec(Strict):
    """One slot of a layout: the kind of block a finding puts there."""

    type: SlotType = Field(..., description="chart, table, kpis (a list of key figures), timeline, or text (the "
                                            "narrative; takes no block)", examples=["chart"])
    required: bool = Field(True, description="false if a finding may leave the slot out", examples=[False])


# The smallest slide box, as a fraction of the content area's width and height (about 1.8 × 0.8 in on a 16:9
# slide): below it a chart has no room for its axis and labels, a text box not for one line of 12 pt text.
MIN_BOX = 0.15


class LayoutSpec(Strict):
    """A layout is data: its slots, how the PDF flows them, where the slide puts them."""

    description: str = Field("", description="What the layout is for (shown in the docs)", examples=["两张图表并排"])
    slots: dict[str, SlotSpec] = Field(..., description="Slot name -> its type; findings fill slots by these names",
                                       examples=[{"left": {"type": "chart"}, "right": {"type": "chart"}}])
    pdf: list[list[str]] = Field(..., description="Rows top to bottom; slots in one row sit side by side",
                                 examples=[[["left", "right"]]])
    slide: dict[str, tuple[float, float, float, float]] = Field(
        ..., description="slot -> [x, y, width, height] as fractions of the slide's content area (under the title); "
                         "'text' places the narrative (without it the narrative goes to the speaker notes)",
        examples=[{"left": [0.0, 0.0, 0.485, 1.0], "right": [0.515, 0.0, 0.485, 1.0]}])
    pdf_heights: dict[str, Annotated[float, Field(gt=0, le=4)]] = Field(
        default_factory=dict, description="chart slot -> height as fraction of width (above 0, at most 4)",
        examples=[{"left": 0.8, "right": 0.8}])

    @model_validator(mode="after")
    def _places(self) -> LayoutSpec:
        names = ", ".join(self.slots)
        for r, row in enumerate(self.pdf):
            for c, slot in enumerate(row):
                if slot not in self.slots:
                    raise invalid(f'pdf places "{slot}", which is not one of the slots', ("pdf", r, c),
                                  hint=f"declare it under slots:, or use one of: {names}")
        for slot, box in self.slide.items():
            if slot not in self.slots and slot != "text":
                raise invalid(f'slide places "{slot}", which is not one of the slots', ("slide", slot),
                              hint=f'declare it under slots:, or use one of: {names} (or "text" for the narrative)')
            x, y, w, h = box
            eps = 1e-9
            if not (w > 0 and h > 0 and x >= -eps and y >= -eps and x + w <= 1 + eps and y + h <= 1 + eps):
                raise invalid(f"the box [{x:g}, {y:g}, {w:g}, {h:g}] must lie inside 0..1 with positive width "
                              "and height", ("slide", slot),
                              hint="[x, y, width, height] are fractions of the slide's content area: "
                                   "x + width and y + height at most 1, width and height above 0")
            if w < MIN_BOX or h < MIN_BOX:
                raise invalid(f"the box [{x:g}, {y:g}, {w:g}, {h:g}] is too small: {slot} needs at least "
                              f"{MIN_BOX:g} of the content area's width and height", ("slide", slot),
                              hint=f"make width and height at least {MIN_BOX:g} (a chart, table or text "
                                   "smaller than that has no room for a readable line)")
        boxes = list(self.slide.items())
        for i, (a, (ax, ay, aw, ah)) in enumerate(boxes):
            for b, (bx, by, bw, bh) in boxes[i + 1:]:
                if min(ax + aw, bx + bw) - max(ax, bx) > 1e-6 and min(ay + ah, by + bh) - max(ay, by) > 1e-6:
                    raise invalid(f'the boxes of "{a}" and "{b}" overlap (one would be drawn over the other)',
                                  ("slide", b), hint=f'move "{b}" beside or below "{a}": boxes may touch, not '
                                  "overlap (x + width of the left one at most the x of the right one)")
        placed = {s for row in self.pdf for s in row}
        for slot, spec in self.slots.items():
            if spec.type == "text":
                continue
            if slot not in placed:
                raise invalid(f'the slot "{slot}" is not placed in pdf: (the PDF would leave it out)', ("pdf",),
                              hint=f"add it to a row, e.g. pdf: [[{slot}]]")
            if slot not in self.slide:
                raise invalid(f'the slot "{slot}" has no box under slide: (the deck would leave it out)', ("slide",),
                              hint=f"add {slot}: [x, y, width, height] (fractions of the content area)")
        for slot in self.pdf_heights:
            if slot not in self.slots:
                raise invalid(f'pdf_heights names "{slot}", which is not one of the slots', ("pdf_heights", slot),
                              hint=f"use one of: {names}")
        return self


# --------------------------------------------------------------------------- report


PAGE_MM = {"A4": (210.0, 297.0), "A5": (148.0, 210.0), "letter": (215.9, 279.4)}  # portrait width, height
MIN_CONTENT_MM = 80


class PageSpec(Strict):
    """The PDF brief's paper."""

    size: Literal["A4", "A5", "letter"] = Field("A4", description="Paper size", examples=["A5"])
    orientation: Literal["portrait", "landscape"] = Field("portrait", description="Page orientation",
                                                          examples=["landscape"])
    margin_mm: tuple[Annotated[float, Field(ge=0)], Annotated[float, Field(ge=0)], Annotated[float, Field(ge=0)],
                     Annotated[float, Field(ge=0)]] = Field(
        (22, 20, 22, 20), description="Margins in millimetres: [top, right, bottom, left]; they must leave at least "
                                     "80 x 80 mm for the content", examples=[[22, 20, 22, 20]])

    @model_validator(mode="after")
    def _content_fits(self) -> PageSpec:
        w, h = PAGE_MM[self.size]
        if self.orientation == "landscape":
            w, h = h, w
        top, right, bottom, left = self.margin_mm
        cw, ch = w - left - right, h - top - bottom
        if cw < MIN_CONTENT_MM or ch < MIN_CONTENT_MM:
            raise invalid(f"the margins leave {cw:g} x {ch:g} mm of a {w:g} x {h:g} mm page for the content; "
                          f"at least {MIN_CONTENT_MM} x {MIN_CONTENT_MM} mm is needed", ("margin_mm",),
                          hint="margin_mm is [top, right, bottom, left] in millimetres, e.g. [22, 20, 22, 20]")
        return self


class ThemeSpec(Strict):
    """Colours, fonts and the deck template."""

    palette: list[Colour] = Field(default_factory=list, description="Series colours, hex RRGGBB (quoted in YAML)",
                                  examples=[["#1F5FA8", "#E07B39", "#5B9B4B"]])
    highlight: Colour | None = Field(None, description="Colour of highlighted categories (a chart's highlight:)",
                                     examples=["#C00000"])
    accent: Colour | None = Field(None, description="Colour of headings, rules and KPI numbers", examples=["#1F5FA8"])
    font_regular: str | None = Field(None, description="TrueType/OpenType file inside the project (default: the "
                                                       "bundled Egov Sans SC)", examples=["fonts/MySans-Regular.ttf"])
    font_bold: str | None = Field(None, description="Bold font file (default: the bundled bold)",
                                  examples=["fonts/MySans-Bold.ttf"])
    template: str | None = Field(None, description="Deck template (.pptx/.potx inside the project) whose master and layouts the slides use (default: egovdeck's own 16:9 template)",
                                 examples=["templates/corporate.pptx"])
    template_layouts: dict[Literal["title", "section", "content", "blank"], str] = Field(
        default_factory=dict, description="Slide role -> layout name in the template (default: matched by name and placeholder types)",
        examples=[{"content": "标题和内容", "section": "节标题"}])
    template_master: int | str | None = Field(
        None, description="The template's slide master whose layouts the slides use: its number (1 = first) or "
        "name. Needed when several masters have layouts of the same name (default: for content slides, the "
        "layout with the most room clear of the template's artwork)", examples=[2, "Corporate Blue"])


class Meta(Strict):
    """The report's identity: output file name, title, date and document metadata."""

    id: FileName = Field(..., description="Output file stem: output/<id>.pdf|pptx (a plain file name: no / or ..)",
                         examples=["egov-2019"])
    title: str = Field(..., description="Report title: cover, title slide and PDF metadata",
                       examples=["2019年中国在线政务服务发展简报"])
    subtitle: str = Field("", description="Cover subtitle", examples=["基于CNNIC统计报告"])
    organisation: str = Field("", description="Publishing organisation, printed on the cover", examples=["某某研究中心"])
    author: str = Field("", description="Author (PDF and deck metadata)", examples=["数据分析组"])
    date: dt.date = Field(..., description="Publication date (YYYY-MM-DD): printed on the cover, used as the file timestamps",
                          examples=["2020-05-20"])
    language: str = Field("zh-CN", description="Document language tag (PDF /Lang)", examples=["zh-CN"])
    keywords: list[str] = Field(default_factory=list, description="PDF keywords; quote numbers: [\"2019\"]",
                                examples=[["电子政务", "2019"]])
    subject: str = Field("", description="PDF subject (metadata)", examples=["在线政务服务"])
    logo: str | None = Field(None, description="PNG or JPEG inside the project, printed on the cover",
                             examples=["assets/logo.png"])
    pdf_standard: Literal["PDF/A-2b", "PDF/A-1b", "none"] = Field(
        "PDF/A-2b", description="The PDF brief as PDF/A-2b (archives, GB/T 23286), PDF/A-1b, or a plain PDF (none)",
        examples=["none"])
    deck_fonts: Literal["subset", "full", "none"] = Field(
        "subset", description="Fonts embedded in the deck: the characters it uses (subset), the whole font for decks "
                              "people will edit (full), or none", examples=["full"])


class EditionValues(Strict):
    """Editions listed by a dataset column."""

    dataset: str = Field(..., description="Dataset whose column lists the editions", examples=["gov_websites_by_province"])
    field: str = Field(..., description="Column holding the parameter values (one edition per distinct value)",
                       examples=["province"])


class EditionsSpec(Strict):
    """One definition, many editions: e.g. one brief per province."""

    parameter: str = Field(..., description="Name the templates use, e.g. province", examples=["province"])
    values: list[str] | EditionValues = Field(
        ..., description="The editions to build: a list, or a dataset column (each value names output files)",
        examples=[["广东", "浙江"], {"dataset": "gov_websites_by_province", "field": "province"}])

    @field_validator("values")
    @classmethod
    def _names(cls, value: list[str] | EditionValues) -> list[str] | EditionValues:
        for i, item in enumerate(value if isinstance(value, list) else []):
            problem = file_name_problem(item)
            if problem:
                raise invalid(problem, (i,), FILE_NAME_HINT)
        return value


from egovdeck.input.steps import PreparedSpec  # noqa: E402


class Report(Strict):
    """A report definition (reports/NAME.yaml)."""

    report: Meta = Field(..., description="Title, date, output file name and metadata")
    page: PageSpec = Field(default_factory=PageSpec, description="Paper size, orientation and margins of the PDF")
    theme: ThemeSpec = Field(default_factory=ThemeSpec, description="Colours, fonts and the deck template")
    datasets: list[str] = Field(..., description="Dataset sidecar files or globs, relative to the definition's project",
                                examples=[["data/*.yaml"]])
    prepare: dict[str, PreparedSpec] = Field(
        default_factory=dict, description="New datasets made from others by declared steps (filter, select, rename, "
                                          "melt, pivot, sort, top, group, growth, difference, share, rank): id -> "
                                          "from:, steps:")
    layouts: dict[str, LayoutSpec] = Field(default_factory=dict, description="Extra layouts, same form as the built-in ones")
    editions: EditionsSpec | None = Field(None, description="Parameterised editions (egovdeck build --edition X / --all-editions)")
    sections: list[Section] = Field(..., min_length=1, description="The sections, in order")
