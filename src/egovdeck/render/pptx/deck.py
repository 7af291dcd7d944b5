"""Document -> PowerPoint deck on a template: title, agenda, section dividers, one slide per finding
(continued when text or tables do not fit), native charts, speaker notes, sources; deterministic bytes.

The slides are made from a template's layouts (egovdeck's own 16:9 template by default, or the
report's corporate .pptx/.potx): slide titles are the layouts' title placeholders, the content
area is the content layout's body placeholder. Every piece of text is fitted at build time with
the bundled font's metrics (PowerPoint only shrinks text when someone edits it): it shrinks to a
floor, then continues on a 「（续）」 slide or, for short labels, is cut with an ellipsis; every
shrink, split and cut is reported in DeckResult.fitting. Line pitch is exact (spcPts), so what we
measure is what PowerPoint and LibreOffice lay out.
"""

from __future__ import annotations

import copy
import datetime as dt
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Emu, Pt

from egovdeck import __version__
from egovdeck.charts.deckroom import plot_size, side_legend_width
from egovdeck.charts.labelplan import deck_chart_theme
from egovdeck.charts.native import PartCache, add_native_chart
from egovdeck.charts.splitbars import (
    WRAP_SHARE,
    SharedBars,
    name_lines,
    part_plot,
    plot_height,
    row_pitch,
    shared_bars,
    wrapped_names,
)
from egovdeck.compat.pptx_internals import cell_element, paragraph_element, text_frame_element
from egovdeck.decktemplate.area import KICKER_H, backdrop_fill, content_frame, contrast, free_box, readable_on
from egovdeck.decktemplate.reader import Box, DeckTemplate, PlaceholderInfo, RoleLayout, TemplateRef
from egovdeck.document.chart import ChartData
from egovdeck.document.report import (
    Document,
    FindingDoc,
    KPIData,
    TableData,
    caption_numbers,
    dataset_entries,
    join_sources,
)
from egovdeck.document.theme import Theme
from egovdeck.errors import EgovError, Problem
from egovdeck.ooxml import package_zip, qn, set_alt_text, set_run_font
from egovdeck.render.pptx.linebreaks import mark_breaks
from egovdeck.render.pptx.numbergap import tighten_numbers
from egovdeck.render.pptx.strictxml import conform
from egovdeck.text.fonts import FontSet
from egovdeck.text.substitute import portable_metrics
from egovdeck.text.tablewidth import split_unit
from egovdeck.text.textfit import (
    balanced,
    fit,
    links,
    note_text,
    split_point,
    viewer_may_cut,
    widest_piece,
    wrap,
    wrap_label,
    wrap_spans,
)
from egovdeck.text.textfit import paragraphs as source_paragraphs

BODY_SIZE, BODY_FLOOR = 16.0, 12.0
LINE_SPACING = 1.3  # line pitch as a multiple of the font size (written as exact points)
LABEL_SPACING = 1.2
TITLE_SPACING = 1.1
TABLE_ROW_H = 22.0
TABLE_SIZE, TABLE_FLOOR = 11.0, 8.0
TABLE_ROWS = 2  # rows a table slide holds at least when the rows can be spread (the brief's orphan/widow rule)
TABLE_SMALLEST_GROWN = 12.0  # a table that fits one slide grows from TABLE_SIZE up to the body size (see _grown)
# a table of at most SHORT_ROWS rows is a display, not a list: it grows up to SHORT_SIZES[0] pt (a 2-row table
# used the top quarter of its slide at 11 pt)
SHORT_ROWS, SHORT_SIZES = 3, (20.0, 18.0, 16.0)
# a table's rows grow up to ROW_STRETCH times their comfortable height to use the slide's height (a 5-row table at
# 14 pt, rows at most 1.6 times, used 52 % of its slot); below the body size, as far as the room goes (_fill)
ROW_STRETCH = 2.2
CELL_MARGIN_X, CELL_MARGIN_Y = 4.0, 2.0
# a cell's side margin grows with its text beyond CELL_MARGIN_X: CELL_MARGIN_EM of the font size (two neighbouring
# cells' texts then stay more than half an em apart, read as two: at 16 pt, 4 pt margins put a missing value's
# 「—」 and the next cell's text 7.9 pt apart, one run to a reader)
CELL_MARGIN_EM = 0.28


def cell_margin_x(size: float) -> float:
    """The left and right margin (pt) of a table cell set at `size` pt: CELL_MARGIN_X, or CELL_MARGIN_EM × size
    when larger (from 14.3 pt up)."""
    return max(CELL_MARGIN_X, CELL_MARGIN_EM * size)
# the agenda: entries at AGENDA_SIZE pt down to AGENDA_FLOOR pt (read from across a room), lines AGENDA_SPACING
# × size apart, AGENDA_GAP × size between entries; two columns AGENDA_COLUMN_GAP pt apart
AGENDA_SIZE, AGENDA_FLOOR, AGENDA_SPACING, AGENDA_GAP, AGENDA_COLUMN_GAP = 22.0, 14.0, 1.2, 0.6, 24.0
MIN_KPI_WIDTH = 110.0  # pt: KPI cards narrower than this wrap to another row inside the slot's box
MEASURE_SLACK = 0.97  # measure a little narrower than the box: PowerPoint's wrapping may differ slightly


# Slide rankings: category labels never below SLIDE_MIN_LABEL pt; a row needs ROW_PER_PT × the label size,
# and the plot takes about NATIVE_PLOT_SHARE of the chart frame's height (the value axis and its labels
# take the rest); columns of a split ranking are at least MIN_PART_W pt wide, RANKING_GAP apart.
SLIDE_MIN_LABEL = 9.0
# KPI cards: the value at KPI_SIZE pt (down to KPI_FLOOR), in a box KPI_PITCH × its size high at least
KPI_SIZE, KPI_FLOOR, KPI_PITCH = 34.0, 16.0, 1.3
KPI_VALUE_MIN = 11.0  # a value wider than its card at KPI_FLOOR goes down to this before it is cut (warned)
# and its label at KPI_LABEL_SIZE pt, wrapped to at most KPI_LABEL_LINES lines, down to KPI_LABEL_FLOOR pt
KPI_LABEL_SIZE, KPI_LABEL_FLOOR, KPI_LABEL_LINES = 14.0, 10.0, 2
KPI_CHANGE_SIZE, KPI_CHANGE_FLOOR, KPI_CHANGE_LINES = 12.0, 9.0, 2  # pt, lines: a KPI's change line, one size per slot


def _change_h(kpis, size: float, lines: int = 1) -> float:
    """pt a KPI card gives its change lines (`lines` at `size`: 1.5 × its size for the first, LABEL_SPACING × it
    for each more, and a 4 pt gap above): 0 when none of `kpis` has one (18 + 4 at 12 pt on one line)."""
    return size * (1.5 + LABEL_SPACING * (lines - 1)) + 4 if any(k.change for k in kpis) else 0.0
ROW_PER_PT = 1.45
NATIVE_PLOT_SHARE = 0.82
MIN_PART_W = 200.0
RANKING_GAP = 16.0
# A bar chart of more rows than this is drawn in the plot box its rows were counted for (charts/splitbars):
# left to lay itself out LibreOffice took more of the frame for margins and hid every other of 20 names
SHARED_ROWS = 12
# Category labels under columns and lines: the plot takes at least PLOT_W_SHARE of the chart frame's width
# (PLOT_W_SHARE_2 with a secondary axis; LibreOffice 25.2 gives the bundled deck's charts 0.83), and a
# label must fit CATEGORY_FILL of its category's width: wider, LibreOffice breaks it over two lines.
PLOT_W_SHARE, PLOT_W_SHARE_2 = 0.80, 0.70
CATEGORY_FILL = 0.90
# ems of its category (deckroom.plot_size's plot) a name turned by 45° needs, or LibreOffice 25.2 names every
# k-th one: more than 2.01 (30 names at 9 pt in 6.0 pt slots: every fourth, not every third), at most 2.09
# (26 in 18.8 pt: every one); the prediction of the plot's width must hold within about 2 %
TURNED_EM = 2.05


# a:pPr@algn of a template's placeholder paragraph (ST_TextAlignType)
_ALIGN = {"l": PP_ALIGN.LEFT, "ctr": PP_ALIGN.CENTER, "r": PP_ALIGN.RIGHT, "just": PP_ALIGN.JUSTIFY,
          "dist": PP_ALIGN.DISTRIBUTE}


_PERIOD = re.compile(r"\s*(\d{4}|Q[1-4]\b)")  # a category that names a period (see Deck._as_ranking)


SOURCE_WORD = re.compile(r"^\s*(?:资料|数据)?来源\s*[：:]\s*")  # a source line's own label
LOGO_SHARE = 0.13  # the logo's height on the deck's cover, of the slide's height (the brief's: 30 mm of 297)
LOGO_MARGIN = 0.04  # its distance from the slide's edges, of the slide's shorter side
LOGO_PLATE = 0.12  # the white plate's margin around a logo set on a dark backdrop, of the logo's height


def _light(fill: str | None) -> bool:
    """A backdrop black text reads better on than white (None, unknown: taken as light, the slide's paper)."""
    return fill is None or contrast("000000", fill) >= contrast("FFFFFF", fill)


@dataclass
class DeckResult:
    slides: int = 0
    charts: int = 0  # native charts and timelines drawn
    fitting: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # charts that could not be made readable
    font_parts: list[int] = field(default_factory=list)  # bytes of each embedded font part (regular, bold)


def E(pt: float) -> Emu:
    return Emu(int(round(pt * 12700)))


def _cut(text: str, lines: list[str], k: int) -> tuple[str, str]:
    """text cut after the first k of its wrapped lines (wrap drops the spaces at line ends), or, when it
    goes on past them, earlier at the end of a sentence or clause (textfit.split_point, as a paragraph
    continued on the next slide): a cell continued on the next slide never ends inside a word
    (「较上次抽查提」 / 「高2.4个百分点」)."""
    pos = 0
    for line in lines[:k]:
        at = text.find(line, pos)
        pos = at + len(line) if at >= 0 else min(len(text), pos + len(line))
    if text[pos:].strip():
        pos = split_point(text, pos) or pos
    return text[:pos], text[pos:].lstrip()


def _rows(chart: ChartData, rows: slice, length: int = 0) -> ChartData:
    """`chart` with the categories (and their values and colours) in `rows`, followed by empty rows (an
    empty name, no value) up to `length`."""
    names = chart.categories[rows]
    short = max(0, length - len(names))
    series = tuple(replace(s, values=s.values[rows] + (None,) * short,
                           point_colors=s.point_colors[rows] + (("",) * short if s.point_colors else ()))
                   for s in chart.series)
    start, stop = rows.start or 0, rows.stop if rows.stop is not None else len(chart.categories)
    return replace(chart, categories=names + ("",) * short, series=series,
                   shown_labels=chart.labels_in(start, stop), inside_labels=chart.inside_in(start, stop))


def _short(text: str, n: int = 24) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


