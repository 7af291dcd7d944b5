"""Is every box egovdeck will draw in on a template's slides inside the slide and large enough for text?

A template can be valid OOXML and still unusable: a layout whose body placeholder is zero points high, or
wider than the slide, leaves no room for a single line, and the deck would have nowhere to put the finding's
text. egovdeck checks, for each layout it uses (the cover, the dividers and the content slides):

- every placeholder it fills (the titles, the cover's subtitle and details, a divider's summary placeholder,
  the content layout's body placeholder) lies inside the slide (to within EDGE_TOLERANCE pt) and its text
  area (inside its insets) is at least MIN_TEXT_W × MIN_TEXT_H pt: one line of 18 pt text, four characters
  of it wide;
- the content area (the content layout's body placeholder clear of artwork and the template's footers,
  area.content_frame) is at least MIN_AREA_W × MIN_AREA_H pt: three lines of the 12 pt narrative, so that
  every 「（续）」 slide places some of it.

Each shortfall is a Problem at the definition's theme.template key naming the template, the layout and the
placeholder, with the fix (docs/guides/templates.md, "Placeholder sizes").
"""

from __future__ import annotations

from egovdeck.decktemplate.boxes import Box
from egovdeck.errors import Problem

EDGE_TOLERANCE = 1.0  # pt a placeholder may reach past the slide's edge (rounding in converters)
MIN_TEXT_W, MIN_TEXT_H = 72.0, 20.0  # pt inside the insets: one line of 18 pt text (pitch 1.1), 4 characters
# pt: the content area egovdeck's elements go in: three lines of the narrative at its 12 pt floor (pitch 1.3),
# about 12 characters of it wide (LibreOffice's “Piano” design, first master: 737 × 66 pt, is cramped but usable)
MIN_AREA_W, MIN_AREA_H = 160.0, 48.0

_KINDS = {"title": "title", "ctrTitle": "title", "subTitle": "subtitle", "body": "body", "obj": "content"}
_FIX = ("open the template in PowerPoint (View > Slide Master), select the layout “{layout}” and give its {kind} "
        "placeholder a position inside the slide and a size of at least {w:g} × {h:g} pt, or choose another "
        "layout for the {role} slides in theme.template_layouts")


def _inside(box: Box, width: float, height: float) -> bool:
    t = EDGE_TOLERANCE
    return box.x >= -t and box.y >= -t and box.right <= width + t and box.bottom <= height + t


def _describe(box: Box) -> str:
    return f"at ({box.x:.0f}, {box.y:.0f}) pt, {box.w:.0f} × {box.h:.0f} pt"


def placeholders_used(role) -> list:
    """The PlaceholderInfo of `role`'s layout that the deck fills with text (render/pptx/deck.py)."""
    used = [role.title] if role.title is not None else []
    if role.role == "title" and role.texts:
        sub = role.text("subTitle") or role.text()
        meta = role.text(exclude=(sub.order,))
        used += [sub] + ([meta] if meta is not None else [])
    elif role.role == "section":
        body = role.text("body", "obj")
        used += [body] if body is not None else []
    elif role.role == "content":
        body = role.text("obj", "body")
        used += [body] if body is not None else []
    return used


def geometry_problems(template, label: str, where) -> list[Problem]:
    """Problems (errors) for every box of `template` (reader.DeckTemplate) egovdeck would draw in that is
    outside the slide or too small for text; `where(*key)` locates the definition's key."""
    from egovdeck.decktemplate.area import content_frame

    width, height = template.width, template.height
    problems: list[Problem] = []
    seen: set[tuple[str, int]] = set()
    for name in ("title", "section", "content"):
        role = template.roles.get(name)
        if role is None:
            continue
        for info in placeholders_used(role):
            if (role.name, info.order) in seen:
                continue
            seen.add((role.name, info.order))
            kind = _KINDS.get(info.type, info.type)
            left, top, right, bottom = info.insets
            text_w, text_h = info.box.w - left - right, info.box.h - top - bottom
            fault = ""
            if not _inside(info.box, width, height):
                fault = f"reaches outside the {width:.0f} × {height:.0f} pt slide"
            elif text_w < MIN_TEXT_W or text_h < MIN_TEXT_H:
                fault = (f"leaves {max(text_w, 0):.0f} × {max(text_h, 0):.0f} pt for text inside its margins, less "
                         f"than one line needs ({MIN_TEXT_W:g} × {MIN_TEXT_H:g} pt)")
            if fault:
                problems.append(Problem(
                    f"the deck template {label}: the {kind} placeholder of layout “{role.name}” (used for the "
                    f"{name} slides) is {_describe(info.box)}: it {fault}", **where("theme", "template"),
                    hint=_FIX.format(layout=role.name, kind=kind, w=MIN_TEXT_W, h=MIN_TEXT_H, role=name)))
    content = template.roles.get("content")
    if not problems and content is not None:
        area, _footer_y, _above = content_frame(template)
        if not _inside(area, width, height) or area.w < MIN_AREA_W or area.h < MIN_AREA_H:
            body = content.text("obj", "body")
            what = "its body placeholder clear of the template's artwork and footers" if body else \
                "the room under its title"
            problems.append(Problem(
                f"the deck template {label}: the content area of layout “{content.name}” ({what}) is "
                f"{_describe(area)}: egovdeck needs at least {MIN_AREA_W:g} × {MIN_AREA_H:g} pt inside the slide "
                f"for charts, tables and text", **where("theme", "template"),
                hint=_FIX.format(layout=content.name, kind="body", w=MIN_AREA_W, h=MIN_AREA_H, role="content")
                + "; move bands and logos off that placeholder"))
    return problems
