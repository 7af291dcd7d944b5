"""The typed report model: what a definition (YAML) and a dataset sidecar may contain.

Renderers only ever see these objects, never raw YAML or CSV.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

ColumnType = Literal["integer", "number", "text", "date", "period"]


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
    sheet: str | None = Field(None, description="XLSX: sheet name (default: the first sheet)")
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
    format: str | None = Field(None, description='Number format: "0", "0.00", "#,##0", "0.0%", "0.00亿" (default from the data)')
    format2: str | None = Field(None, description="Number format of the secondary-axis series")
    labels: bool = Field(True, description="Show data labels")
    label_position: Literal["auto", "outside", "inside", "center"] = "auto"
    legend: Literal["bottom", "top", "right", "none"] = "bottom"
    x_title: str = ""
    y_title: str | None = Field(None, description="Value axis title; default: the unit of the first series")
    y2_title: str | None = None
    y_min: float | None = None
    y_max: float | None = None
    y2_min: float | None = None
    y2_max: float | None = None
    sort: Literal["none", "asc", "desc"] = "none"
    top: int | None = Field(None, ge=1, description="Keep the first N categories after sorting")
    highlight: list[str] = Field(default_factory=list, description="Categories drawn in the highlight colour")
    colors: list[str] | dict[str, str] = Field(default_factory=list, description="Series colours (hex) by order or by field")
    other_below: float | None = Field(None, description="pie/doughnut: fold slices below this percent into 其他")
    end_labels: bool = False
    note: str = Field("", description="Printed under the chart (template allowed)")
    source: str | None = Field(None, description="Overrides the dataset's source line")
    alt: str | None = Field(None, description="Alt text; default: generated from the data")
    # timeline fields
    period: str = Field("period", description="timeline: field with the period label")
    label: str = Field("label", description="timeline: field with the stage title")
    text: str = Field("text", description="timeline: field with the description")


class KPI(Strict):
    value: str = Field(..., description="The big number (template), e.g. '{{ latest(\"online_gov_users\", \"users\") | num(2) }}亿人'")
    label: str = Field(..., description="What it is")
    change: str = Field("", description="Change line (template), e.g. 较2018年底增加约3亿")


class TableColumn(Strict):
    field: str
    label: str | None = None
    format: str | None = None
    align: Literal["auto", "left", "right", "center"] = "auto"


class TableSpec(Strict):
    dataset: str
    title: str = ""
    columns: list[TableColumn] = Field(default_factory=list, description="Default: every column except status/provenance")
    where: dict[str, Any] = Field(default_factory=dict)
    sort: str | None = Field(None, description="Field to sort by, '-field' for descending")
    top: int | None = None
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
    pdf_heights: dict[str, float] = Field(default_factory=dict, description="chart slot -> height as fraction of width")


# --------------------------------------------------------------------------- report


class PageSpec(Strict):
    size: Literal["A4", "A5", "letter"] = "A4"
    orientation: Literal["portrait", "landscape"] = "portrait"
    margin_mm: tuple[float, float, float, float] = Field((22, 20, 22, 20), description="top, right, bottom, left")


class ThemeSpec(Strict):
    palette: list[str] = Field(default_factory=list, description="Series colours, hex RRGGBB")
    highlight: str | None = None
    accent: str | None = None
    font_regular: str | None = Field(None, description="TrueType file (default: the bundled Egov Sans SC)")
    font_bold: str | None = None
    template: str | None = Field(None, description="Deck template (.pptx/.potx inside the project) whose master and layouts the slides use (default: egovdeck's own 16:9 template)")
    template_layouts: dict[Literal["title", "section", "content", "blank"], str] = Field(
        default_factory=dict, description="Slide role -> layout name in the template (default: matched by name and placeholder types)")


class Meta(Strict):
    id: str = Field(..., description="Output file stem: output/<id>.pdf|pptx")
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
    values: list[str] | EditionValues = Field(..., description="The editions to build: a list, or a dataset column")


class Report(Strict):
    """A report definition (reports/NAME.yaml)."""

    report: Meta
    page: PageSpec = Field(default_factory=PageSpec)
    theme: ThemeSpec = Field(default_factory=ThemeSpec)
    datasets: list[str] = Field(..., description="Dataset sidecar files or globs, relative to the definition's project")
    layouts: dict[str, LayoutSpec] = Field(default_factory=dict, description="Extra layouts, same form as the built-in ones")
    editions: EditionsSpec | None = Field(None, description="Parameterised editions (egovdeck build --edition X / --all-editions)")
    sections: list[Section] = Field(..., min_length=1)
