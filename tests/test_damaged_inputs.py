"""Bad input breaker2 found exiting 3 or answering with the wrong fix: each now exits 1 located, with a hint.

Damaged deck templates (a part or relationship python-pptx needs is missing) are refused by `validate` at the
definition's theme.template; a merged title row above an XLSX header gets `header_row: N`; a CMYK logo under
PDF/A is reported at report.logo; output/ linked out of the project is refused before anything is written;
where: values compared with a period column must be periods (time order, not text order).
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import copy_project
from test_broken_projects import run_cli

DEF = "reports/egov-2019.yaml"


def _project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    copy_project(root)
    return root


def _edit(root: Path, old: str, new: str) -> None:
    path = root / DEF
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")


def _damaged_template(drop=None, retype: bool = False) -> bytes:
    from egovdeck.decktemplate.reader import DEFAULT_TEMPLATE

    out = io.BytesIO()
    with zipfile.ZipFile(DEFAULT_TEMPLATE) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if retype and info.filename == "[Content_Types].xml":
                body = re.sub(rb'<Override PartName="/ppt/slideMasters/slideMaster1.xml"[^>]*/>', b"", body)
            if drop is None or not drop(info.filename):
                dst.writestr(info, body)
    return out.getvalue()


DAMAGE = {
    "master-missing": (dict(drop=lambda n: n.startswith("ppt/slideMasters/")), "ppt/slideMasters/slideMaster1.xml missing"),
    "theme-missing": (dict(drop=lambda n: n == "ppt/theme/theme1.xml"), "ppt/theme/theme1.xml missing"),
    "layout-missing": (dict(drop=lambda n: n == "ppt/slideLayouts/slideLayout2.xml"),
                       "ppt/slideLayouts/slideLayout2.xml missing"),
    "layout-rels-missing": (dict(drop=lambda n: n == "ppt/slideLayouts/_rels/slideLayout1.xml.rels"),
                            "ppt/slideLayouts/_rels/slideLayout1.xml.rels missing"),
    "presentation-rels-missing": (dict(drop=lambda n: n == "ppt/_rels/presentation.xml.rels"),
                                  "ppt/_rels/presentation.xml.rels missing"),
    "content-type-missing": (dict(retype=True), "[Content_Types].xml gives no type for ppt/slideMasters/slideMaster1.xml"),
}


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_a_damaged_deck_template_is_refused_by_validate_at_theme_template(tmp_path, damage):
    kwargs, what = DAMAGE[damage]
    root = _project(tmp_path)
    (root / "templates").mkdir()
    (root / "templates" / "corp.pptx").write_bytes(_damaged_template(**kwargs))
    _edit(root, "\ndatasets:\n", "\ntheme:\n  template: templates/corp.pptx\n\ndatasets:\n")
    proc = run_cli(root, "validate")
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    line = next(i for i, t in enumerate((root / DEF).read_text(encoding="utf-8").splitlines(), 1)
                if t.startswith("  template:"))
    assert f"{DEF}:{line}:3: error: theme.template: the template templates/corp.pptx is damaged ({what}" in proc.stderr
    assert "hint: save it again from PowerPoint" in proc.stderr


def _homepage_as_xlsx(root, above: list[list], merge_title: bool) -> None:
    """data/homepage_updates as a workbook: the rows `above` over the CSV's rows (the title merged over the
    columns when merge_title), the sidecar pointed at it."""
    import csv

    from openpyxl import Workbook

    with open(root / "data" / "homepage_updates.csv", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    wb = Workbook()
    ws = wb.active
    for row in above:
        ws.append(row)
    for row in rows:
        ws.append([float(c) if merge_title and re.fullmatch(r"-?\d+(\.\d+)?", c) else c for c in row])
    if merge_title:
        ws.merge_cells(f"A1:{chr(64 + len(rows[0]))}1")
    wb.save(root / "data" / "homepage_updates.xlsx")
    (root / "data" / "homepage_updates.csv").unlink()
    sidecar = root / "data" / "homepage_updates.yaml"
    sidecar.write_text(sidecar.read_text(encoding="utf-8").replace("homepage_updates.csv", "homepage_updates.xlsx"),
                       encoding="utf-8")


def test_a_merged_title_row_above_the_header_asks_for_header_row(tmp_path):
    root = _project(tmp_path)
    # a blank line under the title, as report sheets have
    _homepage_as_xlsx(root, [["各级政府网站首页文章更新量"], []], merge_title=True)
    proc = run_cli(root, "validate")
    assert proc.returncode == 1, proc.stderr
    assert "data/homepage_updates.xlsx:1: error: row 1 looks like a title above the header" in proc.stderr
    assert "row 3 holds the column names" in proc.stderr
    assert "hint: set `header_row: 3` in the sidecar" in proc.stderr
    assert "Merge & Center" not in proc.stderr  # the old hint: unmerge and fill, five columns named after the title


def test_an_unmerged_title_row_above_the_header_asks_for_header_row(tmp_path):
    root = _project(tmp_path)
    _homepage_as_xlsx(root, [["各级政府网站首页文章更新量"]], merge_title=False)  # one cell, not merged
    proc = run_cli(root, "validate")
    assert proc.returncode == 1, proc.stderr
    assert "data/homepage_updates.xlsx:1: error: missing column(s) declared in homepage_updates.yaml" in proc.stderr
    assert ("hint: row 1 looks like a title; row 2 holds the column names: set `header_row: 2` in "
            "homepage_updates.yaml") in proc.stderr


def test_a_cmyk_logo_under_pdfa_is_reported_at_report_logo(tmp_path):
    from PIL import Image

    root = _project(tmp_path)
    (root / "assets").mkdir()
    Image.new("CMYK", (120, 60), (0, 200, 200, 0)).save(root / "assets" / "logo.jpg", "JPEG")
    _edit(root, "  language: zh-CN\n", "  language: zh-CN\n  logo: assets/logo.jpg\n")
    proc = run_cli(root, "validate")
    assert proc.returncode == 1, proc.stderr
    assert f"{DEF}:12:3: error: report.logo: assets/logo.jpg is a CMYK image" in proc.stderr
    assert "hint: save the logo as RGB" in proc.stderr
    built = run_cli(root, "build", "-q", "--pdf-standard", "none")  # a plain PDF may hold CMYK
    assert built.returncode == 0, built.stderr
    _edit(root, "  language: zh-CN\n", "  language: zh-CN\n  pdf_standard: none\n")
    assert run_cli(root, "validate").returncode == 0


def test_output_linked_out_of_the_project_is_refused_and_the_outside_file_kept(tmp_path):
    root = _project(tmp_path)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "egov-2019.pdf").write_text("keep me\n")
    if (root / "output").exists():
        os.rename(root / "output", tmp_path / "old-output")
    os.symlink(outside, root / "output")
    proc = run_cli(root, "build", "-q")
    assert proc.returncode == 1, proc.stderr
    assert f"output: error: output/ is a symbolic link to {outside.resolve()}, outside the project" in proc.stderr
    assert "hint: make output/ a folder" in proc.stderr
    assert (outside / "egov-2019.pdf").read_text() == "keep me\n"
    assert sorted(p.name for p in outside.iterdir()) == ["egov-2019.pdf"]


@given(st.integers(1900, 2099), st.integers(1, 9), st.sampled_from(["-", "/", "."]))
def test_an_unpadded_month_is_not_a_period_and_the_hint_pads_it(year, month, sep):
    from egovdeck.input.data import PERIOD_RE, condition_problem

    written = f"{year}{sep}{month}"
    for wanted in (written, [f"{year}-12", written], {"ge": written}, {"not_in": [written]}):
        found = condition_problem("period", wanted)
        assert found is not None and f"write {year}-{month:02d}" in found[2]
    padded = f"{year}-{month:02d}"
    assert PERIOD_RE.match(padded) and condition_problem("period", {"ge": padded, "lt": year + 1}) is None
    assert condition_problem("text", {"ge": written}) is None  # text columns compare as text, as documented


@given(st.text(min_size=1, max_size=5).filter(lambda t: "{" not in t))
def test_a_number_column_is_compared_with_numbers(text):
    from egovdeck.input.data import condition_problem

    assert condition_problem("integer", {"ge": text}) is not None
    assert condition_problem("number", {"lt": 1.5, "ge": 0}) is None
