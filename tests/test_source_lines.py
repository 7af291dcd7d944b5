"""One source line lists each distinct source once: a slide whose KPI row (read from two datasets) and chart
(from one of them) both add their 「资料来源」 shows 「资料来源：A；B」, not 「资料来源：A；B；A」 (a new user's
slide 4), and no source line of the PDF repeats a source either.

Read from the outputs: the deck's “Source” text boxes (python-pptx) and the PDF's text (pdftotext)."""

from __future__ import annotations

import shutil
import subprocess

from hypothesis import given
from hypothesis import strategies as st

from clients import ROOT, tool

CASE = ROOT / "tests" / "cases" / "layout" / "negative-values-minus"
OTHER = "另一测试来源（synthetic, for testing only），非官方统计"

FINDING = """      - id: kpis
        title: 两个数据集的指标与一张图
        layout: kpi-row
        text: 指标。
        slots:
          kpis:
            - value: '{{ value("growth", "yoy", period="2018") | num(1) }}%'
              label: 2018年同比
            - value: '{{ value("prov", "decline_pct", province="西藏") | num(1) }}%'
              label: 西藏同比下降
          chart:
            kind: column
            dataset: growth
            title: 同比增速
            x: period
            y: yoy
            format: "0.0"
"""


def _parts(line: str) -> list[str]:
    """The sources a line lists, split at 「；」 outside brackets (as a reader separates them)."""
    text, depth, parts, start = line.strip().removeprefix("资料来源："), 0, [], 0
    for i, ch in enumerate(text):
        depth += ch in "（(" and 1 or ch in "）)" and -1 or 0
        if ch == "；" and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    return [p.strip() for p in [*parts, text[start:]] if p.strip()]


def test_a_slide_and_the_pdf_list_each_source_once(tmp_path):
    from pptx import Presentation

    from egovdeck.cli.main import main

    for name in ("reports", "data"):
        shutil.copytree(CASE / name, tmp_path / name)
    prov = tmp_path / "data" / "prov.yaml"
    prov.write_text(prov.read_text(encoding="utf-8").replace("资料来源：测试数据", f"资料来源：{OTHER}"),
                    encoding="utf-8")
    definition = tmp_path / "reports" / "case.yaml"
    text = definition.read_text(encoding="utf-8")
    definition.write_text(text.replace("    findings:\n", "    findings:\n" + FINDING, 1), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["build", str(definition), "-o", str(out), "-q", "--no-cache"], try_server=False) == 0
    deck = Presentation(next(out.glob("*.pptx")))
    lines = [s.text_frame.text for slide in deck.slides for s in slide.shapes if s.name == "Source"]
    assert "资料来源：测试数据；" + OTHER in lines
    for line in lines:
        assert len(_parts(line)) == len(set(_parts(line))), line
    pdf_text = subprocess.run([tool("pdftotext"), "-layout", str(next(out.glob("*.pdf"))), "-"], capture_output=True,
                              text=True, check=True).stdout
    source_lines = [ln.strip() for ln in pdf_text.splitlines() if ln.strip().startswith("资料来源：")]
    assert source_lines
    for line in source_lines:
        assert len(_parts(line)) == len(set(_parts(line))), line


word = st.text(alphabet="数据来源统计局synthetic ,", min_size=1, max_size=8).map(str.strip).filter(bool)
# a source's name, perhaps with a bracketed remark that may itself hold a 「；」 (balanced, as sources are written)
names = st.tuples(word, st.one_of(st.just(""), st.lists(word, min_size=1, max_size=2).map(
    lambda ws: "（" + "；".join(ws) + "）"))).map("".join)


@given(st.lists(st.lists(names, min_size=1, max_size=4), min_size=1, max_size=5))
def test_joined_sources_list_each_source_once_in_order(groups):
    from egovdeck.document.report import join_sources, source_parts

    lines = ["资料来源：" + "；".join(g) for g in groups]
    joined = join_sources(lines)
    parts = source_parts(joined)
    assert len(parts) == len(set(parts))
    expected = list(dict.fromkeys(p for line in lines for p in source_parts(line)))
    assert parts == expected
