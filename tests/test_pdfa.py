"""The brief for archives (issue 14): PDF/A-2b by default, PDF/A-1b or a plain PDF on request.

Validated with pikepdf.pdfa, an allowlist validator built on veraPDF's rule set that approves a file
only if every construct in it is known to conform (veraPDF itself is Java and on no registry here);
the other checks read the file as archives and viewers do: XMP packet, output intent, trailer.
"""

from __future__ import annotations

import re
import subprocess

import pytest

from conftest import REPORT, copy_project

pikepdf = pytest.importorskip("pikepdf")
pdfa = pytest.importorskip("pikepdf.pdfa")


def _assert_pdfa(path, flavour: str) -> None:
    """pikepdf.pdfa's verdict (less its refusal of any XMP extension schema, which the PDF/UA
    identification needs: render/pdf/pdfua.py) and page's PDF/A profile (veraPDF's rules, extension
    schemas included) both pass."""
    import page

    from egovdeck.render.pdf.pdfua import allowlist_findings

    findings = allowlist_findings(pdfa.validate_written(path, flavour).findings)
    assert not findings, "\n".join(str(f) for f in findings)
    report = page.validate_pdf(str(path), profile=flavour)
    assert report.is_compliant, "\n".join(f"{f.rule_id}: {f.message}" for f in report.failures)


