"""Document -> PDF brief with ReportLab platypus: cover, 目录, running header/footer, numbered figures
and tables with their source lines, KPI callouts, a 数据说明 page, bookmarks and metadata."""

from __future__ import annotations

import calendar
import copy
import io
import itertools
from collections.abc import Callable
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import (
    ActionFlowable,
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    FrameBreak,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.tableofcontents import TableOfContents

from egovdeck import __version__
from egovdeck.compat.reportlab_cjk import install as install_cjk_breaker
from egovdeck.compat.reportlab_internals import (
    fit_split_row,
    frame_at_top,
    frame_height,
    kept_flowables,
    list_height,
    retype,
    row_heights,
    table_cells,
    text_cursor,
    toc_cells,
)
from egovdeck.document.chart import ChartData
from egovdeck.document.report import Document, FindingDoc, KPIData, TableData, dataset_entries
from egovdeck.document.theme import Theme
from egovdeck.render.pdf.geometry import (
    COLUMN_GAP,
    GIVE_LABEL_SIZE,
    MIN_CHART_HEIGHT,
    MIN_CHART_SCALE,
    MM,
    bar_height,
    body_height,
    figure_room,
    frame_width,
    min_chart_height,
    page_size,
    pdf_chart_plan,
    printed_blocks,
    printed_rows,
    stacked_row,
)
from egovdeck.render.pdf.tags import Marked, Tags, marked, tag_story
from egovdeck.text.fonts import FontSet, register_reportlab
from egovdeck.text.tablewidth import TableLayout, lay_out, split_unit, too_wide
from egovdeck.text.textfit import balance, note_text, paragraphs

CN_NUMERALS = "一二三四五六七八九十"
DrawingFor = Callable[[ChartData], Flowable]
ResizedFor = Callable[[ChartData, tuple[float, float]], Flowable]  # the chart drawn at another size


def cn_index(i: int) -> str:
    """1 -> 一, 11 -> 十一, 20 -> 二十; from 100 on, Arabic digits."""
    if i >= 100:
        return str(i)
    if i <= 10:
        return CN_NUMERALS[i - 1]
    tens, ones = divmod(i, 10)
    return (CN_NUMERALS[tens - 1] if tens > 1 else "") + "十" + (CN_NUMERALS[ones - 1] if ones else "")


def _esc(text: str) -> str:
    # U+3000 as a character reference: ReportLab's paragraph cleaner would turn it into a plain space
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\u3000", "&#x3000;")


def _hex(c: str) -> colors.Color:
    return colors.HexColor("#" + c)


class Styles:
    def __init__(self, fonts: FontSet, theme: Theme):
        r, b = fonts.rl_regular, fonts.rl_bold
        # no single line of a paragraph alone at the foot (orphan) or the head (widow) of a page
        base = {"fontName": r, "wordWrap": "CJK", "textColor": _hex(theme.text), "allowOrphans": 0,
                "allowWidows": 0}
        self.body = ParagraphStyle("body", fontSize=10.5, leading=19, firstLineIndent=21, alignment=TA_JUSTIFY,
                                   spaceAfter=6, **base)
        self.lead = ParagraphStyle("lead", parent=self.body, textColor=_hex(theme.muted))
        self.h1 = ParagraphStyle("h1", fontSize=17, leading=24, spaceBefore=6, spaceAfter=12, keepWithNext=1,
                                 **{**base, "fontName": b, "textColor": _hex(theme.accent)})
        self.h2 = ParagraphStyle("h2", fontSize=12.5, leading=18, spaceBefore=10, spaceAfter=6, keepWithNext=1,
                                 **{**base, "fontName": b})
        self.caption = ParagraphStyle("caption", fontSize=10, leading=14, alignment=TA_CENTER, spaceAfter=4,
                                      keepWithNext=1, **{**base, "fontName": b})
        self.source = ParagraphStyle("source", fontSize=8, leading=11, spaceBefore=2,
                                     **{**base, "textColor": _hex(theme.muted)})
        self.cell = ParagraphStyle("cell", fontSize=9, leading=12.5, **base)
        self.cell_head = ParagraphStyle("cellh", parent=self.cell, fontName=b, textColor=colors.white)
        self.kpi_value = ParagraphStyle("kpiv", fontSize=20, leading=24, alignment=TA_CENTER,
                                        **{**base, "fontName": b, "textColor": _hex(theme.accent)})
        self.kpi_label = ParagraphStyle("kpil", fontSize=9.5, leading=13, alignment=TA_CENTER, **base)
        self.kpi_change = ParagraphStyle("kpic", fontSize=8.5, leading=12, alignment=TA_CENTER,
                                         **{**base, "textColor": _hex(theme.muted)})
        self.toc_title = ParagraphStyle("toct", parent=self.h1, alignment=TA_LEFT)
        # an entry wraps before the column of its page number (Contents._entry_end: three digits and a leader)
        self.toc1 = ParagraphStyle("toc1", fontSize=11.5, leading=22, fontName=b, wordWrap="CJK",
                                   rightIndent=toc_number_room(b, 11.5))
        self.toc2 = ParagraphStyle("toc2", fontSize=10, leading=17, leftIndent=18, fontName=r, wordWrap="CJK",
                                   textColor=_hex(theme.muted), rightIndent=toc_number_room(r, 10))
        self.cover_title = ParagraphStyle("ct", fontSize=26, leading=36, **{**base, "fontName": b})
        self.cover_sub = ParagraphStyle("cs", fontSize=14, leading=22, **{**base, "textColor": _hex(theme.muted)})
        self.cover_meta = ParagraphStyle("cm", fontSize=11, leading=18, **base)
        self.note_title = ParagraphStyle("nt", fontSize=10.5, leading=16, spaceBefore=8, keepWithNext=1,
                                         **{**base, "fontName": b})
        self.note = ParagraphStyle("nb", fontSize=9, leading=15, leftIndent=12, **base)


class Para(Marked, Paragraph):
    """A paragraph that is content: drawn as a marked sequence of its structure element (render/pdf/tags).
    A plain Paragraph is pagination (the 「续表」 label) and becomes an artifact."""


class Heading(Para):
    """A heading that feeds the TOC and the outline (level 0 = section, 1 = finding, 2 = figure/table);
    tagged H1, H2 or Caption."""

    def __init__(self, text: str, style: ParagraphStyle, level: int, key: str, toc_text: str | None = None,
                 toc: bool = True):
        super().__init__(_esc(text), style)
        self.level, self.key, self.toc_text, self.in_toc = level, key, toc_text or text, toc
        self.role = ("H1", "H2", "Caption")[min(level, 2)]

    def draw(self) -> None:
        super().draw()
        _destination_here(self.canv, self.key, self.height)


def _destination_here(canv, key: str, top: float) -> None:
    """The destination `key` (outline entries and 目录 links) at height `top` of the flowable being
    drawn: /XYZ null top null, so a click lands on the heading and keeps the reader's zoom and scroll."""
    _x, y = canv.absolutePosition(0, top)
    canv.bookmarkPage(key, fit="XYZ", top=round(y, 2))


HEADER_GAP = 12.0  # pt between the report title (left) and the section title (right) of the running header


def header_texts(title: str, section: str, width: float, font: str, size: float) -> tuple[str, str]:
    """The running header's two texts, shortened with 「…」 so that they never overlap on one line of
    `width` pt: both whole when they fit; otherwise the section title keeps up to half the line (it is
    what changes from page to page) and the report title takes the rest."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    def fit(text: str, room: float) -> str:
        if stringWidth(text, font, size) <= room:
            return text
        while text and stringWidth(text + "…", font, size) > room:
            text = text[:-1]
        return text.rstrip() + "…" if text else ""

    room = width - HEADER_GAP
    tw, sw = stringWidth(title, font, size), stringWidth(section, font, size) if section else 0.0
    if tw + sw <= room:
        return title, section
    section = fit(section, max(room / 2, room - tw))
    return fit(title, room - stringWidth(section, font, size)), section


class Contents(TableOfContents):
    """The 目录, laid out in the same single pass as everything else.

    Its entries are the document's headings, known before layout; only their page numbers are not.
    Each number is drawn as a form XObject that BriefTemplate fills in once the last page is done
    (a PDF may use a form before defining it), so ReportLab's usual second pass is not needed."""

    def __init__(self, entries: list[tuple[int, str, str]], styles: list[ParagraphStyle], template_forms: dict):
        super().__init__(levelStyles=styles, dotsMinLevel=0)
        self.entries = [(level, _esc(text), 0, key) for level, text, key in entries]  # (read by tags.tag_story)
        self.addEntries(self.entries)
        self.beforeBuild()  # the entries are final: they become the ones wrap() lays out (one pass)
        self._forms = template_forms  # key -> style of its number, read by BriefTemplate

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        loose = getattr(self, "_loose", None) or list(self.levelStyles)
        self._loose = loose
        self.levelStyles = loose
        size = super().wrap(availWidth, availHeight)
        if size[1] > availHeight:
            # a little too long for the room: tighter lines rather than a last entry alone on a page
            for factor in TOC_TIGHTER:
                self.levelStyles = [ParagraphStyle(f"{st.name}-{factor}", parent=st, leading=st.leading * factor)
                                    for st in loose]
                size = super().wrap(availWidth, availHeight)
                if size[1] <= availHeight:
                    break
            else:
                self.levelStyles = loose
                size = super().wrap(availWidth, availHeight)
        retype(self._table, TocTable)
        # the end of each line is drawn after its title (TocLine), so content order reads title, leaders, number
        self.canv.setNamedCB("drawTOCEntryEnd", lambda canv, _kind, label: self._pending.append(
            (label, *text_cursor(canv))))
        self._pending: list[tuple[str, float, float]] = []
        # each line is the Link element of its entry (render/pdf/tags.tag_story made them)
        lines = (fl for fl in toc_cells(self) if isinstance(fl, Paragraph))
        for fl, tag in zip(lines, getattr(self, "entry_tags", None) or itertools.repeat(None), strict=False):
            retype(fl, TocLine)
            fl.tag = tag
            fl.after_text = lambda canv, tag=tag: self._entries_end(canv, availWidth, tag)
        return size

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        self._table.page_height = frame_height(self)  # the frame asks the TOC, not its table
        return super().split(availWidth, availHeight)

    def _entries_end(self, canv, width: float, tag) -> None:
        pending, self._pending = self._pending, []
        for label, x, y in pending:
            self._entry_end(canv, label, width, x, y, tag)

    def _entry_end(self, canv, label: str, width: float, x: float, y: float, tag=None) -> None:
        """Leaders (an artifact) and the page number (a second sequence of the entry's Link) of a line."""
        from ast import literal_eval

        from reportlab.pdfbase.pdfmetrics import stringWidth

        _page, level, key = label.split(",")
        key, style = literal_eval(key), self.getLevelStyle(int(level))
        reserve = stringWidth("000", style.fontName, style.fontSize)  # room for a number up to 999
        dot = " . "
        dot_w = stringWidth(dot, style.fontName, style.fontSize)
        n = int((width - reserve - x) / dot_w)
        if n > 0:
            text = canv.beginText(width - reserve - n * dot_w, y)
            text.setFont(style.fontName, style.fontSize)
            text.setFillColor(style.textColor)
            text.textLine(dot * n)
            canv.drawText(text)
        self._forms[key] = style
        canv.saveState()
        canv.translate(width, y)
        if tag is not None:
            tag.begin(canv)
        canv.doForm(_page_form(key))
        if tag is not None:
            tag.end(canv)
        canv.restoreState()
        canv.linkRect("", key, (width - reserve, y, width, y + style.leading), relative=1)


def toc_number_room(font: str, size: float) -> float:
    """Width (pt) kept free at the right of a 目录 line: a page number of up to three digits and one leader
    dot with its spaces (Contents._entry_end draws them there)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return stringWidth("000 . ", font, size)


TOC_TIGHTER = (0.9, 0.8)  # line spacings tried (of the planned one) to keep the 目录 on the room it has
TOC_TAIL = 3  # entries at least on the last page of a 目录 that runs over (never one line alone)


class TocTable(Table):
    """The 目录's lines (the table a TableOfContents lays out): when it splits so that what follows fits
    the next page, that page gets at least TOC_TAIL entries (fewer are taken here instead); a part that
    does not fit the next page splits again by the same rule. Its parts are TocTables too (ReportLab
    makes them with self.__class__)."""

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        parts = super().split(availWidth, availHeight)
        if len(parts) < 2:
            return parts
        heights = row_heights(self)
        taken = len(table_cells(parts[0]))
        rest = heights[taken:]
        page = frame_height(self) or getattr(self, "page_height", None) or availHeight
        if len(rest) >= TOC_TAIL or sum(rest) > page:
            return parts
        keep = len(heights) - TOC_TAIL
        if keep < 1:
            return []  # all of it to the next page
        parts = super().split(availWidth, sum(heights[:keep]) + 0.01)
        # the rest starts the next page: in the room left here it would split again
        return [parts[0], FrameBreak(), *parts[1:]] if len(parts) == 2 else parts


class TocLine(Para):
    """A 目录 line: its text first, then (after_text) the leaders and the page number."""

    def drawOn(self, canv, x: float, y: float, _sW: float = 0) -> None:
        super().drawOn(canv, x, y, _sW)
        after = getattr(self, "after_text", None)
        if after is not None:
            canv.saveState()
            canv.translate(x, y)  # the paragraph's own coordinates, as the onDraw callback saw them
            after(canv)
            canv.restoreState()


def _page_form(key: str) -> str:
    return "toc-" + "".join(c if c.isalnum() or c in "-_" else f"_{ord(c):x}" for c in key)


class Chart(Marked, Flowable):
    """A chart of known size whose Drawing is fetched only when its page is drawn, so the layout can run
    while the charts are still being rendered (in another process). Tagged a Figure whose alternate
    description is the chart's alt text, the one the deck gives the same chart."""

    role = "Figure"

    def __init__(self, chart: ChartData, size: tuple[float, float], drawing_for: DrawingFor,
                 resized_for: ResizedFor | None = None, min_height: float | None = None,
                 keeps_labels: Callable[[ChartData, tuple[float, float]], bool] | None = None):
        super().__init__()
        self.chart, self._drawing_for, self._resized_for = chart, drawing_for, resized_for
        self._keeps_labels = keeps_labels
        self.alt_text = chart.alt_text
        self.width, self.height = size
        # the least height a page may shrink it to (geometry.min_chart_height); its planned one if it cannot
        self.min_height = size[1] if min_height is None or resized_for is None else min(min_height, size[1])

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self.width, self.height

    def keeps_labels(self, height: float) -> bool:
        """Whether drawn `height` pt tall the chart still draws every data label decided for it (ChartData.
        shown_labels, decided at its planned size with the deck's frames: engine/labels.py); a shrink that
        would leave one out is not made, so the brief never shows fewer labels than the deck."""
        return self._keeps_labels is None or self._keeps_labels(self.chart, (self.width, round(height, 2)))

    def resized(self, height: float) -> Chart:
        """This chart (the same structure element) drawn `height` pt tall, laid out anew at that size."""
        other = copy.copy(self)
        other.height = round(height, 2)
        size, resized_for = (self.width, other.height), self._resized_for
        assert resized_for is not None
        other._drawing_for = lambda chart: resized_for(chart, size)
        return other

    def draw(self) -> None:
        drawing = self._drawing_for(self.chart)
        drawing.canv = self.canv
        with marked(self, self.canv):
            drawing.draw()


TABLE_START = 31.0  # a table starts a page with its header and at least this much body (two rows/lines)
SMALL_TABLE = 150.0  # a table with no more body than this (about eight rows) is not split: it moves whole


TABLE_ROWS = 2  # data rows a table piece holds at least, at a page foot and after 「续表N」 (orphans/widows)


class ContinuedTable(Table):
    """A table that repeats its header and prints 「续表N」 above each continuation. A row taller than the
    room left splits inside (splitInRow), so a cell longer than a page continues on the next one.

    Orphans and widows (CSS orphans/widows, ReportLab's splitByRow, done by data rows): each piece, the one
    at a page foot and each continuation, holds at least TABLE_ROWS data rows; a table of fewer than
    2 × TABLE_ROWS rows never splits between rows (it moves whole). Only where no page could hold such a
    piece (a row taller than the page, or a table starting a page that its first rows fill) does it split
    as it must, inside a row. `groups` gives each printed row's data row (a long cell prints as several
    rows, _row_pieces; the header rows are negative).

    The table's `tail` (its source line and note) stays with its last rows: drawn by the part that holds
    them, under it; a table whose rows fit the room left but not with its tail gives up its last rows
    (TABLE_ROWS at least) to the next page, where the tail follows them (a source line alone at the top
    of a page, its table on the page before, read as the next section's)."""

    # ReportLab builds the split parts with self.__class__(data, ...), so the extras are optional.
    def __init__(self, rows: list, *args, style=None, label: str = "", label_style: ParagraphStyle | None = None,
                 groups: list[int] | None = None, tail: list[Flowable] | None = None, **kwargs):
        kwargs.setdefault("splitInRow", TABLE_START)
        super().__init__(rows, *args, style=TableStyle(style) if isinstance(style, list) else style, **kwargs)
        self._style_cmds, self._label, self._label_style = style, label, label_style
        self.groups = groups
        self.tall: set[int] = set()  # data rows found too tall for a page (_tall_rows), kept by the parts
        self.tail: list[Flowable] = list(tail or [])
        self._tail_room = (0.0, 0.0)  # (width the tail was wrapped at, its height with the spaces), pt

    def _tail_height(self, availWidth: float) -> float:
        """pt the tail takes under the table at availWidth (a frame's or a cell's width), spaces included."""
        height, after = 0.0, 0.0
        for f in self.tail:
            height += max(after, f.getSpaceBefore()) + f.wrap(availWidth, 1e9)[1]
            after = f.getSpaceAfter()
        self._tail_room = (availWidth, height)
        return height

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        width, height = super().wrap(availWidth, availHeight)
        return width, height + (self._tail_height(availWidth) if self.tail else 0.0)

    def getSpaceAfter(self) -> float:
        return self.tail[-1].getSpaceAfter() if self.tail else super().getSpaceAfter()

    def drawOn(self, canvas, x: float, y: float, _sW: float = 0) -> None:
        if not self.tail:
            super().drawOn(canvas, x, y, _sW)
            return
        room_width, room = self._tail_room
        # the table above its tail; the tail at the left of the room the frame (or cell) gave, as a
        # paragraph following the table would be
        super().drawOn(canvas, x, y + room, _sW)
        top, after = y + room, 0.0
        for f in self.tail:
            top -= max(after, f.getSpaceBefore())
            top -= f.wrap(room_width, 1e9)[1]
            f.drawOn(canvas, x, top)
            after = f.getSpaceAfter()

    def _rows_height(self) -> float:
        return sum(row_heights(self))

    def _groups(self) -> list[int]:
        n = len(table_cells(self))
        if self.groups is not None and len(self.groups) == n:
            return list(self.groups)
        return [*range(-self.repeatRows, 0), *range(n - self.repeatRows)]

    def _label_height(self) -> float:
        """pt the 「续表N」 line takes above a continuation (with its space after); 0 without a label. The
        first piece has its caption there, of the same style and about the same length."""
        if not self._label or self._label_style is None:
            return 0.0
        label = Paragraph(_esc(f"续{self._label}"), self._label_style)
        width = getattr(self, "_width", None) or 1e6
        return label.wrap(width, 1e9)[1] + self._label_style.spaceAfter

    def _tall_rows(self) -> set[int]:
        """The data rows no page holds whole with another: all their printed pieces, the repeated header,
        the 「续表N」 line above it and the shorter of the neighbouring rows here are taller than the frame
        asking to split (and those a part split from this table found so, `tall`: the rest of a split row
        still belongs to a tall row). Kept whole, such a row would stand alone on a page (and leave the
        foot of the page before empty); it is split wherever it falls instead, so it starts in the room a
        page foot has and a page of its pieces alone is no orphan."""
        page = frame_height(self) or getattr(self, "page_height", None)
        if page is None:
            return set()
        heights = row_heights(self)
        head = sum(heights[: self.repeatRows]) + self._label_height()
        rows: dict[int, float] = {}
        for g, h in zip(self._groups()[self.repeatRows:], heights[self.repeatRows:], strict=True):
            rows[g] = rows.get(g, 0.0) + h
        def neighbour(g: int) -> float:
            return min((rows[n] for n in (g - 1, g + 1) if n in rows), default=0.0)

        self.tall = self.tall | {g for g, h in rows.items() if h + head + neighbour(g) > page}
        return self.tall

    def _fits_no_page(self) -> bool:
        """Whether a data row (all its printed pieces) with the repeated header, 「续表N」 and a neighbour is
        taller than the frame asking to split it (_tall_rows): no page would hold it whole with another
        row, so it splits here as at the top of a page (after 「续表N」, say)."""
        return bool(self._tall_rows())

    def _row_split(self, availHeight: float) -> int | None:
        """The printed row the next page starts with: the last that fits availHeight and leaves TABLE_ROWS
        data rows on both sides (a side holding part of a row no page holds whole, _tall_rows, needs no
        other: that row is split wherever it falls), between data rows or between pieces of a tall row if
        any such place fits (a tall row starts in the room a page foot has, rather than leave it empty
        and fill the next page alone), else between pieces of any row; None if there is none."""
        heights, groups, top = row_heights(self), self._groups(), self.repeatRows
        tall = self._tall_rows()

        def enough(side: set[int]) -> bool:
            return len(side) >= TABLE_ROWS or bool(side & tall)

        for between_rows in (True, False):
            best, used = None, sum(heights[:top])
            for k in range(top + 1, len(heights)):
                used += heights[k - 1]
                if used > availHeight + 1e-6:
                    break
                if between_rows and groups[k] == groups[k - 1] and groups[k] not in tall:
                    continue
                if enough(set(groups[top:k])) and enough(set(groups[k:])):
                    best = k
            if best is not None:
                return best
        return None

    def _placed(self, parts: list[Flowable]) -> list[Flowable]:
        """parts with the data rows of their printed rows (an in-row split prints the split row twice)."""
        groups, top = self._groups(), self.repeatRows
        if len(parts) == 2 and all(isinstance(p, ContinuedTable) for p in parts):
            n1, n2 = len(table_cells(parts[0])), len(table_cells(parts[1]))
            parts[0].groups = groups[:n1]
            parts[1].groups = groups[:top] + groups[len(groups) - (n2 - top):]
            parts[0].tall = parts[1].tall = set(self.tall)  # the tail of a tall row stays one
        return parts

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        if not self.tail:
            return self._split_rows(availWidth, availHeight)
        self.wrap(availWidth, availHeight)
        room = availHeight
        if self._rows_height() <= availHeight:  # the rows fit here, the tail does not: the last rows go with it
            room = availHeight - self._tail_room[1]
        parts = self._split_rows(availWidth, room)
        last = next((p.body if isinstance(p, KeepStart) else p for p in reversed(parts)
                     if isinstance(p, ContinuedTable | KeepStart)), None)
        if len(parts) >= 2 and isinstance(last, ContinuedTable) and last is not self:
            last.tail, self.tail = self.tail, []
        return parts

    def _split_rows(self, availWidth: float, availHeight: float) -> list[Flowable]:
        at_top = frame_at_top(self)
        Table.wrap(self, availWidth, availHeight)
        heights = row_heights(self)
        head = sum(heights[: self.repeatRows])
        body = sum(heights) - head
        if body <= SMALL_TABLE and not at_top and not self._fits_no_page():
            return []
        k = self._row_split(availHeight)
        if k is not None:
            floor = self.splitInRow
            self.splitInRow = 0  # between rows k - 1 and k, never inside row k
            try:
                parts = super().split(availWidth, sum(heights[:k]) + 0.01)
            finally:
                self.splitInRow = floor
            for part in parts:
                if isinstance(part, Table):
                    part.splitInRow = floor
            parts = self._into_tall_row(parts, k, availWidth, availHeight)
        elif not at_top and not self._fits_no_page():
            return []  # no place leaves two rows on each side here: start on the next page
        else:
            parts = self._split_as_it_must(availWidth, availHeight, at_top, head, body)
        if len(parts) < 2:
            return parts
        parts = self._placed(parts)
        first, rest = parts[0], parts[1]
        if isinstance(rest, Table) and len(table_cells(rest)) > rest.repeatRows:
            fit_split_row(rest, rest.repeatRows)  # the rest of a split cell: no blank before its next piece
        rest._style_cmds, rest._label, rest._label_style = self._style_cmds, self._label, self._label_style
        if not self._label:
            return parts
        label = Paragraph(_esc(f"续{self._label}"), self._label_style)
        # the continuation starts the next page even when the first part ends above the page foot (a row
        # too tall for the room left): placed in that room it would split again under a second 「续表N」
        return [first, FrameBreak(), KeepStart([label], rest)]

    def _into_tall_row(self, parts: list[Flowable], k: int, availWidth: float,
                       availHeight: float) -> list[Flowable]:
        """parts (split before printed row k), or, when row k is a piece of a row no page holds whole
        (_tall_rows) that does not fit and the room under row k - 1 holds two lines of it (TABLE_START),
        a split inside row k: the tall row runs to the page foot rather than leave up to a piece
        (ROW_PIECE) of the page empty, and a page of its middle alone is then full."""
        heights, groups = row_heights(self), self._groups()
        if (k >= len(heights) or groups[k] not in self._tall_rows()
                or sum(heights[:k + 1]) <= availHeight or availHeight - sum(heights[:k]) < TABLE_START):
            return parts
        inside = self._split_in_row(availWidth, availHeight)
        if len(inside) < 2 or not parts:
            return parts
        if inside[0].wrap(availWidth, availHeight)[1] > parts[0].wrap(availWidth, availHeight)[1]:
            return inside
        return parts

    def _split_as_it_must(self, availWidth: float, availHeight: float, at_top: bool, head: float,
                          body: float) -> list[Flowable]:
        """A split where no page could keep TABLE_ROWS rows on each side (rows taller than the page, or a
        table of few rows starting a page it does not fit): between rows, or inside the row that does not
        fit, never a header alone."""
        parts = super().split(availWidth, availHeight)
        if not parts and (at_top or self._fits_no_page()):
            parts = _split_at_top(self, availWidth, availHeight)
        if len(parts) < 2:
            return parts

        def short(first: Flowable) -> bool:
            return first.wrap(availWidth, availHeight)[1] - head < min(body, TABLE_START) - 0.5

        if short(parts[0]):
            # between rows only the header (or a row) fits: split inside the next row instead
            parts = self._split_in_row(availWidth, availHeight)
            if len(parts) < 2 or (short(parts[0]) and not at_top):
                return []  # start on the next page
        elif availHeight - parts[0].wrap(availWidth, availHeight)[1] >= TABLE_START:
            # whole rows leave room for two lines of the next (a tall) row: it starts here rather than
            # leave that room empty at the page foot
            inside = self._split_in_row(availWidth, availHeight)
            if len(inside) >= 2 and inside[0].wrap(availWidth, availHeight)[1] > parts[0].wrap(availWidth,
                                                                                               availHeight)[1]:
                parts = inside
        return parts

    def _split_in_row(self, availWidth: float, availHeight: float) -> list[Flowable]:
        """The parts of a split inside the row that does not fit whole (ReportLab's splitByRow 0: that
        row's part here holds at least splitInRow of it); [] if it cannot."""
        self.splitByRow = 0
        try:
            parts = super().split(availWidth, availHeight)
        finally:
            self.splitByRow = 1
        for part in parts:
            part.splitByRow = 1
        return parts


class KeepStart(Flowable):
    """Flowables that never end a page (a heading, a caption) kept with the start of what
    follows them. Unlike KeepTogether, the follower may split after its start: a table after its header
    and first rows, a paragraph after its first lines (two at least). If even that does not fit, the whole
    group moves to the next page. A side-by-side row holding a table that does not fit under its head even
    at the top of a page is laid out there slot under slot (RowGrid.stacked)."""

    def __init__(self, head: list[Flowable], body: Flowable):
        super().__init__()
        self.head, self.body = head, body

    def getSpaceBefore(self) -> float:
        return self.head[0].getSpaceBefore()

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return availWidth, 0xFFFFFF  # never drawn itself: the frame always asks it to split

    def _content(self) -> list[Flowable]:
        for f in [*self.head, self.body]:
            f.__dict__["keepWithNext"] = 0  # the document must not group them again
        return [*self.head, self.body]

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        # availHeight is the room under the space before the head: the frame (Frame.split, as for every
        # flowable) has already taken that space off, so it is not taken again here. The head's last space
        # after and the body's space before overlap (Frame overlapAttachedSpace): the larger one is left.
        content = self._content()
        at_top = frame_at_top(self)
        total = list_height(content, availWidth, self.canv)
        if total <= availHeight:
            return content
        head = list_height(self.head, availWidth, self.canv)
        # the follower is split here, not by the frame: it is told the frame's height (ContinuedTable)
        self.body.__dict__["page_height"] = frame_height(self) or getattr(self, "page_height", None)
        room = availHeight - head - max(self.head[-1].getSpaceAfter(), self.body.getSpaceBefore()) - ROOM_FUZZ
        parts = _start(self.body, availWidth, room, self.canv) if room > 0 else []
        if parts:
            return [*self.head, *parts]
        if at_top:  # a fresh page cannot do better: let the follower split on its own
            if isinstance(self.body, RowGrid) and self.body.stacked is not None:
                # a row with a table, too tall for the page under its heading: slot under slot (RowGrid)
                return [*self.head, *self.body.unstacked()]
            parted = self._head_parted(availWidth, availHeight, at_top)
            if parted is not None:
                return parted
            if isinstance(self.body, FigureBlock):
                # no page holds the figure under its heading at the figure's floor: it gives up more height
                # rather than leave the heading alone at this page's foot (a heading never ends a page)
                fitted = self.body.fitted(availWidth, room, self.canv, give=availHeight - room)
                if fitted is not None:
                    return [*self.head, *fitted]
            return content
        if self._lead_stays(self.head, availWidth, availHeight):
            # heading and lead here, the figure or table starts the next page
            return [*self.head, self.body]
        parted = self._head_parted(availWidth, availHeight, at_top)
        if parted is not None:
            return parted
        return [FrameBreak(), self]

    def _head_parted(self, availWidth: float, availHeight: float, at_top: bool) -> list[Flowable] | None:
        """The head parted before one of its later headings, when the follower cannot start under the
        whole head here: its first part stays (at a page's top when it ends with text; at a page foot when
        that text may stay there, _lead_stays) and the rest, from that heading on, keeps with the follower's
        start on the next page, where a page holds them (a section heading and its summary on this page,
        the finding's heading and lead with its figure on the next, rather than both headings and their
        texts here and the figure alone over the page). The latest such heading; None if there is none."""
        page = frame_height(self) or getattr(self, "page_height", None) or availHeight
        for i in range(len(self.head) - 1, 0, -1):
            first, rest = self.head[:i], self.head[i:]
            if not isinstance(rest[0], Heading) or isinstance(first[-1], Heading) \
                    or not isinstance(first[-1], Paragraph):
                continue
            if list_height(first, availWidth, self.canv) > availHeight:
                continue
            if not at_top and not self._lead_stays(first, availWidth, availHeight):
                continue
            if self._starts_under(rest, availWidth, page):
                return [*first, KeepStart(rest, self.body)]
        return None

    def _starts_under(self, head: list[Flowable], width: float, page: float) -> bool:
        """Whether a fresh page of `page` pt holds `head` and the start of the follower."""
        if list_height([*head, self.body], width, self.canv) <= page:
            return True
        room = page - list_height(head, width, self.canv) \
            - max(head[-1].getSpaceAfter(), self.body.getSpaceBefore()) - ROOM_FUZZ
        return room > 0 and bool(_start(self.body, width, room, self.canv))

    def _lead_stays(self, lead: list[Flowable], width: float, room: float) -> bool:
        """Whether `lead` (the head) may stay on this page without the follower's start:
        it ends with a paragraph (the lead under a heading) of at least two lines, it fits, and moving it
        would leave more than MAX_BLANK of the page empty. A heading is then kept with two lines of text,
        as at any other page foot."""
        if not lead or not isinstance(lead[-1], Paragraph) or isinstance(lead[-1], Heading):
            return False
        page = frame_height(self)
        if page is None or room <= MAX_BLANK * page or list_height(lead, width, self.canv) > room:
            return False
        lead[-1].wrapOn(self.canv, width, room)
        return len(lead[-1].blPara.lines) >= 2


ROOM_FUZZ = 0.01  # pt: what the room measured for a kept start gives up to rounding of the frame's sums
MAX_BLANK = 0.2  # of a page's frame: more room than this left empty at a foot is a visible hole
HALF_EMPTY = 0.5  # of a page's frame: a figure that would leave more than this empty gives up more height
SHRINK_SLACK = 1.0  # pt a shrunk chart gives up beyond the exact overflow (rounding of the frame's sums)


class FigureBlock(KeepTogether):
    """A figure's caption, chart and source lines, or a side-by-side row of figures, kept on one page.

    The rule (as a printed report does it): when the room left on a page is too small for the block, its
    charts give up height, each down to its `min_height` (geometry.min_chart_height: labels as large as
    at the planned size) and never to a height at which it would leave out a data label decided for both
    outputs (Chart.keeps_labels), rather than move on and leave that room blank. Only when even the smallest
    block does not fit does it move to the next page (KeepTogether's split). A side-by-side row gives
    `rebuild`, which makes the row anew with charts swapped (id of the planned chart -> its smaller copy)."""

    def __init__(self, content: list[Flowable], charts: list[Chart] | None = None,
                 rebuild: Callable[[dict[int, Chart]], list[Flowable]] | None = None):
        super().__init__(content)
        self.charts = charts if charts is not None else [
            c for f in content for c in ([f] if isinstance(f, Chart) else getattr(f, "parts", []))]
        self._rebuild = rebuild

    def fitted(self, width: float, room: float, canv, give: float = 0.0) -> list[Flowable] | None:
        """The content with its charts as little shorter as makes it fit `room` pt; None if it cannot.
        `give`: pt each chart may go below its floor (the heading it keeps with at a page's top), never
        below MIN_CHART_HEIGHT nor MIN_CHART_SCALE of its height, a ranking not below the rows that name
        its bars at GIVE_LABEL_SIZE when it has them (one that has not was warned about,
        geometry.unreadable_rankings); a chart drawn only at its planned size gives nothing."""
        content = kept_flowables(self)
        need = list_height(content, width, canv) - room
        if need <= 0:
            return content

        def lowest(c: Chart) -> float:
            if not give or c._resized_for is None:
                return c.min_height
            floor = max(c.min_height - give, c.height * MIN_CHART_SCALE, MIN_CHART_HEIGHT)
            named = bar_height(c.chart, GIVE_LABEL_SIZE) if c.chart.kind == "bar" else 0.0
            if named <= c.height:  # a ranking that names its bars at GIVE_LABEL_SIZE keeps them so large
                floor = max(floor, named)
            return min(c.min_height, floor)

        if not self.charts or any(c.height - need - SHRINK_SLACK < lowest(c) or
                                  not c.keeps_labels(c.height - need - SHRINK_SLACK) for c in self.charts):
            return None
        swap = {id(c): c.resized(c.height - need - SHRINK_SLACK) for c in self.charts}
        out = self._rebuild(swap) if self._rebuild is not None else [
            _parts_row([swap.get(id(c), c) for c in f.parts]) if getattr(f, "parts", None) else swap.get(id(f), f)
            for f in content]
        for f in out:
            f.__dict__["keepWithNext"] = 0  # placed as one: the document must not group them again
        return out

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        parts = self.fitted(availWidth, availHeight, self.canv)
        page = frame_height(self)
        if parts is None and page is not None and availHeight > HALF_EMPTY * page and not frame_at_top(self):
            # moved on, it would leave more than half of this page empty after the text before it: its charts
            # give up more height, to the floors a figure keeps at a page's top under its heading
            parts = self.fitted(availWidth, availHeight, self.canv, give=availHeight)
        return parts if parts is not None else super().split(availWidth, availHeight)


def _start(body: Flowable, width: float, room: float, canv) -> list[Flowable]:
    """body split so that its first part fits in room and is a real start; [] if it cannot be."""
    if isinstance(body, FigureBlock):
        return body.fitted(width, room, canv) or []
    if isinstance(body, KeepStart):
        parts = body.splitOn(canv, width, room)
        return [] if not parts or isinstance(parts[0], FrameBreak) else parts
    if isinstance(body, Paragraph | ContinuedTable):
        parts = body.splitOn(canv, width, room)
        return parts if len(parts) > 1 else []
    return []


class Gap(Spacer):
    """The space between two blocks (pt). It never opens a page: at the top of a frame it is 0 pt tall, so a
    gap that no longer fits under a block filling a page does not push the next page's heading down (as a
    Spacer does: its height plus the heading's space before, 18 pt, left empty at a page top)."""

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        width, height = super().wrap(availWidth, availHeight)
        return (width, 0.0) if frame_at_top(self) else (width, height)


class NewPage(ActionFlowable):
    """A page break that never leaves an empty page: nothing happens when nothing but spaces was placed on
    the current page yet (a figure's trailing space pushed over a full page, say), where a PageBreak would
    leave that page with only its running header and footer."""

    def apply(self, doc) -> None:
        if not getattr(doc, "page_fresh", False):
            doc.handle_pageBreak()


class BriefTemplate(BaseDocTemplate):
    def __init__(self, target, doc: Document, fonts: FontSet, theme: Theme, **kw):
        self.egov, self.fonts, self.theme = doc, fonts, theme
        w, h = page_size(doc)
        top, right, bottom, left = (m * MM for m in doc.margin_mm)
        super().__init__(target, pagesize=(w, h), leftMargin=left, rightMargin=right, topMargin=top,
                         bottomMargin=bottom, title=doc.title, author=doc.author, subject=doc.subject,
                         keywords=list(doc.keywords), creator=f"egovdeck {__version__}", producer=f"egovdeck {__version__}",
                         lang=doc.language, initialFontName=fonts.rl_regular, invariant=1, displayDocTitle=1, **kw)
        frame = Frame(left, bottom, w - left - right, h - top - bottom, id="body", leftPadding=0, rightPadding=0,
                      topPadding=0, bottomPadding=0)
        self.addPageTemplates([
            PageTemplate("cover", [frame], onPage=self._cover_page),
            # drawn when the page is complete, so the header knows whether a section began at its top
            PageTemplate("body", [frame], onPage=self._page_begins, onPageEnd=self._body_page),
        ])
        self.section_title = ""  # the section being laid out
        self.page_section = ""  # the section named in this page's header
        self.page_fresh = True  # nothing placed on this page yet
        self.page_count = 0
        self.heading_pages: dict[str, int] = {}  # key -> body page number (the cover is unnumbered)
        self.toc_styles: dict[str, ParagraphStyle] = {}  # key -> style of its number in the 目录

    # Running header and footer.
    def _cover_page(self, canv, _doc) -> None:
        w, h = self.pagesize
        canv.addPageLabel(0, prefix="封面")
        canv.addPageLabel(1, style="D", start=2)  # pages count as the file does: the cover is page 1
        canv.showOutline()  # the bookmarks panel opens with the document (/PageMode /UseOutlines)
        canv.saveState()
        canv.setFillColor(_hex(self.theme.accent))
        canv.rect(0, h - 18 * MM, w, 18 * MM, stroke=0, fill=1)
        canv.rect(0, 0, w, 8 * MM, stroke=0, fill=1)
        canv.restoreState()

    def _body_page(self, canv, _doc) -> None:
        w, h = self.pagesize
        top, right, bottom, left = (m * MM for m in self.egov.margin_mm)
        canv.saveState()
        canv.setFont(self.fonts.rl_regular, 8)
        canv.setFillColor(_hex(self.theme.muted))
        y = h - top + 10
        title, section = header_texts(self.egov.title, self.page_section, w - left - right,
                                      self.fonts.rl_regular, 8)
        canv.drawString(left, y, title)
        if section:
            canv.drawRightString(w - right, y, section)
        canv.setStrokeColor(_hex(self.theme.grid))
        canv.setLineWidth(0.6)
        canv.line(left, y - 4, w - right, y - 4)
        canv.translate(w / 2, bottom - 22)
        canv.doForm(f"footer-{canv.getPageNumber()}")  # 「第N页 / 共M页」, M known at the end
        canv.restoreState()

    def _page_begins(self, _canv, _doc) -> None:
        self.page_section, self.page_fresh = self.section_title, True

    def afterFlowable(self, flowable: Flowable) -> None:
        fresh = self.page_fresh
        if not isinstance(flowable, ActionFlowable | CondPageBreak | Spacer):
            self.page_fresh = False
        if isinstance(flowable, Heading):
            if flowable.level == 0:
                self.section_title = flowable.toc_text
                if fresh:  # the section starts at the top of this page: name it in the header
                    self.page_section = flowable.toc_text
            self.canv.addOutlineEntry(flowable.toc_text, flowable.key, level=flowable.level,
                                      closed=flowable.level > 0)
            # the file's page number, as in the footer and the page labels (the cover is page 1, unprinted)
            self.heading_pages.setdefault(flowable.key, self.page)

    def handle_documentBegin(self) -> None:
        self.section_title = self.page_section = ""
        super().handle_documentBegin()

    def afterPage(self) -> None:
        self.page_count = max(self.page_count, self.page)

    def canvas_class(self) -> type:
        """The canvas to build with (`build(..., canvasmaker=)`): when platypus saves it, after the
        last page, the forward-referenced numbers (目录 page numbers, 「共 M 页」) are filled in first."""
        from reportlab.pdfgen.canvas import Canvas

        template = self

        class BriefCanvas(Canvas):
            def save(self) -> None:
                template.fill_forms(self)
                super().save()

        return BriefCanvas

    def fill_forms(self, canv) -> None:
        total = self.page_count  # the file's pages: a reader's viewer and the footer agree (issue 16)
        for key, style in self.toc_styles.items():
            canv.beginForm(_page_form(key), lowerx=-200, lowery=-20, upperx=20, uppery=40)
            canv.setFont(style.fontName, style.fontSize)
            canv.setFillColor(style.textColor)
            canv.drawRightString(0, 0, str(self.heading_pages[key]))
            canv.endForm()
        w, _h = self.pagesize
        for n in range(2, total + 1):
            canv.beginForm(f"footer-{n}", lowerx=-w / 2, lowery=-20, upperx=w / 2, uppery=40)
            canv.setFont(self.fonts.rl_regular, 8)
            canv.setFillColor(_hex(self.theme.muted))
            canv.drawCentredString(0, 0, f"第{n}页 / 共{total}页")  # no space at a number, as in the text (issue 16)
            canv.endForm()


def render_pdf(doc: Document, out: Path | io.BytesIO, drawing_for: DrawingFor, fonts: FontSet, theme: Theme,
               epoch: int | None = None, resized_for: ResizedFor | None = None) -> int:
    """Write the brief; return its page count.

    drawing_for: a chart's Drawing at its planned size (geometry.pdf_chart_sizes); resized_for: at
    another size, for a chart shrunk to fit the room left on a page (FigureBlock); by default it is
    rendered here (charts.mpl).

    epoch: the creation time written into the info dictionary and XMP (seconds since 1970, UTC); the
    engine passes SOURCE_DATE_EPOCH or the report's date, and so does this function when it is None."""
    register_reportlab(fonts)
    install_cjk_breaker()  # 禁则 line breaking in every paragraph (textfit.break_lines, as the deck)
    styles = Styles(fonts, theme)
    sizes, split = pdf_chart_plan(doc)
    fetch = drawing_for
    if resized_for is None:
        def resized_for(chart: ChartData, size: tuple[float, float]) -> Flowable:
            from egovdeck.render.pdf.chart import chart_flowable

            return chart_flowable(chart, size[0], size[1], theme, fonts)


    def keeps_labels(chart: ChartData, size: tuple[float, float]) -> bool:
        from egovdeck.charts.labelplan import pdf_shown_labels

        return not chart.shown_labels or pdf_shown_labels(chart, *size, theme, fonts) >= chart.shown_labels

    def drawing_for(chart: ChartData) -> Flowable:
        size = sizes[chart.id]
        if chart.id in split:  # a ranking no page holds whole: its columns side by side, drawn at their size
            assert resized_for is not None
            parts = [Chart(part, sizes[part.id], lambda c, s=sizes[part.id]: resized_for(c, s), resized_for,
                           min_chart_height(part, sizes[part.id], theme.chart_label_size))
                     for part in split[chart.id]]
            return _parts_row(parts)
        return Chart(chart, size, fetch, resized_for, min_chart_height(chart, size, theme.chart_label_size),
                     keeps_labels)

    story: list[Flowable] = []
    story += _cover(doc, styles)
    contents_at = len(story)
    counters = {"fig": 0, "tab": 0}
    for si, section in enumerate(doc.sections, start=1):
        if si > 1:
            story.append(CondPageBreak(260))
        story.append(Heading(f"{cn_index(si)}、{section.title}", styles.h1, 0, f"s-{section.id}"))
        if section.summary:
            story += _paragraphs(section.summary, styles.lead)
        for finding in section.findings:
            story += _finding(finding, styles, counters, drawing_for, doc, theme)
    story += _data_notes(doc, styles, counters.get("uses", {}))

    target, out = out, io.BytesIO()  # tagged (and PDF/A) after the build
    template = BriefTemplate(str(out) if isinstance(out, Path) else out, doc, fonts, theme)
    entries = [(f.level, f.toc_text, f.key) for f in story if isinstance(f, Heading) and f.in_toc]
    story[contents_at:contents_at] = _contents(styles, entries, template.toc_styles)
    tags = Tags()
    tag_story(story, tags)
    story = _bind(story)
    # One layout pass: the 目录's page numbers and 「共 M 页」 are forms filled in at the end.
    template.build(story, canvasmaker=template.canvas_class())
    _write_pdfa(out.getvalue(), target, doc, tags, calendar.timegm(doc.date.timetuple()) if epoch is None else epoch)
    return template.page_count


def _write_pdfa(data: bytes, target: Path | io.BytesIO, doc: Document, tags: Tags, epoch: int) -> None:
    from egovdeck.render.pdf.pdfa import to_pdfa

    data = to_pdfa(data, doc.pdf_standard, language=doc.language, producer=f"egovdeck {__version__}",
                   epoch=epoch, tags=tags, logo=doc.logo)
    if isinstance(target, Path):
        target.write_bytes(data)
    else:
        target.write(data)


def _balanced(text: str, style: ParagraphStyle, width: float) -> str:
    """Paragraph markup for a display line: if it needs two lines, break at the comma nearest the middle
    rather than leaving a word or two alone on the second line."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    if stringWidth(text, style.fontName, style.fontSize) <= width:
        return _esc(text)
    if "，" not in text:
        return _lines_balanced(text, style, width)
    cuts = [i + 1 for i, c in enumerate(text) if c == "，"]
    cut = min(cuts, key=lambda i: abs(i - len(text) / 2))
    if max(stringWidth(part, style.fontName, style.fontSize) for part in (text[:cut], text[cut:])) > width:
        return _lines_balanced(text, style, width)  # a half wider than the line would break again, unevenly
    return _esc(text[:cut]) + "<br/>" + _esc(text[cut:])


def _header_markup(head: str, style: ParagraphStyle, width: float) -> str:
    """A table header's markup: one line when it fits `width` (pt), else its name in lines of about equal
    length and its 「（单位）」 on a line of its own (tablewidth.split_unit)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    width += 2e-3  # a column is as wide as its widest header piece: that piece fits exactly (_lines_balanced)
    if stringWidth(head, style.fontName, style.fontSize) <= width:
        return _esc(head)
    base, unit = split_unit(head)
    if not unit or not base:
        return _lines_balanced(head, style, width)
    return _lines_balanced(base, style, width) + "<br/>" + _lines_balanced(unit, style, width)


def _lines_balanced(text: str, style: ParagraphStyle, width: float) -> str:
    """Paragraph markup for a title broken into lines of about equal length (textfit.balance)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    chars = list(text)
    widths = [stringWidth(c, style.fontName, style.fontSize) for c in chars]
    return "<br/>".join(_esc(text[a:b]) for a, b, _ in balance(chars, widths, width - 1e-3))


COVER_TOP = 70 * MM  # above the title on a page with room (A4 portrait)
COVER_MIDDLE = 60 * MM  # between the title block and the organisation, date and logo
COVER_SLACK = 2.0  # pt kept free at the frame's foot (rounding of the frame's sums)
COVER_TITLE_SIZES = (26, 22, 19, 16, 14)  # pt: the title shrinks until the cover fits one page
COVER_LOGO_MM = (30, 20, 12)  # the logo's box, shrunk the same way


def _cover(doc: Document, s: Styles) -> list[Flowable]:
    """The cover: title, subtitle, edition, then logo, organisation, author and date, always on one page.

    On a page with room (A4 portrait) the title starts COVER_TOP below the frame's top and the lower
    block COVER_MIDDLE under the title; on a shorter frame (landscape, A5, wide margins) both gaps shrink
    in the same proportion to the room left, and when even no gaps are too much the title (then the
    logo) gets smaller, down to COVER_TITLE_SIZES[-1]. Raises nothing: the last try is returned."""
    width, room = frame_width(doc), body_height(doc) - COVER_SLACK
    out: list[Flowable] = []
    for size, logo_mm in zip(COVER_TITLE_SIZES, (*COVER_LOGO_MM, *[COVER_LOGO_MM[-1]] * 9), strict=False):
        title_style = s.cover_title if size == s.cover_title.fontSize else ParagraphStyle(
            f"ct-{size}", parent=s.cover_title, fontSize=size, leading=s.cover_title.leading * size / 26)
        upper: list[Flowable] = [Para(_lines_balanced(doc.title, title_style, width), title_style),
                                 Spacer(1, 6 * MM)]
        if doc.subtitle:
            upper.append(Para(_balanced(doc.subtitle, s.cover_sub, width), s.cover_sub))
        if doc.edition:
            upper.append(Para(_esc(f"（{doc.edition}版）"), s.cover_sub))
        lower: list[Flowable] = []
        if doc.logo:
            from reportlab.platypus import Image

            lower += [Image(doc.logo, width=logo_mm * MM, height=logo_mm * MM, kind="proportional"),
                      Spacer(1, 6 * MM)]
        author = doc.author if doc.author != doc.organisation else ""
        for line in (doc.organisation, author, f"{doc.date.year}年{doc.date.month}月{doc.date.day}日"):
            if line:
                lower.append(Para(_esc(line), s.cover_meta))
        used = list_height([*upper, *lower], width, None)
        gaps = min(COVER_TOP + COVER_MIDDLE, room - used)
        out = [Spacer(1, max(gaps, 0) * COVER_TOP / (COVER_TOP + COVER_MIDDLE)), *upper,
               Spacer(1, max(gaps, 0) * COVER_MIDDLE / (COVER_TOP + COVER_MIDDLE)), *lower]
        if gaps >= 0:
            break
    return [*out, NextPageTemplate("body"), PageBreak()]


def _contents(s: Styles, entries: list[tuple[int, str, str]], forms: dict) -> list[Flowable]:
    return [Heading("目录", s.toc_title, 0, "toc", toc=False), Contents(entries, [s.toc1, s.toc2], forms),
            NewPage()]


def _paragraphs(text: str, style: ParagraphStyle) -> list[Flowable]:
    return [Para(_esc(p), style) for p in paragraphs(text)]


def _finding(f: FindingDoc, s: Styles, counters: dict[str, int], drawing_for: DrawingFor, doc: Document,
             theme: Theme) -> list[Flowable]:
    out: list[Flowable] = [Heading(f.title, s.h2, 1, f"f-{f.id}")]
    out += _paragraphs(f.text, s.body)
    full = frame_width(doc)
    for present in (part for row in f.layout.pdf
                    for part in printed_rows([slot for slot in row if slot in f.blocks], full)):
        if not present:
            continue
        width = (full - COLUMN_GAP * (len(present) - 1)) / len(present)
        numbered = copy.deepcopy(counters)
        if stacked_row(f.blocks, present, width, figure_room(doc)):
            # a chart that cannot name its categories beside its neighbour: slot under slot at the frame's
            # width, each chart planned at that width (geometry.pdf_chart_sizes)
            out += [fl for cell in _slots(f, present, full, s, counters, drawing_for, theme) for fl in cell]
            continue
        cells = _slots(f, present, width, s, counters, drawing_for, theme)
        if len(cells) == 1:
            out += cells[0]
            continue
        stacked = None
        if any(isinstance(f.blocks[slot], TableData) for slot in present):
            # the same slots one under the other, the same numbers (the copy's counters are dropped): what
            # the row becomes when it must split, so that its table continues as any long table does
            again = copy.deepcopy(numbered)
            stacked = [fl for cell in _slots(f, present, full, s, again, drawing_for, theme, narrow=width)
                       for fl in cell]
            if _taller_than_a_page(cells, width, doc):
                out += stacked  # it cannot fit any page side by side: stacked from the start
                continue
        # Side by side in a one-row table: no KeepTogether inside cells (the row keeps them together).
        flat = [[x for fl in cell for x in (kept_flowables(fl) if isinstance(fl, KeepTogether) else [fl])]
                for cell in cells]
        marks = [fl for cell in flat for fl in cell if isinstance(fl, Heading)]
        grid = _row_grid(flat, width, marks, stacked)
        if stacked is not None:
            out.append(grid)  # moves whole to the next page, or is stacked where it must split (RowGrid)
        else:  # figures (and KPIs) side by side: the row shrinks its charts together, like one figure
            charts = [fl for cell in flat for fl in cell if isinstance(fl, Chart)]
            out.append(FigureBlock([grid], charts, lambda swap, flat=flat, width=width, marks=marks: [
                _row_grid([[swap.get(id(fl), fl) for fl in cell] for cell in flat], width, marks)]))
    return out


def _slots(f: FindingDoc, present: list[str], width: float, s: Styles, counters: dict[str, int],
           drawing_for: DrawingFor, theme: Theme, narrow: float | None = None) -> list[list[Flowable]]:
    """The flowables of each slot of one layout row at `width` pt, numbered on from `counters`; the KPI
    band's source line under it. `narrow`: the slots are stacked at the frame's width, and a chart keeps
    the size it was planned at beside its neighbour (`narrow` pt wide), centred with its lines (_centred)."""
    cells = []
    for slot in present:
        block = f.blocks[slot]
        cell = _block(block, width, s, counters, drawing_for, theme)
        if isinstance(block, tuple) and f.kpi_source:
            cell.insert(-1, Para(_esc(f.kpi_source), s.source))  # under the KPI band
        if narrow is not None and isinstance(block, ChartData):
            cell = [_centred(cell[0], narrow, width), *cell[1:]]
        cells.append(cell)
    return cells


def _centred(figure: FigureBlock, narrow: float, width: float) -> FigureBlock:
    """A figure planned `narrow` pt wide, placed alone in a frame `width` pt wide: its caption centred
    over the frame as every caption is, the chart and its source lines in a column of the chart's width
    centred under it (not the chart at the frame's left edge with its lines running past it)."""
    caption, *rest = kept_flowables(figure)
    charts = [fl for fl in rest if isinstance(fl, Chart)]

    def column(swap: dict[int, Chart]) -> list[Flowable]:
        grid = _row_grid([[swap.get(id(fl), fl) for fl in rest]], narrow)
        grid.hAlign = "CENTER"
        return [caption, grid]

    return FigureBlock(column({}), charts, column)


def _taller_than_a_page(cells: list[list[Flowable]], width: float, doc: Document) -> bool:
    """Whether a side-by-side row holding a data table would not fit on one page at `width` pt a slot."""
    flat = [[x for fl in cell for x in (kept_flowables(fl) if isinstance(fl, KeepTogether) else [fl])]
            for cell in cells]
    return max(list_height(cell, width, None) for cell in flat) > body_height(doc)


class RowGrid(Table):
    """Slots side by side: a one-row layout table of columns. It draws the outline entries of the captions
    in its cells (not top-level flowables, so the document does not see them) at its top, on the page it
    lands on.

    A row holding a data table never splits inside itself (the table would continue without 「续表N」 beside
    an empty column). It has `stacked`: the same slots one under the other at the frame's width, with the
    same numbers. Asked to split where a fresh page could hold it whole, it moves on (split gives
    nothing); at the top of a page, or taller than the page, it becomes `stacked`, whose table then
    continues like every other table: header once a page under 「续表N」."""

    def __init__(self, cells: list, marks: list[Heading], stacked: list[Flowable] | None, **kw):
        super().__init__(cells, **kw)
        self.marks, self.stacked = marks, stacked
        self.parts: list[Chart] = []  # the columns of a split ranking (_parts_row)
        self.row_top = 0.0  # pt above the row's bottom: its height as last wrapped

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        width, self.row_top = super().wrap(availWidth, availHeight)
        return width, self.row_top

    def draw(self) -> None:
        for heading in self.marks:  # the row's top: drawn after the frame wrapped it at its place
            _destination_here(self.canv, heading.key, self.row_top)
            self.canv.addOutlineEntry(heading.toc_text, heading.key, level=heading.level, closed=True)
        super().draw()

    def unstacked(self) -> list[Flowable]:
        """The row's slots one under the other, captions kept with what follows them (_bind)."""
        assert self.stacked is not None
        return _bind(list(self.stacked))

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        if self.stacked is None:  # figures side by side (kept whole by their FigureBlock), as before
            parts = super().split(availWidth, availHeight)
            return parts or (_split_at_top(self, availWidth, availHeight) if frame_at_top(self) else [])
        page = frame_height(self)
        if frame_at_top(self) or (page is not None and self.wrap(availWidth, page)[1] > page):
            return self.unstacked()
        return []


def _parts_row(parts: list[Chart]) -> RowGrid:
    """The parts of a ranking split into columns (geometry.ranking_parts) side by side; `parts` on the row
    lets its FigureBlock shrink them together like the charts of any figure."""
    grid = _row_grid([[p] for p in parts], parts[0].width)
    grid.parts = parts
    return grid


def _split_at_top(table: Table, availWidth: float, availHeight: float) -> list[Flowable]:
    """A table that starts a page but only just does not fit it: ReportLab refuses to split inside a row
    when less than splitInRow would go on (its guard against a sliver), which at the top of a page
    cannot be helped by moving on. Split it again without that floor; its parts keep the floor."""
    floor = table.splitInRow
    table.splitInRow = 1
    try:
        parts = Table.split(table, availWidth, availHeight)
    finally:
        table.splitInRow = floor
    for part in parts:
        if isinstance(part, Table):
            part.splitInRow = floor
    return parts


def _row_grid(cells: list[list[Flowable]], width: float, marks: list[Heading] | None = None,
              stacked: list[Flowable] | None = None) -> RowGrid:
    """Slots side by side in a one-row table of columns `width` pt apart by COLUMN_GAP (RowGrid); each
    cell but the last carries the gap as right padding, so captions and source lines wrap at the slot's
    width and never run into the next column."""
    grid = RowGrid([[list(cell) for cell in cells]], marks or [], stacked, splitInRow=TABLE_START,
                   colWidths=[width + (COLUMN_GAP if i < len(cells) - 1 else 0) for i in range(len(cells))])
    grid.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                              ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                              ("RIGHTPADDING", (0, 0), (-2, -1), COLUMN_GAP),
                              ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))
    return grid


