"""The deck as a strict OOXML reader sees it: every XML part of the .pptx and of each chart's embedded
workbook valid against the ISO/IEC 29500 transitional schemas (openxml-audit, a pure-Python port of the
Open XML SDK validator, offline), and the package facts python-pptx leaves to its template."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree

openxml_audit = pytest.importorskip("openxml_audit")

P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
EXT = "{http://schemas.openxmlformats.org/officeDocument/2006/extended-properties}"


def schema_findings(pptx: Path, tmp_path: Path) -> list[str]:
    """Every finding of the validator for the deck and for each workbook embedded in it."""
    validator = openxml_audit.OpenXmlValidator(max_errors=1000)
    findings = [str(e) for e in validator.validate(str(pptx)).errors]
    with zipfile.ZipFile(pptx) as z:
        for name in z.namelist():
            if name.endswith(".xlsx"):
                book = tmp_path / Path(name).name
                book.write_bytes(z.read(name))
                findings += [f"{name}: {e}" for e in validator.validate(str(book)).errors]
    return findings


def test_the_validator_finds_what_it_should(built, tmp_path):
    """A check that finds nothing is only worth something if it finds a planted error: a foreign element in
    one of the deck's own chart workbooks."""
    with zipfile.ZipFile(built.pptx) as z:
        name = next(n for n in z.namelist() if n.endswith(".xlsx"))
        book = z.read(name)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(book)) as z, zipfile.ZipFile(out, "w") as dst:
        for info in z.infolist():
            body = z.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                body = body.replace(b"<sheetData>", b"<sheetData><bogus/>")
            dst.writestr(info, body)
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(out.getvalue())
    assert any("bogus" in str(e) for e in openxml_audit.OpenXmlValidator().validate(str(bad)).errors)


def test_every_part_of_the_bundled_deck_and_its_workbooks_is_schema_valid(built, tmp_path):
    assert schema_findings(built.pptx, tmp_path) == []


def test_package_facts_a_strict_reader_checks(built):
    with zipfile.ZipFile(built.pptx) as z:
        names = z.namelist()
        slides = [n for n in names if re.fullmatch(r"ppt/slides/slide\d+\.xml", n)]
        notes = [n for n in names if re.fullmatch(r"ppt/notesSlides/notesSlide\d+\.xml", n)]
        pres = etree.fromstring(z.read("ppt/presentation.xml"))
        rels = etree.fromstring(z.read("ppt/_rels/presentation.xml.rels"))
        app = etree.fromstring(z.read("docProps/app.xml"))
        core = z.read("docProps/core.xml")
        charts = [z.read(n) for n in names if re.fullmatch(r"ppt/charts/chart\d+\.xml", n)]
    assert notes, "the bundled deck has speaker notes"
    ids = [el.get(f"{R}id") for el in pres.iter(f"{P}notesMasterId")]
    master_rel = [r.get("Id") for r in rels if r.get("Type").endswith("/notesMaster")]
    assert ids == master_rel and len(ids) == 1
    children = [etree.QName(el).localname for el in pres]
    assert children.index("notesMasterIdLst") == children.index("sldMasterIdLst") + 1
    assert app.findtext(f"{EXT}Slides") == str(len(slides)) == str(built.result.slides)
    assert app.findtext(f"{EXT}Notes") == str(len(notes))
    assert b"lastPrinted" not in core
    assert charts
    for xml in charts:
        root = etree.fromstring(xml)
        for el in root.iter("{*}axId", "{*}crossAx"):
            assert int(el.get("val")) >= 0


def test_a_template_without_app_properties_gets_them(tmp_path):
    """conform adds docProps/app.xml, its content type and its package relationship when a template has none."""
    from egovdeck.render.pptx.strictxml import conform

    types = (b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
             b'<Default Extension="xml" ContentType="application/xml"/></Types>')
    rels = (b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            b'officeDocument" Target="ppt/presentation.xml"/></Relationships>')
    out = dict(conform([("[Content_Types].xml", types), ("_rels/.rels", rels), ("ppt/slides/slide1.xml", b"<x/>")]))
    app = etree.fromstring(out["docProps/app.xml"])
    assert app.findtext(f"{EXT}Slides") == "1" and app.findtext(f"{EXT}Notes") == "0"
    assert b"extended-properties" in out["_rels/.rels"] and b"/docProps/app.xml" in out["[Content_Types].xml"]
