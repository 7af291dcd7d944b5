"""Find a project, load its definition, datasets and layouts, and check them: all problems at once."""

from __future__ import annotations

import difflib
import functools
import glob
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from egovdeck.data import Dataset, load_dataset
from egovdeck.errors import Collector, EgovError, Problem
from egovdeck.model import KPI, ChartSpec, DatasetSpec, LayoutSpec, Report, TableSpec
from egovdeck.yamlload import Located, load_yaml

DEFAULT_REPORT = Path("reports/egov-2019.yaml")
RESOURCES = Path(__file__).resolve().parent / "resources"
BLOCK_MODELS: dict[str, type[BaseModel]] = {"chart": ChartSpec, "timeline": ChartSpec, "table": TableSpec}


@dataclass
class Project:
    """A loaded, checked definition with its datasets and layouts."""

    root: Path
    definition: Path
    located: Located
    report: Report
    datasets: dict[str, Dataset]
    layouts: dict[str, LayoutSpec]
    blocks: dict[tuple[int, int, str], Any]  # (section, finding, slot) -> ChartSpec | TableSpec | list[KPI]
    problems: Collector = field(default_factory=Collector)

    def input_files(self) -> list[Path]:
        """Every file the build reads (for caching and watch)."""
        files = [self.definition]
        for ds in self.datasets.values():
            files += [p for p in (ds.meta_path, ds.path) if p]
        return files


def project_root(definition: Path) -> Path:
    parent = definition.resolve().parent
    return parent.parent if parent.name == "reports" else parent


def safe_path(root: Path, rel: str, base: Path | None = None) -> Path:
    """Resolve rel (relative to base, default root) and insist it stays inside root, links included."""
    raw = Path(rel)
    candidate = raw if raw.is_absolute() else (base or root) / raw
    resolved = candidate.resolve()
    try:
        resolved.relative_to(root.resolve())
    except ValueError:
        why = "an absolute path" if raw.is_absolute() else ("a link pointing" if candidate.is_symlink() or
                                                             any(p.is_symlink() for p in candidate.parents) else "a path")
        raise ValueError(f'{why} outside the project: "{rel}" resolves to {resolved}') from None
    return resolved


@functools.cache
def builtin_layouts() -> dict[str, LayoutSpec]:
    data = load_yaml(RESOURCES / "layouts.yaml").data
    return {name: LayoutSpec.model_validate(spec) for name, spec in data.items()}


def pydantic_problems(exc: ValidationError, located: Located, prefix: tuple = (), strict: bool = False) -> list[Problem]:
    out = []
    for err in exc.errors():
        loc = (*prefix, *err["loc"])
        where = located.where(loc)
        kind = err["type"]
        if kind == "extra_forbidden":
            parent = list(loc[:-1])
            known = _known_keys(located, parent, err)
            hint = f"known keys here: {', '.join(known)}" if known else ""
            close = difflib.get_close_matches(str(loc[-1]), known, n=1)
            if close:
                hint = f'did you mean "{close[0]}"?'
            out.append(Problem(f'unknown key "{loc[-1]}"', hint=hint, warning=not strict, **where))
            continue
        if kind == "missing":
            out.append(Problem("required key missing", hint=f'add "{loc[-1]}:"', **where))
            continue
        found = err.get("input")
        found_text = repr(found) if not isinstance(found, dict | list) else type(found).__name__
        out.append(Problem(f"{err['msg']}; found {found_text}", **where))
    return out


def _known_keys(located: Located, parent: list, err: dict) -> list[str]:
    ctx = err.get("ctx") or {}
    return list(ctx.get("allowed", [])) if ctx else []