def _block(block, width: float, s: Styles, counters: dict[str, int], drawing_for: DrawingFor,
           theme: Theme) -> list[Flowable]:
    if isinstance(block, ChartData):
        counters["fig"] += 1
        n = counters["fig"]
        caption = f"图{n}　{block.title}"
        counters.setdefault("uses", {}).setdefault(block.dataset, []).append(f"图{n}")
        # the caption is the outline entry's anchor: the bookmark lands on the page the caption is drawn on
        parts: list[Flowable] = [Heading(caption, s.caption, 2, f"fig-{n}", toc=False), drawing_for(block)]
        # 注 before 资料来源, as Chinese statistical publications print them and as the deck does (its note sits
        # under the chart, the source line at the slide's foot)
        if block.note:
            parts.append(Para(_esc(note_text(block.note)), s.source))
        if block.source:
            parts.append(Para(_esc(block.source), s.source))
        return [FigureBlock(parts), Gap(1, 8)]
    if isinstance(block, TableData):
        counters["tab"] += 1
        counters.setdefault("uses", {}).setdefault(block.dataset, []).append(f"表{counters['tab']}")
        return _table(block, counters["tab"], width, s, theme)
    return [_kpis(block, width, s, theme), Gap(1, 10)]


def _one_line(text: str, style: ParagraphStyle, width: float, floor: float) -> ParagraphStyle:
    """style, shrunk (down to floor) until text fits on one line of width."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    size = style.fontSize
    while size > floor and stringWidth(text, style.fontName, size) > width:
        size -= 0.5
    if size == style.fontSize:
        return style
    return ParagraphStyle(f"{style.name}-{size}", parent=style, fontSize=size, leading=style.leading * size / style.fontSize)


MIN_KPI_WIDTH = 72.0  # pt: a KPI cell narrower than this wraps to the next row (never a negative width)
KPI_VALUE_FLOOR = 7.0  # pt; a KPI value longer than its card at this size is cut by the breaker


def _kpis(kpis: tuple[KPIData, ...], width: float, s: Styles, theme: Theme) -> Flowable:
    per_row = max(1, min(len(kpis), int(width // MIN_KPI_WIDTH)))
    col = width / per_row
    inner = col - 12  # the cell's default padding
    # the value is one line whatever its length (a number is never split): it shrinks to KPI_VALUE_FLOOR
    cells = [[Para(_esc(k.value), _one_line(k.value, s.kpi_value, inner, KPI_VALUE_FLOOR)),
              Para(_esc(k.label), _one_line(k.label, s.kpi_label, inner, 7.5))]
             + ([Para(_esc(k.change), _one_line(k.change, s.kpi_change, inner, 7))] if k.change else [])
             for k in kpis]
    rows = [cells[i:i + per_row] for i in range(0, len(cells), per_row)]
    rows[-1] += [""] * (per_row - len(rows[-1]))
    t = Table(rows, colWidths=[col] * per_row)
    t.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, -1), _hex(theme.background_band)),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 9), ("BOTTOMPADDING", (0, 0), (-1, -1), 9),
        ("LINEAFTER", (0, 0), (-2, -1), 0.6, colors.white),
        ("LINEABOVE", (0, 0), (-1, -1), 1.6, _hex(theme.accent)),
    ]))
    return t


def _table(t: TableData, n: int, width: float, s: Styles, theme: Theme) -> list[Flowable]:
    label = f"表{n}"
    caption = f"{label}　{t.title}"
    layout = table_layout(t, width, s.cell.fontName, s.cell_head.fontName)
    size, widths, pad = layout.size, layout.widths, layout.pad
    cell = s.cell if size == s.cell.fontSize else ParagraphStyle(
        f"cell-{size}", parent=s.cell, fontSize=size, leading=s.cell.leading * size / s.cell.fontSize)
    right = ParagraphStyle("cellr", parent=cell, alignment=2)
    center = ParagraphStyle("cellc", parent=cell, alignment=1)
    by_align = {"left": cell, "right": right, "center": center}
    head_style = ParagraphStyle("cellh", parent=cell, fontName=s.cell_head.fontName, textColor=colors.white)
    # cells are lists of flowables, so that a row taller than the room left can split inside (splitInRow)
    # headers in lines of about equal length (「服务/事项」, not 「服务事/项」)
    head = [[Para(_header_markup(h, head_style, w - pad), ParagraphStyle("h", parent=head_style,
                                                                          alignment=by_align[a].alignment))]
            for h, a, w in zip(t.header, t.align, widths, strict=True)]
    body: list[list[list[Flowable]]] = []
    shades: list[str] = []  # each printed row's background: a data row's pieces share its shade
    joins: list[tuple] = []  # no padding where a piece of a row meets the next: the text runs on without a gap
    groups: list[int] = [-1]  # each printed row's data row (the header: -1)
    for k, row in enumerate(t.rows):
        pieces = _row_pieces([Para(_esc(c), by_align[a]) for c, a in zip(row, t.align, strict=True)],
                             [w - pad for w in widths])
        first = len(body) + 1  # the table's row index of the first piece (row 0 is the header)
        for r in range(first, first + len(pieces) - 1):
            joins += [("BOTTOMPADDING", (0, r), (-1, r), 0), ("TOPPADDING", (0, r + 1), (-1, r + 1), 0)]
        body += pieces
        groups += [k] * len(pieces)
        shades += ["FFFFFF" if k % 2 == 0 else "F3F6FA"] * len(pieces)
    style = [
        ("BACKGROUND", (0, 0), (-1, 0), _hex(theme.accent)),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LINEBELOW", (0, -1), (-1, -1), 0.8, _hex(theme.accent)),
        ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), pad / 2), ("RIGHTPADDING", (0, 0), (-1, -1), pad / 2),
        *[("BACKGROUND", (0, r), (-1, r), _hex(c)) for r, c in enumerate(shades, start=1) if c != "FFFFFF"],
        *joins,
    ]
    tail: list[Flowable] = []
    if t.note:  # 注 before 资料来源, as for figures (_block)
        tail.append(Para(_esc(note_text(t.note)), s.source))
    if t.source:
        tail.append(Para(_esc(t.source), s.source))
    table = ContinuedTable([head, *body], colWidths=widths, repeatRows=1, style=style,
                           label=label + "　" + t.title, label_style=s.caption, groups=groups, tail=tail)
    # the caption is the outline entry's anchor and is kept with the table's first rows (see _bind); the
    # source and note with its last rows (ContinuedTable.tail)
    return [Heading(caption, s.caption, 2, f"tab-{n}", toc=False), table, Gap(1, 8)]


CELL_PADS = (12.0, 8.0)  # a cell's left + right padding, pt: ReportLab's 6 + 6, then 4 + 4 for a wide table
ROW_PIECE = 120.0  # pt: a cell taller than this is printed as pieces in rows of their own (see _row_pieces)


def _row_pieces(cells: list[Paragraph], widths: list[float]) -> list[list[list[Flowable]]]:
    """One data row as printed rows: itself, or, when a cell is taller than ROW_PIECE at its column's
    text width (pt), its first ROW_PIECE with the other cells, then the rest in pieces of at most
    ROW_PIECE, each in a row of its own under the same cell (the other cells empty). ReportLab splits a
    row inside only by its own rule, which for cells of thousands of characters left continuation rows
    of empty cells taller than a page (exit 3); lines of a paragraph split by Paragraph.split are never
    lost or repeated."""
    columns: list[list[Flowable]] = []
    for para, width in zip(cells, widths, strict=True):
        parts: list[Flowable] = [para]
        if para.wrap(width, 1e9)[1] > ROW_PIECE:
            parts = []
            rest: Flowable | None = para
            while rest is not None:
                split = rest.splitOn(None, width, ROW_PIECE) if rest.wrap(width, 1e9)[1] > ROW_PIECE else []
                if len(split) < 2:
                    parts.append(rest)
                    rest = None
                else:
                    parts.append(split[0])
                    rest = split[1]
        columns.append(parts)
    count = max(len(parts) for parts in columns)
    return [[[parts[i]] if i < len(parts) else [] for parts in columns] for i in range(count)]

TABLE_SIZES = (9, 8.5, 8, 7.5, 7)  # cell font sizes tried until every column's floor fits


def table_layout(t: TableData, width: float, regular: str, bold: str) -> TableLayout:
    """Cell font size, padding and column widths from content (text/tablewidth.lay_out) for a table
    `width` pt wide, in the ReportLab fonts named: numbers, dates, short names and short headers never
    break; long text columns take the rest and wrap."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    def measure_at(size: float) -> Callable[[str, bool], float]:
        return lambda text, heavy: stringWidth(text, bold if heavy else regular, size)

    return lay_out(t.header, t.rows, t.raw, measure_at, TABLE_SIZES, CELL_PADS, width)


