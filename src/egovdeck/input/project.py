"""Find a project, load its definition, datasets and layouts, and check them: all problems at once."""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import glob
import re
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from egovdeck.errors import Collector, EgovError, Problem, display_path
from egovdeck.input.data import Dataset, cell_matches, load_dataset
from egovdeck.input.definition import (
    KPI,
    NARRATIVE_FUNCTIONS,
    ONLY_FOR,
    ChartSpec,
    DatasetSpec,
    LayoutSpec,
    Report,
    TableSpec,
    TimelineSpec,
)
from egovdeck.input.paths import DEFAULT_REPORT, default_definition, project_root, safe_path  # noqa: F401  (re-exported)
from egovdeck.input.yamlload import Located, load_yaml
from egovdeck.text.textfit import own_number

RESOURCES = Path(__file__).resolve().parents[1] / "resources"
MAX_KPIS = 6  # KPI cards side by side in a slot (the renderers wrap narrower slots to more rows)
BLOCK_MODELS: dict[str, type[BaseModel]] = {"chart": ChartSpec, "timeline": TimelineSpec, "table": TableSpec}


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
    template_file: Path | None = None  # a deck template given on the command line (--template), not in the project

    def input_files(self) -> list[Path]:
        """Every file the build reads (for caching and watch)."""
        files = [self.definition]
        for ds in self.datasets.values():
            files += [p for p in (ds.meta_path, ds.path) if p]
        for extra in (self.report.theme.template, self.report.report.logo):
            if extra:
                files.append(self.root / extra)
        return files


@functools.cache
def builtin_layouts() -> dict[str, LayoutSpec]:
    data = load_yaml(RESOURCES / "layouts.yaml").data
    return {name: LayoutSpec.model_validate(spec) for name, spec in data.items()}


TYPE_TAGS = {"str", "int", "float", "bool", "date", "datetime", "none"}
EXPECTED = {
    "string_type": "text", "int_type": "an integer", "int_parsing": "an integer", "int_from_float": "an integer",
    "float_type": "a number", "float_parsing": "a number", "bool_type": "true or false",
    "bool_parsing": "true or false", "list_type": "a list", "tuple_type": "a list", "set_type": "a list",
    "dict_type": "a mapping (key: value)", "model_type": "a mapping (key: value)",
    "model_attributes_type": "a mapping (key: value)", "date_type": "a date like 2020-05-20 (YYYY-MM-DD)",
    "date_parsing": "a date like 2020-05-20 (YYYY-MM-DD)",
    "date_from_datetime_parsing": "a date like 2020-05-20 (YYYY-MM-DD)",
    "date_from_datetime_inexact": "a date like 2020-05-20 (YYYY-MM-DD), without a time",
}


def _clean_loc(data: Any, loc: tuple) -> tuple:
    """Drop pydantic's union tags ('list[str]', 'str', ...) so loc is a path in the user's data."""
    out: list = []
    node = data
    for i, part in enumerate(loc):
        if (isinstance(node, dict) and part in node) or (
                isinstance(node, list) and isinstance(part, int) and part < len(node)):
            out.append(part)
            node = node[part]
            continue
        tag = isinstance(part, str) and ("[" in part or part in TYPE_TAGS or part.startswith("function-"))
        if not tag and ((isinstance(node, dict) and i == len(loc) - 1) or isinstance(part, int)):
            out.append(part)  # a missing key, or an item of a tuple
    return tuple(out)


def _unwrap(ann: Any) -> Any:
    """Optional[X] / X | None -> X; Annotated[X, ...] -> X."""
    while True:
        origin = typing.get_origin(ann)
        if origin is typing.Annotated:
            ann = typing.get_args(ann)[0]
        elif origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
            args = [a for a in typing.get_args(ann) if a is not type(None)]
            models = [a for a in args if isinstance(a, type) and issubclass(a, BaseModel)]
            ann = models[0] if models else args[0]
        else:
            return ann


def _member_with(ann: Any, key: str) -> type[BaseModel] | None:
    """In a union of models (the prepare: steps), the member that has the field `key`."""
    while typing.get_origin(ann) is typing.Annotated:
        ann = typing.get_args(ann)[0]
    if typing.get_origin(ann) not in (typing.Union, getattr(__import__("types"), "UnionType", None)):
        return None
    for member in typing.get_args(ann):
        member = _unwrap(member)
        if isinstance(member, type) and issubclass(member, BaseModel) and key in member.model_fields:
            return member
    return None


def model_at(model: type[BaseModel], loc: tuple) -> type[BaseModel] | None:
    """The model describing the mapping at loc (a path of keys and indexes) inside model, if any."""
    ann: Any = model
    for part in loc:
        ann = _member_with(ann, str(part)) or _unwrap(ann)
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            field = ann.model_fields.get(str(part))
            if field is None:
                return None
            ann = field.annotation
            continue
        origin = typing.get_origin(ann)
        if origin in (list, tuple):
            ann = typing.get_args(ann)[0]
        elif origin is dict:
            ann = typing.get_args(ann)[1]
        else:
            return None
    ann = _unwrap(ann)
    return ann if isinstance(ann, type) and issubclass(ann, BaseModel) else None


def _found(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, dt.date | dt.datetime):
        return f"the date {value.isoformat()}"
    if isinstance(value, bool):
        return f"{str(value).lower()} (yes/no)"
    return repr(value)


