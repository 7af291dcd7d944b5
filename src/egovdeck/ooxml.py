"""The few raw-XML helpers python-pptx lacks: East Asian fonts, chart text, alt text, stable zips.

Every insertion respects the schema's element order (PowerPoint repairs or rejects files
whose children are out of order, LibreOffice silently ignores them).
"""

from __future__ import annotations

import functools
import io
import zipfile

from lxml import etree

NS = {
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
    "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
}


@functools.cache
def qn(tag: str) -> str:
    """'a:latin' -> '{http://...}latin'."""
    prefix, local = tag.split(":")
    return f"{{{NS[prefix]}}}{local}"


# CT_TextCharacterProperties children, in schema order (the fill and underline choices
# collapse to one slot each).
_FILLS = ("a:noFill", "a:solidFill", "a:gradFill", "a:blipFill", "a:pattFill", "a:grpFill")
_RPR_ORDER = (
    ("a:ln",),
    _FILLS,
    ("a:effectLst", "a:effectDag"),
    ("a:highlight",),
    ("a:uLnTx", "a:uLn"),
    ("a:uFillTx", "a:uFill"),
    ("a:latin",),
    ("a:ea",),
    ("a:cs",),
    ("a:sym",),
    ("a:hlinkClick",),
    ("a:hlinkMouseOver",),
    ("a:rtl",),
    ("a:extLst",),
)


_SLOTS = {qn(t): i for i, group in enumerate(_RPR_ORDER) for t in group}


def _slot(tag_qn: str) -> int:
    return _SLOTS.get(tag_qn, len(_RPR_ORDER))


def _insert_ordered(parent, child) -> None:
    """Insert `child` into an rPr-like `parent` before the first sibling of a later slot."""
    slot = _slot(child.tag)
    for i, existing in enumerate(parent):
        if isinstance(existing.tag, str) and _slot(existing.tag) > slot:
            parent.insert(i, child)
            return
    parent.append(child)


def _rpr_element(obj):
    """Accept an lxml rPr/defRPr/endParaRPr element, a python-pptx run, or a python-pptx Font."""
    from egovdeck.compat.pptx_internals import run_properties

    rpr = run_properties(obj)
    if rpr is not None:
        return rpr
    if not etree.iselement(obj):  # a shape or other element proxy
        obj = obj.element
    if obj.tag == qn("a:r"):
        rpr = obj.find(qn("a:rPr"))
        if rpr is None:
            rpr = etree.Element(qn("a:rPr"))
            obj.insert(0, rpr)
        return rpr
    return obj


def solid_fill(color: str):
    fill = etree.Element(qn("a:solidFill"))
    clr = etree.SubElement(fill, qn("a:srgbClr"))
    clr.set("val", color.upper().lstrip("#"))
    return fill


def set_run_font(rPr_or_run, family: str, lang: str = "zh-CN", size_pt=None, bold=None, color=None):
    """Set the typeface for Latin, East Asian and complex scripts on a text-run property element.

    `font.name` in python-pptx sets only `a:latin`; PowerPoint draws Chinese with `a:ea`.
    Returns the element.
    """
    rpr = _rpr_element(rPr_or_run)
    rpr.set("lang", lang)
    rpr.set("altLang", "en-US")
    if size_pt is not None:
        rpr.set("sz", str(int(round(float(size_pt) * 100))))
    if bold is not None:
        rpr.set("b", "1" if bold else "0")
    if color:
        for tag in _FILLS:
            for old in rpr.findall(qn(tag)):
                rpr.remove(old)
        _insert_ordered(rpr, solid_fill(color))
    for tag in ("a:latin", "a:ea", "a:cs"):
        for old in rpr.findall(qn(tag)):
            rpr.remove(old)
        el = etree.Element(qn(tag))
        el.set("typeface", family)
        _insert_ordered(rpr, el)
    # repair any pre-existing disorder too (stable: same-slot elements keep their order)
    children = list(rpr)
    ordered = sorted(children, key=lambda e: _slot(e.tag) if isinstance(e.tag, str) else len(_RPR_ORDER))
    if ordered != children:
        for child in children:
            rpr.remove(child)
        rpr.extend(ordered)
    return rpr


