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
from pptx.presentation import Presentation as PresentationPart
from pptx.slide import SlideLayout

from egovdeck.compat.pptx_internals import base_placeholder
from egovdeck.decktemplate.boxes import EMU_PER_PT, FOOTER_TYPES, Box, pt  # noqa: F401  (re-exported)
from egovdeck.decktemplate.colors import text_rgb
from egovdeck.errors import EgovError, Problem
from egovdeck.ooxml import qn

DEFAULT_TEMPLATE = Path(__file__).resolve().parents[1] / "resources" / "egovdeck-16x9.pptx"
ROLES = ("title", "section", "content", "blank")

_NAMES = {
    "title": ("title", "title slide", "cover", "标题幻灯片", "标题页", "封面"),
    "section": ("section", "section header", "section title", "节标题", "章节", "章节页"),
    "content": ("title and content", "title, content", "content", "标题和内容", "内容", "正文"),
    "blank": ("blank", "空白", "空白页"),
}
_TYPES = {"title": ("title",), "section": ("secHead",), "content": ("obj", "tx", "titleOnly"), "blank": ("blank",)}
TITLE_TYPES = (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)
TEXT_TYPES = (PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT, PP_PLACEHOLDER.SUBTITLE)
_TYPE_NAMES = {PP_PLACEHOLDER.TITLE: "title", PP_PLACEHOLDER.CENTER_TITLE: "ctrTitle", PP_PLACEHOLDER.BODY: "body",
               PP_PLACEHOLDER.OBJECT: "obj", PP_PLACEHOLDER.SUBTITLE: "subTitle", PP_PLACEHOLDER.DATE: "dt",
               PP_PLACEHOLDER.FOOTER: "ftr", PP_PLACEHOLDER.SLIDE_NUMBER: "sldNum", PP_PLACEHOLDER.PICTURE: "pic",
               PP_PLACEHOLDER.CHART: "chart", PP_PLACEHOLDER.TABLE: "tbl"}
_TEMPLATE_CT = b"application/vnd.openxmlformats-officedocument.presentationml.template.main+xml"
_PRESENTATION_CT = b"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"


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
    color: str | None = None  # RRGGBB the layout's (or master's) placeholder paragraph sets, not inherited
    align: str | None = None  # a:pPr@algn of that paragraph (l, ctr, r, just ...), not inherited
    shown_color: str | None = None  # RRGGBB the text shows in (own or inherited); None: a scheme colour or unknown
    text_rgb: str | None = None  # RRGGBB it shows in, scheme colours resolved (decktemplate.colors); None: unknown

    @property
    def inner(self) -> Box:
        left, top, right, bottom = self.insets
        b = self.box
        return Box(b.x + left, b.y + top, max(b.w - left - right, 1.0), max(b.h - top - bottom, 1.0))


@dataclass
class RoleLayout:
    role: str
    name: str
    layout: SlideLayout
    title: PlaceholderInfo | None
    texts: list[PlaceholderInfo] = field(default_factory=list)  # body / obj / subTitle, in slide order
    artwork: list[Box] = field(default_factory=list)  # the designer's shapes (render/pptx/templatearea.artwork)
    reserved: list[Box] = field(default_factory=list)  # its date, footer and slide-number placeholders

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
    prs: PresentationPart
    roles: dict[str, RoleLayout]

    @property
    def width(self) -> float:
        return (self.prs.slide_width or 0) / EMU_PER_PT

    @property
    def height(self) -> float:
        return (self.prs.slide_height or 0) / EMU_PER_PT


@dataclass(frozen=True)
class TemplateRef:
    """Which template to use and how its layouts map to roles; `open()` gives a fresh DeckTemplate."""

    path: Path = DEFAULT_TEMPLATE
    layouts: tuple[tuple[str, str], ...] = ()  # (role, layout name)
    label: str = ""  # the path as the user wrote it, for messages
    master: str | int | None = None  # the slide master (1-based number or name): theme.template_master

    def open(self, locate=None) -> DeckTemplate:
        return open_template(self.path, dict(self.layouts), self.label or str(self.path), self.master, locate)