class Deck:
    def __init__(self, doc: Document, fonts: FontSet, theme: Theme, template: DeckTemplate):
        self.doc, self.fonts, self.theme, self.tpl = doc, fonts, theme, template
        self.prs = template.prs
        _remember_partnames(self.prs.part.package)
        self.W, self.H = template.width, template.height
        # measured for the font or a substitute, whichever is wider (egovdeck.text.substitute): the deck's text
        # fits where its typeface is missing too
        self.metrics = portable_metrics(fonts.regular)
        self.bold_metrics = portable_metrics(fonts.bold, bold=True)
        self.result = DeckResult()
        self._where = ""  # the definition key of the finding being laid out (build errors name it)
        # chart text is read from across a room: larger than in the printed brief
        self.slide_theme = replace(theme, chart_label_size=12.0, chart_tick_size=11.0, chart_legend_size=11.0)
        self.date_time = dt.datetime(doc.date.year, doc.date.month, doc.date.day)
        self.chart_cache: PartCache | None = None  # finished native chart parts, by content
        self.font_cache: PartCache | None = None  # font subsets, by font content and characters
        self.numbers = caption_numbers(doc)  # 图N/表N as in the PDF
        self._recoloured: set[tuple[str, str]] = set()  # (what, layout) whose colour placeholder() changed
        self._notes_proto = None  # (a fresh notes page, the notes master part): see _notes_slide
        # egovdeck's elements stay in the content area, clear of the template's artwork (render/pptx/templatearea)
        self.area, self.footer_y, self.kicker_above = content_frame(template)
        # narrative text: a corporate template's body size when it asks for smaller text than ours (a larger
        # one would push findings onto continuation slides), in its body colour
        body = template.roles["content"].text("obj", "body")
        own = body is not None and not template.builtin
        self.body_size = min(BODY_SIZE, max(body.size, BODY_FLOOR)) if own else BODY_SIZE
        self.body_color = body.shown_color if own else None
        if not template.builtin:
            self._set_theme_fonts()

    # ------------------------------------------------------------------ primitives

    def _set_theme_fonts(self) -> None:
        """A user's theme keeps its fonts; an empty East Asian typeface gets ours, so typed Chinese is correct."""
        from lxml import etree

        done = set()
        for master in self.prs.slide_masters:  # every master's theme: the slides may use any of them
            theme_part = next(r.target_part for r in master.part.rels.values() if r.reltype.endswith("/theme"))
            if id(theme_part) in done:
                continue
            done.add(id(theme_part))
            root = etree.fromstring(theme_part.blob)
            changed = False
            for font in root.iterfind(f".//{qn('a:fontScheme')}/*"):
                el = font.find(qn("a:ea"))
                if el is None:
                    el = etree.SubElement(font, qn("a:ea"))
                    font.find(qn("a:latin")).addnext(el)
                if not el.get("typeface"):
                    el.set("typeface", self.fonts.family)
                    changed = True
            if changed:
                theme_part.blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    def note(self, message: str) -> None:
        self.result.fitting.append(f"slide {self.result.slides}: {message}")

    def slide(self, role: str = "content"):
        layout = (self.tpl.roles.get(role) or self.tpl.roles["content"]).layout
        s = self.prs.slides.add_slide(layout)
        self.result.slides += 1
        return s

    def fit_paragraphs(self, what: str, paragraphs: list[str], w: float, h: float, size: float,
                       floor: float | None = None, bold: bool = False, spacing: float = LABEL_SPACING,
                       para_gap: float = 0.5, keep_rest: bool = False, warn_cut: bool = True):
        """Fit paragraphs into w x h: shrink to floor; the rest is returned (keep_rest) or cut with “…”: a
        counted warning (every text a slide shows is text a reader needs: a timeline's stage text, a chart's
        caption were cut with only a `fit:` note), or with warn_cut=False a `fit:` note."""
        floor = size if floor is None else min(floor, size)
        m = self.bold_metrics if bold else self.metrics
        width = w * MEASURE_SLACK
        f = fit(paragraphs, width, h, m, size, floor, spacing, para_gap)
        if f.rest and keep_rest and f.size < size:
            # it continues on a 「（续）」 slide either way: at the size it starts at, not shrunk to the floor on
            # this slide and back to full size on the next (a new user's 12 pt slide crammed, then 16 pt half empty)
            f = fit(paragraphs, width, h, m, size, size, spacing, para_gap)
        if f.size < size:
            self.note(f"{what} shrunk from {size:g} to {f.size:g} pt: {_short(''.join(paragraphs))}")
        # each paragraph as its source text (PowerPoint wraps it): joining the wrapped lines would lose the
        # spaces the breaker dropped at line ends ("reached many" -> "reachedmany")
        texts = list(f.texts if f.texts is not None else ("".join(p) for p in f.paragraphs))
        if f.rest and not keep_rest:
            if texts and f.paragraphs and f.paragraphs[-1]:
                last = f.paragraphs[-1][-1]
                while last and m.width(last + "…", f.size) > width:
                    last = last[:-1]
                head = texts[-1][:texts[-1].rindex(f.paragraphs[-1][-1])] if f.paragraphs[-1][-1] else texts[-1]
                texts[-1] = head + last + "…"
                self._lost(f"{what} cut at {f.size:g} pt (too long for its box): {_short(''.join(paragraphs))}",
                           warn_cut)
            else:
                self._lost(f"{what} left out (box too small): {_short(''.join(paragraphs))}", warn_cut)
        return texts, f.size, f.rest

    def _lost(self, message: str, warn: bool) -> None:
        if warn:
            self.result.warnings.append(f"slide {self.result.slides}: {message}: shorten it")
        else:
            self.note(message)

    def _write(self, tf, paragraphs: list[str], sizes: list[float], bold: bool | list[bool], color: str | None,
               align=None, spacing: float = LABEL_SPACING, para_gap: float = 0.5, flat: bool = False) -> None:
        bolds = bold if isinstance(bold, list) else [bold] * len(paragraphs)
        for i, text in enumerate(paragraphs):
            p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
            if align is not None:
                p.alignment = align
            size = sizes[i]
            p.line_spacing = Pt(size * spacing)
            if i:
                p.space_before = Pt(sizes[i - 1] * para_gap)
            if flat:  # a placeholder: no bullets or indents from the template's list styles
                ppr = paragraph_element(p).get_or_add_pPr()
                ppr.set("marL", "0")
                ppr.set("indent", "0")
                if ppr.find(qn("a:buNone")) is None:  # after lnSpc/spcBef, the only children so far
                    ppr.append(ppr.makeelement(qn("a:buNone"), {}))
            run = p.add_run()
            run.text = text
            set_run_font(run, self.fonts.family, self.doc.language, size, bolds[i], color)

    @staticmethod
    def _frame(tf, insets=(0.0, 0.0, 0.0, 0.0), anchor=None) -> None:
        tf.word_wrap = True
        tf.auto_size = None
        body = text_frame_element(tf).bodyPr
        for tag in ("a:spAutoFit", "a:normAutofit"):
            for el in body.findall(qn(tag)):
                body.remove(el)
        if body.find(qn("a:noAutofit")) is None:
            body.append(body.makeelement(qn("a:noAutofit"), {}))
        if anchor is not None:
            tf.vertical_anchor = anchor
        for side, v in zip(("margin_left", "margin_top", "margin_right", "margin_bottom"), insets, strict=True):
            setattr(tf, side, E(v))

    def text(self, slide, x: float, y: float, w: float, h: float, paragraphs: list[str] | str, size: float,
             bold: bool = False, color: str | None = None, align=PP_ALIGN.LEFT, anchor=MSO_ANCHOR.TOP,
             spacing: float = LABEL_SPACING, name: str = "", para_gap: float = 0.5, floor: float | None = None,
             keep_rest: bool = False, what: str = "", warn_cut: bool = True):
        """A text box with its text fitted (see fit_paragraphs); returns (shape, size, rest)."""
        paras = [paragraphs] if isinstance(paragraphs, str) else list(paragraphs)
        lines, fitted, rest = self.fit_paragraphs(what or (name or "text").lower(), paras, w, h, size, floor, bold,
                                                  spacing, para_gap, keep_rest, warn_cut)
        box = slide.shapes.add_textbox(E(x), E(y), E(w), E(h))
        if name:
            box.name = name
        self._frame(box.text_frame, anchor=anchor)
        self._write(box.text_frame, lines, [fitted] * len(lines), bold,
                    self.theme.text if color is None else (color or None), align, spacing, para_gap)
        return box, fitted, rest

    def placeholder(self, slide, info: PlaceholderInfo, paragraphs: list[str], size: float, floor: float,
                    name: str, what: str, spacing: float = TITLE_SPACING, lead: tuple[str, float] | None = None,
                    para_gap: float = 0.3, keep_rest: bool = False, role: RoleLayout | None = None):
        """Fill a layout placeholder (title, subtitle ...) with fitted text; colour and alignment stay the template's.

        `lead` is an optional first paragraph at its own size (the section number). A text placeholder (not a
        title) that runs into the artwork of `role`'s layout is narrowed to its part clear of it
        (templatearea.free_box) when a line still fits there, in a colour legible on the band under it."""
        if role is not None and info.type not in ("title", "ctrTitle"):
            free = free_box(info.box, role.artwork, bands=True)
            left, top, right, bottom = info.insets
            if free != info.box and free.h - top - bottom >= floor * spacing and free.w - left - right >= 4 * floor:
                info = replace(info, box=free, explicit=True)
        if role is not None:
            # legible on the artwork or background it is set on, titles too (a template's own colour can be
            # lost in its conversion; a scheme colour, tx1, can be the master's black on the master's navy band)
            colour = info.color or info.text_rgb
            readable = colour and readable_on(colour, backdrop_fill(role.layout, info.box))
            if readable != colour and (what, role.name) not in self._recoloured:  # said once per layout
                self._recoloured.add((what, role.name))
                self.note(f"{what}: {readable} instead of {colour}, which does not contrast with the template's "
                          f"band or background (layout “{role.name}”)")
            if readable != colour:
                info = replace(info, color=readable)
        shapes = slide.shapes
        target = _placeholder_elements(slide.element.cSld.spTree)[info.order]
        ph = next(s for s in shapes if s.element is target)
        ph.name = name
        if info.explicit:
            ph.left, ph.top, ph.width, ph.height = (E(v) for v in (info.box.x, info.box.y, info.box.w, info.box.h))
        inner = info.inner
        lead_h = lead[1] * spacing + lead[1] * para_gap if lead else 0.0
        if lead and inner.h - lead_h < floor * spacing:  # no room for a line of its own: prefix it
            paragraphs, lead, lead_h = [f"{lead[0]}　{paragraphs[0]}", *paragraphs[1:]], None, 0.0
        lines, fitted, rest = self.fit_paragraphs(what, paragraphs, inner.w, inner.h - lead_h, size, floor,
                                                  info.bold, spacing, para_gap, keep_rest)
        self._frame(ph.text_frame, info.insets)
        sizes = [fitted] * len(lines)
        if lead:
            lines, sizes = [lead[0], *lines], [lead[1], *sizes]
        self._write(ph.text_frame, lines, sizes, info.bold, info.color, _ALIGN.get(info.align or ""), spacing,
                    para_gap, flat=True)
        return ph, fitted, rest

    def rect(self, slide, x, y, w, h, fill: str, shape=MSO_SHAPE.RECTANGLE):
        r = slide.shapes.add_shape(shape, E(x), E(y), E(w), E(h))
        r.fill.solid()
        r.fill.fore_color.rgb = RGBColor.from_string(fill)
        r.line.fill.background()
        r.shadow.inherit = False
        return r

    def notes(self, slide, *parts: str) -> None:
        paras = [q for p in parts if p for q in source_paragraphs(p)]
        if not paras:
            return
        tf = self._notes_slide(slide).notes_text_frame
        tf.text = ""
        for i, para in enumerate(paras):
            p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
            run = p.add_run()
            run.text = para
            set_run_font(run, self.fonts.family, self.doc.language)

    def _notes_slide(self, slide):
        """The slide's notes page. python-pptx builds each from the notes master (~3 ms); after the first,
        a copy of that first one, fresh from the master, is related to the slide instead."""
        from pptx.opc.constants import CONTENT_TYPE as CT
        from pptx.opc.constants import RELATIONSHIP_TYPE as RT
        from pptx.parts.slide import NotesSlidePart

        if self._notes_proto is None:
            notes = slide.notes_slide
            self._notes_proto = (copy.deepcopy(notes.element), notes.part.part_related_by(RT.NOTES_MASTER))
            return notes
        element, master = self._notes_proto
        package = slide.part.package
        part = NotesSlidePart(package.next_partname("/ppt/notesSlides/notesSlide%d.xml"), CT.PML_NOTES_SLIDE, package,
                              copy.deepcopy(element))
        part.relate_to(master, RT.NOTES_MASTER)
        part.relate_to(slide.part, RT.SLIDE)
        slide.part.relate_to(part, RT.NOTES_SLIDE)
        return part.notes_slide

    def title(self, slide, text: str, kicker: str = "", role: str = "content") -> None:
        info = self.tpl.roles[role].title
        size = info.size
        self.placeholder(slide, info, [text], size, min(18.0, size), "Title", "title", role=self.tpl.roles[role])
        if kicker and role == "content":  # above the title, or at the top of the content area (content_frame)
            x, y, w = ((info.inner.x, info.box.y - KICKER_H, info.inner.w) if self.kicker_above
                       else (self.area.x, self.area.y - KICKER_H - 4, self.area.w))
            self.text(slide, x, y, w, KICKER_H, kicker, 11, color=self.theme.accent, floor=9, name="Kicker")

    def footer(self, slide, source: str = "") -> None:
        y, a = self.footer_y, self.area
        if source:
            self.text(slide, a.x, y, a.w - 150, min(28.0, self.H - y - 4), source, 10, color=self.theme.muted,
                      floor=8, name="Source")
        date = f"{self.doc.date.year}年{self.doc.date.month}月"
        self.text(slide, a.right - 140, y, 140, 16, f"{date}　{self.result.slides}", 10, color=self.theme.muted,
                  align=PP_ALIGN.RIGHT, floor=8, name="Slide number")

    # ------------------------------------------------------------------ slides

    def cover(self) -> None:
        doc = self.doc
        s = self.slide("title")
        role = self.tpl.roles["title"]
        ph, fitted, _ = self.placeholder(s, role.title, [doc.title], role.title.size, min(24.0, role.title.size),
                                         "Title", "cover title", role=role)
        self._balance(ph, role.title, doc.title, fitted)
        sub = role.text("subTitle") or role.text()
        meta_ph = role.text(exclude=(sub.order,))
        author = doc.author if doc.author != doc.organisation else ""
        meta = [x for x in (doc.organisation, author, f"{doc.date.year}年{doc.date.month}月{doc.date.day}日") if x]
        if doc.edition:
            meta.insert(0, f"（{doc.edition}版）")  # as the brief prints it
        subtitle = [doc.subtitle] if doc.subtitle else []
        # each line of the subtitle and the details balanced when it wraps (no 「部」 alone on a line)
        if meta_ph is not None:
            if subtitle:
                ph, fitted, _ = self.placeholder(s, sub, subtitle, sub.size, min(14.0, sub.size), "Subtitle",
                                                 "subtitle", 1.3, role=role)
                self._balance(ph, sub, subtitle[0], fitted)
            ph, fitted, _ = self.placeholder(s, meta_ph, meta, meta_ph.size, min(12.0, meta_ph.size), "Meta",
                                             "cover details", 1.3, role=role)
            for k, line in enumerate(meta):
                self._balance(ph, meta_ph, line, fitted, k)
        else:
            ph, fitted, _ = self.placeholder(s, sub, subtitle + meta, sub.size, min(12.0, sub.size), "Subtitle",
                                             "subtitle", 1.3, role=role)
            for k, line in enumerate(subtitle + meta):
                self._balance(ph, sub, line, fitted, k)
        if doc.logo:
            self._logo(s, role)
        self.notes(s, doc.subtitle, f"本演示文稿由 egovdeck {__version__} 根据数据与报告定义生成。")

    def _logo(self, slide, role: RoleLayout) -> None:
        """The report's logo on the cover, as the brief prints it on its own: LOGO_SHARE of the slide's height
        (its aspect ratio kept), in the first corner (top right, top left, bottom right, bottom left, within
        LOGO_MARGIN of the slide's edges) clear of the layout's placeholders, its date/footer/number boxes and
        artwork; smaller (3 steps of 0.75) when none is; a warning when even the smallest finds no corner."""
        from PIL import Image

        with Image.open(self.doc.logo) as im:
            aspect = im.width / max(im.height, 1)
        taken = [ph.box for ph in (role.title, *role.texts) if ph is not None] + role.reserved + role.artwork
        margin = LOGO_MARGIN * min(self.W, self.H)
        h = LOGO_SHARE * self.H
        for _ in range(4):
            w = min(h * aspect, self.W / 3)
            hh = w / aspect
            corners = [Box(x, y, w, hh) for x, y in (
                (self.W - margin - w, margin), (margin, margin), (self.W - margin - w, self.H - margin - hh),
                (margin, self.H - margin - hh))]
            free = [c for c in corners if not any(c.x < b.right and b.x < c.right and c.y < b.bottom
                                                  and b.y < c.bottom for b in taken)]
            # a light backdrop first (a logo is made for paper; on the template's dark band it may vanish)
            free.sort(key=lambda c: not _light(backdrop_fill(role.layout, c)))
            if free:
                c = free[0]
                if not _light(backdrop_fill(role.layout, c)):  # on a white plate, as on the paper it was made for
                    pad = LOGO_PLATE * hh
                    self.rect(slide, c.x - pad, c.y - pad, w + 2 * pad, hh + 2 * pad, "FFFFFF").name = "Logo plate"
                pic = slide.shapes.add_picture(self.doc.logo, E(c.x), E(c.y), E(w), E(hh))
                pic.name = "Logo"
                return
            h *= 0.75
        self.result.warnings.append(f"slide {self.result.slides}: the logo finds no corner of the cover clear of "
                                    "its title, subtitle and details: it is left off the deck's cover")

    def _balance(self, ph, info: PlaceholderInfo, text: str, size: float, index: int = 0) -> None:
        """A display line (paragraph `index` of the placeholder) that wraps gets lines of about equal length
        (line breaks at textfit.balance's points), not one character alone on its last line."""
        m = self.bold_metrics if info.bold else self.metrics
        lines = balanced(text, info.inner.w * MEASURE_SLACK, size, m)
        paragraphs = ph.text_frame.paragraphs
        if len(lines) < 2 or index >= len(paragraphs) or len(paragraphs[index].runs) != 1 \
                or paragraphs[index].runs[0].text != text:
            return
        p = paragraphs[index]
        first = p.runs[0]
        first.text = lines[0]
        # the first run's colour: placeholder() may have made the template's legible on its band
        colour = str(first.font.color.rgb) if first.font.color.type is not None else info.color
        for line in lines[1:]:
            p.add_line_break()
            run = p.add_run()
            run.text = line
            set_run_font(run, self.fonts.family, self.doc.language, size, info.bold, colour)

    def agenda(self) -> None:
        """The sections' titles (and 数据来源), numbered, every one of them: on one slide in one column at the
        largest size from AGENDA_SIZE down to AGENDA_FLOOR pt, else in two columns, else continued on
        「目录（续）」 slides (_agenda_pages). Before, a 32-section agenda was cut after entry 15 with a
        warning to 'shorten it' that no shortening could satisfy."""
        items = [f"{i:02d}　{sec.title}" for i, sec in enumerate(self.doc.sections, start=1)]
        items.append(f"{len(items) + 1:02d}　数据来源")
        a = self.area
        x, y, h = a.x + 40, a.y + 20, a.h - 20
        one, two = min(700.0, a.w - 40), (a.w - 40 - AGENDA_COLUMN_GAP) / 2
        pages = self._agenda_pages(items, one, two, h)
        for k, (size, columns) in enumerate(pages):
            s = self.slide()
            self.title(s, "目录（续）" if k else "目录")
            w = one if len(columns) == 1 else two
            for c, column in enumerate(columns):
                # an entry taller than a whole column is cut (warned): shortening that section's title is the fix
                self.text(s, x + c * (w + AGENDA_COLUMN_GAP), y, w, h, column, size, spacing=AGENDA_SPACING,
                          para_gap=AGENDA_GAP, floor=size, name="Agenda", what="agenda entry (its section title)")
            self.footer(s)
            if k == 0:
                self.notes(s, "本简报包括：" + "；".join(sec.title for sec in self.doc.sections) + "。")
            else:
                self.notes(s, "目录（续）。")
        if len(pages) > 1:
            self.note(f"agenda of {len(items)} entries continued on {len(pages) - 1} 「目录（续）」 slide(s)")
        elif len(pages[0][1]) > 1:
            self.note(f"agenda of {len(items)} entries in two columns at {pages[0][0]:g} pt")

    def _agenda_pages(self, items: list[str], one: float, two: float, h: float
                      ) -> list[tuple[float, list[list[str]]]]:
        """The agenda's slides as (size in pt, columns of entries): one slide, one column `one` pt wide at the
        largest size in AGENDA_SIZE .. AGENDA_FLOOR (1 pt steps) where every entry fits the column's h pt;
        else the fewest slides, then the largest size, then one column before two (`two` pt wide each). An
        entry is never split; the columns of the choice are balanced (the least height that keeps their count).
        Heights as textfit.fit measures them (lines × size × AGENDA_SPACING, AGENDA_GAP × size between entries)."""
        def pack(heights: list[float], gap: float, limit: float) -> list[list[int]]:
            cols: list[list[int]] = [[]]
            used = 0.0
            for i, eh in enumerate(heights):
                need = eh + (gap if cols[-1] else 0.0)
                if cols[-1] and used + need > limit:
                    cols.append([])
                    used, need = 0.0, eh
                cols[-1].append(i)
                used += need
            return cols

        best: tuple | None = None
        sizes = [AGENDA_SIZE - k for k in range(int(AGENDA_SIZE - AGENDA_FLOOR) + 1)]
        for ncols, w in ((1, one), (2, two)):
            for size in sizes:
                heights = [len(wrap(item, w * MEASURE_SLACK, size, self.metrics)) * size * AGENDA_SPACING
                           for item in items]
                cols = pack(heights, size * AGENDA_GAP, h)
                pages = -(-len(cols) // ncols)
                key = (pages > 1 or ncols > 1, pages, -size, ncols)
                if best is None or key < best[0]:
                    best = (key, size, ncols, heights)
        assert best is not None
        _key, size, ncols, heights = best
        count = len(pack(heights, size * AGENDA_GAP, h))
        lo, hi = sum(heights) / count, h
        for _ in range(24):  # the least column height that keeps the count: balanced columns
            mid = (lo + hi) / 2
            lo, hi = (lo, mid) if len(pack(heights, size * AGENDA_GAP, mid)) <= count else (mid, hi)
        cols = pack(heights, size * AGENDA_GAP, hi)
        columns = [[items[i] for i in col] for col in cols]
        return [(size, columns[k:k + ncols]) for k in range(0, len(columns), ncols)]

    def divider(self, index: int, title: str, summary: str) -> None:
        s = self.slide("section")
        role = self.tpl.roles["section"]
        info = role.title
        self.placeholder(s, info, [title], info.size, min(20.0, info.size), "Title", "section title",
                         lead=(f"{index:02d}", round(info.size * 2.1)), role=role)
        if summary:
            body = role.text("body", "obj")
            if body is not None:
                self.placeholder(s, body, [summary], body.size, min(12.0, body.size), "Summary", "section summary",
                                 1.3, role=role)
            else:
                top = info.box.bottom + 10
                room = free_box(Box(info.box.x, top, info.box.w, max(self.H - 40 - top, 20)), role.artwork, bands=True)
                colour = readable_on(info.color or self.theme.text, backdrop_fill(role.layout, room))
                self.text(s, room.x, room.y, room.w, max(room.h, 20), summary, 18, color=colour,
                          spacing=1.3, floor=12, name="Summary", what="section summary")
        self.notes(s, f"第{index}部分：{title}。", summary)

    def finding(self, f: FindingDoc, section_title: str) -> None:
        regions = f.layout.slide
        a = self.area

        def box(slot: str) -> tuple[float, float, float, float]:
            x, y, w, h = regions[slot]
            return a.x + x * a.w, a.y + y * a.h, w * a.w, h * a.h

        s = self.slide()
        self._where = f"findings.{f.id}"  # the definition key a build error about this finding's slide names
        self.title(s, f.title, section_title)
        sources: list[str] = []
        notes_numbers: list[str] = []
        tables: list[tuple[TableData, tuple[float, float, float, float]]] = []
        more: list[ChartData] = []  # the rows of rankings that did not fit their slot
        for slot, block in f.blocks.items():
            if slot not in regions:
                continue
            x, y, w, h = box(slot)
            if isinstance(block, ChartData):
                rest_rows = self.chart(s, block, x, y, w, h)
                if rest_rows is not None:
                    more.append(rest_rows)
                if block.source:
                    sources.append(block.source)
                notes_numbers.append(block.alt_text)
            elif isinstance(block, TableData):
                tables.append((block, (x, y, w, h)))
                if block.source:
                    sources.append(block.source)
            else:
                self.kpis(s, block, x, y, w, h)
                if f.kpi_source:
                    sources.append(f.kpi_source)
                notes_numbers.append("；".join(f"{k.label}：{k.value}" + (f"（{k.change}）" if k.change else "")
                                              for k in block))
        rest: list[str] = []
        if "text" in regions and f.text:
            x, y, w, h = box("text")
            rest = self.narrative(s, f.text, x, y, w, h)
        self.footer(s, join_sources(sources))
        self.notes(s, f.text, f.notes, "关键数据：" + "　".join(notes_numbers) if notes_numbers else "")
        for table, geom in tables:
            self.table(s, table, geom, f, section_title)
        for ranking in more:
            self.ranking_continued(ranking, f, section_title)
        while rest:
            s = self.slide()
            self.title(s, f"{f.title}（续）", section_title)
            self.note(f"narrative of “{_short(f.title)}” continued on a new slide")
            before, rest = rest, self.narrative(s, "\n\n".join(rest), a.x, a.y, a.w, a.h, floor=self.body_size)
            self._progress(before, rest, f"the narrative of finding “{f.id}”", ("findings", f.id, "text"))
            self.footer(s, join_sources(sources))
            self.notes(s, f.text)

    def narrative(self, slide, text: str, x: float, y: float, w: float, h: float,
                  floor: float = BODY_FLOOR) -> list[str]:
        """The finding's text in its box, shrunk down to `floor`; what does not fit is returned. A continued
        narrative keeps the body size on every slide (fit_paragraphs; the 「（续）」 slides with floor=body size)."""
        _box, _size, rest = self.text(slide, x, y, w, h, source_paragraphs(text), self.body_size, floor=floor,
                                      color=self.body_color,
                                      spacing=LINE_SPACING, keep_rest=True, name="Narrative", what="narrative")
        return rest

    def ranking_continued(self, chart: ChartData, f: FindingDoc, section_title: str) -> None:
        """The rows of a ranking that did not fit its slot, on slides of their own (the whole content area),
        titled 「…（续）」, its caption 「图N（续）」."""
        a = self.area
        while chart is not None:
            s = self.slide()
            self.title(s, f"{f.title}（续）", section_title)
            self.note(f"ranking “{_short(chart.title)}” continued on a new slide")
            left = self.chart(s, chart, a.x, a.y, a.w, a.h, continued=True)
            self.footer(s, chart.source)
            self.notes(s, "", "", chart.alt_text)
            chart = left

    def chart(self, slide, chart: ChartData, x: float, y: float, w: float, h: float,
              continued: bool = False) -> ChartData | None:
        """Draw `chart` in the box (pt); returns the rows of a ranking that do not fit it readably (drawn on
        a following slide by ranking_continued), or None."""
        cap = self.caption_height(chart, w, continued)
        if not continued:
            self.result.charts += 1
        self.text(slide, x, y, w, cap, self._caption(chart, continued), CAPTION_SIZE, bold=True,
                  floor=CAPTION_FLOOR, name="Chart title")
        note_h = self._note_height(chart, w, h)
        if chart.note:  # under the chart or timeline, as the brief prints it
            self.text(slide, x, y + h - note_h, w, note_h, note_text(chart.note), 9, color=self.theme.muted,
                      spacing=1.25, floor=8, name="Chart note")
        if chart.kind == "timeline":
            self.timeline(slide, chart, x, y + cap + 6, w, h - cap - 6 - note_h)
            return None
        frames, left = self.chart_frames(chart, w, h - cap - note_h)
        for k, (_start, part, pw, ch, theme, turn, shared) in enumerate(frames):
            add_native_chart(slide, part, E(x + k * (pw + RANKING_GAP)), E(y + cap), E(pw), E(ch),
                             theme, self.date_time, cache=self.chart_cache, turn_categories=turn, shared=shared)
        return left

    def _caption(self, chart: ChartData, continued: bool = False) -> str:
        """「图N　title」 (「图N（续）　title」 on a ranking's continuation slide), the number as in the PDF."""
        number = self.numbers.get(chart.id, "") + ("（续）" if continued else "")
        return f"{number}\u3000{chart.title}" if number else chart.title

    def caption_height(self, chart: ChartData, w: float, continued: bool = False) -> float:
        """The height (pt) a chart's caption takes above it in a slot w pt wide: CHART_CAPTION for one line at
        CAPTION_SIZE, one line more when it wraps (the brief gives a long caption its second line too; the
        chart gets the less height). Beyond two lines it shrinks to CAPTION_FLOOR, then is cut with a warning
        (fit_paragraphs)."""
        lines = self._lines(self._caption(chart, continued), w, CAPTION_SIZE, bold=True)
        return CHART_CAPTION + (CAPTION_SIZE * LABEL_SPACING if lines > 1 else 0.0)

    def chart_frames(self, chart: ChartData, w: float, ch: float
                     ) -> tuple[list[tuple[int, ChartData, float, float, Theme, bool, SharedBars | None]], ChartData | None]:
        """The native charts a chart is drawn as in a frame of w × ch pt (under its caption, above its note):
        (first category, chart or part of a split ranking, width, height, theme, turned category labels, the
        parts' shared range and plot box), and the rows of a ranking left for a following slide (or None)."""
        whole = self._as_ranking(chart, w)
        parts, left = self._ranking_parts(whole, w, ch)
        pw = (w - RANKING_GAP * (len(parts) - 1)) / len(parts)
        shared = None
        if whole.kind == "bar" and (len(parts) > 1 or len(parts[0].categories) > SHARED_ROWS or max(
                (self.metrics.width(c, SLIDE_MIN_LABEL) for c in whole.categories), default=0) > WRAP_SHARE * pw):
            # one value range, tick size, name column and plot box for all; the names wrapped; a long ranking's
            # plot box where _ranking_parts counted its rows (charts/splitbars)
            parts, shared = shared_bars(whole, parts, pw, ch, self.slide_theme)
        out, start = [], 0
        for part in parts:
            theme, turn = self._tick_theme(part, pw)
            step = self._category_step(part, pw, ch, theme)
            if step > part.category_step:  # the viewer thins them by itself: decided with the PDF's (engine.labels)
                part = replace(part, category_step=step)
            out.append((start, part, pw, ch, theme, turn, shared))
            start += len([c for c in part.categories if c])
        return out, left

    def _note_height(self, chart: ChartData, w: float, h: float) -> float:
        """The height (pt) of a chart's note under it in a slot w × h pt (0 without one)."""
        return self._note_lines_height(note_text(chart.note) if chart.note else "", w, h)

    def line_chart_frames(self) -> dict[str, tuple[float, float, Theme]]:
        """chart id -> (width, height, slide theme) of the native chart frame each line or combo chart gets
        (as `finding` and `chart` place it), without drawing anything: the line labels are decided for
        these frames and the PDF's together (egovdeck.charts.linelabels)."""
        out: dict[str, tuple[float, float, Theme]] = {}
        a = self.area
        for section in self.doc.sections:
            for f in section.findings:
                for slot, block in f.blocks.items():
                    if slot not in f.layout.slide or not isinstance(block, ChartData) \
                            or block.kind not in ("line", "combo"):
                        continue
                    _x, _y, w, h = f.layout.slide[slot]
                    w, h = w * a.w, h * a.h
                    theme, _turn = self._tick_theme(block, w)
                    out[block.id] = (w, h - self.caption_height(block, w) - self._note_height(block, w, h), theme)
        return out

    def _category_room(self, chart: ChartData, w: float) -> float:
        """The width (pt) a category name under a column or a line point may take on a slide: its category's
        share of the plot (PLOT_W_SHARE of the frame, PLOT_W_SHARE_2 with a secondary axis, less a legend
        beside the plot: deckroom.side_legend_width; at most deckroom.plot_size's plot) × CATEGORY_FILL."""
        share = PLOT_W_SHARE_2 if any(s.secondary for s in chart.series) else PLOT_W_SHARE
        # a narrow frame's axes take more than their share: the plot is never wider than deckroom.plot_size
        # predicts (its tick labels and unit titles have fixed widths; a combo of 346 pt with 「亿人」 and 「%」
        # beside its two axes had a plot of 210 pt, not 70 % of the frame, and 「2016年12月」 wrapped)
        plot = min((w - side_legend_width(chart, w, self.slide_theme)) * share,
                   plot_size(chart, w, 0.0, self.slide_theme)[0])
        return max(plot, 0.0) / max(len(chart.categories), 1) * CATEGORY_FILL

    def _as_ranking(self, chart: ChartData, w: float) -> ChartData:
        """A column chart whose widest category name does not fit its category flat, on one line, at
        SLIDE_MIN_LABEL pt, drawn on the slide as horizontal bars in the same order, top-down (a ranking
        reads top-down; the names then stand beside their rows, every one whole, and a long ranking is split
        into columns by _ranking_parts). Left alone, LibreOffice and PowerPoint decide by themselves to break,
        turn or thin such names (40 long names: every other one shown). The PDF keeps its columns and draws
        every name (egovdeck.charts.plan.labels); both show the same names and values. A time axis (every
        category starts with a year or a quarter: 2024-01, 2019年12月, Q1 2024) keeps its columns: its labels
        are turned instead."""
        if chart.kind != "column" or len(chart.categories) < 2:
            return chart
        if all(_PERIOD.match(c) for c in chart.categories):
            return chart  # periods: an axis read left to right, whose labels _tick_theme turns
        widest = max(chart.categories, key=lambda c: self.metrics.width(c, 1.0))
        if self.metrics.width(widest, SLIDE_MIN_LABEL) <= self._category_room(chart, w):
            return chart
        self.note(f"chart “{_short(chart.title)}”: the category label “{_short(widest)}” does not fit under its "
                  f"column at {SLIDE_MIN_LABEL:g} pt: drawn as horizontal bars")
        return replace(chart, kind="bar")

    def _category_step(self, chart: ChartData, w: float, h: float, theme: Theme) -> int:
        """Every how many categories PowerPoint and LibreOffice name one under a vertical chart of w × h pt
        (theme: _tick_theme's): 1 when the widest name fits its category flat; turned by 45° a name needs
        TURNED_EM of its category on the plot deckroom.plot_size predicts, else every k-th from the first is
        named. LibreOffice 25.2 ignores c:tickLblSkip and thins turned names by itself, from the first,
        where they would touch; the deck writes c:tickLblSkip k for PowerPoint, and the PDF names the same
        ones (ChartData.category_step, decided in engine.labels)."""
        if chart.kind not in ("column", "line", "combo") or len(chart.categories) < 2:
            return 1
        size = theme.chart_tick_size
        if max(self.metrics.width(c, size) for c in chart.categories) <= self._category_room(chart, w):
            return 1
        slot = plot_size(chart, w, h, theme)[0] / len(chart.categories)
        return max(1, math.ceil(TURNED_EM * size / slot - 1e-9)) if slot > 0 else len(chart.categories)

    def _tick_theme(self, chart: ChartData, w: float) -> tuple[Theme, bool]:
        """The slide theme with the category labels under columns and lines at a size at which the widest
        one fits its category on one line in the font or a substitute (PLOT_W_SHARE, CATEGORY_FILL), down to
        SLIDE_MIN_LABEL pt (a warning below that); PowerPoint and LibreOffice break a label that does not.

        And whether the labels are turned by 45° instead: when a label that does not fit would be broken
        where the label rule never breaks (textfit.viewer_may_cut: 「2024-」 over 「01」, 「2019年12」 over
        「月31日」), or has a number or word wider than its category that no break can help."""
        theme = self.slide_theme
        if chart.kind not in ("column", "line", "combo") or not chart.categories:
            return theme, False
        room = self._category_room(chart, w)
        size = theme.chart_tick_size
        widest = max(chart.categories, key=lambda c: self.metrics.width(c, 1.0))
        while size > SLIDE_MIN_LABEL and self.metrics.width(widest, size) > room:
            size -= 0.5
        long = [c for c in chart.categories if self.metrics.width(c, size) > room]
        turn = any(viewer_may_cut(c) or widest_piece(c, size, self.metrics) > room for c in long)
        if turn:
            self.note(f"chart “{_short(chart.title)}”: category labels turned by 45° so that no number, date "
                      f"or word of “{long[0]}” is broken")
        if self.metrics.width(widest, size) > room:
            # turned by 45° (LibreOffice) a label needs about 2 em of its slot (one line over sin 45°, and the gap
            # it keeps: 40 labels at 9 pt in 17.8 pt slots were thinned); less, and PowerPoint and LibreOffice
            # show only every other category name (a thinned axis, said here, never silent)
            thinned = room / CATEGORY_FILL < size * 2.0
            if thinned:
                self.result.warnings.append(
                    f"slide {self.result.slides}: chart “{_short(chart.title)}”: {len(chart.categories)} category "
                    f"labels such as “{widest}” in {room:.0f} pt each at {SLIDE_MIN_LABEL:g} pt"
                    + (", turned by 45°," if turn else "") + " may be too many to name each one: PowerPoint and "
                    "LibreOffice may show only some of them: shorten the labels or show fewer")
            elif not turn:  # turned, every label keeps its numbers and words whole (the note above says so)
                self.result.warnings.append(
                    f"slide {self.result.slides}: chart “{_short(chart.title)}”: the category label “{widest}” does "
                    f"not fit its {room:.0f} pt at {SLIDE_MIN_LABEL:g} pt and wraps to more lines under the plot: "
                    "shorten the labels or show fewer")
        elif size < theme.chart_tick_size:
            self.note(f"chart “{_short(chart.title)}”: category labels at {size:g} pt so “{widest}” stays on one line")
        return (replace(theme, chart_tick_size=size) if size < theme.chart_tick_size else theme), turn

    def _ranking_parts(self, chart: ChartData, w: float, h: float) -> tuple[list[ChartData], ChartData | None]:
        """(parts, rest): a horizontal bar chart split into side-by-side charts of consecutive categories
        (drawn on one value range and plot box, charts/splitbars) when its rows would not hold their names
        at SLIDE_MIN_LABEL pt, each name wrapped to its part's name column (WRAP_SHARE) and its row as high as
        the most lines a name takes (a 32-province ranking: two columns of 16). The rows that no number of
        columns the slot allows can hold readably are the rest, drawn on a following slide (None when all
        fit); LibreOffice otherwise hid every other name."""
        n = len(chart.categories)
        if chart.kind != "bar" or n < 2:
            return [chart], None
        most = max(1, int((w + RANKING_GAP) / (MIN_PART_W + RANKING_GAP)))
        best = (0, 1, 1)  # (rows the slot holds, columns, rows a column)
        for count in range(1, most + 1):
            part_w = (w - RANKING_GAP * (count - 1)) / count
            lines = name_lines(wrapped_names(chart.categories, WRAP_SHARE * part_w, SLIDE_MIN_LABEL))
            rows = max(1, int(plot_height(chart, h, self.slide_theme) / row_pitch(lines, SLIDE_MIN_LABEL)))
            if count * rows > best[0]:
                best = (count * rows, count, rows)
            if count * rows >= n:
                break
        room, count, rows = best
        part_w = (w - RANKING_GAP * (count - 1)) / count
        for name in chart.categories:
            if wrap_label(name, WRAP_SHARE * part_w, SLIDE_MIN_LABEL, self.metrics, split_words=False) is None:
                self.result.warnings.append(
                    f"slide {self.result.slides}: chart “{_short(chart.title)}”: a word of the category label "
                    f"“{_short(name)}” is wider than the {WRAP_SHARE * part_w:.0f} pt its chart gives names at "
                    f"{SLIDE_MIN_LABEL:g} pt and is broken: shorten the label")
                break
        rest = None
        if room < n:
            take = math.ceil(n / math.ceil(n / room))  # the slides' shares alike (never 28 and then 2)
            self.note(f"chart “{_short(chart.title)}”: {n} categories, {take} on this slide, the rest continued")
            rest = _rows(chart, slice(take, n))
            chart = _rows(chart, slice(0, take))
            n = take
        if count == 1 or n <= rows:
            return [chart], rest
        count = math.ceil(n / rows)
        per = math.ceil(n / count)
        self.note(f"chart “{_short(chart.title)}”: {n} categories in {count} columns of up to {per}")
        parts = []
        for k in range(count):
            # the last part's rows as high as the others': empty rows after its last category
            part = _rows(chart, slice(k * per, (k + 1) * per), per)
            parts.append(replace(part, id=f"{chart.id}-{k + 1}", legend=chart.legend if k == count - 1 else None,
                                 alt_text=f"{chart.alt_text}（第{k + 1}/{count}部分）"))
        return parts, rest

    def _lines(self, text: str, w: float, size: float, bold: bool = False) -> int:
        from egovdeck.text.textfit import wrap

        return len(wrap(text, w * MEASURE_SLACK, size, self.bold_metrics if bold else self.metrics))

    def timeline(self, slide, chart: ChartData, x: float, y: float, w: float, h: float) -> None:
        t = self.theme
        ms = chart.milestones
        n = max(len(ms), 1)
        col = w / n
        axis_y = y + 58
        arrow = slide.shapes.add_shape(MSO_SHAPE.RIGHT_ARROW, E(x), E(axis_y - 7), E(w), E(14))
        arrow.fill.solid()
        arrow.fill.fore_color.rgb = RGBColor.from_string(t.dim)
        arrow.line.fill.background()
        set_alt_text(arrow, chart.title, chart.alt_text)
        for i, m in enumerate(ms):
            cx = x + col * i + col / 2
            self.text(slide, x + col * i + 8, y, col - 16, 40, m.period, 20, bold=True, color=t.accent,
                      align=PP_ALIGN.CENTER, anchor=MSO_ANCHOR.BOTTOM, floor=12, name=f"Period {i + 1}")
            dot = self.rect(slide, cx - 11, axis_y - 11, 22, 22, t.palette[i % len(t.palette)], MSO_SHAPE.OVAL)
            dot.line.color.rgb = RGBColor.from_string("FFFFFF")
            dot.line.width = Pt(2)
            self.text(slide, x + col * i + 12, axis_y + 24, col - 24, 26, m.label, 16, bold=True,
                      align=PP_ALIGN.CENTER, floor=11, name=f"Stage {i + 1}")
            body_h = h - (axis_y + 56 - y)
            if body_h < 11 * 1.3:  # a slot too short for one line of it (a small template content area)
                self.note(f"timeline text left out (no room under the stage): {_short(m.text)}")
                continue
            self.text(slide, x + col * i + 14, axis_y + 56, col - 28, body_h, [m.text], 14, color=t.muted,
                      align=PP_ALIGN.CENTER, spacing=1.3, floor=11, name=f"Stage text {i + 1}", what="timeline text")

    def _kpi_value_size(self, k: KPIData, cw: float, h: float, label_h: float, change_size: float, lines: int = 1) -> float:
        """The size (pt) of k's value on a card cw × h pt whose label box is label_h high: its box is at least
        KPI_PITCH × the size high with the label and the change line under it, and its width the card's; a
        number is never cut: below KPI_FLOOR (down to KPI_VALUE_MIN) when the card is narrower than it."""
        below = label_h + _change_h((k,), change_size, lines)
        size = min(KPI_SIZE, math.floor((h - 10 - 4 - below - 4) / KPI_PITCH * 2) / 2)
        while size > KPI_VALUE_MIN and self.bold_metrics.width(k.value, size) > (cw - 20) * MEASURE_SLACK:
            size -= 0.5
        return max(size, KPI_VALUE_MIN)

    def _kpi_grid(self, kpis: tuple[KPIData, ...], w: float, h: float) -> tuple[int, float]:
        """(cards per row, gap in pt) for the KPI cards of a w × h pt slot: cards of MIN_KPI_WIDTH or more in as few
        rows as hold them (gap 16), when each card then has room for its value at KPI_FLOOR on one line, its label
        and its change lines (one size, KPI_CHANGE_LINES at most); else the first grid (fewest rows, then a 10 pt
        gap) where they do; else the first whose cards hold a label box and change line of their floor sizes, a
        text too long for them cut with “…” (a counted warning). A slot where no grid holds them is an EgovError at the finding's key (a new user's six
        KPIs on a template's short KPI band ran into each other, into the source line and out of their cards).
        kpis() retries without the change lines (left out with a warning) before that error reaches the user."""
        n = len(kpis)
        first = max(1, min(n, int((w + 16.0) // (MIN_KPI_WIDTH + 16.0))))
        tries = [(first, 16.0)] + [(-(-n // rows), gap) for gap in (16.0, 10.0) for rows in range(1, n + 1)]
        lenient = []  # grids whose cards hold every box, a label or change line cut with “…” (a counted warning)
        for per_row, gap in dict.fromkeys(tries):
            rows = -(-n // per_row)
            cw, row_h = (w - gap * (per_row - 1)) / per_row, (h - gap * (rows - 1)) / rows
            _size, label_h, lines_fit = self._kpi_label_fit(kpis, cw - 20, row_h)
            change_size, change_lines, change_fits = self._kpi_change_size(kpis, cw - 20)
            need = 10 + KPI_FLOOR * KPI_PITCH + 4 + label_h + _change_h(kpis, change_size, change_lines) + 4
            wide = sum(max(0.0, self.bold_metrics.width(k.value, KPI_FLOOR) - (cw - 20) * MEASURE_SLACK) for k in kpis)
            if need <= row_h + 0.5 and not wide:
                if lines_fit and change_fits:
                    return per_row, gap
                lenient.append((per_row, gap))
        if lenient:
            return lenient[0]
        raise EgovError(Problem(
            f"slide {self.result.slides}: {n} KPIs do not fit their {w:.0f} × {h:.0f} pt slot (in any number of "
            f"rows, values at {KPI_FLOOR:g} pt, labels at {KPI_LABEL_FLOOR:g} pt, change lines at {KPI_CHANGE_FLOOR:g} pt, "
            "without the change lines)", key=self._where,
            hint="shorten their values, labels and change lines, give fewer KPIs to this layout, or give its kpis "
                 "slot more of the slide (layouts.<name>.slide), or use a template with a larger content area"))

    def _kpi_change_size(self, kpis: tuple[KPIData, ...], w: float) -> tuple[float, int, bool]:
        """(size, lines, every change line fits): the one size (pt) of a slot's change lines, the largest from
        KPI_CHANGE_SIZE down to KPI_CHANGE_FLOOR at which each takes one line of `w` pt, else at the floor in
        as many lines as the longest takes (fits: at most KPI_CHANGE_LINES). One size per slot: a new user's
        row mixed 9 and 12 pt change lines."""
        size = KPI_CHANGE_SIZE
        changes = [k.change for k in kpis if k.change]
        while size > KPI_CHANGE_FLOOR and any(self._lines(c, w, size) > 1 for c in changes):
            size -= 0.5
        lines = max((self._lines(c, w, size) for c in changes), default=1)
        return size, lines, lines <= KPI_CHANGE_LINES

    def kpis(self, slide, kpis: tuple[KPIData, ...], x: float, top: float, w: float, h: float) -> None:
        try:
            per_row, gap = self._kpi_grid(kpis, w, h)
        except EgovError:
            if not any(k.change or k.label for k in kpis):
                raise
            # a slot too short for the change lines (LibreOffice's “Piano” design: a 60 pt band) keeps the values
            # and labels: the change lines are left out, then (a template of half a 16:9 slide: a 43 pt band) the
            # labels too, each said in a counted warning; a slot that holds not even the values is the error
            left = "change lines"
            plain = tuple(replace(k, change="") for k in kpis)
            try:
                per_row, gap = self._kpi_grid(plain, w, h)
            except EgovError:
                if not any(k.label for k in kpis):
                    raise
                left = "labels and change lines"
                plain = tuple(replace(k, change="", label="") for k in kpis)
                per_row, gap = self._kpi_grid(plain, w, h)
            changes = [k.change for k in kpis if k.change]
            if changes:
                self.result.warnings.append(
                    f"slide {self.result.slides}: the KPIs' change lines left out (their {w:.0f} × {h:.0f} pt slot "
                    f"has no room for them): {_short('；'.join(changes))}; give the kpis slot more of the slide "
                    "(layouts.<name>.slide) or fewer KPIs")
            if left != "change lines":  # one counted warning per label, as for a label cut in its card
                self.result.warnings += [
                    f"slide {self.result.slides}: KPI label left out (the {w:.0f} × {h:.0f} pt slot holds the values "
                    f"only): {_short(k.label)}; give the kpis slot more of the slide (layouts.<name>.slide) or fewer "
                    "KPIs" for k in kpis if k.label]
            kpis = plain
        rows = -(-len(kpis) // per_row)
        cw = (w - gap * (per_row - 1)) / per_row
        row_h = (h - gap * (rows - 1)) / rows
        label_size, label_h = self._kpi_labels(kpis, cw - 20, row_h)
        change_size, change_lines, _fits = self._kpi_change_size(kpis, cw - 20)
        if change_size < KPI_CHANGE_SIZE:
            self.note(f"KPI change lines at {change_size:g} pt in at most {change_lines} line(s)")
        size = min(self._kpi_value_size(k, cw, row_h, label_h, change_size, change_lines) for k in kpis)  # one size for the slot's values
        for i, k in enumerate(kpis):
            cx = x + (i % per_row) * (cw + gap)
            y, h = top + (i // per_row) * (row_h + gap), row_h
            card = self.rect(slide, cx, y, cw, h, self.theme.background_band)
            set_alt_text(card, k.label, f"{k.label}：{k.value}" + (f"，{k.change}" if k.change else ""))
            self.rect(slide, cx, y, cw, 4, self.theme.accent)
            below = label_h + _change_h((k,), change_size, change_lines)  # the label (one or two lines) and the change line
            if size < KPI_SIZE and rows == 1 and i == 0:
                self.note(f"KPI values shrunk from {KPI_SIZE:g} to {size:g} pt: {', '.join(k.value for k in kpis)}")
            value_h = max(size * KPI_PITCH, min(h * 0.46, h - 10 - 4 - below - 4))
            value, _size, _rest = self.text(slide, cx + 10, y + 10, cw - 20, value_h, k.value, size, bold=True,
                                            color=self.theme.accent, align=PP_ALIGN.CENTER,
                                            anchor=MSO_ANCHOR.MIDDLE, spacing=1.0, floor=min(size, KPI_FLOOR),
                                            name="KPI value")
            if self.bold_metrics.width(k.value, size) <= (cw - 20) * MEASURE_SLACK:
                # one line, sized by its width above: the viewer must not wrap it (LibreOffice split 1,234.5)
                value.text_frame.word_wrap = False
            label_y = y + 10 + value_h + 4
            self.text(slide, cx + 10, label_y, cw - 20, label_h, k.label, label_size, align=PP_ALIGN.CENTER,
                      floor=label_size, name="KPI label", what="KPI label", warn_cut=True)
            if k.change:
                self.text(slide, cx + 10, label_y + label_h + 4, cw - 20, _change_h((k,), change_size, change_lines) - 4, k.change,
                          change_size, color=self.theme.muted, align=PP_ALIGN.CENTER, floor=change_size, spacing=LABEL_SPACING,
                          name="KPI change", what="KPI change", warn_cut=True)

    def _kpi_labels(self, kpis: tuple[KPIData, ...], w: float, card_h: float) -> tuple[float, float]:
        """(size, box height) of the KPI labels of one slot, the same for every card: the largest size from
        KPI_LABEL_SIZE down to KPI_LABEL_FLOOR pt at which every label takes at most KPI_LABEL_LINES lines of
        `w` pt, the box as high as the most lines any label takes (at least 20 pt). A label longer than that
        at the floor takes more lines while the card (`card_h` pt) keeps room for the value at its floor
        size and the change line; one too long even then is cut with “…” and a counted warning
        (fit_paragraphs' warn_cut), never silently."""
        size, box_h, _fit = self._kpi_label_fit(kpis, w, card_h)
        if size < KPI_LABEL_SIZE:
            self.note(f"KPI labels at {size:g} pt so that each takes at most {round((box_h - 3) / (size * LABEL_SPACING))}"
                      " lines")
        return size, box_h

    def _kpi_label_fit(self, kpis: tuple[KPIData, ...], w: float, card_h: float) -> tuple[float, float, bool]:
        """_kpi_labels' (size, box height) and whether every label is whole in that box."""
        labels = [k.label for k in kpis]
        if not any(labels):  # the labels left out (kpis(): a slot with no room for them): no box
            return KPI_LABEL_FLOOR, 0.0, True
        room = card_h - 10 - 4 - 4 - KPI_FLOOR * KPI_PITCH - _change_h(kpis, *self._kpi_change_size(kpis, w)[:2]) - 3

        def longest(sz: float) -> int:
            return max(self._lines(t, w, sz) for t in labels)

        # smaller while a label takes more than KPI_LABEL_LINES lines or the lines are taller than the card's room
        # for them (14 pt labels of two lines pushed a short card's change line past its edge)
        size = KPI_LABEL_SIZE
        while size > KPI_LABEL_FLOOR and (longest(size) > KPI_LABEL_LINES
                                          or max(20.0, longest(size) * size * LABEL_SPACING + 3) > room + 3):
            size -= 0.5
        pitch = size * LABEL_SPACING
        most = longest(size)
        lines = max(1, min(most, max(KPI_LABEL_LINES, int(room / pitch))))
        return size, max(20.0, lines * pitch + 3), most <= lines

    # ------------------------------------------------------------------ tables

    def _table_layout(self, t: TableData, w: float, start: float = TABLE_SIZE) -> tuple[float, list[float]]:
        """Font size and column widths from content (render/tablewidth): numbers, dates, short names and
        short headers never break; long text columns take the rest and wrap. The size shrinks (to a floor)
        only while the columns' floors do not fit."""
        from egovdeck.text.tablewidth import lay_out, too_wide

        def measure_at(size: float) -> Callable[[str, bool], float]:
            # the metrics carry the viewer's Chinese-Latin gap (text/autospace.py) like every fitted text
            return lambda text, bold: (self.bold_metrics if bold else self.metrics).width(text, size) / MEASURE_SLACK

        sizes = [start - 0.5 * k for k in range(int((start - TABLE_FLOOR) / 0.5) + 1)]
        layout = lay_out(t.header, t.rows, t.raw, measure_at, sizes, (2 * cell_margin_x(start) + 1,), w)
        said = f"table “{t.title}”"
        if not layout.kept and start == TABLE_SIZE and not any(said in w for w in self.result.warnings):
            self.result.warnings.append(f"slide {self.result.slides}: " + too_wide(t.title, layout))
        return layout.size, layout.widths

    def _headers(self, t: TableData, widths: list[float], size: float) -> tuple[str, ...]:
        """The header texts as the deck writes them: a header wider than its column breaks before its
        「（单位）」 ("\n", a line break), as the brief's headers do (tablewidth.split_unit), never inside
        it (LibreOffice wrapped 「专项资金变化（亿」 over 「元）」)."""
        out = []
        for head, wd in zip(t.header, widths, strict=True):
            base, unit = split_unit(head)
            lines = self._wrapped((head,), [wd], size, True)[0]
            out.append(f"{base}\n{unit}" if unit and base and len(lines) > 1 else head)
        return tuple(out)

    def _link_breaks(self, text: str, width: float, size: float) -> str:
        """A cell's text with a line break ("\n") wherever the one breaker (textfit) ends a line inside a link
        (textfit.links: a URL, an e-mail address, a host name), so that the viewer breaks it where the PDF
        does and where the row's height was measured: LibreOffice and PowerPoint break a URL after "/" only,
        never after "." or "_" (gov.|cn, index_|1234567), and cut a part longer than the line anywhere."""
        spans = links(text)
        if not spans:
            return text
        lines = wrap_spans(text, (width - 2 * cell_margin_x(size)) * MEASURE_SLACK, size, self.metrics)
        cuts = [nxt for _a, end, nxt in lines[:-1] if any(a < nxt < b for a, b in spans)]
        for at in reversed(cuts):
            text = text[:at].rstrip(" ") + "\n" + text[at:]
        return text

    def _natural_height(self, lines: int, size: float) -> float:
        return max(lines, 1) * size * LABEL_SPACING + 2 * CELL_MARGIN_Y + 1

    def _wrapped(self, cells: tuple[str, ...], widths: list[float], size: float, bold: bool) -> list[list[str]]:
        from egovdeck.text.textfit import wrap

        m = self.bold_metrics if bold else self.metrics
        return [wrap(text, (wd - 2 * cell_margin_x(size)) * MEASURE_SLACK, size, m) for text, wd in zip(cells, widths, strict=True)]

    def _chunks(self, t: TableData, widths: list[float], size: float, room: float
                ) -> list[list[tuple[int, tuple[str, ...], float]]]:
        """The table's rows per slide as (data row index, cell texts, natural height). Rows that fit a slide
        are balanced over as few slides as they need (16 + 16 rows, not 30 + 2); a row taller than the room
        left is cut between lines and continues on the next slide, so no text is lost."""
        pitch, extra = size * LABEL_SPACING, 2 * CELL_MARGIN_Y + 1
        wrapped = [self._wrapped(row, widths, size, False) for row in t.rows]
        natural = [self._natural_height(max(len(ls) for ls in lines), size) for lines in wrapped]
        if all(rh <= room for rh in natural):
            def split(limit: float) -> list[list[int]]:
                chunks: list[list[int]] = [[]]
                used = 0.0
                for i, rh in enumerate(natural):
                    if chunks[-1] and used + rh > limit:
                        chunks.append([])
                        used = 0.0
                    chunks[-1].append(i)
                    used += rh
                return chunks

            chunks = split(room)
            if len(chunks) > 1:
                lo, hi = sum(natural) / len(chunks), room
                for _ in range(24):  # the least limit that still gives this many slides
                    mid = (lo + hi) / 2
                    lo, hi = (lo, mid) if len(split(mid)) <= len(chunks) else (mid, hi)
                chunks = split(hi)
            chunks = spread_rows(chunks, natural, room)
            return [[(i, t.rows[i], natural[i]) for i in chunk] for chunk in chunks]
        out: list[list[tuple[int, tuple[str, ...], float]]] = [[]]
        used = 0.0
        # Progress: each turn of the loop below places the row (the end), cuts `fit` >= 1 of its lines, or
        # starts a new slide, and a new slide's first turn places or cuts; so a row of n lines takes at most
        # 2n + 2 turns. The guard makes that bound an error instead of a build without end.
        for r, row in enumerate(t.rows):
            rest, lines = list(row), [list(ls) for ls in wrapped[r]]
            # a cut at a clause end (_cut) places at least a third of the lines that fit
            turns = 6 * max(len(ls) for ls in lines) + 4
            while True:
                turns -= 1
                if turns < 0:
                    raise EgovError(Problem(f"table “{t.title}”: row {r + 1} does not fit the slide's "
                                            f"{room:.0f} pt", key=f"tables.{t.id}",
                                            hint="give the template's content area more room, or shorten the row"))
                need = self._natural_height(max(len(ls) for ls in lines), size)
                if used + need <= room:
                    out[-1].append((r, tuple(rest), need))
                    used += need
                    break
                fit = int((room - used - extra) / pitch)
                if not out[-1] and fit < 1:  # a slide too small for one line of it: the row as it is, so it ends
                    self.note(f"table “{_short(t.title)}”: the slide holds less than one line of a row")
                    out[-1].append((r, tuple(rest), need))
                    used += need
                    break
                if fit >= 2 or (fit >= 1 and not out[-1]):
                    piece = []
                    for c, ls in enumerate(lines):
                        head, rest[c] = _cut(rest[c], ls, fit)
                        piece.append(head)
                    lines = self._wrapped(tuple(rest), widths, size, False)
                    height = max(len(ls) for ls in self._wrapped(tuple(piece), widths, size, False))
                    out[-1].append((r, tuple(piece), self._natural_height(min(fit, height), size)))
                out.append([])
                used = 0.0
        return [chunk for chunk in out if chunk]

    def table(self, first_slide, t: TableData, geom, f: FindingDoc, section_title: str) -> None:
        x, y, w, h = geom
        cap = 24.0
        note = note_text(t.note) if t.note else ""
        note_h = self._note_lines_height(note, w, h)  # under the table's last slide, as the brief prints it
        geom = x, y, w, h = x, y, w, h - note_h
        room = h - cap
        size, widths = self._table_layout(t, w)
        if size < TABLE_SIZE:
            self.note(f"table “{_short(t.title)}” shrunk from {TABLE_SIZE:g} to {size:g} pt")
        head_h = max(TABLE_ROW_H, self._natural_height(max(len(ls) for ls in self._wrapped(self._headers(t, widths, size), widths, size, True)),
                                                        size))
        chunks = self._chunks(t, widths, size, room - head_h)
        if len(chunks) == 1 and size == TABLE_SIZE:
            size, widths, head_h, chunks = self._grown(t, w, room, (size, widths, head_h, chunks))
        pages = [(chunk, size, widths, head_h, geom, 0) for chunk in chunks]
        a = self.area
        if len(chunks) > 1 and (w < a.w - 1 or h < a.h - 1):
            # beside a chart (or under KPIs), the table's continuation slides show only the table: it takes
            # the whole content area there, as the brief's continued table takes the frame's width
            first = chunks[0]
            if len(first) > TABLE_ROWS and sum(map(len, chunks[1:])) < TABLE_ROWS \
                    and tuple(first[-1][1]) == tuple(t.rows[first[-1][0]]):
                first = first[:-1]  # the continuation slide gets two rows, not one (widow)
            pages = [(first, *pages[0][1:])] + self._continued(
                t, first, (a.x, a.y, a.w, a.h - self._note_lines_height(note, a.w, a.h)), cap)
        if any(rh > TABLE_ROW_H for page in pages for _r, _cells, rh in page[0]):
            self.note(f"table “{_short(t.title)}”: long cells wrap at {size:g} pt")
        for n, (chunk, size, widths, head_h, (x, y, w, h), shift) in enumerate(pages):
            room = h - cap
            s = first_slide
            number = self.numbers.get(t.id, "")
            label = f"{number}\u3000{t.title}" if number else t.title
            if n:
                s = self.slide()
                self.title(s, f"{f.title}（续）", section_title)
                label = f"续{number or '表'}\u3000{t.title}"
                self.note(f"table “{_short(t.title)}” continued (续表)")
                self.footer(s, t.source)
                self.notes(s, f.text)
            self.text(s, x, y, w, cap, label, 13, bold=True, floor=10, name="Table title")
            # at the body size or larger, rows up to ROW_STRETCH times; smaller (the columns or the rows did not
            # allow a larger font), the rows take the slot's height: a slide's table never leaves its room empty
            row_h = [head_h] + self._fill([rh for _r, _cells, rh in chunk], room - head_h, stretch=True,
                                          most=ROW_STRETCH if size >= self.body_size else math.inf)
            if note and n == len(pages) - 1:  # right under the table, in the room kept for it
                self.text(s, x, min(y + cap + sum(row_h) + 4, y + h), w, self._note_lines_height(note, w, h), note,
                          9, color=self.theme.muted, spacing=1.25, floor=8, name="Table note")
            shape = s.shapes.add_table(len(chunk) + 1, len(t.header), E(x), E(y + cap), E(w), E(sum(row_h)))
            shape.name = "Table"
            set_alt_text(shape, t.title, f"表格：{t.title}，共{len(t.rows)}行；列：{'、'.join(t.header)}。")
            table = shape.table
            emu = [int(E(wd)) for wd in widths]
            emu[-1] = int(E(w)) - sum(emu[:-1])
            for c, wd in enumerate(emu):
                table.columns[c].width = Emu(wd)
            for r, rh in enumerate(row_h):
                table.rows[r].height = E(rh)
            made: dict[tuple, object] = {}
            for c, head in enumerate(self._headers(t, widths, size)):
                self._cell(table.cell(0, c), head, t.align[c], size, made, bold=True, color="FFFFFF",
                           fill=self.theme.accent)
            for r, (data_row, cells, _h) in enumerate(chunk, start=1):
                for c, value in enumerate(cells):
                    self._cell(table.cell(r, c), self._link_breaks(value, widths[c], size), t.align[c], size, made,
                               fill="F3F6FA" if (data_row + shift) % 2 else "FFFFFF")

    def _note_lines_height(self, note: str, w: float, h: float) -> float:
        """Height (pt) of a note (its 「注：」 included) at 9 pt in a slot w × h pt, at most a quarter of it; 0
        without a note."""
        return min(self._lines(note, w, 9) * 9 * 1.25 + 2, h / 4) if note else 0.0

    def _continued(self, t: TableData, first: list[tuple[int, tuple[str, ...], float]], geom, cap: float
                   ) -> list[tuple]:
        """The slides after `first` (the rows the first slide shows) of table t laid out in `geom` (x, y, w,
        h in pt): (rows, size, column widths, header height, geom, shift), shift being the first row's
        index in t (for the rows' shading). A row the first slide cut between lines continues with the
        rest of its text (the first slide shows a prefix of each of its cells, _cut)."""
        last, shown, _h = first[-1]
        rows, raw = list(t.rows[last + 1:]), list(t.raw[last + 1:]) if t.raw else []
        start = last + 1
        if tuple(shown) != tuple(t.rows[last]):
            rest = tuple(cell[len(head):].lstrip() for cell, head in zip(t.rows[last], shown, strict=True))
            rows.insert(0, rest)
            if t.raw:
                raw.insert(0, t.raw[last])
            start = last
        if not rows:
            return []
        _x, _y, w, h = geom
        size, widths = self._table_layout(t, w)
        head_h = max(TABLE_ROW_H, self._natural_height(max(len(ls) for ls in self._wrapped(self._headers(t, widths, size), widths, size, True)),
                                                        size))
        tail = replace(t, rows=tuple(rows), raw=tuple(raw))
        return [(chunk, size, widths, head_h, geom, start) for chunk in self._chunks(tail, widths, size, h - cap - head_h)]

    def _grown(self, t: TableData, w: float, room: float, fallback: tuple):
        """A table that fits one slide at TABLE_SIZE with room to spare is set larger: the largest size, from
        the deck's body size (a table of at most SHORT_ROWS rows from SHORT_SIZES[0] pt) down to
        TABLE_SMALLEST_GROWN pt in 1 pt steps, at which its columns keep their floors and its rows still fit one
        slide; its rows then use the slot's height (_fill). Before, every table of 4 rows or more stopped at
        14 pt with rows at most 1.6 times their height: half its slot empty."""
        top = int(self.body_size)
        sizes = tuple(float(k) for k in range(top, int(TABLE_SMALLEST_GROWN) - 1, -1))
        short = tuple(sz for sz in SHORT_SIZES if sz > top) if len(t.rows) <= SHORT_ROWS else ()
        for size in short + sizes:
            grown, widths = self._table_layout(t, w, start=size)
            if grown != size:
                continue
            head = self._wrapped(self._headers(t, widths, size), widths, size, True)
            if size in short and any(len(ls) > 1 for ls in self._wrapped(t.header, widths, size, True)):
                continue  # a display size is worth it only with its headers on one line
            head_h = max(TABLE_ROW_H, self._natural_height(max(len(ls) for ls in head), size))
            if sum(self._natural_height(max(len(ls) for ls in self._wrapped(row, widths, size, False)), size)
                   for row in t.rows) <= room - head_h:
                return size, widths, head_h, self._chunks(t, widths, size, room - head_h)
        return fallback

    @staticmethod
    def _fill(natural: list[float], room: float, stretch: bool, most: float = 1.6) -> list[float]:
        """Row heights: each row at least its natural height and TABLE_ROW_H when there is room; a slide
        of a table continued over several slides uses the height it has (rows grow up to `most` times)."""
        comfy = [max(TABLE_ROW_H, rh) for rh in natural]
        if sum(comfy) > room:  # between natural and comfortable, in proportion
            k = max(0.0, (room - sum(natural)) / (sum(comfy) - sum(natural)))
            return [n + (c - n) * k for n, c in zip(natural, comfy, strict=True)]
        if stretch:
            k = min(most, room / sum(comfy))
            return [c * k for c in comfy]
        return comfy

    def _cell(self, cell, text: str, align: str, size: float, made: dict, bold: bool = False,
              color: str | None = None, fill: str = "FFFFFF"):
        """Style a table cell and put text in it. A cell styled like one already made is a copy of that
        one with its text replaced (python-pptx's cell API costs ~0.5 ms a cell; a 32-row table has 160)."""
        key = (align, size, bold, color, fill)
        if key in made and not any(ord(ch) < 32 for ch in text):
            tc = copy.deepcopy(made[key])
            tc.find(f".//{qn('a:t')}").text = text
            cell_element(cell).getparent().replace(cell_element(cell), tc)
            return
        cell.fill.solid()
        cell.fill.fore_color.rgb = RGBColor.from_string(fill)
        cell.margin_top = cell.margin_bottom = E(CELL_MARGIN_Y)
        cell.margin_left = cell.margin_right = E(cell_margin_x(size))
        cell.vertical_anchor = MSO_ANCHOR.MIDDLE
        p = cell.text_frame.paragraphs[0]
        p.alignment = {"right": PP_ALIGN.RIGHT, "center": PP_ALIGN.CENTER}.get(align, PP_ALIGN.LEFT)
        p.line_spacing = Pt(size * LABEL_SPACING)
        for k, line in enumerate(text.split("\n")):  # "\n": a line break (a header before its unit)
            if k:
                p.add_line_break()
            run = p.add_run()
            run.text = line
            set_run_font(run, self.fonts.family, self.doc.language, size, bold, color or self.theme.text)
        if "\n" not in text:
            made.setdefault(key, cell_element(cell))

    def sources(self) -> None:
        # one line per title and source (a dataset and those prepared from it); the slide's title says 数据来源,
        # so a source's own 「资料来源：」 goes (it read 「标题：资料来源：…」)
        items = [f"{d.title}：{SOURCE_WORD.sub('', d.source, count=1)}" for d, _ids in dataset_entries(self.doc.datasets)]
        title = "数据来源"
        a = self.area
        while items:
            s = self.slide()
            self.title(s, title)
            _box, _size, rest = self.text(s, a.x, a.y, a.w, a.h, items, 14, spacing=1.25, para_gap=0.3, floor=11,
                                          keep_rest=True, name="Sources", what="sources")
            self.footer(s)
            self.notes(s, "各数据集的单位与说明见PDF简报的“数据说明”页。")
            if rest:
                self.note("sources continued on a new slide")
            self._progress(items, rest, "the list of data sources", ("datasets",))
            items, title = rest, "数据来源（续）"

    def _progress(self, before: list[str], after: list[str], what: str, key: tuple[str, ...]) -> None:
        """A 「（续）」 slide must place something: the text left after it (`after`) is shorter than before it,
        so every continuation loop ends. One that placed nothing (a content area too small for a line: the
        template check, decktemplate.geometry, refuses such templates) stops the build with a located error."""
        if after and sum(map(len, after)) >= sum(map(len, before)):
            raise EgovError(Problem(
                f"{what} does not fit a continuation slide: the template's content area "
                f"({self.area.w:.0f} × {self.area.h:.0f} pt) holds not one line of it", file=self.tpl.source,
                key=".".join(key), hint="give the content layout's body placeholder more room (at least "
                "160 × 48 pt clear of the template's artwork), or use egovdeck's own template"))

    # ------------------------------------------------------------------ save

    def _prune(self) -> None:
        """Drop the layout placeholders a slide did not use (they would show “Click to add text”)."""
        for s in self.prs.slides:
            tree = s.element.cSld.spTree
            for el in _placeholder_elements(tree):
                if not any((t.text or "").strip() for t in el.iter(qn("a:t"))):
                    tree.remove(el)

    def _portable_text(self) -> None:
        """Every font reference gets the font's panose, pitchFamily and charset, and the fonts are embedded
        as doc.deck_fonts says (render/pptx/embedfonts.py)."""
        from egovdeck.render.pptx.embedfonts import describe_package, embed_fonts, font_ref

        ref = font_ref(self.fonts.regular, self.doc.language)
        describe_package(self.prs.part.package, {self.fonts.family: ref})
        self.result.font_parts = embed_fonts(self.prs, self.fonts.family, self.fonts.files(), ref,
                                             self.doc.deck_fonts, self.font_cache)

    def save(self, target: Path) -> None:
        self._prune()
        cp = self.prs.core_properties
        cp.title, cp.author, cp.subject = self.doc.title, self.doc.author, self.doc.subject
        cp.keywords = "；".join(self.doc.keywords)
        cp.language = self.doc.language
        cp.last_modified_by = f"egovdeck {__version__}"
        cp.created = cp.modified = self.date_time  # never printed: no cp:lastPrinted (render/pptx/strictxml)
        cp.revision = 1
        cp.comments = f"egovdeck {__version__}"
        mark_breaks(self.prs)  # the one breaker's breaks for the viewer, before tighten_numbers reads the text
        tighten_numbers(self.prs)  # before the fonts are subset: the text is final here
        self._portable_text()
        target.write_bytes(package_zip(self.prs.part.package, self.date_time.timetuple()[:6], conform))


def _placeholder_elements(tree) -> list:
    """The placeholder shapes of a slide's shape tree, in order: what python-pptx's is_placeholder finds,
    by a direct lookup instead of one XPath evaluation per shape per call."""
    ph = f"{qn('p:nvPr')}/{qn('p:ph')}"
    shapes = (qn("p:sp"), qn("p:pic"), qn("p:graphicFrame"), qn("p:grpSp"), qn("p:cxnSp"), qn("p:contentPart"))
    return [el for el in tree if el.tag in shapes and len(el) and el[0].find(ph) is not None]


def _remember_partnames(package) -> None:
    """python-pptx names each new part after walking every part of the package (45 walks for the bundled
    deck); keep the names instead. Same rule, same names: the highest free number up to count + 1."""
    from pptx.opc.packuri import PackURI

    names = {part.partname for part in package.iter_parts()}

    def next_partname(tmpl: str) -> PackURI:
        prefix = tmpl[: (tmpl % 42).find("42")]
        taken = {name for name in names if name.startswith(prefix)}
        for n in range(len(taken) + 1, 0, -1):
            if tmpl % n not in taken:
                names.add(tmpl % n)  # every name asked for is given to a new part at once
                return PackURI(tmpl % n)
        raise AssertionError("no free part name")  # unreachable: count + 1 names for count parts

    package.next_partname = next_partname


class _Frames(Deck):
    """A deck that places nothing: only the geometry of its charts (deck_chart_frames)."""

    def __init__(self, doc: Document, fonts: FontSet, theme: Theme, template: DeckTemplate):
        self.doc, self.fonts, self.theme, self.tpl = doc, fonts, theme, template
        self.metrics = portable_metrics(fonts.regular)
        self.bold_metrics = portable_metrics(fonts.bold, bold=True)
        self.result = DeckResult()
        self._where = ""  # the definition key of the finding being laid out (build errors name it)
        self.slide_theme = replace(theme, chart_label_size=12.0, chart_tick_size=11.0, chart_legend_size=11.0)
        self.area = content_frame(template)[0]
        self.numbers = caption_numbers(doc)  # the captions' 图N: their height


CHART_CAPTION = 22.0  # pt over a slide's chart for its 图N caption of one line (Deck.caption_height)
CAPTION_SIZE = 13.0  # pt, bold
CAPTION_FLOOR = 10.0  # pt: a caption longer than two lines shrinks to this, then is cut (a warning)


def deck_chart_frames(doc: Document, fonts: FontSet, theme: Theme,
                      template: DeckTemplate) -> dict[str, list[tuple[int, ChartData, float, float, Theme]]]:
    """chart id -> the native charts the deck draws it as: (first category, the chart or a part of a split
    ranking, width pt, height pt, theme), as `render_pptx` places them on `template` (nothing is written:
    for deciding a chart's labels with the PDF's frame known, egovdeck.charts.labelplan)."""
    return chart_frames_of(native_chart_frames(doc, fonts, theme, template))


def chart_frames_of(native: dict) -> dict[str, list[tuple[int, ChartData, float, float, Theme]]]:
    """deck_chart_frames from native_chart_frames' result (computed once per build: engine.frames)."""
    return {chart_id: [(start, part, pw, pch, deck_chart_theme(part, pw, pch, th) if shared is None else
                        replace(th, chart_tick_size=shared.tick_size,  # as add_native_chart sizes them
                                chart_label_size=min(th.chart_label_size, shared.tick_size)))
                       for start, part, pw, pch, th, shared in entries]
            for chart_id, entries in native.items()}


def deck_bar_plots(doc: Document, fonts: FontSet, theme: Theme,
                   template: DeckTemplate) -> dict[str, list[tuple[ChartData, float, float]]]:
    """chart id -> (the part drawn, its value axis' width pt, its tick labels' size pt) of every native
    horizontal bar chart the deck draws it as (a column chart drawn as a ranking too): the plot box of a
    split ranking (charts/splitbars), else the frame less the name column as splitbars measures it. For
    deciding a chart's tick step with the PDF's plots known (egovdeck.engine.ticks)."""
    return bar_plots_of(native_chart_frames(doc, fonts, theme, template))


def bar_plots_of(native: dict) -> dict[str, list[tuple[ChartData, float, float]]]:
    """deck_bar_plots from native_chart_frames' result (computed once per build: engine.frames)."""
    out: dict[str, list[tuple[ChartData, float, float]]] = {}
    for chart_id, entries in native.items():
        for _start, part, pw, pch, th, shared in entries:
            if part.kind != "bar":
                continue
            if shared is not None:
                plot = (part, shared.plot[2] * pw, shared.tick_size)
            else:
                size = deck_chart_theme(part, pw, pch, th).chart_tick_size
                plot = (part, part_plot(part, [part], pw, pch, replace(th, chart_tick_size=size)).plot_w, size)
            out.setdefault(chart_id, []).append(plot)
    return out


def native_chart_frames(doc: Document, fonts: FontSet, theme: Theme, template: DeckTemplate,
                        only: set[str] | None = None
                        ) -> dict[str, list[tuple[int, ChartData, float, float, Theme, SharedBars | None]]]:
    """chart id -> the native charts the deck draws it as: (first category, the chart or a part of a split
    ranking, width pt, height pt, the slide theme, the split parts' shared range and plot box or None); what
    deck_chart_frames and deck_bar_plots are made of. only: the ids of the charts wanted (None: every one;
    a chart's frames depend on its own slot alone)."""
    deck = _Frames(doc, fonts, theme, template)
    a = deck.area
    out: dict[str, list[tuple[int, ChartData, float, float, Theme, SharedBars | None]]] = {}
    for section in doc.sections:
        for f in section.findings:
            for slot, block in f.blocks.items():
                if slot not in f.layout.slide or not isinstance(block, ChartData) or block.kind == "timeline" \
                        or (only is not None and block.id not in only):
                    continue
                _x, _y, w, h = f.layout.slide[slot]
                w, h = w * a.w, h * a.h
                ch = h - deck.caption_height(block, w) - deck._note_height(block, w, h)
                frames, left = deck.chart_frames(block, w, ch)
                entries = [(start, part, pw, pch, th, shared) for start, part, pw, pch, th, _turn, shared in frames]
                while left is not None:  # a ranking's rows continued on slides of their own (ranking_continued)
                    offset = len(block.categories) - len(left.categories)
                    more, left_after = deck.chart_frames(left, a.w, a.h - deck.caption_height(left, a.w, True)
                                                         - deck._note_height(left, a.w, a.h))
                    entries += [(offset + start, part, pw, pch, th, shared)
                                for start, part, pw, pch, th, _turn, shared in more]
                    left = left_after
                out[block.id] = entries
    return out


def deck_line_chart_frames(doc: Document, fonts: FontSet, theme: Theme,
                      template: TemplateRef | DeckTemplate | None = None) -> dict[str, tuple[float, float, Theme]]:
    """`Deck.line_chart_frames` of the deck `render_pptx` would make on `template` (opened afresh: nothing of it
    is changed)."""
    opened = template.open() if isinstance(template, TemplateRef) else (
        TemplateRef().open() if template is None else template)
    return _Frames(doc, fonts, theme, opened).line_chart_frames()


def render_pptx(doc: Document, target: Path, fonts: FontSet, theme: Theme, epoch: int | None = None,
                template: TemplateRef | DeckTemplate | None = None, chart_cache: PartCache | None = None,
                font_cache: PartCache | None = None) -> DeckResult:
    """Render the deck on `template` (default: egovdeck's own 16:9 template; see render.template.template_for).

    `chart_cache`: where finished native chart parts are kept by content and reused (charts.native.PartCache);
    `font_cache` the same for the embedded font subsets."""
    if not isinstance(template, DeckTemplate):
        template = (template or TemplateRef()).open()
    deck = Deck(doc, fonts, theme, template)
    deck.chart_cache, deck.font_cache = chart_cache, font_cache
    if epoch is not None:
        deck.date_time = dt.datetime.fromtimestamp(epoch, dt.UTC).replace(tzinfo=None)
    deck.cover()
    deck.agenda()
    for i, section in enumerate(doc.sections, start=1):
        deck.divider(i, section.title, section.summary)
        for f in section.findings:
            deck.finding(f, section.title)
    deck.sources()
    deck.save(target)
    return deck.result



def spread_rows(chunks: list[list[int]], heights: list[float], room: float) -> list[list[int]]:
    """Rows per slide (indices into heights, pt) with no slide holding fewer than TABLE_ROWS rows where a
    neighbour can give one and both still fit `room` pt: [6, 6, 1] -> [6, 5, 2]. Slides are never added."""
    out = [list(c) for c in chunks]
    if len(out) < 2:
        return out
    for _ in range(len(heights)):  # each turn moves one row; a bound, not a loop without end
        moved = False
        for i, chunk in enumerate(out):
            if len(chunk) >= TABLE_ROWS:
                continue
            used = sum(heights[r] for r in chunk)
            if i > 0 and len(out[i - 1]) > TABLE_ROWS and used + heights[out[i - 1][-1]] <= room:
                chunk.insert(0, out[i - 1].pop())
                moved = True
            elif i + 1 < len(out) and len(out[i + 1]) > TABLE_ROWS and used + heights[out[i + 1][0]] <= room:
                chunk.append(out[i + 1].pop(0))
                moved = True
        if not moved:
            break
    return out
