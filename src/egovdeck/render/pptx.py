"""Document -> 16:9 PowerPoint deck: title, agenda, section dividers, one slide per finding (continued
when text or tables do not fit), native charts, speaker notes, sources; deterministic bytes."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field, replace
from pathlib import Path

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_CONNECTOR, MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Emu, Pt

from egovdeck import __version__
from egovdeck.charts.native import add_native_chart
from egovdeck.charts.spec import ChartData
from egovdeck.document import Document, FindingDoc, KPIData, TableData
from egovdeck.fonts import FontSet, metrics
from egovdeck.render.ooxml import normalize_zip, set_alt_text, set_run_font
from egovdeck.render.textfit import fit, wrap
from egovdeck.theme import Theme

SLIDE_W, SLIDE_H = 960.0, 540.0  # points (13.333 x 7.5 in)
MARGIN_X = 40.0
TITLE_TOP, TITLE_H = 26.0, 46.0
CONTENT_TOP, CONTENT_BOTTOM = 92.0, 486.0
FOOTER_Y = 500.0
BODY_SIZE, BODY_FLOOR = 16.0, 12.0
LINE_SPACING = 1.3
TABLE_ROW_H = 22.0


@dataclass
class DeckResult:
    slides: int = 0
    fitting: list[str] = field(default_factory=list)


def E(pt: float) -> Emu:
    return Emu(int(round(pt * 12700)))


class Deck:
    def __init__(self, doc: Document, fonts: FontSet, theme: Theme):
        self.doc, self.fonts, self.theme = doc, fonts, theme
        self.prs = Presentation()
        self.prs.slide_width, self.prs.slide_height = E(SLIDE_W), E(SLIDE_H)
        self.blank = self.prs.slide_layouts[6]
        self.metrics = metrics(fonts.regular)
        self.bold_metrics = metrics(fonts.bold)
        self.result = DeckResult()
        # chart text is read from across a room: larger than in the printed brief
        self.slide_theme = replace(theme, chart_label_size=12.0, chart_tick_size=11.0, chart_legend_size=11.0)
        self.date_time = dt.datetime(doc.date.year, doc.date.month, doc.date.day)
        self._set_theme_fonts()

    # ------------------------------------------------------------------ primitives

    def _set_theme_fonts(self) -> None:
        """Theme major/minor fonts with the East Asian typeface, so text typed later is Chinese-correct."""
        from lxml import etree

        master = self.prs.slide_masters[0]
        theme_part = next(r.target_part for r in master.part.rels.values() if r.reltype.endswith("/theme"))
        root = etree.fromstring(theme_part.blob)
        ns = {"a": "http://schemas.openxmlformats.org/drawingml/2006/main"}
        for font in root.iterfind(".//a:fontScheme/*", ns):
            for tag in ("latin", "ea"):
                el = font.find(f"a:{tag}", ns)
                if el is not None:
                    el.set("typeface", self.fonts.family)
        scheme = root.find(".//a:fontScheme", ns)
        if scheme is not None:
            scheme.set("name", "egovdeck")
        theme_part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    def slide(self):
        s = self.prs.slides.add_slide(self.blank)
        self.result.slides += 1
        return s

    def text(self, slide, x: float, y: float, w: float, h: float, paragraphs: list[str] | str, size: float,
             bold: bool = False, color: str | None = None, align=PP_ALIGN.LEFT, anchor=MSO_ANCHOR.TOP,
             spacing: float = LINE_SPACING, name: str = "", para_gap: float = 0.5):
        box = slide.shapes.add_textbox(E(x), E(y), E(w), E(h))
        if name:
            box.name = name
        tf = box.text_frame
        tf.word_wrap = True
        tf.auto_size = None
        tf.vertical_anchor = anchor
        for side in ("margin_left", "margin_right", "margin_top", "margin_bottom"):
            setattr(tf, side, 0)
        paras = [paragraphs] if isinstance(paragraphs, str) else paragraphs
        for i, text in enumerate(paras):
            p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
            p.alignment = align
            p.line_spacing = spacing
            if i:
                p.space_before = Pt(size * para_gap)
            run = p.add_run()
            run.text = text
            set_run_font(run, self.fonts.family, self.doc.language, size, bold, color or self.theme.text)
        return box

    def rect(self, slide, x, y, w, h, fill: str, shape=MSO_SHAPE.RECTANGLE):
        r = slide.shapes.add_shape(shape, E(x), E(y), E(w), E(h))
        r.fill.solid()
        r.fill.fore_color.rgb = RGBColor.from_string(fill)
        r.line.fill.background()
        r.shadow.inherit = False
        return r

    def notes(self, slide, *parts: str) -> None:
        text = "\n\n".join(p for p in parts if p)
        if not text:
            return
        tf = slide.notes_slide.notes_text_frame
        tf.text = ""
        for i, para in enumerate(text.split("\n")):
            p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
            run = p.add_run()
            run.text = para
            set_run_font(run, self.fonts.family, self.doc.language)

    def title(self, slide, text: str, kicker: str = "") -> None:
        self.rect(slide, 0, 0, 10, SLIDE_H, self.theme.accent)
        size = 26.0
        width = SLIDE_W - 2 * MARGIN_X
        while size > 18 and self.bold_metrics.width(text, size) > width:
            size -= 1
        if self.bold_metrics.width(text, size) > width:
            self.result.fitting.append(f"slide {self.result.slides}: title wraps at 18 pt: {text}")
        if kicker:
            self.text(slide, MARGIN_X, TITLE_TOP - 16, width, 16, kicker, 11, color=self.theme.accent)
        self.text(slide, MARGIN_X, TITLE_TOP, width, TITLE_H, text, size, bold=True, anchor=MSO_ANCHOR.MIDDLE,
                  spacing=1.1, name="Title")

    def footer(self, slide, source: str = "") -> None:
        y = FOOTER_Y
        line = slide.shapes.add_connector(MSO_CONNECTOR.STRAIGHT, E(MARGIN_X), E(y - 4), E(SLIDE_W - MARGIN_X), E(y - 4))
        line.line.color.rgb = RGBColor.from_string(self.theme.grid)
        line.line.width = Pt(0.75)
        if source:
            size = 10.0
            while size > 8 and self.metrics.width(source, size) > SLIDE_W - 2 * MARGIN_X - 160:
                size -= 0.5
            self.text(slide, MARGIN_X, y, SLIDE_W - 2 * MARGIN_X - 150, 28, source, size, color=self.theme.muted,
                      name="Source")
        date = f"{self.doc.date.year}年{self.doc.date.month}月"
        self.text(slide, SLIDE_W - MARGIN_X - 140, y, 140, 16,
                  f"{date}　{self.result.slides}", 10, color=self.theme.muted, align=PP_ALIGN.RIGHT, name="Slide number")

    # ------------------------------------------------------------------ slides

    def cover(self) -> None:
        doc, t = self.doc, self.theme
        s = self.slide()
        self.rect(s, 0, 0, SLIDE_W, SLIDE_H, t.accent)
        self.rect(s, 0, 380, SLIDE_W, 160, "FFFFFF")
        width = SLIDE_W - 2 * 60
        size = 40.0
        while size > 24 and self.bold_metrics.width(doc.title, size) > width:
            size -= 1
        self.text(s, 60, 150, width, 90, doc.title, size, bold=True, color="FFFFFF", anchor=MSO_ANCHOR.BOTTOM,
                  spacing=1.1, name="Title")
        if doc.subtitle:
            f = fit([doc.subtitle], width, 80, self.metrics, 20, 14)
            self.text(s, 60, 255, width, 80, ["".join(f.paragraphs[0])] if f.paragraphs else doc.subtitle, f.size,
                      color="FFFFFF", name="Subtitle")
        meta = [x for x in (doc.organisation, f"{doc.date.year}年{doc.date.month}月{doc.date.day}日") if x]
        if doc.edition:
            meta.insert(0, f"{doc.edition}版")
        self.text(s, 60, 410, width, 90, meta, 16, color=t.text, name="Meta")
        self.notes(s, doc.subtitle, f"本演示文稿由 egovdeck {__version__} 根据数据与报告定义生成。")

    def agenda(self) -> None:
        s = self.slide()
        self.title(s, "目录")
        items = [f"{i:02d}　{sec.title}" for i, sec in enumerate(self.doc.sections, start=1)]
        items.append(f"{len(items) + 1:02d}　数据来源")
        self.text(s, MARGIN_X + 40, CONTENT_TOP + 20, 700, CONTENT_BOTTOM - CONTENT_TOP - 20, items, 22,
                  spacing=1.2, para_gap=0.6, name="Agenda")
        self.footer(s)
        self.notes(s, "本简报包括：" + "；".join(sec.title for sec in self.doc.sections) + "。")

    def divider(self, index: int, title: str, summary: str) -> None:
        s = self.slide()
        self.rect(s, 0, 0, SLIDE_W, SLIDE_H, self.theme.accent)
        self.text(s, 80, 150, 200, 110, f"{index:02d}", 72, bold=True, color="FFFFFF", name="Number")
        self.text(s, 80, 270, SLIDE_W - 160, 60, title, 34, bold=True, color="FFFFFF", name="Title")
        if summary:
            f = fit([summary], SLIDE_W - 160, 110, self.metrics, 18, 12)
            self.text(s, 80, 340, SLIDE_W - 160, 110, ["".join(p) for p in f.paragraphs], f.size, color="FFFFFF",
                      name="Summary")
        self.notes(s, f"第{index}部分：{title}", summary)

    def finding(self, f: FindingDoc, section_title: str) -> None:
        regions = f.layout.slide
        area_w, area_h = SLIDE_W - 2 * MARGIN_X, CONTENT_BOTTOM - CONTENT_TOP

        def box(slot: str) -> tuple[float, float, float, float]:
            x, y, w, h = regions[slot]
            return MARGIN_X + x * area_w, CONTENT_TOP + y * area_h, w * area_w, h * area_h

        s = self.slide()
        self.title(s, f.title, section_title)
        sources: list[str] = []
        notes_numbers: list[str] = []
        tables: list[tuple[TableData, tuple[float, float, float, float]]] = []
        for slot, block in f.blocks.items():
            if slot not in regions:
                continue
            x, y, w, h = box(slot)
            if isinstance(block, ChartData):
                self.chart(s, block, x, y, w, h)
                if block.source:
                    sources.append(block.source)
                notes_numbers.append(block.alt_text)
            elif isinstance(block, TableData):
                tables.append((block, (x, y, w, h)))
                if block.source:
                    sources.append(block.source)
            else:
                self.kpis(s, block, x, y, w, h)
                notes_numbers.append("；".join(f"{k.label}：{k.value}" + (f"（{k.change}）" if k.change else "")
                                              for k in block))
        rest: list[str] = []
        if "text" in regions and f.text:
            x, y, w, h = box("text")
            rest = self.narrative(s, f.text, x, y, w, h)
        self.footer(s, "；".join(dict.fromkeys(sources)))
        self.notes(s, f.text, f.notes, "关键数据：" + "　".join(notes_numbers) if notes_numbers else "")
        for table, geom in tables:
            self.table(s, table, geom, f, section_title)
        while rest:
            s = self.slide()
            self.title(s, f"{f.title}（续）", section_title)
            rest = self.narrative(s, "\n\n".join(rest), MARGIN_X, CONTENT_TOP, area_w, area_h)
            self.footer(s, "；".join(dict.fromkeys(sources)))
            self.notes(s, f.text)
            self.result.fitting.append(f"slide {self.result.slides}: narrative of “{f.title}” continued on a new slide")

    def narrative(self, slide, text: str, x: float, y: float, w: float, h: float) -> list[str]:
        paragraphs = [p.replace("\n", "") for p in text.split("\n\n") if p.strip()]
        # measure 3% narrower than the box: PowerPoint's own wrapping may differ slightly from ours
        fitted = fit(paragraphs, w * 0.97, h, self.metrics, BODY_SIZE, BODY_FLOOR, LINE_SPACING)
        if fitted.shrunk:
            self.result.fitting.append(f"slide {self.result.slides}: narrative shrunk to {fitted.size:g} pt")
        self.text(slide, x, y, w, h, ["".join(lines) for lines in fitted.paragraphs], fitted.size, name="Narrative")
        return fitted.rest

    def chart(self, slide, chart: ChartData, x: float, y: float, w: float, h: float) -> None:
        cap = 22.0
        title = chart.title
        size = 13.0
        while size > 10 and self.bold_metrics.width(title, size) > w:
            size -= 0.5
        self.text(slide, x, y, w, cap, title, size, bold=True, name="Chart title")
        if chart.kind == "timeline":
            self.timeline(slide, chart, x, y + cap + 6, w, h - cap - 6)
            return
        note_h = 0.0
        if chart.note:
            note = "注：" + chart.note
            lines = wrap(note, w, 9, self.metrics)
            note_h = len(lines) * 9 * 1.25 + 2
            self.text(slide, x, y + h - note_h, w, note_h, note, 9, color=self.theme.muted, spacing=1.25,
                      name="Chart note")
        add_native_chart(slide, chart, E(x), E(y + cap), E(w), E(h - cap - note_h), self.slide_theme, self.date_time)

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
                      align=PP_ALIGN.CENTER, anchor=MSO_ANCHOR.BOTTOM, name=f"Period {i + 1}")
            dot = self.rect(slide, cx - 11, axis_y - 11, 22, 22, t.palette[i % len(t.palette)], MSO_SHAPE.OVAL)
            dot.line.color.rgb = RGBColor.from_string("FFFFFF")
            dot.line.width = Pt(2)
            self.text(slide, x + col * i + 12, axis_y + 24, col - 24, 26, m.label, 16, bold=True,
                      align=PP_ALIGN.CENTER, name=f"Stage {i + 1}")
            body_h = h - (axis_y + 56 - y)
            f = fit([m.text], col - 28, body_h, self.metrics, 14, 11, 1.3)
            if f.rest:
                self.result.fitting.append(f"slide {self.result.slides}: timeline text cut: {m.text}")
            self.text(slide, x + col * i + 14, axis_y + 56, col - 28, body_h, ["".join(p) for p in f.paragraphs],
                      f.size, color=t.muted, align=PP_ALIGN.CENTER, name=f"Stage text {i + 1}")

    def kpis(self, slide, kpis: tuple[KPIData, ...], x: float, y: float, w: float, h: float) -> None:
        gap = 16.0
        cw = (w - gap * (len(kpis) - 1)) / len(kpis)
        for i, k in enumerate(kpis):
            cx = x + i * (cw + gap)
            card = self.rect(slide, cx, y, cw, h, self.theme.background_band)
            set_alt_text(card, k.label, f"{k.label}：{k.value}" + (f"，{k.change}" if k.change else ""))
            self.rect(slide, cx, y, cw, 4, self.theme.accent)
            size = 34.0
            while size > 16 and self.bold_metrics.width(k.value, size) > cw - 20:
                size -= 1
            self.text(slide, cx + 10, y + 10, cw - 20, h * 0.46, k.value, size, bold=True, color=self.theme.accent,
                      align=PP_ALIGN.CENTER, anchor=MSO_ANCHOR.MIDDLE, spacing=1.0, name="KPI value")
            label_size = 14.0
            while label_size > 10 and self.metrics.width(k.label, label_size) > cw - 20:
                label_size -= 0.5
            self.text(slide, cx + 10, y + h * 0.52, cw - 20, 20, k.label, label_size, align=PP_ALIGN.CENTER,
                      name="KPI label")
            if k.change:
                csize = 12.0
                while csize > 9 and self.metrics.width(k.change, csize) > cw - 20:
                    csize -= 0.5
                self.text(slide, cx + 10, y + h * 0.52 + 24, cw - 20, 18, k.change, csize, color=self.theme.muted,
                          align=PP_ALIGN.CENTER, name="KPI change")

    def table(self, first_slide, t: TableData, geom, f: FindingDoc, section_title: str) -> None:
        x, y, w, h = geom
        cap = 24.0
        per_slide = max(int((h - cap) // TABLE_ROW_H) - 1, 1)
        chunks = [t.rows[i:i + per_slide] for i in range(0, len(t.rows), per_slide)] or [()]
        for n, chunk in enumerate(chunks):
            s = first_slide
            label = t.title
            if n:
                s = self.slide()
                self.title(s, f"{f.title}（续）", section_title)
                label = f"续表　{t.title}"
                self.footer(s, t.source)
                self.notes(s, f.text)
                self.result.fitting.append(f"slide {self.result.slides}: table “{t.title}” continued (续表)")
            self.text(s, x, y, w, cap, label, 13, bold=True, name="Table title")
            rows = len(chunk) + 1
            shape = s.shapes.add_table(rows, len(t.header), E(x), E(y + cap), E(w), E(TABLE_ROW_H * rows))
            set_alt_text(shape, t.title, f"表格：{t.title}，共{len(t.rows)}行；列：{'、'.join(t.header)}。")
            table = shape.table
            for r in range(rows):
                table.rows[r].height = E(TABLE_ROW_H)
            for c, head in enumerate(t.header):
                self._cell(table.cell(0, c), head, t.align[c], bold=True, color="FFFFFF", fill=self.theme.accent)
            for r, row in enumerate(chunk, start=1):
                for c, value in enumerate(row):
                    self._cell(table.cell(r, c), value, t.align[c], fill="FFFFFF" if r % 2 else "F3F6FA")

    def _cell(self, cell, text: str, align: str, bold: bool = False, color: str | None = None, fill: str = "FFFFFF"):
        cell.fill.solid()
        cell.fill.fore_color.rgb = RGBColor.from_string(fill)
        cell.margin_top = cell.margin_bottom = E(2)
        cell.vertical_anchor = MSO_ANCHOR.MIDDLE
        p = cell.text_frame.paragraphs[0]
        p.alignment = {"right": PP_ALIGN.RIGHT, "center": PP_ALIGN.CENTER}.get(align, PP_ALIGN.LEFT)
        run = p.add_run()
        run.text = text
        set_run_font(run, self.fonts.family, self.doc.language, 11, bold, color or self.theme.text)

    def sources(self) -> None:
        items = [f"{d.title}：{d.source}" for d in self.doc.datasets]
        title = "数据来源"
        while items:
            s = self.slide()
            self.title(s, title)
            fitted = fit(items, (SLIDE_W - 2 * MARGIN_X) * 0.97, CONTENT_BOTTOM - CONTENT_TOP, self.metrics, 14, 11,
                         1.25, 0.3)
            self.text(s, MARGIN_X, CONTENT_TOP, SLIDE_W - 2 * MARGIN_X, CONTENT_BOTTOM - CONTENT_TOP,
                      ["".join(p) for p in fitted.paragraphs], fitted.size, spacing=1.25, para_gap=0.3, name="Sources")
            self.footer(s)
            self.notes(s, "各数据集的单位与说明见PDF简报的“数据说明”页。")
            if fitted.rest:
                self.result.fitting.append(f"slide {self.result.slides}: sources continued on a new slide")
            items, title = fitted.rest, "数据来源（续）"

    # ------------------------------------------------------------------ save

    def save(self, target: Path) -> None:
        cp = self.prs.core_properties
        cp.title, cp.author, cp.subject = self.doc.title, self.doc.author, self.doc.subject
        cp.keywords = "；".join(self.doc.keywords)
        cp.language = self.doc.language
        cp.last_modified_by = f"egovdeck {__version__}"
        cp.created = cp.modified = cp.last_printed = self.date_time
        cp.revision = 1
        cp.comments = f"egovdeck {__version__}"
        buf = io.BytesIO()
        self.prs.save(buf)
        dtime = self.date_time.timetuple()[:6]
        target.write_bytes(normalize_zip(buf.getvalue(), dtime))


def render_pptx(doc: Document, target: Path, fonts: FontSet, theme: Theme, epoch: int | None = None) -> DeckResult:
    deck = Deck(doc, fonts, theme)
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