def too_wide_tables(doc: Document, fonts: FontSet) -> list[str]:
    """Warnings for the brief's tables whose numbers or words are broken because their columns do not fit
    the frame even at the smallest size, tightest padding and wrapped headers (tablewidth.too_wide)."""
    register_reportlab(fonts)
    out = []
    for block, width in printed_blocks(doc):
        if isinstance(block, TableData):
            layout = table_layout(block, width, fonts.rl_regular, fonts.rl_bold)
            if not layout.kept:
                out.append("PDF: " + too_wide(block.title, layout))
    return out


SHORT_LEAD = 100  # characters: a paragraph this short under a heading (about two lines) goes with what follows


def _keeps(f: Flowable, before: Flowable | None) -> bool:
    """Flowables that must not end a page: headings, captions, and a paragraph too short to split
    (under four lines) that directly follows a heading: heading, sentence and the table's start go together."""
    if isinstance(f, Heading):
        return getattr(f, "key", "") != "toc"
    return (isinstance(f, Paragraph) and isinstance(before, Heading) and before.level <= 1
            and len(f.getPlainText()) <= SHORT_LEAD)


def _bind(story: list[Flowable]) -> list[Flowable]:
    """Each run of headings/captions bound to the start of the flowable after it (KeepStart)."""
    out: list[Flowable] = []  # built from the end
    for k in range(len(story) - 1, -1, -1):
        f = story[k]
        before = story[k - 1] if k else None
        nxt = out[-1] if out else None
        if _keeps(f, before) and nxt is not None and not isinstance(nxt, ActionFlowable | Spacer | CondPageBreak):
            out.pop()
            if isinstance(nxt, KeepStart):
                nxt.head.insert(0, f)
                out.append(nxt)
            else:
                out.append(KeepStart([f], nxt))
        else:
            out.append(f)
    return out[::-1]


