"""Where a reader drew the deck's text: the slides' text boxes (from the .pptx) against the characters of
the PDF LibreOffice exported (read with pdfplumber), for tests of text that must stay in its box."""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

A = "http://schemas.openxmlformats.org/drawingml/2006/main"
P = "http://schemas.openxmlformats.org/presentationml/2006/main"
C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS = {"a": A, "p": P, "c": C, "r": R}
EMU = 12700
TOL = 1.5  # pt: a glyph's box may reach this far past its text box (side bearings, rounding)
# punctuation LibreOffice hangs past the end of a full line (hanging punctuation, a typesetting convention)
HANGING = set("，。、；：？！）》」』】,.;:?!)")
# a hanging mark after Latin text starts past the box's edge by the Chinese-Latin gap LibreOffice puts
# before it (text/autospace.py): 「…API/OA:」 hangs its colon 2-3 pt past the edge at 14.5 pt
HANG_GAP = 0.25  # em
# what no line may start with (GB/T 15834: closing punctuation, pause and end marks)
# boxes taller than a line whose text is still one line by design (the big KPI number)
ONE_LINE_SHAPES = {"KPI value"}
LINE_START_FORBIDDEN = set("，。、；：？！）》」』】〕…%％")


@dataclass
class TextBox:
    slide: int
    name: str
    text: str  # the box's text without white space
    x0: float
    top: float
    x1: float
    bottom: float
    one_line: bool  # the box is one line high: its text must never wrap
    size: float


@dataclass
class ChartFrame:
    slide: int
    x0: float
    top: float
    x1: float
    bottom: float
    categories: list[str]  # each name without its whitespace (and line breaks)
    # each name's lines as the chart writes them ("\n" in the category cache: egovdeck wraps long names)
    category_lines: list[list[str]] = field(default_factory=list)


# characters a reader does not see: the soft hyphen, word joiner and zero-width space the deck writes before a
# minus after Chinese text (egovdeck.text.autospace.tight_numbers); LibreOffice's PDF has the first and last
INVISIBLE = re.compile("[\u00ad\u2060\u200b]")


def seen(text: str) -> str:
    """text as a reader sees it (INVISIBLE dropped)."""
    return INVISIBLE.sub("", text)


def _strip(text: str) -> str:
    return "".join(seen(text).split())


def _slides(z: zipfile.ZipFile) -> list[str]:
    """Slide part names in presentation order."""
    prs = etree.fromstring(z.read("ppt/presentation.xml"))
    rels = etree.fromstring(z.read("ppt/_rels/presentation.xml.rels"))
    target = {r.get("Id"): r.get("Target") for r in rels}
    return ["ppt/" + target[s.get(f"{{{R}}}id")] for s in prs.iterfind("p:sldIdLst/p:sldId", NS)]


def deck_boxes(pptx: Path) -> tuple[list[TextBox], list[ChartFrame]]:
    """Every text shape with text (position, text, one-line or not) and every chart's frame and category
    labels, per slide (1-based)."""
    boxes, charts = [], []
    with zipfile.ZipFile(pptx) as z:
        for n, name in enumerate(_slides(z), start=1):
            root = etree.fromstring(z.read(name))
            rels_name = name.replace("slides/", "slides/_rels/") + ".rels"
            rels = {r.get("Id"): r.get("Target") for r in etree.fromstring(z.read(rels_name))}
            for sp in root.iter(f"{{{P}}}sp"):
                off, ext = sp.find("p:spPr/a:xfrm/a:off", NS), sp.find("p:spPr/a:xfrm/a:ext", NS)
                paras = sp.findall("p:txBody/a:p", NS)
                text = _strip("".join(t.text or "" for t in sp.iterfind("p:txBody//a:t", NS)))
                if off is None or not text:
                    continue
                x, y = int(off.get("x")) / EMU, int(off.get("y")) / EMU
                w, h = int(ext.get("cx")) / EMU, int(ext.get("cy")) / EMU
                body = sp.find("p:txBody/a:bodyPr", NS)
                tins, bins = (int(body.get(k, d)) / EMU for k, d in (("tIns", 45720), ("bIns", 45720)))
                rpr = sp.find("p:txBody/a:p/a:r/a:rPr", NS)
                size = int(rpr.get("sz", "1800")) / 100 if rpr is not None else 18.0
                pitch = sp.find("p:txBody/a:p/a:pPr/a:lnSpc/a:spcPts", NS)
                pitch = int(pitch.get("val")) / 100 if pitch is not None else size * 1.2
                breaks = sp.findall("p:txBody/a:p/a:br", NS)
                sp_name = sp.find("p:nvSpPr/p:cNvPr", NS).get("name")
                one_line = len(paras) == 1 and not breaks and (h - tins - bins < 2 * pitch
                                                               or sp_name in ONE_LINE_SHAPES)
                boxes.append(TextBox(n, sp_name, text, x, y, x + w, y + h, one_line, size))
            for frame in root.iter(f"{{{P}}}graphicFrame"):
                chart = frame.find("a:graphic/a:graphicData/c:chart", NS)
                if chart is None:
                    continue
                off, ext = frame.find("p:xfrm/a:off", NS), frame.find("p:xfrm/a:ext", NS)
                part = "ppt/" + rels[chart.get(f"{{{R}}}id")].replace("../", "")
                cx = etree.fromstring(z.read(part))
                ser = cx.find(".//c:ser", NS)
                raw = [] if ser is None else [v.text or "" for v in ser.iterfind("c:cat//c:pt/c:v", NS)]
                raw = [r for r in raw if _strip(r)]
                x, y = int(off.get("x")) / EMU, int(off.get("y")) / EMU
                charts.append(ChartFrame(n, x, y, x + int(ext.get("cx")) / EMU, y + int(ext.get("cy")) / EMU,
                                         [_strip(r) for r in raw],
                                         [[_strip(line) for line in r.split("\n")] for r in raw]))
    return boxes, charts