# --------------------------------------------------------------------------- loading


# The unpacked size of a template (the sum of its zip members' declared sizes; zipfile refuses a member that
# inflates past its declared size). Real templates are a few MB; python-pptx holds every part in memory.
MAX_TEMPLATE_UNPACKED = 256 * 2**20


def load_presentation(path: Path, label: str = ""):
    """Open a .pptx or .potx (a template's main part has its own content type python-pptx refuses)."""
    label = label or str(path)
    data = None
    try:
        from egovdeck.files import read_input

        data = read_input(path)  # its digest is what the up-to-date manifest records
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            unpacked = sum(max(i.file_size, 0) for i in z.infolist())
            if unpacked > MAX_TEMPLATE_UNPACKED:  # a zip bomb: python-pptx would inflate every part in memory
                raise EgovError(Problem(
                    f"the deck template unpacks to {unpacked / 2**20:,.0f} MB, more than the "
                    f"{MAX_TEMPLATE_UNPACKED // 2**20} MB a template can hold", file=label,
                    hint="a template needs its masters, layouts and a few images: save it again from PowerPoint "
                         "without the slides and large media (File > Compress Pictures)"))
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
    except EgovError:
        raise
    except IsADirectoryError:
        raise EgovError(Problem("the deck template is a folder, not a .pptx/.potx file", file=label,
                                hint="name a .pptx or .potx file")) from None
    except Exception as exc:  # noqa: BLE001  (whatever python-pptx cannot read is the file's fault)
        broken = _broken_part(data) if isinstance(data, bytes) else None
        what = (f"the template is damaged ({broken} is not well-formed XML)" if broken
                else f"cannot open the deck template: {exc}")
        raise EgovError(Problem(what, file=label, hint="save it again from PowerPoint, WPS or LibreOffice "
                                "(as a .pptx or .potx)")) from None


# What python-pptx raises when a part or relationship the package names is not there (a layout's rId with no
# target, a layout without its rels part, a master read as a plain Part because [Content_Types].xml lacks its
# type): package-level damage, turned into a located problem by check_package and nowhere else.
PACKAGE_ERRORS = (KeyError, StopIteration, AttributeError, IndexError)
DAMAGED_HINT = ("save it again from PowerPoint, WPS or LibreOffice (File > Save As > .pptx or .potx), or remove "
                "theme.template to use egovdeck's own template")
_PARTS = {"slideMaster": "the slide master", "slideLayout": "the slide layout", "theme": "the theme"}


def check_package(prs, path: Path, label: str, where: dict | None = None) -> None:
    """Every part egovdeck reads from the template is there: each slide master (named in the presentation's
    relationships, of the slide-master content type) with its theme, each of its layouts, and each layout's
    way back to its master. Opened through python-pptx's public API, as the deck writer will; raises a
    located EgovError "the template is damaged (<what>)" instead of the KeyError/StopIteration/AttributeError
    python-pptx raises later (was: exit 3 in the middle of a build, and `validate` said nothing), located at
    `where` (the definition's theme.template) or else at the template file."""
    try:
        masters = list(prs.slide_masters)
        if not masters:
            raise KeyError("the presentation names no slide master")
        for master in masters:
            master.name  # noqa: B018  (a master read as a plain Part, its content type missing, fails here)
            if not any(rel.reltype.endswith("/theme") for rel in master.part.rels.values()):
                raise KeyError("the slide master has no theme")
            for layout in master.slide_layouts:
                if layout.slide_master.part is not master.part:
                    raise KeyError("a slide layout names another slide master")
                for ph in layout.placeholders:
                    ph.placeholder_format  # noqa: B018
    except PACKAGE_ERRORS as exc:
        try:
            what = _missing_part(path.read_bytes())
        except OSError:
            what = None
        what = what or str(exc).strip("'\"")
        raise EgovError(Problem(f"the template {label} is damaged ({what})", **(where or {"file": label}),
                                hint=DAMAGED_HINT)) from None


