"""The declared data-preparation steps of a definition (its `prepare:` key), as typed models.

A prepared dataset starts from a read (or another prepared) dataset and applies steps in order; each step is
a mapping with one key naming it. The models only say what may be written (they document the JSON schema);
prepare.py checks the columns each step names and runs the steps with pandas. No step evaluates an
expression: a definition can only choose among these operations (the sandbox).

    prepare:
      websites_long:
        from: gov_websites_by_province
        steps:
          - rename: {websites: "2019", websites_2018: "2018"}
          - melt: {id: [province], columns: ["2018", "2019"], name: year, value: websites}
          - top: {n: 5, by: websites, per: [year]}
"""

from __future__ import annotations

import difflib
from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Discriminator, Field, Tag, model_validator

from egovdeck.input.modelbase import Strict, invalid

Scalar = str | int | float
ColumnName = Annotated[str, Field(min_length=1, description="A column of the dataset at this step")]
Columns = Annotated[list[ColumnName], Field(description="Columns of the dataset at this step")]


class Comparison(Strict):
    """Keep rows whose value compares so; several keys must all hold (missing values never match)."""

    eq: Scalar | None = Field(None, description="Equal to", examples=["北京"])
    ne: Scalar | None = Field(None, description="Not equal to", examples=["全国"])
    gt: Scalar | None = Field(None, description="Greater than (numbers; periods and dates compare in time order)",
                              examples=[100])
    ge: Scalar | None = Field(None, description="Greater than or equal to", examples=["2018"])
    lt: Scalar | None = Field(None, description="Less than", examples=[0])
    le: Scalar | None = Field(None, description="Less than or equal to", examples=["2019-12"])
    not_in: list[Scalar] | None = Field(None, description="None of these values", examples=[["全国", "合计"]])

    @model_validator(mode="after")
    def _some(self) -> Comparison:
        if not self.model_fields_set:
            raise invalid("an empty comparison keeps every row",
                          hint="write e.g. {ge: 2018} (keys: eq, ne, gt, ge, lt, le, not_in)")
        return self


Condition = Annotated[Scalar | list[Scalar] | Comparison, Field(
    description="A value (equal to it), a list (any of them), or a comparison {gt:, ge:, lt:, le:, ne:, not_in:}",
    examples=["北京", ["北京", "上海"], {"ge": 2018}])]


class FilterStep(Strict):
    filter: dict[ColumnName, Condition] = Field(
        ..., min_length=1, description="Keep the rows matching every condition (column: condition)",
        examples=[{"level": "市级", "websites": {"ge": 100}}])


class SelectStep(Strict):
    select: list[ColumnName] = Field(..., min_length=1, description="Keep these columns, in this order",
                                     examples=[["province", "websites"]])


class RenameStep(Strict):
    rename: dict[ColumnName, ColumnName] = Field(..., min_length=1, description="Rename columns (old: new)",
                                                 examples=[{"websites": "2019", "websites_2018": "2018"}])


class MeltSpec(Strict):
    id: Columns = Field(default_factory=list, description="Columns kept on every row (the row's identity)",
                        examples=[["province"]])
    columns: Columns = Field(default_factory=list,
                             description="Wide columns turned into rows (default: every column not in id); "
                                         "they must have the same type and unit", examples=[["2018", "2019"]])
    name: ColumnName = Field("period", description="New column holding the former column names",
                             examples=["year"])
    value: ColumnName = Field("value", description="New column holding their values", examples=["websites"])
    name_type: Literal["auto", "text", "period", "integer"] = Field(
        "auto", description="Type of the name column; auto: period when every name is a period (2019, 2019-12), "
                            "else text", examples=["period"])
    name_label: str = Field("", description="Display name of the name column", examples=["年份"])
    label: str = Field("", description="Display name of the value column (default: the first melted column's)",
                       examples=["政府网站数量"])


class MeltStep(Strict):
    melt: MeltSpec = Field(..., description="Wide to long: one row per id and melted column",
                           examples=[{"id": ["province"], "columns": ["2018", "2019"], "name": "year",
                                      "value": "websites"}])


class PivotSpec(Strict):
    index: Columns = Field(..., min_length=1, description="Columns naming a row of the result", examples=[["province"]])
    columns: ColumnName = Field(..., description="Column whose values become the new columns' names",
                                examples=["year"])
    values: ColumnName = Field(..., description="Column whose values fill the new columns", examples=["websites"])


class PivotStep(Strict):
    pivot: PivotSpec = Field(..., description="Long to wide: one column per distinct value of `columns`",
                             examples=[{"index": ["province"], "columns": "year", "values": "websites"}])


class SortStep(Strict):
    sort: list[ColumnName] = Field(..., min_length=1,
                                   description="Sort by these columns; '-name' sorts that column largest first. "
                                               "Stable; missing values last", examples=[["-websites", "province"]])