def _written(where: dict[str, Any], loc: tuple) -> str | None:
    """The scalar as written in the file at where (a `key: value` or a flow-list item), or None: YAML has
    already turned 0.00 into 0.0 and 1.50 into 1.5, so the hint quotes what the user typed."""
    try:
        lines = Path(where["file"]).read_text(encoding="utf-8").splitlines()
        rest = lines[where["line"] - 1][where["column"] - 1:]
    except (KeyError, OSError, IndexError, UnicodeDecodeError, TypeError):
        return None
    if loc and isinstance(loc[-1], str):
        if not rest.startswith(f"{loc[-1]}:"):
            return None
        rest = rest[len(loc[-1]) + 1:]
    rest = rest.split(" #")[0]
    for stop in ",]}":
        rest = rest.split(stop)[0]
    rest = rest.strip()
    return rest if rest and rest[0] not in "\"'[{|>&*!" else None


def _quoting_hint(found: Any, loc: tuple, written: str | None = None) -> str:
    """Text written without quotes that YAML reads as something else: a number (2019, 1.50), a truth value
    (true, false) or a date (2020-05-20). The fix is the same for all: quote it (as written)."""
    if isinstance(found, bool):
        shown = str(found).lower()
    elif isinstance(found, dt.date | dt.datetime):
        shown = found.isoformat()
    elif isinstance(found, int | float):
        shown = repr(found)
    else:
        return ""
    shown = written or shown
    if loc and isinstance(loc[-1], int):
        names = [p for p in loc if isinstance(p, str)]
        example = f'{names[-1]}: ["{shown}"]' if names else f'["{shown}"]'
    else:
        example = f'{loc[-1]}: "{shown}"' if loc else f'"{shown}"'
    return (f'quote it, e.g. {example}: YAML reads an unquoted {shown} as a '
            + ("number" if isinstance(found, int | float) and not isinstance(found, bool)
               else "date" if isinstance(found, dt.date | dt.datetime) else "truth value") + ", not text")


def pydantic_problems(exc: ValidationError, located: Located, prefix: tuple = (), strict: bool = False,
                      model: type[BaseModel] | None = None, data: Any = None) -> list[Problem]:
    """Pydantic's errors as located problems: what was expected, what was found, and a hint."""
    grouped: dict[tuple, list[Any]] = {}  # pydantic's ErrorDetails
    for err in exc.errors():
        loc = _clean_loc(data, tuple(err["loc"])) if data is not None else tuple(err["loc"])
        grouped.setdefault(loc, []).append(err)
    out = []
    extras = [loc for loc, errs in grouped.items() if errs[0]["type"] == "extra_forbidden"]
    typos: dict[tuple, tuple] = {}  # missing key -> an unknown key beside it that looks like its misspelling
    for loc, errs in grouped.items():
        if errs[0]["type"] == "missing" and loc:
            for e in extras:
                if e[:-1] == loc[:-1] and e not in typos.values() and difflib.get_close_matches(
                        str(loc[-1]), [str(e[-1])], n=1, cutoff=0.6):
                    typos[loc] = e
                    break
    for loc, errs in grouped.items():
        where = located.where((*prefix, *loc))
        err = errs[0]
        kind = err["type"]
        name = str(loc[-1]) if loc else ""
        if kind == "extra_forbidden":
            if loc in typos.values():
                continue  # reported with the missing key
            parent = model_at(model, loc[:-1]) if model else None
            known = list(parent.model_fields) if parent else []
            close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
            hint = (f'did you mean "{close[0]}"? ' if close else "") + (
                f"allowed keys here: {', '.join(known)}" if known else "")
            out.append(Problem(f'unknown key "{name}"', hint=hint.strip(), warning=not strict, **where))
            continue
        if kind == "egov":  # a value that cannot be right (model.invalid): the message as written, at its key
            ctx = err.get("ctx") or {}
            where = located.where((*prefix, *loc, *ctx.get("key", ())))
            out.append(Problem(ctx.get("message", err["msg"]), hint=ctx.get("hint", ""), **where))
            continue
        if kind == "missing":
            parent = model_at(model, loc[:-1]) if model else None
            info = parent.model_fields.get(name) if parent else None
            desc = f" — {info.description}" if info is not None and info.description else ""
            hint = f'add "{name}: …"{desc}'
            typo = typos.get(loc)
            if typo is not None:  # point at the misspelt key instead of the mapping
                where = {**located.where((*prefix, *typo)), "key": where["key"]}
                hint = f'"{typo[-1]}" here looks like a misspelling of "{name}"{desc}'
            out.append(Problem(f'missing required key "{name}"', hint=hint, **where))
            continue
        error = (err.get("ctx") or {}).get("error")
        if kind == "value_error" and error is not None and hasattr(error, "hint"):  # a validator's own message (a number format code)
            out.append(Problem(f"{name}: {error}", hint=error.hint, **where))
            continue
        expected: list[str] = []
        hint = ""
        for e in errs:
            ctx = e.get("ctx") or {}
            t = e["type"]
            if t == "literal_error":
                options = [o.strip().strip("'") for o in ctx.get("expected", "").replace(" or ", ", ").split(",")]
                expected.append("one of " + ", ".join(options))
                close = difflib.get_close_matches(str(e.get("input")), options, n=1, cutoff=0.5)
                if close:
                    hint = f'did you mean "{close[0]}"?'
            elif t in EXPECTED:
                expected.append(EXPECTED[t])
            elif t in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
                sign = {"greater_than_equal": "≥", "greater_than": ">", "less_than_equal": "≤", "less_than": "<"}[t]
                limit = next(iter(ctx.values()), "")
                expected.append(f"a number {sign} {limit}")
            elif t == "too_short":
                n = ctx.get("min_length", 1)
                expected.append(f"at least {n} item{'s' if n != 1 else ''}")
            elif t == "too_long":
                n = ctx.get("max_length", 0)
                expected.append(f"at most {n} item{'s' if n != 1 else ''}")
            else:
                expected.append(e["msg"][0].lower() + e["msg"][1:])
        expected = list(dict.fromkeys(expected))
        found = err.get("input")
        if kind == "too_short" and isinstance(found, list):
            found_text = f"{len(found)}"
        else:
            found_text = _found(found)
        if kind.startswith("date") and not hint:
            hint = "write the date as YYYY-MM-DD, without quotes"
        if not hint:
            hint = _shape_hint(expected, found, loc, _written(where, loc) if "text" in expected else None)
        if not hint:  # the field's own documentation: what it is, and an example
            parent = model_at(model, loc[:-1]) if model else None
            field = parent.model_fields.get(name) if parent else None
            if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
                hint = f"write {' and '.join(expected)}" + (f" ({field.description})" if field and field.description
                                                            else "")
            elif field is not None and field.description:
                example = f", e.g. {name}: {field.examples[0]}" if field.examples else ""
                hint = f"{name}: {field.description}{example}"
        if not hint and model is not None:  # an item of a list or mapping: the nearest enclosing field's own words
            for k in range(len(loc) - 1, 0, -1):
                owner = model_at(model, loc[:k - 1])
                field = owner.model_fields.get(str(loc[k - 1])) if owner else None
                if field is not None and field.description:
                    hint = f"write {' or '.join(expected)} here ({loc[k - 1]}: {field.description})"
                    break
        if not hint:  # every problem says what to write (a list item of a mapping of lists has no field to quote)
            hint = f"write {' or '.join(expected)} here"
        out.append(Problem(f"expected {' or '.join(expected)}, found {found_text}", hint=hint, **where))
    return out


