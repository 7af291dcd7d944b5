"""Deck templates: egovdeck's own 16:9 template or a user's .pptx/.potx, its layouts mapped to slide roles.

The renderer asks for four roles: "title" (the cover), "section" (dividers), "content" (every
other slide) and "blank". A role is mapped to a layout by the report's `theme.template_layouts`
or, by default, matched by layout name, layout type and placeholder types. Everything the
renderer needs is read here, once: placeholder boxes (inherited from the master when the layout
does not move them), their text size, weight and insets. A missing layout or placeholder is an
error naming the template and listing what it does have.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER

from egovdeck.errors import EgovError, Problem
from egovdeck.ooxml import qn

DEFAULT_TEMPLATE = Path(__file__).resolve().parents[1] / "resources" / "egovdeck-16x9.pptx"
ROLES = ("title", "section", "content", "blank")
EMU_PER_PT = 12700

_NAMES = {
    "title": ("title", "title slide", "cover", "标题幻灯片", "标题页", "封面"),
    "section": ("section", "section header", "section title", "节标题", "章节", "章节页"),
    "content": ("title and content", "title, content", "content", "标题和内容", "内容", "正文"),
    "blank": ("blank", "空白", "空白页"),
}
_TYPES = {"title": ("title",), "section": ("secHead",), "content": ("obj", "tx", "titleOnly"), "blank": ("blank",)}
TITLE_TYPES = (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)
TEXT_TYPES = (PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT, PP_PLACEHOLDER.SUBTITLE)
FOOTER_TYPES = (PP_PLACEHOLDER.DATE, PP_PLACEHOLDER.FOOTER, PP_PLACEHOLDER.SLIDE_NUMBER)
_TYPE_NAMES = {PP_PLACEHOLDER.TITLE: "title", PP_PLACEHOLDER.CENTER_TITLE: "ctrTitle", PP_PLACEHOLDER.BODY: "body",
               PP_PLACEHOLDER.OBJECT: "obj", PP_PLACEHOLDER.SUBTITLE: "subTitle", PP_PLACEHOLDER.DATE: "dt",
               PP_PLACEHOLDER.FOOTER: "ftr", PP_PLACEHOLDER.SLIDE_NUMBER: "sldNum", PP_PLACEHOLDER.PICTURE: "pic",
               PP_PLACEHOLDER.CHART: "chart", PP_PLACEHOLDER.TABLE: "tbl"}
_TEMPLATE_CT = b"application/vnd.openxmlformats-officedocument.presentationml.template.main+xml"
_PRESENTATION_CT = b"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"


@dataclass(frozen=True)
class Box:
    """A rectangle in points."""

    x: float
    y: float
    w: float
    h: float

    @property
    def bottom(self) -> float:
        return self.y + self.h

    @property
    def right(self) -> float:
        return self.x + self.w


@dataclass(frozen=True)
class PlaceholderInfo:
    idx: int
    type: str  # title, ctrTitle, body, obj, subTitle ...
    box: Box
    size: float  # pt, of the first level
    bold: bool
    insets: tuple[float, float, float, float]  # left, top, right, bottom (pt)
    order: int = 0  # position among the placeholders python-pptx clones onto a new slide
    explicit: bool = False  # the layout repeats this idx (LibreOffice writes idx 0 twice): pin the box on the slide

    @property
    def inner(self) -> Box:
        left, top, right, bottom = self.insets
        b = self.box
        return Box(b.x + left, b.y + top, max(b.w - left - right, 1.0), max(b.h - top - bottom, 1.0))


@dataclass
class RoleLayout:
    role: str
    name: str
    layout: object  # pptx.slide.SlideLayout
    title: PlaceholderInfo | None
    texts: list[PlaceholderInfo] = field(default_factory=list)  # body / obj / subTitle, in slide order

    def text(self, *types: str, exclude: tuple[int, ...] = ()) -> PlaceholderInfo | None:
        """The first text placeholder of one of `types` (any type if none) whose order is not excluded."""
        for ph in self.texts:
            if ph.order not in exclude and (not types or ph.type in types):
                return ph
        return None


@dataclass
class DeckTemplate:
    """An opened template: a Presentation with no slides, and its layouts per role."""

    source: Path
    builtin: bool
    prs: object  # pptx.Presentation
    roles: dict[str, RoleLayout]

    @property
    def width(self) -> float:
        return self.prs.slide_width / EMU_PER_PT

    @property
    def height(self) -> float:
        return self.prs.slide_height / EMU_PER_PT


@dataclass(frozen=True)
class TemplateRef:
    """Which template to use and how its layouts map to roles; `open()` gives a fresh DeckTemplate."""

    path: Path = DEFAULT_TEMPLATE
    layouts: tuple[tuple[str, str], ...] = ()  # (role, layout name)
    label: str = ""  # the path as the user wrote it, for messages

    def open(self) -> DeckTemplate:
        return open_template(self.path, dict(self.layouts), self.label or str(self.path))


# --------------------------------------------------------------------------- loading


def load_presentation(path: Path, label: str = ""):
    """Open a .pptx or .potx (a template's main part has its own content type python-pptx refuses)."""
    label = label or str(path)
    data = None
    try:
        from egovdeck.files import read_input

        data = read_input(path)  # its digest is what the up-to-date manifest records
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            types = z.read("[Content_Types].xml")
            if _TEMPLATE_CT in types:
                out = io.BytesIO()
                with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
                    for info in z.infolist():
                        body = z.read(info.filename)
                        if info.filename == "[Content_Types].xml":
                            body = body.replace(_TEMPLATE_CT, _PRESENTATION_CT)
                        dst.writestr(info, body)
                data = out.getvalue()
        return Presentation(io.BytesIO(data))
    except IsADirectoryError:
        raise EgovError(Problem("the deck template is a folder, not a .pptx/.potx file", file=label,
                                hint="name a .pptx or .potx file")) from None
    except Exception as exc:  # noqa: BLE001  (whatever python-pptx cannot read is the file's fault)
        broken = _broken_part(data) if isinstance(data, bytes) else None
        what = (f"the template is damaged ({broken} is not well-formed XML)" if broken
                else f"cannot open the deck template: {exc}")
        raise EgovError(Problem(what, file=label, hint="save it again from PowerPoint, WPS or LibreOffice "
                                "(as a .pptx or .potx)")) from None


def _broken_part(data: bytes) -> str | None:
    """The first XML part of the package that does not parse, if any."""
    from lxml import etree

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            for name in z.namelist():
                if name.endswith((".xml", ".rels")):
                    try:
                        etree.fromstring(z.read(name), etree.XMLParser(resolve_entities=False, huge_tree=False))
                    except etree.XMLSyntaxError:
                        return name
    except (zipfile.BadZipFile, OSError, RuntimeError, EOFError):
        return None
    return None


def _remove_slides(prs) -> None:
    sld_ids = prs.slides._sldIdLst
    for sld_id in list(sld_ids):
        sld_ids.remove(sld_id)
        prs.part.drop_rel(sld_id.rId)


def _pt(emu) -> float:
    return float(emu or 0) / EMU_PER_PT


def _first(*values):
    return next((v for v in values if v is not None), None)


def _def_rpr(element):
    if element is None:
        return None
    return element.find(f"{qn('p:txBody')}/{qn('a:lstStyle')}/{qn('a:lvl1pPr')}/{qn('a:defRPr')}")


def _body_pr(element):
    return None if element is None else element.find(f"{qn('p:txBody')}/{qn('a:bodyPr')}")


def _info(layout_ph, master, order: int = 0, explicit: bool = False) -> PlaceholderInfo:
    fmt = layout_ph.placeholder_format
    base = layout_ph._base_placeholder  # the master's placeholder of the same kind (or None)
    base_el = base._element if base is not None else None
    style = "titleStyle" if fmt.type in TITLE_TYPES else "bodyStyle"
    master_style = master._element.find(f"{qn('p:txStyles')}/{qn('p:' + style)}/{qn('a:lvl1pPr')}/{qn('a:defRPr')}")
    chain = [_def_rpr(layout_ph._element), _def_rpr(base_el), master_style]
    sz = _first(*(e.get("sz") for e in chain if e is not None))
    b = _first(*(e.get("b") for e in chain if e is not None))
    insets = []
    for attr, default in (("lIns", 91440), ("tIns", 45720), ("rIns", 91440), ("bIns", 45720)):
        prs_ = [_body_pr(layout_ph._element), _body_pr(base_el)]
        v = _first(*(e.get(attr) for e in prs_ if e is not None))
        insets.append(_pt(int(v) if v is not None else default))
    box = Box(_pt(layout_ph.left), _pt(layout_ph.top), _pt(layout_ph.width), _pt(layout_ph.height))
    return PlaceholderInfo(fmt.idx, _TYPE_NAMES.get(fmt.type, str(fmt.type)), box,
                           int(sz) / 100 if sz else 18.0, b in ("1", "true"), tuple(insets), order, explicit)


def _describe(layout) -> str:
    kinds = [f"{_TYPE_NAMES.get(ph.placeholder_format.type, 'other')}#{ph.placeholder_format.idx}"
             for ph in layout.placeholders]
    return f"“{layout.name}” ({', '.join(kinds) or 'no placeholders'})"


def _inventory(prs) -> str:
    return "; ".join(_describe(lay) for lay in _all_layouts(prs))


def _all_layouts(prs) -> list:
    return [lay for master in prs.slide_masters for lay in master.slide_layouts]


def _match(role: str, layouts: list) -> object | None:
    by_name = {lay.name.strip().casefold(): lay for lay in layouts}
    for name in _NAMES[role]:
        if name in by_name:
            return by_name[name]
    for lay in layouts:
        if lay._element.get("type") in _TYPES[role]:
            return lay
    for lay in layouts:
        types = {ph.placeholder_format.type for ph in lay.placeholders} - set(FOOTER_TYPES)
        if role == "title" and (PP_PLACEHOLDER.CENTER_TITLE in types or PP_PLACEHOLDER.SUBTITLE in types
                                and PP_PLACEHOLDER.TITLE in types):
            return lay
        if role == "content" and PP_PLACEHOLDER.TITLE in types and types & {PP_PLACEHOLDER.OBJECT, PP_PLACEHOLDER.BODY}:
            return lay
        if role == "blank" and not types:
            return lay
    if role == "section":  # no divider layout: a title-only layout, else the cover's
        return next((lay for lay in layouts if lay._element.get("type") == "titleOnly"), None) or _match("title", layouts)
    return None


MIN_SLIDE_EMU = (6096000, 3429000)  # half a 16:9 slide (13.33 × 7.5 in): the smallest slide laid out


def open_template(path: Path = DEFAULT_TEMPLATE, mapping: dict[str, str] | None = None, label: str = "") -> DeckTemplate:
    mapping = mapping or {}
    label = label or str(path)
    prs = load_presentation(path, label)
    _remove_slides(prs)
    layouts = _all_layouts(prs)
    problems: list[Problem] = []
    try:
        width, height = int(prs.slide_width), int(prs.slide_height)
    except (TypeError, ValueError):
        width = height = 0
    if width < MIN_SLIDE_EMU[0] or height < MIN_SLIDE_EMU[1]:
        problems.append(Problem(f"the template's slides are {width / 914400:.2f} × {height / 914400:.2f} in: "
                                f"smaller than egovdeck can lay out ({MIN_SLIDE_EMU[0] / 914400:.2f} × "
                                f"{MIN_SLIDE_EMU[1] / 914400:.2f} in, half of a 16:9 slide)", file=label,
                                hint="use a template of the usual slide size (PowerPoint: Design > Slide Size > "
                                     "Widescreen 16:9 or Standard 4:3)"))
    roles: dict[str, RoleLayout] = {}
    available = _inventory(prs)
    for role in ROLES:
        wanted = mapping.get(role)
        if wanted is not None:
            layout = next((lay for lay in layouts if lay.name == wanted), None)
            if layout is None:
                close = [lay.name for lay in layouts if lay.name.strip().casefold() == wanted.strip().casefold()]
                problems.append(Problem(f'the template has no layout named “{wanted}” for the {role} slides',
                                        file=label, key=f"theme.template_layouts.{role}",
                                        hint=(f"did you mean “{close[0]}”? " if close else "")
                                        + f"its layouts: {available}"))
                continue
        else:
            layout = _match(role, layouts)
            if layout is None:
                if role == "blank":
                    continue
                problems.append(Problem(f"no layout of the template looks like a {role} slide", file=label,
                                        key=f"theme.template_layouts.{role}",
                                        hint=f"name one in theme.template_layouts; its layouts: {available}"))
                continue
        cloned = list(layout.iter_cloneable_placeholders())
        idxs = [ph.placeholder_format.idx for ph in cloned]
        infos = [_info(ph, layout.slide_master, n, idxs.count(ph.placeholder_format.idx) > 1)
                 for n, ph in enumerate(cloned)]
        title = next((i for i in infos if i.type in ("title", "ctrTitle")), None)
        texts = [i for i in infos if i.type in ("body", "obj", "subTitle")]
        rl = RoleLayout(role, layout.name, layout, title, texts)
        missing = []
        if role != "blank" and title is None:
            missing.append("a title placeholder")
        if role == "title" and not texts:
            missing.append("a subtitle (or text) placeholder")
        if missing:
            problems.append(Problem(f"layout {_describe(layout)} used for the {role} slides lacks "
                                    f"{' and '.join(missing)}", file=label, key=f"theme.template_layouts.{role}",
                                    hint=f"choose another layout; the template's layouts: {available}"))
            continue
        roles[role] = rl
    if problems:
        raise EgovError(problems)
    return DeckTemplate(path, path == DEFAULT_TEMPLATE, prs, roles)


def template_for(project, check: bool = True) -> TemplateRef:
    """The report's template (checked: opened once, layouts and placeholders resolved), or egovdeck's own.

    project.load_project checks it; a build of that project passes check=False."""
    spec = project.report.theme
    if not spec.template:
        return TemplateRef()
    from egovdeck.input.project import safe_path

    where = project.located.where(("theme", "template"))
    try:
        path = safe_path(project.root, spec.template)
    except ValueError as exc:
        raise EgovError(Problem(str(exc), hint="keep the template inside the project folder", **where)) from None
    if not path.exists():
        raise EgovError(Problem(f"deck template not found: {spec.template}", **where))
    if not path.is_file():  # a folder, a pipe or a device
        raise EgovError(Problem(f"the deck template {spec.template} is not a regular file",
                                hint="name a .pptx or .potx file", **where))
    if path.suffix.lower() not in (".pptx", ".potx"):
        raise EgovError(Problem(f"the deck template must be a .pptx or .potx file: {spec.template}", **where))
    ref = TemplateRef(path, tuple(sorted(spec.template_layouts.items())), spec.template)
    if check:
        ref.open()  # every layout and placeholder problem now, before anything is written
    return ref