def _lines(chars: list[dict]) -> list[list[dict]]:
    """Characters grouped into lines (by their vertical middle), each line left to right."""
    lines: list[list[dict]] = []
    for ch in sorted(chars, key=lambda c: ((c["top"] + c["bottom"]) / 2, c["x0"])):
        mid = (ch["top"] + ch["bottom"]) / 2
        if lines and abs(mid - lines[-1][0]["mid"]) < ch["size"] * 0.4:
            lines[-1].append({**ch, "mid": lines[-1][0]["mid"]})
        else:
            lines.append([{**ch, "mid": mid}])
    return [sorted(line, key=lambda c: c["x0"]) for line in lines]


def _inside(chars: list[dict], x0: float, top: float, x1: float, bottom: float) -> list[dict]:
    """Characters whose advance lies within x0..x1 and whose vertical middle lies within top..bottom (a
    character's box is its font size high, taller than its ink)."""
    return [c for c in chars if c["x0"] >= x0 - TOL and top - TOL <= (c["top"] + c["bottom"]) / 2 <= bottom + TOL
            and (c["x1"] <= x1 + TOL or (c["text"] in HANGING and c["x0"] <= x1 + TOL + HANG_GAP * c["size"]))]


def problems(pptx: Path, pdf: Path) -> list[str]:
    """Text drawn outside its box, a one-line box whose text wrapped, a chart category label broken over
    lines, as LibreOffice drew the deck (pdf: its PDF export of pptx)."""
    import pdfplumber

    boxes, charts = deck_boxes(pptx)
    found = []
    with pdfplumber.open(pdf) as doc:
        pages = [[c for c in page.chars if seen(c["text"]).strip() and c["upright"]] for page in doc.pages]
    for box in boxes:
        chars = _inside(pages[box.slide - 1], box.x0, box.top, box.x1, box.bottom)
        lines = _lines(chars)
        joined = "".join(c["text"] for line in lines for c in line)
        where = f"slide {box.slide} {box.name} “{box.text[:24]}”"
        if box.text not in joined:
            found.append(f"{where}: text outside its box")
        elif box.one_line:
            mine = [line for line in lines if any(c["size"] > box.size * 0.9 for c in line)]
            if len(mine) > 1:
                found.append(f"{where}: one-line box wrapped to {len(mine)} lines")
        else:
            found += [f"{where}: a line starts with “{line[0]['text']}”" for line in lines[1:]
                      if line[0]["text"] in LINE_START_FORBIDDEN]
    for chart in charts:
        chars = _inside(pages[chart.slide - 1], chart.x0, chart.top, chart.x1, chart.bottom)
        texts = ["".join(c["text"] for c in line) for line in _lines(chars)]
        for label, written in zip(chart.categories, chart.category_lines, strict=True):
            # each line the chart writes drawn on one line (a name egovdeck wrapped reads on the next)
            if not all(any(line in t for t in texts) for line in written if line):
                found.append(f"slide {chart.slide} chart: category label “{label}” broken over lines or missing")
    return found