class TopSpec(Strict):
    n: int = Field(..., ge=1, le=100_000, description="How many rows to keep (per group)", examples=[5])
    by: ColumnName = Field(..., description="Numeric (or period) column ranked", examples=["websites"])
    ascending: bool = Field(False, description="true: the n smallest instead of the n largest", examples=[True])
    per: Columns = Field(default_factory=list, description="Keep n rows in each group of these columns",
                         examples=[["year"]])


class TopStep(Strict):
    top: TopSpec = Field(..., description="Keep the n largest (or smallest) rows, sorted; missing values dropped",
                         examples=[{"n": 5, "by": "websites"}])


Aggregate = Literal["sum", "mean", "median", "min", "max", "count", "first", "last"]


class GroupSpec(Strict):
    by: Columns = Field(..., min_length=1, description="Columns whose values form the groups (one row each)",
                        examples=[["level"]])
    aggregate: dict[ColumnName, Aggregate] = Field(
        default_factory=dict, description="column: how its values in a group combine. sum, mean, median, min, max "
                                          "(numbers; a group with a missing value gives a missing value, never a "
                                          "partial figure), count (known values), first, last (in row order)",
        examples=[{"websites": "sum"}])
    count: ColumnName | None = Field(None, description="New column holding the number of rows in each group",
                                     examples=["rows"])
    decimals: int = Field(2, ge=0, le=6, description="mean and median: the decimals they are printed with where "
                                                     "no format says (the value keeps every digit; sums keep the "
                                                     "values' own decimals)", examples=[1])


class GroupStep(Strict):
    group: GroupSpec = Field(..., description="Group rows and aggregate; groups in order of first appearance",
                             examples=[{"by": ["level"], "aggregate": {"websites": "sum"}}])


class _Derived(Strict):
    column: ColumnName = Field(..., description="Name of the new column", examples=["growth_pct"])
    label: str = Field("", description="Its display name", examples=["同比增长"])


class ChangeSpec(_Derived):
    """Two forms: between two columns of a row (new, old), or from the previous row (of, along, per)."""

    new: ColumnName | None = Field(None, description="Wide data: the later value's column", examples=["websites"])
    old: ColumnName | None = Field(None, description="Wide data: the earlier value's column", examples=["websites_2018"])
    of: ColumnName | None = Field(None, description="Long data: the value column", examples=["websites"])
    along: ColumnName | None = Field(None, description="Long data: the column ordering the rows (a period); the "
                                                       "first row of each group has no previous value",
                                     examples=["year"])
    per: Columns = Field(default_factory=list, description="Long data: compare within groups of these columns",
                         examples=[["province"]])
    unit: str | None = Field(None, description="Unit of the new column (growth: %, difference: the value's unit)",
                             examples=["%"])
    decimals: int | None = Field(None, ge=0, le=6,
                                 description="The decimals the result is printed with where no format says (growth: "
                                             "1 by default; difference: the values' own decimals); the value "
                                             "keeps every digit and is rounded half-up only when printed",
                                 examples=[1])

    @model_validator(mode="after")
    def _form(self) -> ChangeSpec:
        wide, long = self.new is not None or self.old is not None, self.of is not None or self.along is not None
        if wide and long:
            raise invalid("give either new: and old: (two columns of a row) or of: and along: (the previous row), "
                          "not both", ("of" if self.of is not None else "along",),
                          hint="wide data (years as columns): new, old; long data: of, along, per")
        if wide and (self.new is None or self.old is None):
            raise invalid(f"{'old' if self.old is None else 'new'}: is missing (new: and old: go together)",
                          hint="e.g. new: websites, old: websites_2018")
        if long and (self.of is None or self.along is None):
            raise invalid(f"{'along' if self.along is None else 'of'}: is missing (of: and along: go together)",
                          hint="e.g. of: websites, along: year, per: [province]")
        if not wide and not long:
            raise invalid("say which values to compare: new: and old: (two columns) or of: and along: (rows)",
                          hint="e.g. new: websites, old: websites_2018")
        if wide and self.per:
            raise invalid("per: applies to of:/along: only", ("per",), hint="remove per:")
        return self


class GrowthStep(Strict):
    growth: ChangeSpec = Field(..., description="Percent change: 100 × (new − old) / old; missing when old is "
                                                "missing or zero", examples=[{"column": "growth_pct", "new": "websites",
                                                                              "old": "websites_2018"}])


class DifferenceStep(Strict):
    difference: ChangeSpec = Field(..., description="new − old, in the values' unit",
                                   examples=[{"column": "change", "of": "users", "along": "period"}])


class ShareSpec(_Derived):
    column: ColumnName = Field(..., description="Name of the new column", examples=["share_pct"])
    label: str = Field("", description="Its display name", examples=["占比"])
    of: ColumnName = Field(..., description="The numeric column", examples=["websites"])
    decimals: int = Field(1, ge=0, le=6, description="The decimals the percent is printed with where no format "
                                                     "says; the value keeps every digit and is rounded half-up only "
                                                     "when printed", examples=[2])
    per: Columns = Field(default_factory=list, description="Share of the total within groups of these columns "
                                                           "(default: of all rows)", examples=[["year"]])


