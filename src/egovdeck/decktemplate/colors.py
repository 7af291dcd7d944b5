"""The RRGGBB a template's fill or text colour shows as: scheme colours (a:schemeClr tx1, bg1, accent1 ...)
resolved through the slide master's colour map (p:clrMap: tx1 -> dk1 ...) and its theme's colour scheme
(a:clrScheme; a system colour by its a:sysClr@lastClr), as PowerPoint resolves them (ECMA-376 Part 1,
20.1.2.3.29 schemeClr, 19.3.1.6 clrMap).

The colour transforms a scheme colour may carry (lumMod, lumOff, tint, shade ...) are not applied: the base
colour is what the contrast rule (area.readable_on) compares, close enough to tell dark from light text in
the templates seen so far; a colour that cannot be resolved is None.
"""

from __future__ import annotations

from lxml import etree

from egovdeck.ooxml import qn

_THEME_RELTYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme"


def _theme_scheme(master):
    """The master's theme's a:clrScheme element (None when it has none)."""
    try:
        part = master.part.part_related_by(_THEME_RELTYPE)
        root = etree.fromstring(part.blob)
    except (KeyError, ValueError, etree.XMLSyntaxError):
        return None
    return root.find(f"{qn('a:themeElements')}/{qn('a:clrScheme')}")


def scheme_rgb(master, name: str) -> str | None:
    """RRGGBB of the scheme colour `name` (tx1, bg1, dk1, accent1, phClr excepted) on `master`."""
    clr_map = master.element.find(qn("p:clrMap"))
    if clr_map is not None and clr_map.get(name):
        name = clr_map.get(name)
    name = {"tx1": "dk1", "bg1": "lt1", "tx2": "dk2", "bg2": "lt2"}.get(name, name)
    scheme = _theme_scheme(master)
    if scheme is None:
        return None
    el = scheme.find(qn(f"a:{name}"))
    if el is None or not len(el):
        return None
    return colour_rgb(el[0], master)


def colour_rgb(el, master) -> str | None:
    """RRGGBB of a colour element (a:srgbClr, a:sysClr, a:schemeClr, a:prstClr black/white)."""
    if el is None:
        return None
    tag = etree.QName(el).localname
    if tag == "srgbClr":
        return (el.get("val") or "").upper() or None
    if tag == "sysClr":
        return (el.get("lastClr") or "").upper() or {"windowText": "000000", "window": "FFFFFF"}.get(el.get("val", ""))
    if tag == "schemeClr" and el.get("val") != "phClr":
        return scheme_rgb(master, el.get("val", ""))
    if tag == "prstClr":
        return {"black": "000000", "white": "FFFFFF"}.get(el.get("val", ""))
    return None


def solid_rgb(parent, master) -> str | None:
    """RRGGBB of the a:solidFill child of `parent` (None: no solid fill, or not resolvable)."""
    if parent is None:
        return None
    fill = parent.find(qn("a:solidFill"))
    return colour_rgb(fill[0], master) if fill is not None and len(fill) else None


def text_rgb(chain, master, default: str = "tx1") -> str | None:
    """RRGGBB of text whose run properties are looked up along `chain` (a:defRPr / a:rPr elements, nearest
    first, None allowed): the first that sets a solid fill, else the `default` scheme colour (PowerPoint's
    text colour is tx1 unless a style says otherwise)."""
    for rpr in chain:
        if rpr is not None and rpr.find(qn("a:solidFill")) is not None:
            return solid_rgb(rpr, master)
    return scheme_rgb(master, default)


def background_rgb(layout) -> str | None:
    """RRGGBB of the solid background (p:bg) a slide on `layout` shows: the layout's own, else its master's
    (None: a picture, gradient or pattern background, or none)."""
    master = layout.slide_master
    for owner in (layout, master):
        bg = owner.element.find(f"{qn('p:cSld')}/{qn('p:bg')}")
        if bg is None:
            continue
        pr = bg.find(qn("p:bgPr"))
        if pr is not None:
            return solid_rgb(pr, master)
        ref = bg.find(qn("p:bgRef"))  # a theme background style with a colour: the colour, when it is solid
        if ref is not None and len(ref) and int(ref.get("idx", "0") or 0) in range(1001, 1002):
            return colour_rgb(ref[0], master)
        return None
    return None
