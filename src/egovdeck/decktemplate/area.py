"""Where egovdeck may draw on a template's slide: the layout's content area minus the designer's artwork.

A corporate template's layouts carry artwork (bands, logos, illustrations: shapes that are not
placeholders, on the layout and, unless the layout hides them, on its master) and reserve places for
the date, footer and slide number. egovdeck's own elements (kicker, source line, slide number, charts,
tables, KPI cards) go inside the layout's body placeholder, minus every artwork shape that overlaps it.
A shape that covers the whole body placeholder is its backdrop (a card the content sits on, a full-slide
picture) and is not an obstacle.
"""

from __future__ import annotations

from egovdeck.decktemplate.boxes import FOOTER_TYPES, Box, pt
from egovdeck.ooxml import qn

EPS = 0.5  # pt: a line (zero width or height) still takes half a point; touching edges do not overlap


def shape_box(shape) -> Box | None:
    """A shape's bounding box in points (None for a shape without a position)."""
    try:
        x, y, w, h = shape.left, shape.top, shape.width, shape.height
    except (AttributeError, TypeError, ValueError):
        return None
    if x is None or y is None or w is None or h is None:
        return None
    return Box(pt(x), pt(y), max(pt(w), EPS), max(pt(h), EPS))


def artwork(layout) -> list[Box]:
    """The boxes of the layout's and (unless showMasterSp="0") its master's shapes that are not placeholders."""
    sources = [layout.shapes]
    if layout.element.get("showMasterSp") not in ("0", "false"):
        sources.append(layout.slide_master.shapes)
    boxes = []
    for shapes in sources:
        for shape in shapes:
            if shape.is_placeholder:
                continue
            box = shape_box(shape)
            if box is not None:
                boxes.append(box)
    return boxes


def reserved(layout) -> list[Box]:
    """The boxes of the layout's date, footer and slide-number placeholders: where the designer puts them."""
    out = []
    for ph in layout.placeholders:
        if ph.placeholder_format.type in FOOTER_TYPES:
            box = shape_box(ph)
            if box is not None:
                out.append(box)
    return out


def overlap(a: Box, b: Box) -> float:
    """The area (pt²) two boxes share; 0 when they only touch."""
    w = min(a.right, b.right) - max(a.x, b.x)
    h = min(a.bottom, b.bottom) - max(a.y, b.y)
    return w * h if w > 1e-6 and h > 1e-6 else 0.0


def covers(outer: Box, inner: Box) -> bool:
    return (outer.x <= inner.x + EPS and outer.y <= inner.y + EPS and outer.right >= inner.right - EPS
            and outer.bottom >= inner.bottom - EPS)


def band_under_top(ob: Box, box: Box) -> bool:
    """`ob` spans the whole width of `box` and its top edge: the band a placeholder's text is set on."""
    return ob.x <= box.x + EPS and ob.right >= box.right - EPS and ob.y <= box.y + EPS < ob.bottom


def free_box(box: Box, obstacles: list[Box], bands: bool = False) -> Box:
    """The largest of the boxes left when `box` is cut clear of each overlapping obstacle (above, below, left
    or right of it), obstacles in turn; backdrops (obstacles covering all of `box`) are ignored, and with
    `bands` (a template's own text placeholder) so is a band its text starts on (band_under_top). A box with
    nothing left is returned as a zero-height box at its top."""
    for ob in sorted(obstacles, key=lambda o: (o.y, o.x)):
        if covers(ob, box) or overlap(ob, box) <= 0 or bands and band_under_top(ob, box):
            continue
        candidates = [Box(box.x, box.y, box.w, ob.y - box.y), Box(box.x, ob.bottom, box.w, box.bottom - ob.bottom),
                      Box(box.x, box.y, ob.x - box.x, box.h), Box(ob.right, box.y, box.right - ob.right, box.h)]
        candidates = [c for c in candidates if c.w > 0 and c.h > 0]
        if not candidates:
            return Box(box.x, box.y, box.w, 0.0)
        box = max(candidates, key=lambda c: c.w * c.h)
    return box


def clear(box: Box, obstacles: list[Box]) -> bool:
    """True when `box` overlaps no obstacle (backdrops that cover it excepted)."""
    return all(covers(ob, box) or overlap(ob, box) <= 0 for ob in obstacles)


FOOTER_GAP, FOOTER_H = 14.0, 28.0  # the source line and slide number: below the content, 28 pt high
KICKER_H, KICKER_GAP = 16.0, 4.0


def apart(box: Box, others: list[Box]) -> bool:
    """True when `box` shares no area with any of `others` (the template's placeholders the deck fills: unlike
    artwork, one that covers `box` is no backdrop but text)."""
    return all(overlap(box, o) <= 0 for o in others)