def new_txPr(family: str, size_pt: float, color: str, bold: bool | None = None, tag: str = "c:txPr", rot=None):
    """A chart `c:txPr` (text properties) whose default run uses `family` for latin and ea."""
    tx = etree.Element(qn(tag), nsmap={"c": NS["c"], "a": NS["a"]})
    body = etree.SubElement(tx, qn("a:bodyPr"))
    if rot is not None:
        body.set("rot", str(rot))
        body.set("vert", "horz")
    etree.SubElement(tx, qn("a:lstStyle"))
    p = etree.SubElement(tx, qn("a:p"))
    ppr = etree.SubElement(p, qn("a:pPr"))
    defrpr = etree.SubElement(ppr, qn("a:defRPr"))
    set_run_font(defrpr, family, size_pt=size_pt, bold=bold, color=color)
    end = etree.SubElement(p, qn("a:endParaRPr"))
    end.set("lang", "zh-CN")
    return tx


# CT_ChartSpace children after c:txPr (c:txPr goes before the first of these present).
_CHARTSPACE_AFTER_TXPR = ("c:externalData", "c:printSettings", "c:userShapes", "c:extLst")


def insert_before(parent, child, successors) -> None:
    """Insert `child` before the first existing child whose tag is one of `successors` (prefixed names such
    as "c:extLst": the elements the schema puts after it), else append it."""
    names = {qn(t) for t in successors}
    for existing in parent:
        if existing.tag in names:
            existing.addprevious(child)
            return
    parent.append(child)


def chart_text_properties(chart_space_or_chart, family: str, size_pt: float, color: str):
    """Write `c:txPr` on the chart space so all chart text defaults to `family` (latin + ea)."""
    cs = chart_space_or_chart
    if not etree.iselement(cs):  # python-pptx Chart
        cs = cs.element
    if cs.tag == qn("c:chart"):
        cs = cs.getparent()
    for old in cs.findall(qn("c:txPr")):
        cs.remove(old)
    tx = new_txPr(family, size_pt, color)
    insert_before(cs, tx, _CHARTSPACE_AFTER_TXPR)
    return tx


def set_alt_text(graphic_frame_or_shape, title: str, descr: str):
    """Set the alternative text (`p:cNvPr` @descr and @title) of a shape or graphic frame."""
    el = graphic_frame_or_shape
    if not etree.iselement(el):
        el = el.element
    cnvpr = el.find(".//" + qn("p:cNvPr"))
    if cnvpr is None:
        raise ValueError("shape has no p:cNvPr")
    if descr:
        cnvpr.set("descr", descr)
    elif "descr" in cnvpr.attrib:
        del cnvpr.attrib["descr"]
    if title:
        cnvpr.set("title", title)
    elif "title" in cnvpr.attrib:
        del cnvpr.attrib["title"]
    return cnvpr


def normalize_zip(data: bytes, date_time=(1980, 1, 1, 0, 0, 0)) -> bytes:
    """Re-write a zip (pptx/xlsx) with fixed timestamps and attributes, same entry order, deflated."""
    src = zipfile.ZipFile(io.BytesIO(data))
    return zip_entries(((info.filename, src.read(info.filename)) for info in src.infolist()), date_time)


def zip_entries(entries, date_time=(1980, 1, 1, 0, 0, 0)) -> bytes:
    """(name, bytes) pairs -> zip bytes with fixed timestamps and attributes, in the given order, deflated."""
    # zip cannot store times before 1980 (SOURCE_DATE_EPOCH=0 is common): clamp
    date_time = max(tuple(date_time), (1980, 1, 1, 0, 0, 0))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, content in entries:
            new = zipfile.ZipInfo(name, date_time=tuple(date_time))
            new.create_system = 0
            is_dir = name.endswith("/")
            new.external_attr = (0o40755 << 16) | 0x10 if is_dir else 0o100644 << 16
            new.compress_type = zipfile.ZIP_STORED if is_dir else zipfile.ZIP_DEFLATED
            dst.writestr(new, b"" if is_dir else content, compresslevel=6)
    return out.getvalue()


def package_zip(package, date_time, transform=None) -> bytes:
    """A python-pptx package as a normalized zip, deflated once (compat.pptx_internals.package_entries;
    python-pptx's own save if its writer changed shape); `transform` (optional) maps the list of
    (member name, bytes) pairs before zipping (render/pptx/strictxml.conform)."""
    from egovdeck.compat.pptx_internals import package_entries, saved

    entries = package_entries(package)
    if entries is None:
        src = zipfile.ZipFile(io.BytesIO(saved(package)))
        entries = [(info.filename, src.read(info.filename)) for info in src.infolist()]
    return zip_entries(transform(entries) if transform else entries, date_time)