def _missing_part(data: bytes) -> str | None:
    """What the package lacks, read from the zip itself: a part a relationship points at, a layout's or
    the presentation's relationships part, or a part's content type."""
    import posixpath

    from lxml import etree

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = set(z.namelist())
            if "ppt/presentation.xml" in names and "ppt/_rels/presentation.xml.rels" not in names:
                return "ppt/_rels/presentation.xml.rels missing: the presentation names no slide master"
            parser = etree.XMLParser(resolve_entities=False, huge_tree=False)
            for name in sorted(names):
                folder, base = posixpath.split(name)
                if base.startswith("slideLayout") and base.endswith(".xml") and folder == "ppt/slideLayouts" \
                        and f"ppt/slideLayouts/_rels/{base}.rels" not in names:
                    return f"ppt/slideLayouts/_rels/{base}.rels missing: the layout {name} names no slide master"
                if not name.endswith(".rels"):
                    continue
                source = posixpath.join(posixpath.dirname(folder), base[:-len(".rels")])
                for rel in etree.fromstring(z.read(name), parser):
                    if rel.get("TargetMode") == "External":
                        continue
                    target = posixpath.normpath(posixpath.join(posixpath.dirname(source), rel.get("Target") or ""))
                    target = target.lstrip("/")
                    if target not in names:
                        return f"{target} missing, though {source or 'the package'} names it"
            types = etree.fromstring(z.read("[Content_Types].xml"), parser)
            overrides = {el.get("PartName", "").lstrip("/") for el in types if el.tag.endswith("Override")}
            for name in sorted(names):
                if name.startswith(("ppt/slideMasters/", "ppt/slideLayouts/", "ppt/theme/")) \
                        and name.endswith(".xml") and name not in overrides:
                    return f"[Content_Types].xml gives no type for {name}"
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, EOFError, etree.XMLSyntaxError):
        return None
    return None


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
    sld_ids = prs.element.sldIdLst  # None: the template has no slides
    for sld_id in list(sld_ids if sld_ids is not None else ()):
        sld_ids.remove(sld_id)
        prs.part.drop_rel(sld_id.rId)


def _first(*values):
    return next((v for v in values if v is not None), None)


def _def_rpr(element):
    if element is None:
        return None
    return element.find(f"{qn('p:txBody')}/{qn('a:lstStyle')}/{qn('a:lvl1pPr')}/{qn('a:defRPr')}")


def _para_rpr(element):
    """The run properties a placeholder's own first paragraph carries (LibreOffice writes a template's title
    size and colour there, on a:endParaRPr, not in a:lstStyle); PowerPoint does not inherit these, so
    egovdeck reads them and writes them on its runs."""
    if element is None:
        return None
    p = element.find(f"{qn('p:txBody')}/{qn('a:p')}")
    if p is None:
        return None
    for path in (f"{qn('a:r')}/{qn('a:rPr')}", qn("a:endParaRPr"), f"{qn('a:pPr')}/{qn('a:defRPr')}"):
        el = p.find(path)
        if el is not None:
            return el
    return None


def _para_align(element) -> str | None:
    if element is None:
        return None
    ppr = element.find(f"{qn('p:txBody')}/{qn('a:p')}/{qn('a:pPr')}")
    return None if ppr is None else ppr.get("algn")


def _srgb(rpr) -> str | None:
    if rpr is None:
        return None
    clr = rpr.find(f"{qn('a:solidFill')}/{qn('a:srgbClr')}")
    return None if clr is None else (clr.get("val") or "").upper() or None


def _shown_color(chain) -> str | None:
    """The RRGGBB of the first element of `chain` that sets a solid fill (None if that is a scheme colour)."""
    for rpr in chain:
        if rpr is not None and rpr.find(qn("a:solidFill")) is not None:
            return _srgb(rpr)
    return None


def _body_pr(element):
    return None if element is None else element.find(f"{qn('p:txBody')}/{qn('a:bodyPr')}")