def content_frame(template) -> tuple[Box, float, bool]:
    """(content area, top of the footer strip, kicker above the title?) for the template's content slides.

    The area is the content layout's body placeholder (or, without one, the room beside its title: under a
    title in the slide's upper half, else above it) clear of artwork, of the template's own footer
    placeholders and of the title placeholder (a template may set its title at the foot of the slide, under
    the body). The source line and slide number go under the area when that strip is on the slide and clear
    of all three, else inside the area's foot; the kicker (the section's name) goes just above the title when
    that is on the slide, clear of them and of the area and footer strip, else at the top of the area. So no
    box of egovdeck's meets the template's title or another of its own boxes (issue 16: a bottom title had
    the kicker drawn across the source line and the source over the title)."""
    content = template.roles["content"]
    title = content.title.box
    body = content.text("obj", "body")
    height = template.height
    obstacles = content.artwork + content.reserved
    if body:
        area = body.box
    elif title.y + title.h / 2 <= height / 2:
        area = Box(title.x, title.bottom + 14, title.w, height - title.bottom - 14)
    else:
        area = Box(title.x, 14, title.w, max(title.y - 28, 0.0))
    area = free_box(area, obstacles)
    if not apart(area, [title]):
        area = free_box(area, [title], bands=False) if not covers(title, area) else Box(area.x, area.y, area.w, 0.0)
    bottom = min(area.bottom, height - FOOTER_GAP - FOOTER_H - 2)
    strip = Box(area.x, bottom + FOOTER_GAP, area.w, FOOTER_H)
    if strip.bottom <= height - 2 and clear(strip, obstacles) and apart(strip, [title]):
        area, footer_y = Box(area.x, area.y, area.w, bottom - area.y), bottom + FOOTER_GAP
    else:
        footer_y = area.bottom - FOOTER_H
        area = Box(area.x, area.y, area.w, max(area.h - FOOTER_H - 6, 0.0))
    inner = content.title.inner
    kicker = Box(inner.x, title.y - KICKER_H, inner.w, KICKER_H)
    footer = Box(area.x, footer_y, area.w, FOOTER_H)
    above = title.y >= KICKER_H and clear(kicker, obstacles) and apart(kicker, [area, footer])
    if not above:
        area = Box(area.x, area.y + KICKER_H + KICKER_GAP, area.w, max(area.h - KICKER_H - KICKER_GAP, 0.0))
    return area, footer_y, above


def backdrop_fill(layout, box: Box) -> str | None:
    """RRGGBB of what `box`'s text is set on, at its top-left corner: the topmost artwork shape there that
    is filled (a shape without fill, such as a text box, or with a:noFill, is seen through), else the
    slide's background (the layout's or master's p:bg). Scheme colours are resolved (decktemplate.colors).
    None: a picture, gradient or pattern, or nothing known. Layout shapes are drawn over the master's, each
    list in document order."""
    from egovdeck.decktemplate.colors import background_rgb, colour_rgb, solid_rgb

    master = layout.slide_master
    shapes = list(master.shapes) if layout.element.get("showMasterSp") not in ("0", "false") else []
    shapes += list(layout.shapes)
    x, y = box.x + 1, box.y + 1
    for shape in reversed(shapes):
        b = None if shape.is_placeholder else shape_box(shape)
        if b is None or not (b.x <= x <= b.right and b.y <= y <= b.bottom):
            continue
        sp_pr = shape.element.find(qn("p:spPr"))
        if sp_pr is None or shape.element.tag != qn("p:sp"):
            return None  # a picture, group, chart ...: its colours are not known here
        if sp_pr.find(qn("a:solidFill")) is not None:
            return solid_rgb(sp_pr, master)
        if any(sp_pr.find(qn(t)) is not None for t in ("a:gradFill", "a:blipFill", "a:pattFill", "a:grpFill")):
            return None
        if sp_pr.find(qn("a:noFill")) is not None:
            continue
        ref = shape.element.find(f"{qn('p:style')}/{qn('a:fillRef')}")  # the theme's fill style, in a colour
        if ref is not None and ref.get("idx") not in (None, "0") and len(ref):
            return colour_rgb(ref[0], master)
        # no fill at all (a text box): seen through
    return background_rgb(layout)


def _luminance(rgb: str) -> float:
    def channel(v: int) -> float:
        c = v / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(rgb[i:i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two RRGGBB colours (1 to 21)."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def readable_on(colour: str, fill: str | None) -> str:
    """`colour`, or black or white (whichever contrasts more) when it is below WCAG's 3:1 for large text on
    `fill`."""
    if fill is None or contrast(colour, fill) >= 3.0:
        return colour
    return "FFFFFF" if contrast("FFFFFF", fill) >= contrast("000000", fill) else "000000"