def _data_notes(doc: Document, s: Styles, uses: dict[str, list[str]]) -> list[Flowable]:
    """Every dataset with its source, unit and notes, in the order the figures and tables use them."""
    out: list[Flowable] = [NewPage(), Heading("数据说明", s.h1, 0, "data-notes")]
    out.append(Para("本简报所用数据集按图表出现顺序列出其来源、单位与说明。标注为“推算”的数值由原始数据按注明的公式计算得出；"
                         "仅用于正文叙述的数据集列在最后。", s.body))
    order = {ds: i for i, ds in enumerate(uses)}
    entries = dataset_entries(doc.datasets)  # a dataset and those prepared from it under its title: one entry
    said: dict[str, str] = {}  # note -> the title it was printed under
    for d, ids in sorted(entries, key=lambda e: (min(order.get(i, len(order)) for i in e[1]), e[0].id)):
        used = "、".join(dict.fromkeys(u for i in ids for u in uses.get(i, []))) or "正文"
        lines = [Para(_esc(f"{d.title}（{used}）"), s.note_title),
                 Para(_esc(d.source), s.note),
                 *([Para(_esc(f"单位：{d.unit}"), s.note)] if d.unit and len(d.unit) <= 8 else [])]
        # a note already printed under another entry (a prepared dataset inherits its source's) is referred to
        earlier = [n for n in d.notes if n in said]
        lines += [Para(_esc("· " + n), s.note) for n in d.notes if n not in said]
        if earlier:
            first = said[earlier[0]]
            lines.append(Para(_esc(f"· 另有{len(earlier)}条说明同“{first}”，见上。"), s.note))
        said.update((n, d.title) for n in d.notes if n not in said)
        out.append(KeepTogether(lines))
    return out
