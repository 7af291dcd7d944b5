"""Variants of the four chart/text layout cases of issue 16, as other users would write them.

tests/cases/layout-variants/NAME is a small project per kind (synthetic data): bar-order (sort, ties, top N,
stacked, 1-3 series, legend positions), long-labels (1-40 characters, CJK/Latin/mixed, 10 and 40 categories,
every chart kind, chart-text/chart-wide/two-charts), negatives (all-negative, mixed, zero, tiny negatives,
negative percentages, sectioned formats, stacked, combo, table, KPIs, narrative) and soft-breaks (YAML |, >,
|-, plain scalars, a CRLF file, mixed scripts, full-width spaces, in every place text is written).

Each is built once as a user builds it, and read the way readers read it: the PDF with pdfplumber and
pdftotext, every chart drawn alone at its PDF size, the deck's XML and LibreOffice's rendering of it.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest
import yaml
from lxml import etree

import chartcheck as cc
from egovdeck.ooxml import qn

HERE = Path(__file__).resolve().parent
VARIANTS = HERE / "cases" / "layout-variants"
REPORTS = sorted(VARIANTS.glob("*/reports/*.yaml"))
CJK = r"[\u3400-\u9fff\uff08\uff09\u3001-\u3011\uff0c\uff1b\uff1a]"


def _id(path: Path) -> str:
    return f"{path.parents[1].name}/{path.stem}"


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> dict[str, tuple[Path, Path, Path, Path]]:
    """Every variant report built once: id -> (project, definition, pdf, pptx)."""
    from egovdeck.cli import main as cli

    out = {}
    for source in REPORTS:
        work = tmp_path_factory.mktemp("variant") / source.parents[1].name
        if not work.exists():
            shutil.copytree(source.parents[1], work)
        definition = work / "reports" / source.name
        assert cli.main(["build", "--no-server", "--no-cache", str(definition), "-o", str(work / "output")],
                        try_server=False) == 0, _id(source)
        rid = yaml.safe_load(definition.read_text(encoding="utf-8"))["report"]["id"]
        out[_id(source)] = (work, definition, work / "output" / f"{rid}.pdf", work / "output" / f"{rid}.pptx")
    return out


def _charts(definition: Path):
    """(document, [(chart, pdf width, pdf height)]) as the build resolved them."""
    from egovdeck.document.chart import ChartData
    from egovdeck.engine.build import fonts_for, theme_for
    from egovdeck.input.project import load_project
    from egovdeck.render.pdf.geometry import pdf_chart_sizes
    from egovdeck.resolve.report import build_document

    project = load_project(definition)
    doc = build_document(project, theme_for(project), fonts_for(project))
    sizes = pdf_chart_sizes(doc)
    charts = [b for s in doc.sections for f in s.findings for b in f.blocks.values() if isinstance(b, ChartData)]
    return doc, [(c, *sizes[c.id]) for c in charts]


def _rendered(pptx: Path) -> Path:
    from clients import libreoffice_to_pdf

    lo = pptx.parent / "lo"
    done = lo / pptx.with_suffix(".pdf").name
    return done if done.exists() else libreoffice_to_pdf(pptx, lo)


def _deck_xml(pptx: Path, prefix: str) -> list[tuple[str, etree._Element]]:
    with zipfile.ZipFile(pptx) as z:
        names = sorted((n for n in z.namelist() if n.startswith(prefix) and n.endswith(".xml")),
                       key=lambda n: int(re.sub(r"\D", "", n) or 0))
        return [(n, etree.fromstring(z.read(n))) for n in names]


def _pdf_text(pdf: Path) -> str:
    from clients import pdftotext_pages

    return "\n".join(pdftotext_pages(pdf))


# ----------------------------------------------------------------------------- every variant, every rule


@pytest.mark.parametrize("source", REPORTS, ids=_id)
def test_variant_reads_right_in_both_outputs(builds, source, tmp_path):
    """Page frame, pagination, kinsoku, whole numbers, captions (the whole-report checks); every chart alone:
    no character off its canvas or over another, every category named; the deck as LibreOffice draws it:
    text in its box, category labels whole."""
    import deckboxes
    from test_chart_layout import _inside_frame
    from test_whole_reports import _check_both

    work, definition, pdf, pptx = builds[_id(source)]
    spec = yaml.safe_load(definition.read_text(encoding="utf-8"))
    headings = [f["title"] for s in spec["sections"] for f in s["findings"]] + [s["title"] for s in spec["sections"]]
    _check_both(work, pdf, pptx, headings)
    doc, charts = _charts(definition)
    assert _inside_frame(pdf, doc) == []
    for chart, w, h in charts:
        assert cc.problems(chart, w, h, tmp_path / f"{chart.id}.pdf") == [], chart.id
        text = cc.text_of(tmp_path / f"{chart.id}.pdf")
        for c in chart.categories:
            assert all(ch in text for ch in c if not ch.isspace()), (chart.id, c)
    assert deckboxes.problems(pptx, _rendered(pptx)) == []