def _info(layout_ph, master, order: int = 0, explicit: bool = False) -> PlaceholderInfo:
    fmt = layout_ph.placeholder_format
    base = base_placeholder(layout_ph)  # the master's placeholder of the same kind (or None)
    base_el = base.element if base is not None else None
    style = "titleStyle" if fmt.type in TITLE_TYPES else "bodyStyle"
    master_style = master.element.find(f"{qn('p:txStyles')}/{qn('p:' + style)}/{qn('a:lvl1pPr')}/{qn('a:defRPr')}")
    # what the slide inherits (list styles), with the layout's and master's own paragraph properties
    # between them (not inherited: written explicitly, see _para_rpr)
    own = [_para_rpr(layout_ph.element), _para_rpr(base_el)]
    chain = [_def_rpr(layout_ph.element), own[0], _def_rpr(base_el), own[1], master_style]
    sz = _first(*(e.get("sz") for e in chain if e is not None))
    b = _first(*(e.get("b") for e in chain if e is not None))
    insets = []
    for attr, default in (("lIns", 91440), ("tIns", 45720), ("rIns", 91440), ("bIns", 45720)):
        prs_ = [_body_pr(layout_ph.element), _body_pr(base_el)]
        v = _first(*(e.get(attr) for e in prs_ if e is not None))
        insets.append(pt(int(v) if v is not None else default))
    box = Box(pt(layout_ph.left), pt(layout_ph.top), pt(layout_ph.width), pt(layout_ph.height))
    return PlaceholderInfo(fmt.idx, _TYPE_NAMES.get(fmt.type, str(fmt.type)), box,
                           int(sz) / 100 if sz else 18.0, b in ("1", "true"), (insets[0], insets[1], insets[2], insets[3]), order, explicit,
                           _first(*(_srgb(e) for e in own)),
                           _first(_para_align(layout_ph.element), _para_align(base_el)),
                           _shown_color(chain), text_rgb(chain, master))


def _describe(layout) -> str:
    kinds = [f"{_TYPE_NAMES.get(ph.placeholder_format.type, 'other')}#{ph.placeholder_format.idx}"
             for ph in layout.placeholders]
    return f"“{layout.name}” ({', '.join(kinds) or 'no placeholders'})"


def _inventory(prs) -> str:
    return "; ".join(_describe(lay) for lay in _all_layouts(prs))


def _all_layouts(prs: PresentationPart) -> list[SlideLayout]:
    return [lay for master in prs.slide_masters for lay in master.slide_layouts]


def _tiers(role: str, layouts: list) -> list[list]:
    """Layouts that look like `role`, in tiers of confidence: by name, by layout type, by placeholders."""
    by_name = [lay for name in _NAMES[role] for lay in layouts if lay.name.strip().casefold() == name]
    by_type = [lay for lay in layouts if lay.element.get("type") in _TYPES[role]]
    by_shape = []
    for lay in layouts:
        types = {ph.placeholder_format.type for ph in lay.placeholders} - set(FOOTER_TYPES)
        if (role == "title" and (PP_PLACEHOLDER.CENTER_TITLE in types or PP_PLACEHOLDER.SUBTITLE in types
                                 and PP_PLACEHOLDER.TITLE in types)
                or role == "content" and PP_PLACEHOLDER.TITLE in types
                and types & {PP_PLACEHOLDER.OBJECT, PP_PLACEHOLDER.BODY}
                or role == "blank" and not types):
            by_shape.append(lay)
    tiers = [by_name, by_type, by_shape]
    if role == "title":  # last resort for a cover: any layout with a title and a text placeholder
        tiers.append([lay for lay in layouts if _usable("title", lay)])
    return [[lay for lay in tier if _usable(role, lay)] for tier in tiers]


def _usable(role: str, layout) -> bool:
    """The layout has what open_template needs for `role`: a title (but for blank slides) and, for the
    cover, a text placeholder (converters drop placeholders: LibreOffice 25 writes “Title Slide” without its
    subtitle)."""
    types = {ph.placeholder_format.type for ph in layout.placeholders}
    if role != "blank" and not types & set(TITLE_TYPES):
        return False
    return role != "title" or bool(types & set(TEXT_TYPES))


