"""The deck: template, text that fits its boxes (measured with the font), alt text, reproducible bytes,
rendered slides against reference images, and a corporate template not made by egovdeck."""

from __future__ import annotations

import importlib.util
import io
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from clients import ROOT, libreoffice_to_pdf, missing_client, tool
from egovdeck.engine.preview import fontconfig_env, soffice_path
from egovdeck.text.fonts import default_fonts, metrics
from egovdeck.text.textfit import wrap

A = "http://schemas.openxmlformats.org/drawingml/2006/main"
P = "http://schemas.openxmlformats.org/presentationml/2006/main"
NS = {"a": A, "p": P}
EMU = 12700
TEMPLATE = ROOT / "src" / "egovdeck" / "resources" / "egovdeck-16x9.pptx"
REFERENCES = ROOT / "tests" / "reference" / "slides"
OUT = ROOT / "tests" / "_out"
REFERENCE_SLIDES = (1, 6, 12)  # cover, chart + narrative, table
TOLERANCE = 4.0  # mean absolute difference per channel (0-255)


# ----------------------------------------------------------------------------- measuring


def _metrics(bold: bool):
    fonts = default_fonts()
    return metrics(fonts.bold if bold else fonts.regular)


def _paragraph(p) -> tuple[str, float, bool, float, float]:
    """text, size (pt), bold, line pitch (pt), space before (pt) of one a:p as written."""
    runs = p.findall("a:r", NS)
    text = "".join(r.findtext("a:t", "", NS) for r in runs)
    rpr = runs[0].find("a:rPr", NS) if runs else None
    size = int(rpr.get("sz", "1800")) / 100 if rpr is not None else 18.0
    bold = rpr is not None and rpr.get("b") == "1"
    pitch = size * 1.2
    pts = p.find("a:pPr/a:lnSpc/a:spcPts", NS)
    pct = p.find("a:pPr/a:lnSpc/a:spcPct", NS)
    if pts is not None:
        pitch = int(pts.get("val")) / 100
    elif pct is not None:
        pitch = size * 1.2 * int(pct.get("val")) / 100000
    before = p.find("a:pPr/a:spcBef/a:spcPts", NS)
    return text, size, bold, pitch, int(before.get("val")) / 100 if before is not None else 0.0


def _overflow(paragraphs, width: float, height: float, where: str) -> list[str]:
    """Problems of these paragraphs in a width x height box (pt), wrapped with our line breaker."""
    problems, used = [], 0.0
    for i, p in enumerate(paragraphs):
        text, size, bold, pitch, before = _paragraph(p)
        if not text:
            continue
        m = _metrics(bold)
        lines = wrap(text, width, size, m)
        for line in lines:
            if m.width(line, size) > width + 0.5:
                problems.append(f"{where}: line wider than its box ({m.width(line, size):.1f} > {width:.1f} pt): {line}")
        used += (before if i else 0.0) + len(lines) * pitch
    if used > height + 0.5:
        problems.append(f"{where}: text {used:.1f} pt high in a {height:.1f} pt box")
    return problems


def text_problems(pptx_path: Path) -> list[str]:
    """Every text box, placeholder and table cell whose text does not fit at its size and line pitch."""
    from pptx import Presentation

    prs = Presentation(pptx_path)
    problems: list[str] = []
    for n, slide in enumerate(prs.slides, start=1):
        for sh in slide.shapes:
            where = f"slide {n} {sh.name}"
            if sh.has_text_frame and sh.text_frame.text.strip():
                body = sh._element.find("p:txBody/a:bodyPr", NS)
                ins = [int(body.get(k, d)) / EMU for k, d in (("lIns", 91440), ("tIns", 45720), ("rIns", 91440),
                                                               ("bIns", 45720))]
                w = sh.width / EMU - ins[0] - ins[2]
                h = sh.height / EMU - ins[1] - ins[3]
                problems += _overflow(sh._element.findall("p:txBody/a:p", NS), w, h, where)
            if sh.has_table:
                table = sh.table
                for r, row in enumerate(table.rows):
                    for c, cell in enumerate(row.cells):
                        w = table.columns[c].width / EMU - (cell.margin_left + cell.margin_right) / EMU
                        h = row.height / EMU - (cell.margin_top + cell.margin_bottom) / EMU
                        problems += _overflow(cell._tc.findall("a:txBody/a:p", NS), w, h, f"{where} cell {r},{c}")
    return problems


