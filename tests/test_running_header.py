"""The PDF's running header: the report title (left) and the section title (right) never overlap,
whatever their lengths; read back from the PDF's character boxes (pdfplumber)."""

from __future__ import annotations

import json

import pdfplumber
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from egovdeck.cli.main import main as cli


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    from egovdeck.input.scaffold import init_project

    root = tmp_path_factory.mktemp("hdr") / "p"
    init_project(root, "brief")
    return root


def _header_chars(pdf_path, margin_top_pt: float = 80.0):
    """Characters above the body on each page after the cover (the running header's band)."""
    with pdfplumber.open(pdf_path) as pdf:
        for page in pdf.pages[1:]:
            yield page.page_number, [c for c in page.chars if c["top"] < margin_top_pt]


def _overlaps(chars) -> list[tuple[str, str]]:
    boxes = sorted(chars, key=lambda c: c["x0"])
    return [(a["text"], b["text"]) for a, b in zip(boxes, boxes[1:], strict=False)
            if b["x0"] < a["x1"] - 0.5 and abs(a["top"] - b["top"]) < 4]


# characters the bundled font holds (GB2312 and 通用规范汉字表), with Latin and digits mixed in
ALPHABET = "在线政务服务发展简报用户规模各省区市政府网站数量及变化分析报告全国一体化平台建设情况新疆生产兵团（）、—ABCxyz0123 "
CJK = st.text(st.sampled_from(ALPHABET), min_size=1, max_size=60).map(str.strip).filter(bool)


@settings(max_examples=4)
@given(title=CJK, section=CJK)
@example(title="2019年各省区市政府网站集约化建设情况与在线政务服务平台一体化发展的分析报告", section="一、各省（区、市）政府网站数量及变化情况（含新疆生产建设兵团）")
def test_header_texts_never_overlap(sample, tmp_path_factory, title, section):
    import shutil

    root = tmp_path_factory.mktemp("h") / "p"
    shutil.copytree(sample, root)
    definition = root / "reports" / "brief.yaml"
    text = definition.read_text(encoding="utf-8")
    text = text.replace("  title: 在线政务服务发展简报（示例）", f"  title: {json.dumps(title, ensure_ascii=False)}", 1)
    text = text.replace("    title: 在线政务服务用户规模\n", f"    title: {json.dumps(section, ensure_ascii=False)}\n", 1)
    definition.write_text(text, encoding="utf-8")
    code = cli.main(["build", str(definition), "--only", "pdf", "--no-cache", "-o", str(root / "output")],
                    try_server=False)
    assert code == 0
    for number, chars in _header_chars(root / "output" / "brief.pdf"):
        assert chars, f"page {number} has no running header"
        assert not _overlaps(chars), f"page {number}: header texts overlap"