def _shape_hint(expected: list[str], found: Any, loc: tuple, written: str | None = None) -> str:
    """A fix for a value of the wrong shape (a string for a list, an empty item, ...)."""
    if found is None:
        if loc and isinstance(loc[-1], int):
            return 'an empty list item (a lone "-"): remove the "-" line or write the item after it'
        return "write the value after the colon, or remove the key"
    if "text" in expected:
        quoting = _quoting_hint(found, loc, written)
        if quoting:
            return quoting
    if "a list" in expected and isinstance(found, str | int | float):
        return f'write a list: "- {found}" on the next line, indented, or [{found}]'
    if any(e.startswith("a mapping") for e in expected) and not isinstance(found, dict):
        return "write its keys on the lines below it, indented (key: value)"
    return ""


def _validate(model: type[BaseModel], data: Any, located: Located, prefix: tuple, problems: Collector,
              strict: bool) -> Any:
    """Validate; unknown keys are dropped with a warning (errors when strict) and validation retried."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        probs = pydantic_problems(exc, located, prefix, strict, model, data)
        problems.problems.extend(probs)
        if any(not p.warning for p in probs):
            return None
        cleaned = _drop(data, [_clean_loc(data, tuple(e["loc"])) for e in exc.errors() if e["type"] == "extra_forbidden"])
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


def load_project(definition: Path | None = None, strict: bool = False, root: Path | None = None,
                 template: Path | None = None, template_master: str | None = None,
                 pdf_standard: str | None = None) -> Project:
    """Load and check everything; raise EgovError listing every problem, or return the Project.

    `template` and `template_master` (egovdeck build/validate --template FILE --template-master NAME|NUMBER)
    replace the definition's theme.template and theme.template_master; that file may be anywhere.
    `pdf_standard` (--pdf-standard) replaces report.pdf_standard where the logo is checked."""
    problems = Collector()
    definition = Path(definition or default_definition())
    if not definition.exists():
        hint = "run it in the project folder, or pass the definition: egovdeck build reports/NAME.yaml"
        found = sorted(Path("reports").glob("*.yaml")) if Path("reports").is_dir() else []
        if len(found) > 1:  # with several definitions none is the default: say which there are
            raise EgovError(Problem(f"several report definitions in reports/ ({', '.join(p.name for p in found)}) "
                                    "and none named", hint=f"name the one to use: egovdeck build {found[0]}"))
        raise EgovError(Problem(f"no report definition at {definition}", hint=hint))
    if definition.is_dir():
        raise EgovError(Problem(f"{definition} is a folder, not a report definition",
                                hint="pass the definition file: egovdeck build reports/NAME.yaml"))
    if not definition.is_file():  # a pipe or a device: reading it could wait for ever
        raise EgovError(Problem(f"{definition} is not a regular file", file=definition,
                                hint="pass the definition file: egovdeck build reports/NAME.yaml"))
    root = (root or project_root(definition)).resolve()
    located = load_yaml(definition)
    if located.data is None:
        raise EgovError(Problem("the definition is empty", file=definition, line=1, column=1,
                                hint="write its report:, datasets: and sections: (egovdeck init DIR creates a "
                                     "working example to start from)"))
    if not isinstance(located.data, dict):
        raise EgovError(Problem(f"the definition must be a mapping (report:, datasets:, sections:), found "
                                f"{_found(located.data)}", file=definition, line=1, column=1,
                                hint="start each top-level key at the beginning of a line: report:, datasets:, "
                                     "sections:"))
    report = _validate(Report, located.data, located, (), problems, strict)
    if report is not None and (template is not None or template_master is not None):
        report = command_line_template(report, template, template_master)
    loader = _DatasetLoader(root, located, problems, strict)
    if report is None:
        # The definition is broken, but its datasets can still be checked: report every problem at once.
        patterns = located.data.get("datasets")
        patterns = [patterns] if isinstance(patterns, str) else patterns  # reported above; still check its files
        if isinstance(patterns, list) and all(isinstance(x, str) for x in patterns):
            loader.load(patterns)
        meta, theme = ((part if isinstance(part := located.data.get(k), dict) else {}) for k in ("report", "theme"))
        logo, regular, bold = (v if isinstance(v, str) and v else None
                               for v in (meta.get("logo"), theme.get("font_regular"), theme.get("font_bold")))
        _check_files(root, logo, regular, bold, located, problems)
        raise EgovError(problems.errors + problems.warnings)

    if report.editions is not None:
        why = _parameter_problem(report.editions.parameter)
        if why:
            problems.add(why[0], hint=why[1], **located.where(("editions", "parameter")))
    if report.theme.font_bold and not report.theme.font_regular:
        problems.add("font_bold is given without font_regular: it would be ignored (the bundled fonts are used)",
                     hint="name the regular weight too: font_regular: fonts/NAME-Regular.ttf",
                     **located.where(("theme", "font_bold")))
    if report.theme.template_master is not None and not report.theme.template:
        problems.warn("template_master is given without a template: it is ignored (egovdeck's own template has "
                      "one master)", hint="name the deck template too: theme.template or --template FILE",
                      **(located.where(("theme", "template_master")) if template_master is None
                         else {"file": definition, "key": "--template-master"}))
    for si, section in enumerate(report.sections):
        if number := own_number(section.title):
            problems.warn(f"the section title starts with its own number 「{number.strip()}」: egovdeck numbers "
                          "sections itself (一、 in the brief, 01 in the deck), so it is left out",
                          hint=f"remove 「{number.strip()}」 from the title", **located.where(("sections", si, "title")))
    datasets = loader.load(report.datasets)
    if report.prepare:  # datasets made by declared steps (pandas is imported only for them)
        from egovdeck.input.prepare import prepare_all

        datasets.update(prepare_all(report.prepare, datasets, located, problems, loader.failed, loader.incomplete))
    layouts = dict(builtin_layouts())
    layouts.update(report.layouts)
    blocks = _check_sections(report, layouts, datasets, located, problems, strict, loader.failed, loader.incomplete)
    _check_files(root, report.report.logo, report.theme.font_regular, report.theme.font_bold, located, problems,
                 pdf_standard or report.report.pdf_standard)
    project = Project(root, definition, located, report, datasets, layouts, blocks, problems,
                      Path(template).resolve() if template is not None else None)
    if report.theme.template_layouts and not report.theme.template and template is None:
        problems.problems.append(Problem(
            "template_layouts is ignored: no template is given (egovdeck's own template has the standard layouts)",
            hint="name your deck template with theme.template: templates/NAME.pptx, or remove template_layouts",
            warning=not strict, **located.where(("theme", "template_layouts"))))
    if report.theme.template:  # opened now, so that `validate` reports a template `build` would refuse
        from egovdeck.input.template import template_for

        try:
            template_for(project)
        except EgovError as exc:
            problems.problems.extend(exc.problems)
    problems.raise_if_errors()
    return project


def command_line_template(report: Report, template: Path | None, master: str | None) -> Report:
    """The definition with --template / --template-master in place of its theme.template / template_master
    (a number given on the command line is a master's number)."""
    update: dict = {}
    if template is not None:
        update["template"] = str(Path(template).resolve())
    if master is not None:
        update["template_master"] = int(master) if str(master).strip().isdigit() else master
    return report.model_copy(update={"theme": report.theme.model_copy(update=update)})


def _check_files(root: Path, logo_rel: str | None, font_regular: str | None, font_bold: str | None,
                 located: Located, problems: Collector, pdf_standard: str = "none") -> None:
    """The logo and the fonts the definition names: inside the project, there, and usable (under a PDF/A
    `pdf_standard`, the logo in RGB or gray: the brief's output intent is sRGB)."""
    if logo_rel:
        try:
            logo = safe_path(root, logo_rel)
            if not logo.exists():
                problems.add(f"logo file not found: {logo_rel}", hint=f"expected at {display_path(logo)}",
                             **located.where(("report", "logo")))
            else:
                why = _image_problem(logo, logo_rel)
                if why:
                    problems.add(why, hint="save the logo as a PNG or JPEG file and name it here",
                                 **located.where(("report", "logo")))
                elif pdf_standard != "none" and _image_mode(logo) == "CMYK":
                    problems.add(f"{logo_rel} is a CMYK image: the brief is {pdf_standard}, whose colours are sRGB "
                                 "(CMYK is for print)",
                                 hint="save the logo as RGB (Photoshop: Image > Mode > RGB Color; or as a PNG); "
                                      "pdf_standard: none writes a plain PDF that may hold CMYK",
                                 **located.where(("report", "logo")))
        except ValueError as exc:
            problems.add(str(exc), hint="keep images inside the project folder", **located.where(("report", "logo")))
    fonts = {"font_regular": font_regular, "font_bold": font_bold}
    for key in ("font_regular", "font_bold"):
        value = fonts[key]
        if value:
            try:
                path = safe_path(root, value)
                if not path.exists():
                    problems.add(f"font file not found: {value}", hint=f"expected at {display_path(path)}",
                                 **located.where(("theme", key)))
                elif not path.is_file():
                    problems.add(f"{value} is not a regular file", hint="name a TrueType font file (.ttf)",
                                 **located.where(("theme", key)))
                else:
                    from egovdeck.text.fonts import font_problem

                    trouble = font_problem(path, value)
                    if trouble:
                        problems.add(trouble[0], hint=trouble[1], **located.where(("theme", key)))
            except ValueError as exc:
                problems.add(str(exc), hint="keep fonts inside the project folder", **located.where(("theme", key)))


def _parameter_problem(name: str) -> tuple[str, str] | None:
    """Why an edition parameter cannot be a name in the narrative templates (message, hint), or None."""
    import keyword

    from jinja2.defaults import DEFAULT_NAMESPACE

    if not name.isidentifier() or keyword.iskeyword(name):
        close = re.sub(r"\W", "_", name).strip("_") or "edition"
        return (f'"{name}" cannot be a name in the templates',
                f"use letters, digits and _ only, not starting with a digit, e.g. {close}")
    taken = {*NARRATIVE_FUNCTIONS, "params"} | set(DEFAULT_NAMESPACE) | {
        "true", "false", "none", "True", "False", "None", "loop", "self", "super", "caller", "varargs", "kwargs"}
    if name in taken:
        return (f'"{name}" is already a name in the templates (a function or a keyword): the parameter would hide it',
                f"choose another name, e.g. {name}_name (functions: "
                f"{', '.join(sorted(NARRATIVE_FUNCTIONS))})")
    return None


def _image_problem(path: Path, rel: str) -> str | None:
    """Why the file cannot be the cover's logo (a PNG or JPEG image), or None."""
    if not path.is_file():
        return f"{rel} is not a file"
    from PIL import Image

    try:
        with Image.open(path) as image:
            kind = image.format
            if kind not in ("PNG", "JPEG"):
                return f"{rel} is a {kind} image: expected a PNG or JPEG image"
            if image.width * image.height > MAX_LOGO_PIXELS:
                return (f"{rel} is {image.width} x {image.height} pixels: a logo may have at most "
                        f"{MAX_LOGO_PIXELS // 1_000_000} million")
            image.load()  # every pixel decoded: a truncated file shows now, not in the PDF writer
    except Exception as exc:  # noqa: BLE001  (whatever Pillow cannot read is not an image the PDF can hold)
        what = "is not an image" if "cannot identify" in str(exc) else f"is a damaged image ({exc})"
        return f"{rel} {what}: expected a PNG or JPEG image"
    return None


MAX_LOGO_PIXELS = 16_000_000


def _image_mode(path: Path) -> str:
    """Pillow's mode of an image _image_problem accepted (RGB, L, CMYK, P ...)."""
    from PIL import Image

    with Image.open(path) as image:
        return image.mode


SIDECAR_HINT = ("a sidecar is a YAML mapping with title:, file: (the CSV/XLSX beside it), source: and columns: "
                "(docs/reference/datasets.md)")


def _not_sidecars(pattern: str, files: list[str]) -> tuple[str, str]:
    """The message and hint for a datasets: pattern that matches files which are not sidecars (data/*)."""
    shown = ", ".join(files[:4]) + (" …" if len(files) > 4 else "")
    return (f'the pattern "{pattern}" matches {len(files)} file{"s" if len(files) > 1 else ""} that '
            f'{"are" if len(files) > 1 else "is"} not a sidecar (.yaml): {shown}',
            f"end the pattern in .yaml (e.g. {Path(pattern).parent.as_posix()}/*.yaml): datasets: lists the "
            "sidecars, each names its data file")


def _not_a_sidecar(root: Path, match: str) -> tuple[str, str]:
    """The message and hint for a datasets: entry that names a data file, not a sidecar: list the sidecar
    beside it (data/NAME.yaml)."""
    sidecar = Path(match).with_suffix(".yaml").as_posix()
    data_file = Path(match).suffix.lower() in (".csv", ".xlsx", ".xls", ".tsv", ".txt")
    hint = (f"list {sidecar}, its sidecar (it names the data file)" if (root / sidecar).is_file()
            else f"list the dataset's sidecar (a .yaml naming the data file, e.g. {sidecar}); "
                 "docs/reference/datasets.md")
    return f"{match} is {'a data file, ' if data_file else ''}not a sidecar (.yaml)", hint


class _DatasetLoader:
    """Finds the sidecars the definition names, validates them and reads their data files."""

    def __init__(self, root: Path, located: Located, problems: Collector, strict: bool):
        self.root = root
        self.located = located
        self.problems = problems
        self.strict = strict
        self.failed: set[str] = set()  # ids whose sidecar was found but which could not be loaded
        self.incomplete = False  # an entry matched no sidecar: ids are unknown

    def load(self, patterns: list[str]) -> dict[str, Dataset]:
        root, problems = self.root, self.problems
        datasets: dict[str, Dataset] = {}
        for i, pattern in enumerate(patterns):
            where = self.located.where(("datasets", i))
            try:
                safe_path(root, pattern)
            except ValueError as exc:
                problems.add(str(exc), hint="datasets must live inside the project folder", **where)
                self.incomplete = True
                continue
            is_glob = any(c in pattern for c in "*?[")
            if Path(pattern).is_absolute():
                matches = sorted(glob.glob(pattern)) if is_glob else [pattern]
            else:
                matches = sorted(glob.glob(pattern, root_dir=root)) if is_glob else [pattern]
            if not matches or not (root / matches[0]).exists():
                self.incomplete = True
                if is_glob:
                    problems.add(f'no file matches the pattern "{pattern}"',
                                 hint=f"paths are relative to the project folder ({display_path(root) or '.'}); "
                                      "sidecars end in .yaml",
                                 **where)
                else:
                    problems.add(f"dataset sidecar not found: {pattern}",
                                 hint=f"expected at {display_path(root / pattern)} (paths are relative to the "
                                      "project folder)",
                                 **where)
                continue
            if is_glob:  # a pattern such as data/* also matches the data files: reported once, the sidecars read
                others = [m for m in matches if Path(m).suffix.lower() not in (".yaml", ".yml")
                          and not (root / m).is_dir()]
                if others:
                    message, hint = _not_sidecars(pattern, others)
                    problems.add(message, hint=hint, **where)
                    matches = [m for m in matches if m not in others]
            for m in matches:
                try:
                    meta = safe_path(root, m)
                except ValueError as exc:
                    problems.add(str(exc), hint="datasets must live inside the project folder", **where)
                    self.incomplete = True
                    continue
                if meta.is_dir():
                    continue
                if not meta.is_file():  # a pipe or a device: reading it could wait for ever
                    problems.add(f"{m} is not a regular file", hint="a sidecar is a .yaml file", **where)
                    self.failed.add(meta.stem)
                    continue
                ds_id = meta.stem
                if meta.suffix.lower() not in (".yaml", ".yml"):  # a data file listed instead of its sidecar
                    message, hint = _not_a_sidecar(root, m)
                    problems.add(message, hint=hint, **where)
                    if ds_id not in datasets:  # not when its sidecar, listed too, was read
                        self.failed.add(ds_id)
                    continue
                if ds_id in datasets:
                    problems.add(f'dataset id "{ds_id}" declared twice ({m})',
                                 hint="each dataset is one sidecar: list it once (a pattern such as data/*.yaml "
                                      "already lists every sidecar in data/)", **where)
                    continue
                ds = self._one(ds_id, meta)
                if ds is None:
                    self.failed.add(ds_id)
                else:
                    datasets[ds_id] = ds
        return datasets

    def _one(self, ds_id: str, meta: Path) -> Dataset | None:
        problems = self.problems
        if meta.suffix.lower() not in (".yaml", ".yml"):
            problems.add(f"not a dataset sidecar (.yaml): {meta.name}", file=meta,
                         hint="list the sidecars (data/NAME.yaml) under datasets:, not the data files")
            return None
        try:
            sidecar = load_yaml(meta)
        except EgovError as exc:
            problems.problems.extend(exc.problems)
            return None
        if sidecar.data is None:
            problems.add("the sidecar is empty", file=meta, line=1, column=1, hint=SIDECAR_HINT)
            return None
        if not isinstance(sidecar.data, dict):
            problems.add("a dataset sidecar must be a mapping (title:, file:, source:, columns:)", file=meta,
                         line=1, column=1, hint=SIDECAR_HINT)
            return None
        spec = _validate(DatasetSpec, sidecar.data, sidecar, (), problems, self.strict)
        if spec is None:
            return None
        try:
            data_path = safe_path(self.root, spec.file, base=meta.parent)
        except ValueError as exc:
            problems.add(str(exc), hint="data files must live inside the project folder", **sidecar.where(("file",)))
            return None
        if data_path.exists() and not data_path.is_file():  # a folder, a pipe or a device
            problems.add(f"the data file {spec.file} is not a regular file", hint="name a .csv or .xlsx file",
                         **sidecar.where(("file",)))
            return None
        if not data_path.is_file():
            data_files = [p.name for p in data_path.parent.iterdir() if p.suffix.lower() in (".csv", ".xlsx")] \
                if data_path.parent.is_dir() else []
            near = difflib.get_close_matches(Path(spec.file).name, data_files, n=1)
            hint = (f'did you mean "{near[0]}"? ' if near else "") + \
                f"expected at {display_path(data_path)} (paths are relative to the sidecar)"
            problems.add(f"data file not found: {spec.file}", hint=hint, **sidecar.where(("file",)))
            return None
        bad_key = False
        for j, k in enumerate(spec.key):
            if k not in spec.columns:
                bad_key = True
                problems.add(f'key column "{k}" is not declared under columns',
                             hint=f"columns: {', '.join(spec.columns)}", **sidecar.where(("key", j)))
        ds = load_dataset(ds_id, spec, data_path, problems, sidecar)
        if ds is None or bad_key:
            return None
        ds.meta_path = meta
        return ds


def _column_problem(ds: Dataset, name: str, where: dict) -> Problem:
    close = difflib.get_close_matches(name, ds.columns, n=1)
    hint = (f'did you mean "{close[0]}"? ' if close else "") + f"its columns: {', '.join(ds.columns)}"
    return Problem(f'dataset "{ds.id}" has no column "{name}"', hint=hint, **where)


def _check_chart(spec: ChartSpec, ds: Dataset, located: Located, loc: tuple, problems: Collector) -> bool:
    """What can be checked before drawing: the kind, the fields named, pie slices. False if unusable."""
    from egovdeck.document.chart import CHART_KINDS

    ok = True
    if spec.kind not in CHART_KINDS:
        close = difflib.get_close_matches(spec.kind, CHART_KINDS, n=1)
        hint = (f'did you mean "{close[0]}"? ' if close else "") + f"known kinds: {', '.join(CHART_KINDS)}"
        problems.add(f'unknown chart kind "{spec.kind}"', hint=hint, **located.where((*loc, "kind")))
        return False
    _ignored_keys(spec, located, loc, problems)
    fields: list[tuple[tuple, str]] = [(("where", k), k) for k in spec.where]
    if spec.kind == "timeline":
        fields += [(("period",), spec.period), (("label",), spec.label), (("text",), spec.text)]
    else:
        fields += [(("x",), spec.x)] if spec.x else []
        if isinstance(spec.y, str):
            fields.append((("y",), spec.y))
        else:
            fields += [(("y", i), y) for i, y in enumerate(spec.y)]
        fields += [(("series",), spec.series)] if spec.series else []
    for key, name in fields:
        if name not in ds.spec.columns:
            problems.problems.append(_column_problem(ds, name, located.where((*loc, *key))))
            ok = False
    if not ok:
        return ok
    if not _check_where(spec.where, ds, located, loc, problems):
        return False
    ys = [spec.y] if isinstance(spec.y, str) else list(spec.y)
    keys = ys
    if spec.series:  # long format: one series per distinct value of the series field
        keys = list(dict.fromkeys(str(r.get(spec.series)) for r in ds.rows
                                  if all(cell_matches(r.get(k), v) for k, v in spec.where.items())))
    if spec.kind == "combo" and not spec.secondary:
        problems.add("a combo chart needs secondary: the field(s) drawn as a line on the right axis",
                     hint=f"add secondary: [{keys[-1] if len(keys) > 1 else '…'}] (the other series stay columns), "
                          "or use kind: column for columns only",
                     **located.where((*loc, "kind")))
        return False
    if spec.kind == "combo" and keys and set(keys) <= set(spec.secondary):
        problems.add(f"a combo chart needs at least one series that is not secondary (columns on the left axis); "
                     f"secondary lists every series ({', '.join(keys)})",
                     hint="keep in secondary: only the field(s) drawn as a line on the right axis, or use kind: line",
                     **located.where((*loc, "secondary")))
        return False
    if spec.kind not in ("pie", "doughnut"):
        return ok
    if len(ys) > 1 or len(keys) > 1:
        found = (f"{len(ys)} ({', '.join(ys)})" if len(ys) > 1
                 else f"{len(keys)} series from {spec.series} ({', '.join(keys[:6])})")
        problems.add(f"a {spec.kind} chart takes exactly one y column (one slice per x), found {found}",
                     hint="keep one field in y: (or filter the rows with where: to one series), "
                          "or use kind: column (or bar) to compare several series",
                     **located.where((*loc, "y" if len(ys) > 1 else "series")))
        return False
    if len(ys) != 1 or not spec.x:
        return ok
    y = ys[0]
    for i, row in enumerate(ds.rows):
        if not all(cell_matches(row.get(k), v) for k, v in spec.where.items()):
            continue
        value = row.get(y)
        if isinstance(value, int | float) and value < 0:
            problems.add(f'{spec.kind}: the slice "{row.get(spec.x)}" is negative ({value})',
                         hint=f"the value is at {ds.where(i, y)}; pie and doughnut slices must be zero or positive "
                              "(use a bar chart for changes)",
                         **located.where((*loc, "y")))
            ok = False
    return ok


def _ignored_keys(spec: ChartSpec, located: Located, loc: tuple, problems: Collector) -> None:
    """A warning at each key the definition gives that this kind of chart does not use (definition.ONLY_FOR),
    and at highlight: on a chart of several series (each series keeps its own colour there)."""
    for key in sorted(spec.model_fields_set & ONLY_FOR.keys()):
        kinds = ONLY_FOR[key]
        if spec.kind not in kinds:
            problems.warn(f"a {spec.kind} chart does not use it (it is for {', '.join(kinds)} charts); "
                          "it is ignored", hint=f"remove {key}:, or change kind:", **located.where((*loc, key)))
    ys = [spec.y] if isinstance(spec.y, str) else list(spec.y)
    if "legend" in spec.model_fields_set and spec.legend != "none":
        # where a legend: cannot be honoured, said at the key (issue 16: legend: right on a doughnut was drawn
        # at the bottom in both outputs, silently)
        if spec.kind in ("pie", "doughnut") and spec.labels and spec.legend != "bottom":
            problems.warn(f"a labelled {spec.kind} names its slices beside it, and lists only the slices whose "
                          f"label finds no room in a legend under it: legend: {spec.legend} is ignored",
                          hint="remove legend:, or set labels: false for a legend of every slice at "
                               f"the {spec.legend}", **located.where((*loc, "legend")))
        elif spec.kind in ("column", "bar", "line") and len(ys) == 1 and not spec.series:
            problems.warn("a chart of one series has no legend (its title names what it shows); it is ignored",
                          hint="remove legend:", **located.where((*loc, "legend")))
    if spec.highlight and spec.kind in ONLY_FOR["highlight"] and (len(ys) > 1 or spec.series):
        problems.warn("a chart of several series keeps each series' own colour; it is ignored",
                      hint="remove highlight:, or draw one series (one field in y:, no series:)",
                      **located.where((*loc, "highlight")))


def _check_table(spec: TableSpec, ds: Dataset, located: Located, loc: tuple, problems: Collector) -> bool:
    ok = True
    for i, c in enumerate(spec.columns):
        if c.field not in ds.spec.columns:
            problems.problems.append(_column_problem(ds, c.field, located.where((*loc, "columns", i, "field"))))
            ok = False
    for k in spec.where:
        if k not in ds.spec.columns:
            problems.problems.append(_column_problem(ds, k, located.where((*loc, "where", k))))
            ok = False
    if spec.sort and spec.sort.lstrip("-") not in ds.spec.columns:
        problems.problems.append(_column_problem(ds, spec.sort.lstrip("-"), located.where((*loc, "sort"))))
        ok = False
    return _check_where(spec.where, ds, located, loc, problems) and ok


def _check_where(where: dict, ds: Dataset, located: Located, loc: tuple, problems: Collector) -> bool:
    """Each where: condition fits its column's type (input.data.condition_problem): a period column is
    compared with periods (2018-06, not 2018-6), a number column's gt/ge/lt/le with numbers."""
    from egovdeck.input.data import condition_problem

    ok = True
    for name, wanted in where.items():
        column = ds.spec.columns.get(name)
        found = condition_problem(column.type, wanted) if column is not None else None
        if found is not None:
            key, message, hint = found
            problems.add(f"where.{name}: {message}", hint=hint, **located.where((*loc, "where", name, *key)))
            ok = False
    return ok


def _check_sections(report: Report, layouts: dict[str, LayoutSpec], datasets: dict[str, Dataset],
                    located: Located, problems: Collector, strict: bool, failed: set[str] | None = None,
                    incomplete: bool = False) -> dict[tuple[int, int, str], Any]:
    blocks: dict[tuple[int, int, str], Any] = {}
    seen_sections: dict[str, int] = {}
    seen_findings: dict[str, tuple[int, int]] = {}
    failed = failed or set()
    for si, section in enumerate(report.sections):
        if section.id in seen_sections:
            first = located.where(("sections", seen_sections[section.id], "id")).get("line")
            problems.add(f'duplicate section id "{section.id}" (also sections[{seen_sections[section.id]}]'
                         + (f", line {first})" if first else ")"),
                         hint="section ids name outputs and anchors; make each unique",
                         **located.where(("sections", si, "id")))
        seen_sections.setdefault(section.id, si)
        for fi, finding in enumerate(section.findings):
            base = ("sections", si, "findings", fi)
            if finding.id in seen_findings:
                osi, ofi = seen_findings[finding.id]
                first = located.where(("sections", osi, "findings", ofi, "id")).get("line")
                problems.add(f'duplicate finding id "{finding.id}" (also sections[{osi}].findings[{ofi}]'
                             + (f", line {first})" if first else ")"),
                             hint="finding ids name charts and slides; make each unique across the report",
                             **located.where((*base, "id")))
            seen_findings.setdefault(finding.id, (si, fi))
            layout = layouts.get(finding.layout)
            if layout is None:
                close = difflib.get_close_matches(finding.layout, list(layouts), n=1)
                hint = (f'did you mean "{close[0]}"? ' if close else "") + f"layouts: {', '.join(sorted(layouts))}"
                problems.add(f'unknown layout "{finding.layout}"', hint=hint, **located.where((*base, "layout")))
                continue
            for slot, slot_spec in layout.slots.items():
                if slot_spec.type == "text":  # the finding's own text: fills the slot, takes no block
                    if slot_spec.required and not (finding.text or "").strip():
                        problems.add(f'layout "{finding.layout}" shows the finding\'s text in its slot "{slot}", '
                                     "and the finding has none", hint="add text: … to the finding (its narrative)",
                                     **located.where(base))
                    continue
                if slot_spec.required and slot not in finding.slots:
                    problems.add(f'layout "{finding.layout}" needs the slot "{slot}" ({slot_spec.type})',
                                 hint=f"add under slots: {slot}: … (the layout's slots: {', '.join(layout.slots)})",
                                 **located.where((*base, "slots")))
            for slot, raw in finding.slots.items():
                where = (*base, "slots", slot)
                if slot not in layout.slots:
                    close = difflib.get_close_matches(slot, list(layout.slots), n=1)
                    problems.add(f'layout "{finding.layout}" has no slot "{slot}"',
                                 hint=(f'did you mean "{close[0]}"? ' if close else "")
                                 + f"its slots: {', '.join(layout.slots)}", **located.where(where))
                    continue
                kind = layout.slots[slot].type
                if kind == "kpis":
                    if not isinstance(raw, list) or not raw:
                        problems.add(f"expected a list of KPIs (each with value:, label:, change:), found {_found(raw)}",
                                     hint="write each KPI as a list item: - {value: '…', label: …}",
                                     **located.where(where))
                        continue
                    if len(raw) > MAX_KPIS:
                        problems.add(f"{len(raw)} KPIs in one slot: at most {MAX_KPIS} fit side by side on a slide "
                                     "and in the brief", hint="split them over several findings, or show the figures "
                                     "in a table (layout: table)", **located.where((*where, MAX_KPIS)))
                        continue
                    kpis = [_validate(KPI, item, located, (*where, i), problems, strict) for i, item in enumerate(raw)]
                    if all(kpis):
                        blocks[(si, fi, slot)] = kpis
                    continue
                if kind == "text":
                    if raw not in (None, "", {}):
                        problems.warn(f'the slot "{slot}" shows the finding\'s text and takes no block: this is ignored',
                                      hint="write the narrative under the finding's text: (and leave the slot out)",
                                      **located.where(where))
                    continue
                spec = _validate(BLOCK_MODELS[kind], raw, located, where, problems, strict)
                if spec is None:
                    continue
                if spec.dataset not in datasets:
                    if spec.dataset in failed or incomplete:
                        continue  # already reported where the dataset failed
                    close = difflib.get_close_matches(spec.dataset, list(datasets), n=1)
                    hint = (f'did you mean "{close[0]}"? ' if close else "") + f"datasets: {', '.join(sorted(datasets))}"
                    problems.add(f'unknown dataset "{spec.dataset}"', hint=hint, **located.where((*where, "dataset")))
                    continue
                if isinstance(spec, TimelineSpec):
                    spec = spec.chart()
                ds = datasets[spec.dataset]
                usable = (_check_table(spec, ds, located, where, problems) if isinstance(spec, TableSpec)
                          else _check_chart(spec, ds, located, where, problems))
                if usable:
                    blocks[(si, fi, slot)] = spec
    return blocks