def free_content_area(layout) -> float:
    """pt² of the layout's body (or object) placeholder left clear of the template's artwork and footers."""
    from egovdeck.decktemplate.area import artwork, free_box, reserved

    body = next((ph for ph in layout.placeholders
                 if ph.placeholder_format.type in (PP_PLACEHOLDER.OBJECT, PP_PLACEHOLDER.BODY)), None)
    if body is None:
        return 0.0
    free = free_box(Box(pt(body.left), pt(body.top), pt(body.width), pt(body.height)),
                    artwork(layout) + reserved(layout))
    return free.w * free.h


def _match(role: str, layouts: list[SlideLayout]) -> SlideLayout | None:
    """The layout for `role`: the first of the most confident tier (_tiers); for content slides, the one of
    that tier whose content area has the most room clear of artwork (a template's first master is often
    its most decorated, meant for the cover)."""
    for tier in _tiers(role, layouts):
        if tier:
            if role == "content" and len(tier) > 1:
                areas = [free_content_area(lay) for lay in tier]
                return tier[areas.index(max(areas))]
            return tier[0]
    if role == "section":  # no divider layout: a title-only layout, else the cover's
        return next((lay for lay in layouts if lay.element.get("type") == "titleOnly"), None) or _match("title", layouts)
    return None


def _master_label(prs, master) -> str:
    n = list(prs.slide_masters).index(master) + 1
    return f"{n} (“{master.name}”)" if master.name else str(n)


def choose_master(prs, wanted: str | int | None, label: str, where: dict | None = None):
    """The slide master `wanted` names: its 1-based number or its name (None: no choice). Raises a located
    EgovError listing the masters when there is no such master."""
    if wanted is None:
        return None
    masters = list(prs.slide_masters)
    text = str(wanted).strip()
    if text.isdigit() and 1 <= int(text) <= len(masters):
        return masters[int(text) - 1]
    named = [m for m in masters if m.name and m.name.strip().casefold() == text.casefold()]
    if named:
        return named[0]
    listing = "; ".join(f"{_master_label(prs, m)}: layouts {', '.join(repr(lay.name) for lay in m.slide_layouts)}"
                        for m in masters)
    raise EgovError(Problem(f"the template has no slide master “{wanted}”", **(where or {"file": label}),
                            hint=f"give a master's number (1 to {len(masters)}) or name; its masters: {listing}"))


def _named(name: str, role: str, scope: list[SlideLayout], layouts: list[SlideLayout], prs: PresentationPart,
           label: str, chosen: object) -> tuple[SlideLayout | None, str]:
    """The layout called `name` for `role` (None and a reason when there is none or it is ambiguous).

    Looked for in the chosen master first, then in all; layouts of that name in several masters, with no
    master chosen, are ambiguous. Among same-named layouts of one master, one whose type suits the role."""
    for pool in (scope, layouts):
        found = [lay for lay in pool if lay.name == name]
        if not found:
            continue
        masters = list({id(lay.slide_master.part): lay.slide_master for lay in found}.values())
        if len(masters) > 1 and chosen is None:
            return None, (f"the template's masters {', '.join(_master_label(prs, m) for m in masters)} all have a "
                          f"layout named “{name}”")
        found = [lay for lay in found if lay.slide_master.part is masters[0].part]
        return next((lay for lay in found if lay.element.get("type") in _TYPES[role]), found[0]), ""
    return None, ""


MIN_SLIDE_EMU = (6096000, 3429000)  # half a 16:9 slide (13.33 × 7.5 in): the smallest slide laid out
# width / height of the slides laid out: 4:3 to 16:9, with 1 % for rounding (16:10 and A4 landscape, 1.41, are
# within). A square or portrait slide is refused: the layouts' slot boxes (fractions of the content area) and the
# charts' and KPI cards' minimum widths are drawn for landscape slides (a new user's 10 × 10 in square was built)
MIN_ASPECT, MAX_ASPECT = 4 / 3 * 0.99, 16 / 9 * 1.01


