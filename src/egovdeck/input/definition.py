"""The typed report model: what a definition (YAML) and a dataset sidecar may contain.

Renderers only ever see these objects, never raw YAML or CSV.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

ColumnType = Literal["integer", "number", "text", "date", "period"]


def invalid(message: str, key: tuple = (), hint: str = "") -> PydanticCustomError:
    """A value that cannot be right: the message (and hint) as the user reads them, `key` the path below the
    validated object that the message points at (project.pydantic_problems turns it into file:line:column)."""
    return PydanticCustomError("egov", "{message}", {"message": message, "key": tuple(key), "hint": hint})


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
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


def file_name_problem(value: Any) -> str | None:
    """Why value cannot be an output file name (a report id, an edition), or None.

    The rule: not empty, at most 120 characters, no path separators or characters Windows forbids
    (/ \\ < > : " | ? *), no control characters, not starting with a dot or a space (no hidden files,
    no "." or ".."), not ending with a dot or a space, not a name Windows reserves (CON, NUL, COM1 ...)."""
    text = str(value)
    if not text.strip():
        return "an empty name cannot name an output file"
    if len(text) > MAX_FILE_NAME:
        return f"{len(text)} characters: at most {MAX_FILE_NAME} can name an output file"
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
                  "- and _ only (no / or .., not starting with a dot)")


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


class Strict(BaseModel):
    # Unknown keys are collected separately (warnings, or errors with --strict).
    model_config = ConfigDict(extra="forbid")


# --------------------------------------------------------------------------- datasets


class ColumnSpec(Strict):
    type: ColumnType = Field("text", description="integer, number, text, date (YYYY-MM-DD) or period (2019 or 2019-12)")
    label: str = Field("", description="Display name in tables and charts (Chinese)")
    unit: str = Field("", description="Unit as printed, e.g. 亿人, 个, %")
    required: bool = Field(True, description="False if empty cells are allowed (a gap, never a zero)")


class DatasetSpec(Strict):
    """A dataset sidecar (data/NAME.yaml) describing data/NAME.csv|xlsx."""

    title: str = Field(..., description="What the dataset measures (Chinese)")
    file: str = Field(..., description="CSV or XLSX file, relative to the sidecar")
    sheet: str | None = Field(None, description="XLSX: sheet name (default: the sheet Excel opens the workbook on, its active sheet)")
    header_row: int = Field(1, ge=1, description="XLSX: 1-based row holding the column names")
    source: str = Field(..., description="The 「资料来源：…」 line printed under every chart and table using it")
    unit: str = Field("", description="Main unit of the values")
    notes: list[str] = Field(default_factory=list, description="Caveats for the 数据说明 page")
    key: list[str] = Field(default_factory=list, description="Columns whose combination must be unique")
    columns: dict[str, ColumnSpec] = Field(..., description="Every column of the file, in order, with its type")


# --------------------------------------------------------------------------- blocks


class ChartSpec(Strict):
    """One chart; only dataset, x, y and kind are needed, the rest has good defaults."""

    kind: str = Field("column", description="column, bar, line, combo, pie, doughnut or timeline")
    dataset: str = Field(..., description="Dataset id")
    title: str = Field("", description="Figure title (template allowed)")
    x: str = Field("", description="Category field (periods, provinces, levels)")
    y: list[str] | str = Field(default_factory=list, description="Value field(s); one series each")
    series: str | None = Field(None, description="Long-format data: the field whose values name the series")
    where: dict[str, Any] = Field(default_factory=dict, description="Keep rows whose field equals the value (or is in the list)")
    names: dict[str, str] = Field(default_factory=dict, description="Display names of series (default: the column label)")
    secondary: list[str] = Field(default_factory=list, description="combo: value fields drawn as a line on the right axis")
    stacked: bool = Field(False, description="Stack column/bar series instead of grouping them")
    format: str | None = Field(None, description='Number format (Excel-style): "0", "0.00", "#,##0", "0.0%", "0.00亿", '
                                  '"+0.0;-0.0;0" (positive;negative;zero); default from the data')
    format2: str | None = Field(None, description="Number format of the secondary-axis series")
    _formats = field_validator("format", "format2")(_format_code)
    labels: bool = Field(True, description="Show data labels")
    label_position: Literal["auto", "outside", "inside", "center"] = "auto"
    legend: Literal["bottom", "top", "right", "none"] = "bottom"
    x_title: str = ""
    y_title: str | None = Field(None, description="Value axis title; default: the unit of the first series")
    y2_title: str | None = None
    y_min: AxisLimit = None
    y_max: AxisLimit = None
    y2_min: AxisLimit = None
    y2_max: AxisLimit = None
    sort: Literal["none", "asc", "desc"] = "none"
    top: int | None = Field(None, ge=1, description="Keep the first N categories after sorting")
    highlight: list[str] = Field(default_factory=list, description="Categories drawn in the highlight colour")
    colors: list[str] | dict[str, str] = Field(default_factory=list, description="Series colours (hex) by order or by field")
    other_below: float | None = Field(None, ge=0, le=100,
                                      description="pie/doughnut: fold slices below this percent into 其他")
    end_labels: bool = False
    note: str = Field("", description="Printed under the chart (template allowed)")
    source: str | None = Field(None, description="Overrides the dataset's source line")
    alt: str | None = Field(None, description="Alt text; default: generated from the data")
    # timeline fields
    period: str = Field("period", description="timeline: field with the period label")
    label: str = Field("label", description="timeline: field with the stage title")
    text: str = Field("text", description="timeline: field with the description")

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


class KPI(Strict):
    value: str = Field(..., description="The big number (template), e.g. '{{ latest(\"online_gov_users\", \"users\") | num(2) }}亿人'")
    label: str = Field(..., description="What it is")
    change: str = Field("", description="Change line (template), e.g. 较2018年底增加约3亿")


class TableColumn(Strict):
    field: str
    label: str | None = None
    format: str | None = None
    align: Literal["auto", "left", "right", "center"] = "auto"
    _formats = field_validator("format")(_format_code)


class TableSpec(Strict):
    dataset: str
    title: str = ""
    columns: list[TableColumn] = Field(default_factory=list, description="Default: every column except status/provenance")
    where: dict[str, Any] = Field(default_factory=dict)
    sort: str | None = Field(None, description="Field to sort by, '-field' for descending")
    top: int | None = Field(None, ge=1, description="Keep the first N rows after sorting")
    note: str = ""
    source: str | None = None


class Finding(Strict):
    """One finding: a PDF subsection and one slide (or more, when it continues)."""

    id: str
    title: str = Field(..., description="Heading / slide title (template allowed)")
    layout: str = Field(..., description="chart-text, two-charts, kpi-row, table, timeline, or a user layout")
    text: str = Field("", description="Narrative (a sandboxed template whose numbers come from the data)")
    notes: str = Field("", description="Extra speaker notes, after the narrative")
    slots: dict[str, Any] = Field(default_factory=dict, description="Blocks filling the layout's slots")


class Section(Strict):
    id: str
    title: str
    summary: str = Field("", description="Lead paragraph under the section heading (template)")
    findings: list[Finding] = Field(..., min_length=1)


# --------------------------------------------------------------------------- layouts


class SlotSpec(Strict):
    type: Literal["chart", "text", "kpis", "table", "timeline"]
    required: bool = True


class LayoutSpec(Strict):
    """A layout is data: its slots, how the PDF flows them, where the slide puts them."""

    description: str = ""
    slots: dict[str, SlotSpec]
    pdf: list[list[str]] = Field(..., description="Rows top to bottom; slots in one row sit side by side")
    slide: dict[str, tuple[float, float, float, float]] = Field(
        ..., description="slot -> (x, y, w, h) as fractions of the slide's content area; 'text' places the narrative")
    pdf_heights: dict[str, Annotated[float, Field(gt=0, le=4)]] = Field(
        default_factory=dict, description="chart slot -> height as fraction of width")

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
    size: Literal["A4", "A5", "letter"] = "A4"
    orientation: Literal["portrait", "landscape"] = "portrait"
    margin_mm: tuple[Annotated[float, Field(ge=0)], Annotated[float, Field(ge=0)], Annotated[float, Field(ge=0)],
                     Annotated[float, Field(ge=0)]] = Field(
        (22, 20, 22, 20), description="top, right, bottom, left; they must leave at least 80 x 80 mm for the content")

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
    palette: list[Colour] = Field(default_factory=list, description="Series colours, hex RRGGBB")
    highlight: Colour | None = None
    accent: Colour | None = None
    font_regular: str | None = Field(None, description="TrueType file (default: the bundled Egov Sans SC)")
    font_bold: str | None = None
    template: str | None = Field(None, description="Deck template (.pptx/.potx inside the project) whose master and layouts the slides use (default: egovdeck's own 16:9 template)")
    template_layouts: dict[Literal["title", "section", "content", "blank"], str] = Field(
        default_factory=dict, description="Slide role -> layout name in the template (default: matched by name and placeholder types)")


class Meta(Strict):
    id: FileName = Field(..., description="Output file stem: output/<id>.pdf|pptx (a plain file name: no / or ..)")
    title: str
    subtitle: str = ""
    organisation: str = ""
    author: str = ""
    date: dt.date = Field(..., description="Publication date: printed on the cover, used as the file timestamps")
    language: str = "zh-CN"
    keywords: list[str] = Field(default_factory=list)
    subject: str = ""
    logo: str | None = None
    pdf_standard: Literal["PDF/A-2b", "PDF/A-1b", "none"] = Field(
        "PDF/A-2b", description="The PDF brief as PDF/A-2b (archives, GB/T 23286), PDF/A-1b, or a plain PDF (none)")


class EditionValues(Strict):
    dataset: str = Field(..., description="Dataset whose column lists the editions")
    field: str = Field(..., description="Column holding the parameter values (one edition per distinct value)")


class EditionsSpec(Strict):
    """One definition, many editions: e.g. one brief per province."""

    parameter: str = Field(..., description="Name the templates use, e.g. province")
    values: list[str] | EditionValues = Field(
        ..., description="The editions to build: a list, or a dataset column (each value names output files)")

    @field_validator("values")
    @classmethod
    def _names(cls, value: list[str] | EditionValues) -> list[str] | EditionValues:
        for i, item in enumerate(value if isinstance(value, list) else []):
            problem = file_name_problem(item)
            if problem:
                raise invalid(problem, (i,), FILE_NAME_HINT)
        return value


class Report(Strict):
    """A report definition (reports/NAME.yaml)."""

    report: Meta
    page: PageSpec = Field(default_factory=PageSpec)
    theme: ThemeSpec = Field(default_factory=ThemeSpec)
    datasets: list[str] = Field(..., description="Dataset sidecar files or globs, relative to the definition's project")
    layouts: dict[str, LayoutSpec] = Field(default_factory=dict, description="Extra layouts, same form as the built-in ones")
    editions: EditionsSpec | None = Field(None, description="Parameterised editions (egovdeck build --edition X / --all-editions)")
    sections: list[Section] = Field(..., min_length=1)
