"""The tagged brief (issue 14): a structure tree a screen reader walks, read back from the file.

The checks read the file the way assistive technology does: the structure tree with pikepdf, the text of
each marked-content sequence with pdfplumber (pdfminer gives every character its MCID), and the PDF/UA-1
rules with `page` (page-validation, a Rust implementation of veraPDF's PDF/UA-1 and PDF/A rule sets that
passes the veraPDF corpus; veraPDF itself is Java and on no registry here).
"""

from __future__ import annotations

import re
import subprocess
from collections import defaultdict
from dataclasses import dataclass, field

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pikepdf = pytest.importorskip("pikepdf")



def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text.replace("\u3000", ""))


@dataclass
class Elem:
    role: str
    alt: str = ""
    scope: str = ""
    marks: list[tuple[int, int]] = field(default_factory=list)  # (page index, MCID)
    kids: list[Elem] = field(default_factory=list)

    def walk(self):
        yield self
        for k in self.kids:
            yield from k.walk()

    def all_marks(self) -> list[tuple[int, int]]:
        return [m for e in self.walk() for m in e.marks]

    def text(self, texts: dict) -> str:
        return "".join(texts.get(m, "") for m in self.all_marks())


def _tree(path) -> Elem:
    """The structure tree as read by pikepdf: element types, /Alt, TH scope, marked content by page."""
    with pikepdf.open(path) as pdf:
        pages = {p.objgen: i for i, p in enumerate(pdf.pages)}

        def read(obj) -> Elem:
            elem = Elem(str(obj.S)[1:], alt=str(obj.get("/Alt", "")))
            attrs = obj.get("/A")
            if attrs is not None:
                elem.scope = str(attrs.get("/Scope", ""))[1:]
            page = pages.get(obj.Pg.objgen) if "/Pg" in obj else None
            kids = obj.get("/K", [])
            for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
                if isinstance(kid, int):
                    elem.marks.append((page, int(kid)))
                elif kid.get("/Type") == "/MCR":
                    elem.marks.append((pages[kid.Pg.objgen], int(kid.MCID)))
                elif kid.get("/Type") == "/OBJR":
                    continue
                else:
                    elem.kids.append(read(kid))
            return elem

        (doc,) = [pdf.Root.StructTreeRoot.K] if not isinstance(pdf.Root.StructTreeRoot.K, pikepdf.Array) \
            else list(pdf.Root.StructTreeRoot.K)
        return read(doc)


def _texts(path) -> dict[tuple[int, int], str]:
    """(page index, MCID) -> the characters drawn in that marked-content sequence (pdfplumber)."""
    import pdfplumber

    out: dict[tuple[int, int], str] = defaultdict(str)
    with pdfplumber.open(path) as plumber:
        for i, page in enumerate(plumber.pages):
            for ch in page.chars:
                if ch.get("mcid") is not None:
                    out[(i, ch["mcid"])] += ch["text"]
    return out


@pytest.fixture(scope="module")
def structure(built):
    return _tree(built.pdf), _texts(built.pdf)


def _pdfua_failures(path) -> list[str]:
    import page

    report = page.validate_pdf(str(path), profile="ua1")
    return [f"{f.rule_id}: {f.message}" for f in report.failures]