def off_slide(pptx_path: Path) -> list[str]:
    from pptx import Presentation

    prs = Presentation(pptx_path)
    bad = []
    for n, slide in enumerate(prs.slides, start=1):
        for sh in slide.shapes:
            if (sh.left < 0 or sh.top < 0 or sh.left + sh.width > prs.slide_width
                    or sh.top + sh.height > prs.slide_height):
                bad.append(f"slide {n} {sh.name}")
    return bad


# ----------------------------------------------------------------------------- the template


def _load_script():
    spec = importlib.util.spec_from_file_location("build_template", ROOT / "scripts" / "build_template.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_template_is_built_reproducibly_and_up_to_date():
    script = _load_script()
    first, second = script.build(), script.build()
    assert first == second
    assert TEMPLATE.read_bytes() == first, "run scripts/build_template.py"


def test_template_is_16_9_with_named_layouts_theme_colours_and_east_asian_fonts():
    from pptx import Presentation

    from egovdeck.document.theme import Theme

    prs = Presentation(TEMPLATE)
    assert (prs.slide_width, prs.slide_height) == (12192000, 6858000)
    names = [lay.name for lay in prs.slide_layouts]
    assert names == ["Title", "Section", "Title and Content", "Title Only", "Blank"]
    for lay in prs.slide_layouts:
        for ph in lay.placeholders:  # placed for 16:9, not left where the 4:3 template had them
            assert ph.left >= 0 and ph.left + ph.width <= prs.slide_width, (lay.name, ph.name)
            assert ph.top >= 0 and ph.top + ph.height <= prs.slide_height, (lay.name, ph.name)
    content = prs.slide_layouts[2].placeholders[1]
    assert content.width > 10_000_000  # spans the wide slide
    with zipfile.ZipFile(TEMPLATE) as z:
        theme = etree.fromstring(z.read("ppt/theme/theme1.xml"))
        assert not [n for n in z.namelist() if "thumbnail" in n or "printerSettings" in n]
    for kind in ("majorFont", "minorFont"):
        font = theme.find(f".//a:fontScheme/a:{kind}", NS)
        assert font.find("a:latin", NS).get("typeface") == "Egov Sans SC"
        assert font.find("a:ea", NS).get("typeface") == "Egov Sans SC"
    accent1 = theme.find(".//a:clrScheme/a:accent1/a:srgbClr", NS).get("val")
    assert accent1 == Theme().palette[0]


def test_slide_titles_are_title_placeholders(built):
    from pptx import Presentation

    prs = Presentation(built.pptx)
    layouts = set()
    for n, slide in enumerate(prs.slides, start=1):
        title = slide.shapes.title
        assert title is not None and title.text_frame.text.strip(), n
        layouts.add(slide.slide_layout.name)
        # no empty placeholders left behind ("click to add text")
        assert all(ph.text_frame.text.strip() for ph in slide.placeholders), n
    assert {"Title", "Section", "Title and Content"} <= layouts


# ----------------------------------------------------------------------------- fitting


def test_every_text_fits_its_box_measured_with_the_font(built):
    assert not text_problems(built.pptx)


def test_fitting_is_reported(built):
    fitting = "\n".join(built.result.fitting)
    assert "续表" in fitting  # the provinces table continues
    assert all(line.startswith("slide ") for line in built.result.fitting)


def test_long_text_shrinks_then_continues_and_is_reported(tmp_path):
    """A definition with far too much text: everything still fits its box, and every change is reported."""
    import dataclasses

    from egovdeck.engine.build import fonts_for, theme_for
    from egovdeck.input.project import load_project
    from egovdeck.render.pptx.deck import render_pptx
    from egovdeck.resolve.report import build_document

    project = load_project(ROOT / "reports" / "egov-2019.yaml")
    theme, fonts = theme_for(project), fonts_for(project)
    doc = build_document(project, theme, fonts)
    sec = doc.sections[1]
    long = dataclasses.replace(sec.findings[0], title=sec.findings[0].title * 3, text=(sec.findings[0].text + "\n\n") * 6)
    doc = dataclasses.replace(doc, sections=(dataclasses.replace(sec, findings=(long,)),))
    result = render_pptx(doc, tmp_path / "long.pptx", fonts, theme)
    assert not text_problems(tmp_path / "long.pptx")
    assert not off_slide(tmp_path / "long.pptx")
    report = "\n".join(result.fitting)
    assert "title shrunk" in report and "continued on a new slide" in report
    # one size on every slide of a continued narrative (it was shrunk to 12 pt on the first, 16 pt on the next)
    from pptx import Presentation

    sizes = [{r.font.size.pt for p in sh.text_frame.paragraphs for r in p.runs if r.font.size}
             for slide in Presentation(str(tmp_path / "long.pptx")).slides for sh in slide.shapes
             if sh.name == "Narrative"]
    assert len(sizes) >= 2 and len(set().union(*sizes)) == 1, sizes


# ----------------------------------------------------------------------------- accessibility


def test_every_chart_picture_and_table_has_alt_text(built):
    missing = []
    with zipfile.ZipFile(built.pptx) as z:
        for name in sorted(n for n in z.namelist() if n.startswith("ppt/slides/slide") and n.endswith(".xml")):
            root = etree.fromstring(z.read(name))
            for frame in root.iter(f"{{{P}}}graphicFrame", f"{{{P}}}pic"):
                cnvpr = frame.find(".//p:cNvPr", NS)
                if not (cnvpr.get("descr") or "").strip():
                    missing.append((name, cnvpr.get("name")))
    assert not missing


# ----------------------------------------------------------------------------- reproducibility


def test_deck_bytes_depend_on_source_date_epoch(tmp_path, monkeypatch):
    """The deck's dates follow SOURCE_DATE_EPOCH. (Same inputs, same bytes, of both outputs:
    tests/test_pdf.py test_the_same_inputs_give_the_same_bytes.)"""
    from egovdeck.engine.build import build

    def deck(epoch: str, name: str) -> bytes:
        monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
        build(ROOT / "reports" / "egov-2019.yaml", output_dir=tmp_path / name, use_cache=False, formats=("pptx",))
        return (tmp_path / name / "egov-2019.pptx").read_bytes()

    assert deck("1590000000", "a") != deck("1600000000", "c")


# ----------------------------------------------------------------------------- rendered slides


def _render(pdf: Path, outdir: Path, pages) -> dict[int, Path]:
    """PNGs of some pages of LibreOffice's PDF of a deck."""
    out = {}
    for page in pages:
        stem = outdir / f"slide-{page:02d}"
        subprocess.run([tool("pdftoppm"), "-r", "40", "-png", "-singlefile", "-f", str(page), "-l", str(page),
                        str(pdf), str(stem)], check=True)
        out[page] = stem.with_suffix(".png")
    return out


def test_rendered_slides_match_the_reference_images(built_deck_drawn, tmp_path):
    from imaging import compare

    rendered = _render(built_deck_drawn, tmp_path, REFERENCE_SLIDES)
    failures = [compare(png, REFERENCES / f"slide-{page:02d}.png", TOLERANCE, 8 * TOLERANCE)
                for page, png in rendered.items()]
    assert not [f for f in failures if f], failures


# ----------------------------------------------------------------------------- a corporate template


def _libreoffice_template(tmp_path: Path) -> Path:
    """A 4:3 template re-written by LibreOffice (its own layout names and placeholder numbering),
    with a sample slide, then given a company's layout names and a moved title."""
    from pptx import Presentation
    from pptx.util import Emu

    soffice = soffice_path()
    if soffice is None:
        missing_client("LibreOffice (soffice) is not installed")
    src = Presentation()
    slide = src.slides.add_slide(src.slide_layouts[1])
    slide.shapes.title.text = "Sample"
    src.save(tmp_path / "company-src.pptx")
    work = tmp_path / "lo"
    proc = subprocess.run([soffice, f"-env:UserInstallation=file://{work / 'profile'}", "--headless", "--norestore",
                           "--convert-to", "pptx", "--outdir", str(tmp_path / "conv"), str(tmp_path / "company-src.pptx")],
                          env=fontconfig_env(work), capture_output=True, text=True, timeout=240)
    converted = tmp_path / "conv" / "company-src.pptx"
    assert converted.exists(), proc.stdout + proc.stderr
    prs = Presentation(converted)
    assert "egovdeck" not in converted.read_bytes().decode("latin-1")
    # LibreOffice 7 names its layouts “Title, Content”, “Blank Slide”; 25 keeps “Title and Content”, “Blank”, and
    # writes “Title Slide” without its subtitle (then the cover is the section header layout, title and text)
    names = {"Title Slide": "公司封面", "Title, Content": "图文页", "Title and Content": "图文页",
             "Title Only": "分节页", "Blank Slide": "空页", "Blank": "空页"}
    layouts = [lay for m in prs.slide_masters for lay in m.slide_layouts]
    cover = next((lay for lay in layouts if lay.name == "Title Slide"), None)
    if cover is not None and not [ph for ph in cover.placeholders if ph.placeholder_format.type in (2, 4, 7)]:
        names.pop("Title Slide")
        names["Section Header"] = "公司封面"
    for lay in layouts:
        if lay.name in names:
            lay._element.cSld.set("name", names[lay.name])
            if lay.name == "图文页":
                for ph in lay.placeholders:
                    if ph.placeholder_format.type == 1:  # title: moved down and narrower
                        ph.left, ph.top, ph.width, ph.height = Emu(40 * EMU), Emu(30 * EMU), Emu(600 * EMU), Emu(56 * EMU)
    target = tmp_path / "company.pptx"
    prs.save(target)
    return target


def _render_with(template, mapping, tmp_path: Path, name: str):
    from egovdeck.decktemplate.reader import TemplateRef
    from egovdeck.engine.build import fonts_for, theme_for
    from egovdeck.input.project import load_project
    from egovdeck.render.pptx.deck import render_pptx
    from egovdeck.resolve.report import build_document

    project = load_project(ROOT / "reports" / "egov-2019.yaml")
    theme, fonts = theme_for(project), fonts_for(project)
    doc = build_document(project, theme, fonts)
    out = tmp_path / name
    result = render_pptx(doc, out, fonts, theme, None, TemplateRef(template, tuple(sorted(mapping.items()))))
    return out, result, doc


MAPPING = {"title": "公司封面", "section": "分节页", "content": "图文页", "blank": "空页"}


def test_a_corporate_template_made_elsewhere_with_mapped_layouts(tmp_path):
    from pptx import Presentation

    template = _libreoffice_template(tmp_path)
    deck, result, doc = _render_with(template, MAPPING, tmp_path, "corporate.pptx")
    prs = Presentation(deck)
    assert (prs.slide_width, prs.slide_height) == (9144000, 6858000)  # the template's 4:3, not ours
    assert len(prs.slides) == result.slides  # the template's sample slide is gone
    used = {s.slide_layout.name for s in prs.slides}
    assert used <= set(MAPPING.values()) and {"公司封面", "分节页", "图文页"} <= used
    findings = {f.title for s in doc.sections for f in s.findings}
    placed = set()
    for slide in prs.slides:
        title = slide.shapes.title  # a real title placeholder of the template
        assert title is not None and title.is_placeholder
        placed.add(title.text_frame.text)
        if slide.slide_layout.name == "图文页":
            assert (title.left, title.top, title.width) == (40 * EMU, 30 * EMU, 600 * EMU)
    assert findings <= placed
    assert not off_slide(deck)
    assert not text_problems(deck)
    pdf = libreoffice_to_pdf(deck, tmp_path / "pdf")
    text = subprocess.run([tool("pdftotext"), str(pdf), "-"], capture_output=True, text=True).stdout
    assert "在线政务服务" in text.replace(" ", "")


def test_a_potx_template_opens_and_layouts_match_by_default(tmp_path):
    from pptx import Presentation

    template = _libreoffice_template(tmp_path)
    data = io.BytesIO()
    with zipfile.ZipFile(template) as src, zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "[Content_Types].xml":
                body = body.replace(b"presentationml.presentation.main+xml", b"presentationml.template.main+xml")
            dst.writestr(info, body)
    potx = tmp_path / "company.potx"
    potx.write_bytes(data.getvalue())
    with pytest.raises(ValueError):  # what python-pptx alone does with a .potx
        Presentation(potx)
    deck, _result, _doc = _render_with(potx, {}, tmp_path, "from-potx.pptx")
    prs = Presentation(deck)
    assert all(s.shapes.title is not None for s in prs.slides)
    assert not off_slide(deck)


def test_a_missing_layout_or_placeholder_names_the_template_and_lists_its_layouts(tmp_path):
    from egovdeck.decktemplate.reader import TemplateRef
    from egovdeck.errors import EgovError

    with pytest.raises(EgovError) as err:
        TemplateRef(TEMPLATE, (("content", "Corporate Body"),), "templates/corp.pptx").open()
    text = str(err.value)
    assert "templates/corp.pptx" in text and "Corporate Body" in text
    assert "“Title and Content” (title#0, obj#1)" in text
    with pytest.raises(EgovError) as err:
        TemplateRef(TEMPLATE, (("content", "Blank"),), "corp.pptx").open()
    assert "lacks a title placeholder" in str(err.value) and "“Section”" in str(err.value)


def test_the_report_definition_names_a_template_inside_the_project(tmp_path):
    import shutil

    from conftest import copy_project
    from egovdeck.errors import EgovError
    from egovdeck.input.project import load_project
    from egovdeck.input.template import template_for

    definition = copy_project(tmp_path)
    (tmp_path / "templates").mkdir()
    shutil.copy(TEMPLATE, tmp_path / "templates" / "corp.pptx")
    text = definition.read_text(encoding="utf-8")
    theme = "theme:\n  template: templates/corp.pptx\n  template_layouts: {content: Title Only}\n"
    definition.write_text(text.replace("datasets:\n", theme + "\ndatasets:\n", 1), encoding="utf-8")
    ref = template_for(load_project(definition))
    assert ref.path == (tmp_path / "templates" / "corp.pptx").resolve()
    assert ref.open().roles["content"].name == "Title Only"
    definition.write_text(text.replace("datasets:\n", "theme:\n  template: ../outside.pptx\n\ndatasets:\n", 1),
                          encoding="utf-8")
    with pytest.raises(EgovError, match="outside the project"):
        template_for(load_project(definition))


def test_the_deck_is_the_same_when_python_pptx_writes_the_zip_itself(built, tmp_path, monkeypatch):
    """package_zip deflates each part once; if python-pptx's writer changes shape it falls back to
    python-pptx's own save plus normalize_zip, with the same bytes."""
    from conftest import REPORT
    from egovdeck.engine.build import build

    class Changed:  # a python-pptx whose writer has other internals, as package_zip sees it
        def __init__(self, *args):
            pass

    monkeypatch.setattr("pptx.opc.serialized.PackageWriter", Changed)  # python-pptx's own save keeps its import

    build(REPORT, output_dir=tmp_path, cache_dir=tmp_path / "cache", formats=("pptx",))
    assert (tmp_path / "egov-2019.pptx").read_bytes() == built.pptx.read_bytes()


def test_table_and_timeline_notes_are_on_their_slides_as_in_the_brief(tmp_path):
    """A table's and a timeline's note: were printed in the brief only (a new user's 「注：表注测试文字。」 was on
    no slide and in no speaker notes). Each is now under its table (the table's last slide) or timeline,
    read from the slides' text and from the PDF's."""
    from pptx import Presentation

    from clients import pdftotext_pages
    from conftest import copy_project
    from egovdeck.engine.build import build

    definition = copy_project(tmp_path / "p")
    text = definition.read_text(encoding="utf-8")
    text = text.replace("            dataset: egov_milestones\n",
                        "            dataset: egov_milestones\n            note: 时间轴注文字甲。\n", 1)
    assert text.count("            sort: -websites\n") == 1
    text = text.replace("            sort: -websites\n", "            sort: -websites\n            note: 表注文字乙。\n")
    definition.write_text(text, encoding="utf-8")
    build(definition, output_dir=tmp_path / "out", use_cache=False)
    slides = ["\n".join(sh.text_frame.text for sh in s.shapes if sh.has_text_frame)
              for s in Presentation(str(tmp_path / "out" / "egov-2019.pptx")).slides]
    pdf = "".join("".join(pdftotext_pages(tmp_path / "out" / "egov-2019.pdf")).split())
    for note in ("注：时间轴注文字甲。", "注：表注文字乙。"):
        assert note in pdf
        on = [i for i, s in enumerate(slides) if note in s]
        assert len(on) == 1, (note, on)
    table_slides = [i for i, s in enumerate(slides) if "2019年各省（区、市）政府网站数量" in s]
    assert [i for i, s in enumerate(slides) if "注：表注文字乙。" in s] == [table_slides[-1]]
