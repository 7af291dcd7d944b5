"""The package-level facts a strict OOXML reader checks and python-pptx leaves to its template.

Applied to the finished part list of a deck, just before it is zipped (render/ooxml.package_zip):

- `p:notesMasterIdLst` in ppt/presentation.xml when the presentation relates to a notes master
  (ISO/IEC 29500-1 §19.2.1.27: the list names the notes master; PowerPoint and the Open XML SDK
  validator expect it once speaker notes exist, python-pptx adds the part and the relationship only);
- the `Slides`, `Notes` and `HiddenSlides` counts of docProps/app.xml (§22.2.2: python-pptx copies
  its template's file, which says 0 slides); the template's stale `HeadingPairs`/`TitlesOfParts`
  (they list the template's own slide titles) are dropped;
- no `cp:lastPrinted` in docProps/core.xml (a generated deck has never been printed);
- a ppt/viewProps.xml part (an empty `p:viewPr`) when the template has none (LibreOffice writes none;
  PowerPoint offers to repair a presentation without it).

Works on (part name, bytes) pairs, so it needs nothing of python-pptx's internals.
"""

from __future__ import annotations

import posixpath
import re

from lxml import etree

from egovdeck.ooxml import insert_before

P = "http://schemas.openxmlformats.org/presentationml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
EXT = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
CP = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
NOTES_MASTER_REL = R + "/notesMaster"
EXTENDED_REL = R + "/extended-properties"
APP_CT = "application/vnd.openxmlformats-officedocument.extended-properties+xml"
VIEW_REL = R + "/viewProps"
VIEW_CT = "application/vnd.openxmlformats-officedocument.presentationml.viewProps+xml"
# CT_Presentation's children after notesMasterIdLst, in schema order (§19.2.1.26)
_AFTER_NOTES_MASTERS = ("handoutMasterIdLst", "sldIdLst", "sldSz", "notesSz", "smartTags", "embeddedFontLst",
                        "custShowLst", "photoAlbum", "custDataLst", "kinsoku", "defaultTextStyle", "modifyVerifier",
                        "extLst")
_SLIDE = re.compile(r"ppt/slides/slide\d+\.xml")
_NOTES = re.compile(r"ppt/notesSlides/notesSlide\d+\.xml")


def _xml(root) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _parse(blob: bytes):
    return etree.fromstring(blob, etree.XMLParser(resolve_entities=False, remove_blank_text=False))


def _presentation(blob: bytes, rels: bytes | None) -> bytes:
    """presentation.xml with a notesMasterIdLst naming the notes master relationship, if there is one."""
    if rels is None:
        return blob
    rid = next((rel.get("Id") for rel in _parse(rels) if rel.get("Type") == NOTES_MASTER_REL), None)
    if rid is None:
        return blob
    root = _parse(blob)
    if root.find(f"{{{P}}}notesMasterIdLst") is not None:
        return blob
    lst = etree.Element(f"{{{P}}}notesMasterIdLst")
    etree.SubElement(lst, f"{{{P}}}notesMasterId").set(f"{{{R}}}id", rid)
    insert_before(root, lst, [f"p:{name}" for name in _AFTER_NOTES_MASTERS])
    return _xml(root)


def _app(blob: bytes | None, slides: int, notes: int) -> bytes:
    """docProps/app.xml with the deck's slide and notes counts (CT_Properties is an xsd:all: any order)."""
    if blob is None:
        root = etree.Element(f"{{{EXT}}}Properties", nsmap={None: EXT})
        etree.SubElement(root, f"{{{EXT}}}Application").text = "egovdeck"
    else:
        root = _parse(blob)
    for name in ("HeadingPairs", "TitlesOfParts"):
        for el in root.findall(f"{{{EXT}}}{name}"):
            root.remove(el)
    for name, value in (("Slides", slides), ("Notes", notes), ("HiddenSlides", 0)):
        el = root.find(f"{{{EXT}}}{name}")
        if el is None:
            el = etree.SubElement(root, f"{{{EXT}}}{name}")
        el.text = str(value)
    return _xml(root)


def _core(blob: bytes) -> bytes:
    root = _parse(blob)
    found = root.findall(f"{{{CP}}}lastPrinted")
    if not found:
        return blob
    for el in found:
        root.remove(el)
    return _xml(root)


def conform(entries: list[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
    """The deck's (zip member name, bytes) pairs with the facts above made true; order kept, an app.xml
    added (with its content type and package relationship) when the template had none."""
    parts = dict(entries)
    slides = sum(1 for name in parts if _SLIDE.fullmatch(name))
    notes = sum(1 for name in parts if _NOTES.fullmatch(name))
    pkg_rels = _parse(parts["_rels/.rels"]) if "_rels/.rels" in parts else None
    app_name = None
    if pkg_rels is not None:
        app_name = next((rel.get("Target").lstrip("/") for rel in pkg_rels if rel.get("Type") == EXTENDED_REL), None)
    out: list[tuple[str, bytes]] = []
    for name, blob in entries:
        if name == "ppt/presentation.xml":
            blob = _presentation(blob, parts.get("ppt/_rels/presentation.xml.rels"))
        elif name == app_name:
            blob = _app(blob, slides, notes)
        elif name == "docProps/core.xml":
            blob = _core(blob)
        out.append((name, blob))
    if app_name is None and pkg_rels is not None:
        out = _add_part(out, "_rels/.rels", "docProps/app.xml", "docProps/app.xml", EXTENDED_REL, APP_CT,
                        _app(None, slides, notes))
    pres_rels = parts.get("ppt/_rels/presentation.xml.rels")
    if pres_rels is not None and not any(rel.get("Type") == VIEW_REL for rel in _parse(pres_rels)) \
            and "ppt/viewProps.xml" not in parts:
        view = _xml(etree.Element(f"{{{P}}}viewPr", nsmap={"p": P}))
        out = _add_part(out, "ppt/_rels/presentation.xml.rels", "ppt/viewProps.xml", "viewProps.xml", VIEW_REL,
                        VIEW_CT, view)
    return out


def _add_part(entries: list[tuple[str, bytes]], rels_name: str, name: str, target: str, reltype: str,
              content_type: str, blob: bytes) -> list[tuple[str, bytes]]:
    """`entries` plus the part `name`, related from the rels part `rels_name` (with `target`, relative to it)
    and given its content type."""
    parts = dict(entries)
    if "[Content_Types].xml" not in parts or rels_name not in parts:
        return entries
    rels = _parse(parts[rels_name])
    taken = {rel.get("Id") for rel in rels}
    rid = next(f"rId{n}" for n in range(1, len(taken) + 2) if f"rId{n}" not in taken)
    rel = etree.SubElement(rels, f"{{{PKG_REL}}}Relationship")
    rel.set("Id", rid)
    rel.set("Type", reltype)
    rel.set("Target", target)
    types = _parse(parts["[Content_Types].xml"])
    override = etree.SubElement(types, f"{{{CT}}}Override")
    override.set("PartName", "/" + posixpath.normpath(name))
    override.set("ContentType", content_type)
    replaced = {rels_name: _xml(rels), "[Content_Types].xml": _xml(types)}
    return [(n, replaced.get(n, b)) for n, b in entries] + [(name, blob)]