def test_the_brief_is_tagged_and_meets_pdfua(built):
    from clients import tool

    info = subprocess.run([tool("pdfinfo"), str(built.pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Tagged:\s+yes", info, re.M)
    assert _pdfua_failures(built.pdf) == []
    with pikepdf.open(built.pdf) as pdf:
        assert pdf.Root.MarkInfo.Marked is True and str(pdf.Root.Lang) == built.document.language
        assert pdf.open_metadata()["pdfuaid:part"] == "1"


@pytest.mark.parametrize("standard", ["PDF/A-1b", "none"])
def test_the_other_standards_are_tagged_too(tmp_path, standard):
    from conftest import REPORT
    from egovdeck.cli.main import main

    assert main(["build", str(REPORT), "--only", "pdf", "--pdf-standard", standard, "-o", str(tmp_path),
                 "--cache-dir", str(tmp_path / "cache"), "-j", "1"]) == 0
    failures = {f.split(":")[0] for f in _pdfua_failures(tmp_path / "egov-2019.pdf")}
    if standard == "PDF/A-1b":  # PDF 1.4 has no /Tabs (tab order), so the file is tagged but claims no PDF/UA
        assert failures == {"PDFUA1-PAGE-TABS-001", "PDFUA1-ID-PART-001", "PDFUA1-ID-SCHEMA-001"}
        with pikepdf.open(tmp_path / "egov-2019.pdf") as pdf:
            assert "pdfuaid:part" not in pdf.open_metadata()
    else:
        assert failures == set()


def test_an_edition_is_tagged_too(tmp_path):
    from conftest import ROOT
    from egovdeck.engine.build import build

    build(ROOT / "reports" / "egov-2019-province.yaml", formats=("pdf",), jobs=1, edition="西藏",
          cache_dir=tmp_path / "cache", output_dir=tmp_path / "out")
    (pdf,) = (tmp_path / "out").rglob("*.pdf")
    assert _pdfua_failures(pdf) == []


def test_every_figure_carries_the_decks_alt_text(built, structure):
    import zipfile

    from lxml import etree

    tree, _texts = structure
    figures = [e for e in tree.walk() if e.role == "Figure"]
    charts = built.document.charts()
    assert sorted(f.alt for f in figures) == sorted(c.alt_text for c in charts)
    assert all(f.alt for f in figures)
    deck: list[str] = []
    with zipfile.ZipFile(built.pptx) as z:
        for name in z.namelist():
            if name.startswith("ppt/slides/slide") and name.endswith(".xml"):
                deck += etree.fromstring(z.read(name)).xpath("//@descr")
    for f in figures:  # the deck's text, or its first part where the deck splits a chart over slides
        assert any(d == f.alt or d.startswith(f.alt + "（第") for d in deck), f.alt[:40]


def test_headings_nest_as_the_outline(built, structure):
    tree, texts = structure
    role = {0: "H1", 1: "H2", 2: "Caption"}
    with pikepdf.open(built.pdf) as pdf, pdf.open_outline() as outline:
        wanted = []

        def flat(items, level):
            for item in items:
                wanted.append((role[level], _squash(item.title)))
                flat(item.children, level + 1)

        flat(outline.root, 0)
    got = [(e.role, _squash(e.text(texts))) for e in tree.walk() if e.role in ("H1", "H2", "Caption")]
    assert got == wanted
    # each H1 opens a section (Sect) of the document, each H2 a Sect inside its H1's
    for sect in (k for k in tree.kids if k.role == "Sect"):
        assert sect.kids[0].role == "H1"
        for inner in (k for k in sect.kids if k.role == "Sect"):
            assert inner.kids[0].role == "H2"
            assert not [e for e in inner.walk() if e.role == "H1"]
    assert not [e for e in tree.walk() if e.role == "H2" and e not in
                [k.kids[0] for s in tree.kids for k in s.kids if k.role == "Sect"]]


def test_tables_have_header_cells(built, structure):
    from egovdeck.document.report import TableData

    tree, texts = structure
    tables = [e for e in tree.walk() if e.role == "Table"]
    data = [b for s in built.document.sections for f in s.findings for b in f.blocks.values()
            if isinstance(b, TableData)]
    assert len(tables) == len(data) > 0
    by_header = {tuple(_squash(h) for h in t.header): t for t in data}
    for table in tables:
        head, *body = table.kids
        assert {c.role for c in head.kids} == {"TH"} and {c.scope for c in head.kids} == {"Column"}
        t = by_header[tuple(_squash(c.text(texts)) for c in head.kids)]
        assert [[_squash(c.text(texts)) for c in row.kids] for row in body] == \
            [[_squash(c) for c in r] for r in t.rows]
        assert all(c.role == "TD" for row in body for c in row.kids)


def test_everything_drawn_is_content_or_artifact(built, structure):
    _assert_marked(built.pdf, structure[0])


def _assert_marked(path, tree: Elem) -> None:
    """Every painting operator of every page is in a marked sequence that is either an /Artifact or has
    an MCID the structure tree refers to (never one inside the other); every MCID the tree refers to is
    on its page, and no two elements share one."""
    refs = set(tree.all_marks())
    assert len(refs) == len(tree.all_marks()), "an MCID belongs to one element"
    paint = {"S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "Tj", "TJ", "'", '"', "Do", "sh", "INLINE IMAGE"}
    seen = set()
    with pikepdf.open(path) as pdf:
        for i, page in enumerate(pdf.pages):
            stack: list[str] = []
            for inst in pikepdf.parse_content_stream(page):
                op = "INLINE IMAGE" if isinstance(inst, pikepdf.ContentStreamInlineImage) else str(inst.operator)
                if op == "BMC":
                    stack.append(str(inst.operands[0]))
                elif op == "BDC":
                    props = inst.operands[1]
                    if isinstance(props, pikepdf.Dictionary) and "/MCID" in props:
                        seen.add((i, int(props.MCID)))
                        stack.append(f"mcid:{int(props.MCID)}")
                    else:
                        stack.append(str(inst.operands[0]))
                elif op == "EMC":
                    stack.pop()
                elif op in paint:
                    assert stack, f"page {i + 1}: {op} neither tagged nor an artifact"
                    outer = stack[0]
                    assert outer == "/Artifact" or (outer.startswith("mcid:") and
                                                    (i, int(outer[5:])) in refs), (i, op, stack)
                    assert "/Artifact" not in stack[1:] and not (outer == "/Artifact" and len(stack) > 1)
            assert not stack
    assert seen == refs


def test_reading_the_structure_gives_the_narrative_in_order(built, structure):
    from egovdeck.text.textfit import paragraphs

    tree, texts = structure
    marks = tree.all_marks()
    assert marks == sorted(marks), "reading order is the order the pages draw in"
    ps = [_squash(e.text(texts)) for e in tree.walk() if e.role == "P"]
    narrative = [_squash(p) for s in built.document.sections
                 for text in (s.summary, *(f.text for f in s.findings)) for p in paragraphs(text) if p.strip()]
    at = 0
    for p in narrative:
        assert p in ps[at:], p[:30]
        at = ps.index(p, at) + 1
    reading = "".join(_squash(e.text(texts)) for e in tree.walk() if not e.kids)
    assert "共" not in "".join(re.findall(r"第\d+页/共\d+页", reading)), "the page footer is an artifact"
    assert _squash(built.document.title) in reading


_CELL = "数据服务政务在线网站用户规模增长ab1234，。（）"


@settings(max_examples=6)  # each example lays out, tags and reads back a table of up to four pages
@given(columns=st.integers(1, 4), rows=st.integers(1, 160),
       words=st.lists(st.text(_CELL, min_size=1, max_size=40), min_size=1, max_size=12), long_cell=st.booleans())
def test_a_table_of_any_length_is_tagged_cell_by_cell(tmp_path_factory, columns, rows, words, long_cell):
    """A table of any length and cell text, with or without a cell longer than a page: the structure has
    each header and body cell once, in order,
    header cells TH; a continuation's repeated header row (and its 「续表」 label) is drawn as an
    artifact; everything on the pages is content or artifact."""
    import io

    import pdfplumber
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import SimpleDocTemplate

    from egovdeck.render.pdf.brief import ContinuedTable, Heading, Para
    from egovdeck.render.pdf.tags import Tags, tag_story, write_structure
    from egovdeck.text.fonts import default_fonts, register_reportlab

    fonts = default_fonts()
    register_reportlab(fonts)
    style = ParagraphStyle("cell", fontName=fonts.rl_regular, fontSize=9, leading=12, wordWrap="CJK")
    header = [f"列{c}头" for c in range(columns)]
    body = [[words[(r * columns + c) % len(words)] + str(r) for c in range(columns)] for r in range(rows)]
    if long_cell:  # a cell longer than a page: its row splits inside, one TD drawn on two or more pages
        body[rows // 2][0] = "".join(words) * (2500 // len("".join(words)) + 1)
    cells = [[[Para(t, style)] for t in header]] + [[[Para(t, style)] for t in row] for row in body]
    story = [Heading("表1　长表", style, 2, "tab-1"),
             ContinuedTable(cells, colWidths=[400 / columns] * columns, repeatRows=1, label="表1", label_style=style)]
    tags = Tags()
    tag_story(story, tags)
    raw = io.BytesIO()
    SimpleDocTemplate(raw, invariant=1).build(story)
    path = tmp_path_factory.mktemp("table") / "t.pdf"
    with pikepdf.open(io.BytesIO(raw.getvalue())) as pdf:
        write_structure(pdf, tags)
        pdf.save(path)
    tree, texts = _tree(path), _texts(path)
    (table,) = [e for e in tree.walk() if e.role == "Table"]
    assert [[c.role for c in row.kids] for row in table.kids] == [["TH"] * columns] + [["TD"] * columns] * rows
    assert [[_squash(c.text(texts)) for c in row.kids] for row in table.kids] == \
        [[_squash(t) for t in row] for row in [header, *body]]
    with pdfplumber.open(path) as plumber:
        for page in plumber.pages[1:]:  # a repeated header row is drawn, as an artifact only
            drawn = [c for c in page.chars if c["text"] == "头"]
            assert all(c.get("mcid") is None for c in drawn)
    assert "续表" not in "".join(texts.get(m, "") for m in tree.all_marks())
    _assert_marked(path, tree)
    assert _pdfua_clean_structure(path)


def _pdfua_clean_structure(path) -> bool:
    """PDF/UA rules about tagging and tables (the file is a bare ReportLab build in Helvetica, without
    title, language or embedded fonts: not a whole brief)."""
    import page

    report = page.validate_pdf(str(path), profile="ua1")
    bad = [f.rule_id for f in report.failures if not f.rule_id.startswith(
           ("PDFUA1-METADATA", "PDFUA1-ID-", "PDFUA1-FONT", "PDFUA1-VIEWER"))
           and "LANGUAGE" not in f.rule_id and "DISPLAY-DOC-TITLE" not in f.rule_id]
    assert bad == [], bad
    return True