def open_template(path: Path = DEFAULT_TEMPLATE, mapping: dict[str, str] | None = None, label: str = "",
                  master: str | int | None = None, locate=None) -> DeckTemplate:
    """Open a template and map its layouts to the four roles.

    `mapping`: role -> layout name (theme.template_layouts); `master`: the slide master to take layouts from
    (1-based number or name, theme.template_master), its layouts first; `locate(key path tuple)` gives the
    Problem() keyword arguments of a definition key (default: the template file and the key's name)."""
    mapping = mapping or {}
    label = label or str(path)

    def where(*key) -> dict:
        return locate(key) if locate else {"file": label, "key": ".".join(str(k) for k in key)}

    prs = load_presentation(path, label)
    check_package(prs, path, label, where("theme", "template") if locate else None)
    _remove_slides(prs)
    layouts = _all_layouts(prs)
    chosen = choose_master(prs, master, label, where("theme", "template_master"))
    scope = list(chosen.slide_layouts) if chosen is not None else layouts
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
    elif not MIN_ASPECT <= width / height <= MAX_ASPECT:
        problems.append(Problem(f"the template's slides are {width / 914400:.2f} × {height / 914400:.2f} in (width to "
                                f"height {width / height:.2f}): egovdeck lays out landscape slides from 4:3 to 16:9 "
                                f"(width to height {MIN_ASPECT:.2f} to {MAX_ASPECT:.2f}; 16:10 and A4 landscape are "
                                "within)", **where("theme", "template"),
                                hint="use a template of a landscape slide size (PowerPoint: Design > Slide Size > "
                                     "Widescreen 16:9 or Standard 4:3)"))
    roles: dict[str, RoleLayout] = {}
    available = _inventory(prs)
    for role in ROLES:
        layout: SlideLayout | None
        wanted = mapping.get(role)
        if wanted is not None:
            layout, ambiguous = _named(wanted, role, scope, layouts, prs, label, chosen)
            if ambiguous:
                problems.append(Problem(f"{ambiguous}: which one is meant for the {role} slides is not clear "
                                        f"(template {label})", **where("theme", "template_layouts", role),
                                        hint="choose the master with theme.template_master (its number or name) "
                                             "or --template-master"))
                continue
            if layout is None:
                close = [lay.name for lay in layouts if lay.name.strip().casefold() == wanted.strip().casefold()]
                problems.append(Problem(f"the template {label} has no layout named “{wanted}” for the {role} slides",
                                        **where("theme", "template_layouts", role),
                                        hint=(f"did you mean “{close[0]}”? " if close else "")
                                        + f"its layouts: {available}"))
                continue
        else:
            layout = _match(role, scope) or (_match(role, layouts) if chosen is not None else None)
            if layout is None:
                if role == "blank":
                    continue
                problems.append(Problem(f"no layout of the template {label} looks like a {role} slide",
                                        **where("theme", "template_layouts", role),
                                        hint=f"name one in theme.template_layouts; its layouts: {available}"))
                continue
        cloned = list(layout.iter_cloneable_placeholders())
        idxs = [ph.placeholder_format.idx for ph in cloned]
        infos = [_info(ph, layout.slide_master, n, idxs.count(ph.placeholder_format.idx) > 1)
                 for n, ph in enumerate(cloned)]
        title = next((i for i in infos if i.type in ("title", "ctrTitle")), None)
        texts = [i for i in infos if i.type in ("body", "obj", "subTitle")]
        from egovdeck.decktemplate.area import artwork, reserved

        rl = RoleLayout(role, layout.name, layout, title, texts, artwork(layout), reserved(layout))
        missing = []
        if role != "blank" and title is None:
            missing.append("a title placeholder")
        if role == "title" and not texts:
            missing.append("a subtitle (or text) placeholder")
        if missing:
            problems.append(Problem(f"layout {_describe(layout)} of the template {label} used for the {role} slides "
                                    f"lacks {' and '.join(missing)}", **where("theme", "template_layouts", role),
                                    hint=f"choose another layout; the template's layouts: {available}"))
            continue
        roles[role] = rl
    template = DeckTemplate(path, path == DEFAULT_TEMPLATE, prs, roles)
    if not problems:  # every box egovdeck draws in: inside the slide, room for text (decktemplate.geometry)
        from egovdeck.decktemplate.geometry import geometry_problems

        problems += geometry_problems(template, label, where)
    if problems:
        raise EgovError(problems)
    return template