def _validate(model: type[BaseModel], data: Any, located: Located, prefix: tuple, problems: Collector,
              strict: bool) -> Any:
    """Validate; unknown keys are dropped with a warning (errors when strict) and validation retried."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        probs = pydantic_problems(exc, located, prefix, strict)
        for p in probs:
            if p.warning:
                p.hint = p.hint or f"allowed keys: {', '.join(model.model_fields)}"
        problems.problems.extend(probs)
        if any(not p.warning for p in probs):
            return None
        cleaned = _drop(data, [e["loc"] for e in exc.errors() if e["type"] == "extra_forbidden"])
        try:
            return model.model_validate(cleaned)
        except ValidationError:
            return None


def _drop(data: Any, locs: list[tuple]) -> Any:
    import copy

    data = copy.deepcopy(data)
    for loc in locs:
        node = data
        for part in loc[:-1]:
            node = node[part]
        node.pop(loc[-1], None)
    return data


def load_project(definition: Path | None = None, strict: bool = False, root: Path | None = None) -> Project:
    """Load and check everything; raise EgovError listing every problem, or return the Project."""
    problems = Collector()
    definition = Path(definition or DEFAULT_REPORT)
    if not definition.exists():
        hint = "run it in the project folder, or pass the definition: egovdeck build reports/NAME.yaml"
        raise EgovError(Problem(f"no report definition at {definition}", hint=hint))
    root = (root or project_root(definition)).resolve()
    located = load_yaml(definition)
    if not isinstance(located.data, dict):
        raise EgovError(Problem("the definition must be a mapping (report:, datasets:, sections:)", file=definition))
    report = _validate(Report, located.data, located, (), problems, strict)
    if report is None:
        raise EgovError(problems.errors + problems.warnings)

    datasets = _load_datasets(report, root, definition, located, problems, strict)
    layouts = dict(builtin_layouts())
    layouts.update(report.layouts)
    blocks = _check_sections(report, layouts, datasets, located, problems, strict)
    if report.report.logo:
        try:
            logo = safe_path(root, report.report.logo)
            if not logo.exists():
                problems.add(f"logo file not found: {report.report.logo}", **located.where(("report", "logo")))
        except ValueError as exc:
            problems.add(str(exc), hint="keep images inside the project folder", **located.where(("report", "logo")))
    for key in ("font_regular", "font_bold"):
        value = getattr(report.theme, key)
        if value:
            try:
                path = safe_path(root, value)
                if not path.exists():
                    problems.add(f"font file not found: {value}", **located.where(("theme", key)))
            except ValueError as exc:
                problems.add(str(exc), **located.where(("theme", key)))
    problems.raise_if_errors()
    return Project(root, definition, located, report, datasets, layouts, blocks, problems)


def _load_datasets(report: Report, root: Path, definition: Path, located: Located, problems: Collector,
                   strict: bool) -> dict[str, Dataset]:
    datasets: dict[str, Dataset] = {}
    for i, pattern in enumerate(report.datasets):
        where = located.where(("datasets", i))
        try:
            safe_path(root, pattern.split("*")[0] or ".")
        except ValueError as exc:
            problems.add(str(exc), hint="datasets must live inside the project folder", **where)
            continue
        matches = sorted(glob.glob(str(root / pattern))) if any(c in pattern for c in "*?[") else [str(root / pattern)]
        if not matches or not Path(matches[0]).exists():
            problems.add(f"no dataset file matches {pattern}", hint="paths are relative to the project folder", **where)
            continue
        for m in matches:
            try:
                meta = safe_path(root, m)
            except ValueError as exc:
                problems.add(str(exc), **where)
                continue
            ds_id = meta.stem
            if ds_id in datasets:
                problems.add(f'dataset id "{ds_id}" declared twice', **where)
                continue
            try:
                sidecar = load_yaml(meta)
            except EgovError as exc:
                problems.problems.extend(exc.problems)
                continue
            spec = _validate(DatasetSpec, sidecar.data, sidecar, (), problems, strict)
            if spec is None:
                continue
            try:
                data_path = safe_path(root, spec.file, base=meta.parent)
            except ValueError as exc:
                problems.add(str(exc), hint="data files must live inside the project folder", **sidecar.where(("file",)))
                continue
            if not data_path.exists():
                problems.add(f"data file not found: {spec.file}", hint=f"expected at {data_path}",
                             **sidecar.where(("file",)))
                continue
            for k in spec.key:
                if k not in spec.columns:
                    problems.add(f'key column "{k}" is not declared under columns', **sidecar.where(("key",)))
            ds = load_dataset(ds_id, spec, data_path, problems)
            if ds is not None:
                ds.meta_path = meta
                datasets[ds_id] = ds
    return datasets


def _check_sections(report: Report, layouts: dict[str, LayoutSpec], datasets: dict[str, Dataset],
                    located: Located, problems: Collector, strict: bool) -> dict[tuple[int, int, str], Any]:
    blocks: dict[tuple[int, int, str], Any] = {}
    seen_sections: dict[str, int] = {}
    seen_findings: dict[str, tuple[int, int]] = {}
    for si, section in enumerate(report.sections):
        if section.id in seen_sections:
            problems.add(f'duplicate section id "{section.id}" (also sections[{seen_sections[section.id]}])',
                         hint="section ids name outputs and anchors; make each unique",
                         **located.where(("sections", si, "id")))
        seen_sections.setdefault(section.id, si)
        for fi, finding in enumerate(section.findings):
            base = ("sections", si, "findings", fi)
            if finding.id in seen_findings:
                problems.add(f'duplicate finding id "{finding.id}"', **located.where((*base, "id")))
            seen_findings.setdefault(finding.id, (si, fi))
            layout = layouts.get(finding.layout)
            if layout is None:
                close = difflib.get_close_matches(finding.layout, list(layouts), n=1)
                hint = f'did you mean "{close[0]}"?' if close else f"layouts: {', '.join(sorted(layouts))}"
                problems.add(f'unknown layout "{finding.layout}"', hint=hint, **located.where((*base, "layout")))
                continue
            for slot, slot_spec in layout.slots.items():
                if slot_spec.required and slot not in finding.slots:
                    problems.add(f'layout "{finding.layout}" needs the slot "{slot}" ({slot_spec.type})',
                                 hint=f"add slots: {{{slot}: …}}", **located.where((*base, "slots")))
            for slot, raw in finding.slots.items():
                where = (*base, "slots", slot)
                if slot not in layout.slots:
                    problems.add(f'layout "{finding.layout}" has no slot "{slot}"',
                                 hint=f"its slots: {', '.join(layout.slots)}", **located.where(where))
                    continue
                kind = layout.slots[slot].type
                if kind == "kpis":
                    if not isinstance(raw, list) or not raw:
                        problems.add("expected a list of KPIs (value, label, change)", **located.where(where))
                        continue
                    kpis = [_validate(KPI, item, located, (*where, i), problems, strict) for i, item in enumerate(raw)]
                    if all(kpis):
                        blocks[(si, fi, slot)] = kpis
                    continue
                if kind == "text":
                    continue
                spec = _validate(BLOCK_MODELS[kind], raw, located, where, problems, strict)
                if spec is None:
                    continue
                if spec.dataset not in datasets:
                    close = difflib.get_close_matches(spec.dataset, list(datasets), n=1)
                    hint = f'did you mean "{close[0]}"?' if close else f"datasets: {', '.join(sorted(datasets))}"
                    problems.add(f'unknown dataset "{spec.dataset}"', hint=hint, **located.where((*where, "dataset")))
                    continue
                if kind == "timeline" and isinstance(spec, ChartSpec):
                    spec.kind = "timeline"
                blocks[(si, fi, slot)] = spec
    return blocks