def _assert_archival(path, part: int, doc) -> None:
    """What PDF/A asks of the file, read back: the declaration, XMP equal to the document info, the sRGB
    output intent, an ID, no encryption, links that print."""
    from clients import tool

    with pikepdf.open(path) as pdf:
        assert not pdf.is_encrypted and "/ID" in pdf.trailer
        meta = pdf.open_metadata()
        assert meta["pdfaid:part"] == str(part) and meta["pdfaid:conformance"] == "B"
        info = pdf.docinfo
        assert meta["dc:title"] == str(info.Title) == doc.title
        assert meta["dc:creator"] == [str(info.Author)] == [doc.author]
        assert meta["dc:description"] == str(info.Subject) == doc.subject
        assert meta["pdf:Keywords"] == str(info.Keywords) == ", ".join(doc.keywords)
        assert meta["pdf:Producer"] == str(info.Producer)
        assert meta["dc:language"] == {doc.language}
        day = doc.date.strftime("%Y-%m-%d")
        for key in ("xmp:CreateDate", "xmp:ModifyDate", "xmp:MetadataDate"):
            assert meta[key].startswith(day), key  # SOURCE_DATE_EPOCH / the report date, never the clock
        assert str(info.CreationDate).startswith("D:" + day.replace("-", ""))
        assert "/Filter" not in pdf.Root.Metadata  # readable by archive tools without decoding
        (intent,) = pdf.Root.OutputIntents
        assert intent.S == "/GTS_PDFA1" and intent.OutputConditionIdentifier == "sRGB"
        assert intent.DestOutputProfile.N == 3
        for page in pdf.pages:
            for annot in page.obj.get("/Annots", []):
                assert int(annot.F) & 4, "annotations must print"
    check = subprocess.run([tool("qpdf"), "--check", str(path)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr


def test_the_bundled_brief_is_pdfa_2b(built):
    _assert_pdfa(built.pdf, "2b")
    _assert_archival(built.pdf, 2, built.document)


def test_pdfa_1b_and_plain_pdf_on_request(tmp_path, capsys):
    from egovdeck.cli.main import main

    cache = str(tmp_path / "cache")
    assert main(["build", str(REPORT), "--only", "pdf", "--pdf-standard", "PDF/A-1b", "-o", str(tmp_path / "a1"),
                 "--cache-dir", cache, "-j", "1"]) == 0
    one = tmp_path / "a1" / "egov-2019.pdf"
    _assert_pdfa(one, "1b")
    with pikepdf.open(one) as pdf:
        assert pdf.pdf_version == "1.4" and pdf.open_metadata()["pdfaid:part"] == "1"
    assert b"/ObjStm" not in one.read_bytes()  # PDF/A-1 is PDF 1.4: no object streams
    # the option is part of the up-to-date key: asking for a plain PDF rebuilds
    assert main(["build", str(REPORT), "--only", "pdf", "--pdf-standard", "none", "-o", str(tmp_path / "a1"),
                 "--cache-dir", cache, "-j", "1"]) == 0
    assert "up to date" not in capsys.readouterr().out
    with pikepdf.open(one) as pdf:  # no PDF/A declaration; the XMP packet PDF/UA asks for
        meta = pdf.open_metadata()
        assert "/OutputIntents" not in pdf.Root and "pdfaid:part" not in meta
        assert meta["pdfuaid:part"] == "1" and meta["dc:title"] == str(pdf.docinfo.Title)
    assert not pdfa.validate_written(one, "2b").passed


def test_pdf_standard_in_the_definition(tmp_path):
    from egovdeck.engine.build import build

    definition = copy_project(tmp_path)
    text = definition.read_text(encoding="utf-8")
    definition.write_text(text.replace("  language: zh-CN", "  language: zh-CN\n  pdf_standard: PDF/A-1b", 1)
                          if "  language: zh-CN" in text else
                          text.replace("report:\n", "report:\n  pdf_standard: PDF/A-1b\n", 1), encoding="utf-8")
    build(definition, formats=("pdf",), jobs=1)
    _assert_pdfa(tmp_path / "output" / "egov-2019.pdf", "1b")


def test_two_editions_are_pdfa_and_builds_are_byte_identical(tmp_path):
    from egovdeck.engine.build import build, fonts_for, theme_for
    from egovdeck.input.project import load_project
    from egovdeck.resolve.report import build_document

    copy_project(tmp_path)
    definition = tmp_path / "reports" / "egov-2019-province.yaml"
    project = load_project(definition)
    for edition in ("西藏", "山东"):
        build(definition, formats=("pdf",), jobs=1, edition=edition, cache_dir=tmp_path / "cache")
        pdf = tmp_path / "output" / "egov-2019-province" / f"{edition}.pdf"
        _assert_pdfa(pdf, "2b")
        param = project.report.editions.parameter
        doc = build_document(project, theme_for(project), fonts_for(project), params={param: edition},
                             edition=edition)
        _assert_archival(pdf, 2, doc)
    first = pdf.read_bytes()
    build(definition, formats=("pdf",), jobs=1, edition="山东", use_cache=False, output_dir=tmp_path / "again")
    assert (tmp_path / "again" / "egov-2019-province" / "山东.pdf").read_bytes() == first


def test_what_pdfa_1b_forbids_is_a_problem_to_fix(tmp_path, capsys):
    """A logo with an alpha channel (transparency) cannot go into PDF/A-1b: exit 1, say why and what to do;
    the previous output is untouched."""
    from PIL import Image

    from egovdeck.cli.main import main

    definition = copy_project(tmp_path)
    Image.new("RGBA", (40, 40), (200, 30, 30, 120)).save(tmp_path / "logo.png")
    text = definition.read_text(encoding="utf-8")
    definition.write_text(text.replace("report:\n", "report:\n  logo: logo.png\n", 1), encoding="utf-8")
    out = tmp_path / "output"
    out.mkdir()
    (out / "egov-2019.pdf").write_bytes(b"previous")
    code = main(["build", str(definition), "--only", "pdf", "--pdf-standard", "PDF/A-1b", "-j", "1"])
    err = capsys.readouterr().err
    assert code == 1, err
    assert "PDF/A-1b" in err and "report.pdf_standard" in err and "hint:" in err
    assert (out / "egov-2019.pdf").read_bytes() == b"previous"
    # the same logo is fine in PDF/A-2b, which allows transparency
    assert main(["build", str(definition), "--only", "pdf", "-j", "1"]) == 0
    _assert_pdfa(out / "egov-2019.pdf", "2b")


def _metadata_text():
    from hypothesis import strategies as st

    # any printable text a definition can hold: CJK, XML's special characters, quotes, emoji, spaces
    return st.text(st.characters(blacklist_categories=("Cc", "Cs", "Co", "Cn")), max_size=30)


def test_any_metadata_round_trips_into_xmp():
    """Title, author, subject and keywords of any text: the XMP packet says what the document info says,
    and the file still validates."""
    from hypothesis import given, settings
    from hypothesis import strategies as st
    from reportlab.pdfgen.canvas import Canvas

    from egovdeck.render.pdf.pdfa import to_pdfa
    from egovdeck.text.fonts import default_fonts, register_reportlab

    fonts = default_fonts()
    register_reportlab(fonts)

    @settings(max_examples=12)  # each example runs the validator (~0.3 s on a one-page file)
    @given(title=_metadata_text(), author=_metadata_text(), subject=_metadata_text(),
           keywords=st.lists(_metadata_text().filter(lambda k: k.strip() and "," not in k), max_size=3),
           language=st.sampled_from(["zh-CN", "en", "zh-Hans-CN"]))
    def check(title, author, subject, keywords, language):
        import io

        buf = io.BytesIO()
        canvas = Canvas(buf, invariant=1, lang=language, initialFontName=fonts.rl_regular)
        canvas.setTitle(title)
        canvas.setAuthor(author)
        canvas.setSubject(subject)
        canvas.setKeywords(keywords)
        canvas.rect(10, 10, 50, 50)
        canvas.showPage()
        canvas.save()
        data = to_pdfa(buf.getvalue(), "PDF/A-2b", language=language, producer="egovdeck test", epoch=1589932800)
        assert to_pdfa(buf.getvalue(), "PDF/A-2b", language=language, producer="egovdeck test",
                       epoch=1589932800) == data
        report = pdfa.validate_written(io.BytesIO(data), "2b")
        assert report.passed, "\n".join(str(f) for f in report.findings)
        with pikepdf.open(io.BytesIO(data)) as pdf:
            meta, info = pdf.open_metadata(), pdf.docinfo
            for key, xmp in (("/Title", "dc:title"), ("/Subject", "dc:description"), ("/Keywords", "pdf:Keywords")):
                assert str(info.get(key, "")) == str(meta.get(xmp, "")), key
            assert str(info.get("/Title", "")) == title.strip() or str(info.get("/Title", "")) == title
            assert meta["dc:language"] == {language}
            assert meta["xmp:MetadataDate"].startswith("2020-05-20")

    check()


def test_a_cmyk_logo_is_a_problem_to_fix(tmp_path, capsys):
    """The output intent is sRGB: a CMYK image cannot be in the PDF/A brief (any part); exit 1 with the fix,
    and the plain PDF still builds."""
    from PIL import Image

    from egovdeck.cli.main import main

    definition = copy_project(tmp_path)
    Image.new("CMYK", (40, 40), (0, 200, 200, 30)).save(tmp_path / "logo.jpg")
    text = definition.read_text(encoding="utf-8")
    definition.write_text(text.replace("report:\n", "report:\n  logo: logo.jpg\n", 1), encoding="utf-8")
    code = main(["build", str(definition), "--only", "pdf", "-j", "1"])
    err = capsys.readouterr().err
    assert code == 1, err
    assert "PDF/A-2b" in err and "CMYK" in err and "hint:" in err and "RGB" in err
    # at the definition line that names the logo, and the file is named (issue 18's leftover)
    assert re.search(r"reports/egov-2019\.yaml:\d+:\d+: error: report\.logo: logo\.jpg is a CMYK image", err), err
    assert not (tmp_path / "output" / "egov-2019.pdf").exists()
    assert main(["build", str(definition), "--only", "pdf", "-j", "1", "--pdf-standard", "none"]) == 0


def test_no_stream_data_ends_in_a_carriage_return():
    """qpdf ends every stream with LF + endstream; data ending in CR would then read as CRLF, an end of line
    a PDF/A validator does not count in /Length (ISO 19005-2, 6.1.7.1). Streams so made are re-deflated."""
    import zlib

    import pikepdf

    from egovdeck.render.pdf.pdfa import _save

    data = next(d for d in (str(n).encode() * 50 for n in range(100000)) if zlib.compress(d, 6).endswith(b"\r"))
    made = pikepdf.new()
    made.add_blank_page()
    stream = pikepdf.Stream(made, zlib.compress(data, 6))
    stream["/Filter"] = pikepdf.Name.FlateDecode
    made.Root["/Probe"] = stream
    first = __import__("io").BytesIO()
    made.save(first)
    assert b"\r\nendstream" in first.getvalue()  # the case: qpdf's own save writes it so
    pdf = pikepdf.open(__import__("io").BytesIO(first.getvalue()))
    out = _save(pdf, {"deterministic_id": True, "object_stream_mode": pikepdf.ObjectStreamMode.generate})
    assert b"\r\nendstream" not in out
    with pikepdf.open(__import__("io").BytesIO(out)) as back:
        assert back.Root["/Probe"].read_bytes().rstrip(b"\n") == data  # a content stream: one newline more
