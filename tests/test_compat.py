"""Every library internal egovdeck relies on still exists (src/egovdeck/compat/).

An upgrade of ReportLab, python-pptx or matplotlib that renames one fails here, by name, instead of
as a wrong brief or deck. Each name below is used in exactly one function of egovdeck.compat.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "egovdeck"


def _attr(dotted: str):
    module, _, name = dotted.rpartition(":")
    obj = importlib.import_module(module)
    for part in name.split("."):
        obj = getattr(obj, part)
    return obj


CLASS_ATTRIBUTES = [  # (class, attribute reached on its instances or the class itself)
    ("reportlab.platypus.paragraph:Paragraph", "breakLinesCJK"),
    ("reportlab.platypus.tableofcontents:TableOfContents", "beforeBuild"),
    ("reportlab.platypus.tableofcontents:TableOfContents", "addEntries"),
    ("pptx.oxml.presentation:CT_Presentation", "sldIdLst"),
    ("pptx.shapes.shapetree:SlideShapes", "_add_chart_graphicFrame"),
    ("pptx.shapes.shapetree:SlideShapes", "_recalculate_extents"),
    ("pptx.shapes.shapetree:SlideShapes", "_shape_factory"),
    ("pptx.shapes.placeholder:LayoutPlaceholder", "_base_placeholder"),
    ("pptx.opc.serialized:PackageWriter", "_write_content_types_stream"),
    ("pptx.opc.serialized:PackageWriter", "_write_pkg_rels"),
    ("pptx.opc.serialized:PackageWriter", "_write_parts"),
    ("pptx.opc.package:OpcPackage", "_rels"),
]

MATPLOTLIB_NAMES = ["matplotlib.artist:kwdoc"]

MODULE_NAMES = [
    "reportlab.platypus.flowables:_listWrapOn",
    "reportlab.platypus.paragraph:cjkU",
    "reportlab.platypus.paragraph:FragLine",
    "reportlab.platypus.paragraph:ParaLines",
    "reportlab.platypus.paragraph:imgNormV",
    "reportlab.platypus.paragraph:imgVRange",
    "reportlab.platypus.paragraph:_handleBulletWidth",
    "reportlab.lib.rl_accel:sameFrag",
]


@pytest.mark.parametrize(("cls", "name"), CLASS_ATTRIBUTES)
def test_class_attribute_exists(cls, name):
    assert hasattr(_attr(cls), name), f"{cls} has no {name}: update egovdeck.compat"


@pytest.mark.parametrize("dotted", MODULE_NAMES + MATPLOTLIB_NAMES)
def test_module_name_exists(dotted):
    assert _attr(dotted) is not None


def test_instance_state_exists(tmp_path):
    """The state platypus and python-pptx keep on live objects, read on real ones."""
    from pptx import Presentation
    from pptx.chart.data import CategoryChartData
    from pptx.enum.chart import XL_CHART_TYPE
    from pptx.util import Inches
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import Frame, KeepTogether, Paragraph, Table

    from egovdeck.compat import pptx_internals as px
    from egovdeck.compat import reportlab_internals as rl

    canv = Canvas(str(tmp_path / "x.pdf"))
    seen = []
    canv.setNamedCB("probe", lambda c, _kind, _label: seen.append(rl.text_cursor(c)))
    para = Paragraph('ab<onDraw name="probe" label="x"/>', ParagraphStyle("s", fontSize=10))
    para.wrapOn(canv, 200, 100)
    para.drawOn(canv, 0, 0)
    assert len(seen) == 1 and seen[0][0] > 0, "the text cursor in an onDraw callback"
    table = Table([["a"], ["b"]])
    table.wrap(100, 100)
    assert len(rl.row_heights(table)) == 2
    keep = KeepTogether([Paragraph("x", ParagraphStyle("s"))])
    assert len(rl.kept_flowables(keep)) == 1
    frame = Frame(0, 0, 100, 100)
    assert hasattr(frame, "_atTop")

    class Probe(Paragraph):  # what a flowable sees of its frame while the frame asks it to split
        def split(self, availWidth, availHeight):
            seen.append((rl.frame_at_top(self), rl.frame_height(self)))
            return super().split(availWidth, availHeight)

    seen.clear()
    frame = Frame(0, 0, 100, 100)
    frame.add(Paragraph("x", ParagraphStyle("s")), canv)
    frame.split(Probe("x " * 400, ParagraphStyle("s")), canv)
    assert seen == [(False, 100.0)], "a split flowable's _frame, with its _atTop and _height"

    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[5])
    data = CategoryChartData()
    data.categories = ["a"]
    data.add_series("s", [1])
    chart = slide.shapes.add_chart(XL_CHART_TYPE.BAR_CLUSTERED, 0, 0, Inches(2), Inches(2), data).chart
    chart.has_legend = True
    assert px.legend_element(chart.legend).tag.endswith("legend")
    box = slide.shapes.add_textbox(0, 0, Inches(1), Inches(1))
    p = box.text_frame.paragraphs[0]
    run = p.add_run()
    assert px.run_properties(run).tag.endswith("rPr")
    assert px.paragraph_element(p).tag.endswith("}p")
    assert px.text_frame_element(box.text_frame).tag.endswith("txBody")
    table_shape = slide.shapes.add_table(1, 1, 0, 0, Inches(1), Inches(1))
    assert px.cell_element(table_shape.table.cell(0, 0)).tag.endswith("tc")
    assert px.package_entries(prs.part.package), "python-pptx's package writer changed shape"
    assert px.xml_part_element(slide.part) is not None, "XmlPart keeps its tree"


def test_internals_only_in_the_compat_seam():
    """No module outside egovdeck/compat reaches a library's underscore names (a few of our own
    objects' names are fine: they are checked by pattern against known library attributes)."""
    library_private = {"_curr_tx_info", "_cellvalues", "_rowHeights", "_atTop", "_content", "_listWrapOn",
                       "_lastEntries", "_endBuild", "_r", "_rPr", "_p", "_txBody", "_tc", "_element", "_spTree",
                       "_chartSpace", "_base_placeholder", "_blob", "_add_chart_graphicFrame", "_shape_factory",
                       "_recalculate_extents", "_rels", "_sldIdLst", "_frag", "_width", "_normalizer", "_Element",
                       "kwdoc"}
    found = []
    for path in SRC.rglob("*.py"):
        if "compat" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr in library_private:
                if isinstance(node.value, ast.Name) and node.value.id == "self" and node.attr == "_content":
                    continue  # KeepStart._content, our own method
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: .{node.attr}")
            if isinstance(node, ast.FunctionDef) and node.name in {"_endBuild"}:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: overrides {node.name}")
    assert not found, "library internals outside egovdeck/compat:\n" + "\n".join(found)


def test_a_split_rows_height_can_be_freed():
    """compat.reportlab_internals.fit_split_row: a Table part made by a split inside a row keeps the fixed
    row heights (`_argH`) and the cell styles (`_cellStyles`, valign TOP on the rest of a split cell) it
    reads; freed, the rest of the split row is as tall as its content."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, Table

    from egovdeck.compat import reportlab_internals as rl

    style = ParagraphStyle("s", fontSize=9, leading=12)
    long = [Paragraph("字" * 600, style)]
    table = Table([[long, ""]], colWidths=[100, 50], splitInRow=1, style=[("VALIGN", (0, 0), (-1, -1), "MIDDLE")])
    table.wrap(150, 1000)
    parts = table.split(150, 200)
    assert len(parts) == 2 and hasattr(parts[1], "_argH") and hasattr(parts[1], "_cellStyles")
    rest = parts[1]
    assert rest._cellStyles[0][0].valign == "TOP", "the rest of a split cell is top-aligned"
    rl.fit_split_row(rest, 0)
    _w, h = rest.wrap(150, 1000)
    content = Paragraph("字" * 600, style).wrap(100 - 12, 1e9)[1] - parts[0].wrap(150, 200)[1]
    assert h <= content + 30