class ShareStep(Strict):
    share: ShareSpec = Field(..., description="Percent of the total: 100 × value / sum; missing when the group has "
                                              "a missing value or sums to zero",
                             examples=[{"column": "share_pct", "of": "websites"}])


class RankSpec(_Derived):
    column: ColumnName = Field(..., description="Name of the new column", examples=["rank"])
    label: str = Field("", description="Its display name", examples=["排名"])
    of: ColumnName = Field(..., description="The numeric column ranked", examples=["websites"])
    ascending: bool = Field(False, description="false: 1 is the largest; true: 1 is the smallest", examples=[True])
    per: Columns = Field(default_factory=list, description="Rank within groups of these columns", examples=[["year"]])


class RankStep(Strict):
    rank: RankSpec = Field(..., description="Rank 1, 2, …; equal values share the better rank (1, 2, 2, 4)",
                           examples=[{"column": "rank", "of": "websites"}])


STEP_MODELS: dict[str, type[Strict]] = {
    "filter": FilterStep, "select": SelectStep, "rename": RenameStep, "melt": MeltStep, "pivot": PivotStep,
    "sort": SortStep, "top": TopStep, "group": GroupStep, "growth": GrowthStep, "difference": DifferenceStep,
    "share": ShareStep, "rank": RankStep}


def _step_kind(value: Any) -> str | None:
    if isinstance(value, dict):
        return next(iter(value)) if len(value) == 1 and next(iter(value)) in STEP_MODELS else None
    return next((k for k, m in STEP_MODELS.items() if isinstance(value, m)), None)


Step = Annotated[
    Annotated[FilterStep, Tag("filter")] | Annotated[SelectStep, Tag("select")] | Annotated[RenameStep, Tag("rename")]
    | Annotated[MeltStep, Tag("melt")] | Annotated[PivotStep, Tag("pivot")] | Annotated[SortStep, Tag("sort")]
    | Annotated[TopStep, Tag("top")] | Annotated[GroupStep, Tag("group")] | Annotated[GrowthStep, Tag("growth")]
    | Annotated[DifferenceStep, Tag("difference")] | Annotated[ShareStep, Tag("share")]
    | Annotated[RankStep, Tag("rank")],
    Discriminator(_step_kind)]


def step_kind(step: Any) -> str:
    """The step's name (its one key): filter, select, …"""
    kind = _step_kind(step)
    assert kind is not None
    return kind


class ColumnText(Strict):
    label: str | None = Field(None, description="Display name in tables and charts", examples=["政府网站数量"])
    unit: str | None = Field(None, description="Unit as printed", examples=["个"])


class PreparedSpec(Strict):
    """A dataset made from another by declared steps; charts, tables and narrative use it like a read one."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    from_: str = Field(..., alias="from", description="The dataset it starts from (a read or a prepared one)",
                       examples=["gov_websites_by_province"])
    title: str | None = Field(None, description="What it measures (default: the source dataset's title)",
                              examples=["各省政府网站数量（2018—2019年）"])
    source: str | None = Field(None, description="The source line (default: the source dataset's)",
                               examples=["资料来源：CNNIC第45次《中国互联网络发展状况统计报告》"])
    unit: str | None = Field(None, description="Main unit of the values (default: the source dataset's)",
                             examples=["个"])
    notes: list[str] = Field(default_factory=list, description="Caveats for the 数据说明 page (after the source's)",
                             examples=[["2018年数量为推算值。"]])
    steps: list[Step] = Field(default_factory=list, description="Applied in order; each is a mapping with one key: "
                                                                + ", ".join(STEP_MODELS),
                              examples=[[{"select": ["province", "websites"]}, {"top": {"n": 5, "by": "websites"}}]])
    columns: dict[str, ColumnText] = Field(default_factory=dict,
                                           description="Labels and units of the result's columns (overrides)",
                                           examples=[{"growth_pct": {"label": "同比增长", "unit": "%"}}])

    @model_validator(mode="before")
    @classmethod
    def _step_names(cls, data: Any) -> Any:
        """A step that is not a one-key mapping naming a known step, located at the step."""
        steps = data.get("steps") if isinstance(data, dict) else None
        for i, step in enumerate(steps if isinstance(steps, list) else []):
            known = ", ".join(STEP_MODELS)
            if not isinstance(step, dict) or not step:
                raise invalid(f"a step is a mapping with one key naming it, found {type(step).__name__} "
                              f"{str(step)[:40]!r}", ("steps", i), hint=f"e.g. - sort: [-websites] (steps: {known})")
            for key in step:
                if key not in STEP_MODELS:
                    close = difflib.get_close_matches(str(key), list(STEP_MODELS), n=1)
                    raise invalid(f'unknown step "{key}"', ("steps", i, key),
                                  hint=(f'did you mean "{close[0]}"? ' if close else "") + f"steps: {known}")
            if len(step) > 1:
                raise invalid(f"one step per list item, found {len(step)} ({', '.join(map(str, step))})",
                              ("steps", i, list(step)[1]),
                              hint='start each step with its own "- ", e.g. "- filter: …" then "- sort: …"')
        return data
