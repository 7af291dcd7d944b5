"""The Chinese–Latin gap a slide viewer draws (egovdeck.text.autospace), checked against the viewer itself:
LibreOffice's PDF of one-line boxes is never wider than the deck's measure of their text, and a narrative
that fills its box by that measure stays in its box, with the deck's font installed and without it."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from clients import libreoffice_to_pdf
from deckboxes import problems

# every kind of character a narrative, label or cell puts next to Chinese: ASCII letters, digits,
# punctuation and symbols, the East Asian ambiguous marks (quotes, dashes, minus, middle dot), full-width
# punctuation, spaces
CJK = "政府网站年月亿次个"
LATIN = "05A9x%.,:/()+-"
AMBIGUOUS = "“”‘’…—·−±°"
FULL = "，。、：（）「」％"
ALPHABET = CJK + LATIN + AMBIGUOUS + FULL + " "


def test_the_gap_rule_on_the_measured_cases():
    """Counts LibreOffice 25.2 drew (tests below measure it; 0.24 em each at 20 pt)."""
    from egovdeck.text.autospace import boundaries

    cases = {"年年年年": 0, "年5年5年5年5": 7, "年%年%年%年%": 7, "年.年.年.年.": 7, "年−年−年−": 0, "年(年)年(": 5,
             "年 5 年 5 年 5": 5, "5，5，5，5，": 7, "年5.1%，年5.1%，": 4, "年“A”年“A”": 4, "年「A」年「A」": 4,
             "5%）年5%）年": 3, "年/年/年/": 5, "年 年 年 年": 0, "年‘A’年": 2, "年−5年−5": 3, "5−年5−年": 3, "±，": 1, "“·）、": 2, "图1\u3000政务": 2}
    assert {t: boundaries(t) for t in cases} == cases


def _one_line_deck(texts: list[str], target: Path, size: float) -> None:
    """One text box per string, one line each (no wrapping), 14 to a slide, in the deck's typeface."""
    from pptx import Presentation
    from pptx.util import Pt

    from egovdeck.ooxml import set_run_font
    from egovdeck.text.fonts import default_fonts, family_name

    family = family_name(default_fonts().regular)
    prs = Presentation()
    prs.slide_width, prs.slide_height = Pt(960), Pt(540)
    for start in range(0, len(texts), 14):
        slide = prs.slides.add_slide(prs.slide_layouts[6])
        for i, text in enumerate(texts[start:start + 14]):
            box = slide.shapes.add_textbox(Pt(20), Pt(20 + 36 * i), Pt(920), Pt(34))
            box.text_frame.word_wrap = False
            run = box.text_frame.paragraphs[0].add_run()
            run.text = text
            set_run_font(run, family, "zh-CN", size)
    prs.save(target)


def _drawn_widths(pdf: Path, count: int) -> list[float]:
    """Width from the first character's left to the last one's right edge of each box's line, in order."""
    import pdfplumber

    widths = []
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            chars = [c for c in page.chars if c["text"].strip()]
            for i in range(14):
                row = [c for c in chars if 20 + 36 * i - 2 <= c["top"] <= 20 + 36 * i + 16]
                if row:
                    widths.append(max(c["x1"] for c in row) - min(c["x0"] for c in row))
    assert len(widths) == count
    return widths


@pytest.mark.parametrize("bundled_fonts", [True, False], ids=["font-installed", "font-missing"])
def test_the_viewer_never_draws_text_wider_than_the_deck_measures_it(tmp_path, bundled_fonts):
    """Random mixes of Chinese, Latin, digits, punctuation, symbols and spaces at 20 pt, bold and regular
    metrics alike measured by the deck's portable metrics (font or substitute, plus the gap): LibreOffice's
    drawing is at most 0.5 pt wider (rounding of glyph positions)."""
    from egovdeck.text.fonts import default_fonts
    from egovdeck.text.substitute import portable_metrics

    measure = portable_metrics(default_fonts().regular)

    # no shrinking: each example is a LibreOffice run, and the message lists every string drawn wider
    @settings(max_examples=2, deadline=None, suppress_health_check=list(HealthCheck), database=None,
              phases=[Phase.explicit, Phase.generate])
    @given(st.lists(st.text(st.sampled_from(ALPHABET), min_size=2, max_size=24).map(str.strip)
                    .filter(lambda t: len(t) > 1), min_size=28, max_size=28))
    def check(texts: list[str]) -> None:
        out = Path(tempfile_dir(tmp_path))
        deck = out / "gaps.pptx"
        _one_line_deck(texts, deck, 20)
        pdf = libreoffice_to_pdf(deck, out / "lo", bundled_fonts=bundled_fonts)
        drawn = _drawn_widths(pdf, len(texts))
        wider = [(t, round(d, 1), round(measure.width(t, 20), 1)) for t, d in zip(texts, drawn, strict=True)
                 if d > measure.width(t, 20) + 0.5]
        assert not wider, f"drawn wider than measured (text, drawn, measured): {wider}"

    check()


def tempfile_dir(base: Path) -> Path:
    import tempfile

    return Path(tempfile.mkdtemp(dir=base))


def _dense(rnd: random.Random, length: int) -> str:
    """Narrative text where the script changes every few characters, as a writer mixing half-width
    punctuation into Chinese writes it: 「网站,平台(含App)/服务:增长5%,」, numbers with decimals and
    percentages, Latin words in quotes."""
    parts = []
    while sum(map(len, parts)) < length:
        parts.append(rnd.choice(["增长", "下降", "政务网站", "同比", "其中", "达到", "年", "个", "万人次", "平台"]))
        parts.append(rnd.choice([",", ":", "/", "(含App)", "%,", f"{rnd.randint(1, 99)}%", f"{rnd.randint(1, 9)}.{rnd.randint(0, 9)}%,",
                                 "“OA”", "(甲)", ".", "API/OA", "—"]))
    return "".join(parts) + "。"


@pytest.fixture(scope="module")
def dense_deck(tmp_path_factory) -> Path:
    """Narratives long enough to fill their box at the floor size and continue on a 「（续）」 slide, made
    of short Chinese runs between numbers, percentages and Latin words: the deck, built once for both font
    settings."""
    from egovdeck.engine.build import build
    from test_whole_reports import _write_dataset

    rnd = random.Random(16)
    project = tmp_path_factory.mktemp("dense")
    (project / "data").mkdir(parents=True)
    (project / "reports").mkdir()
    _write_dataset(project, "d1", {"cats": ["甲", "乙"], "v1": [1.0, 2.0], "v2": [3.0, 4.0], "remark": None})
    chart = {"kind": "column", "dataset": "d1", "title": "数量", "x": "cat", "y": ["v1"]}
    findings = [{"id": f"f{i}", "title": f"发现{i}", "layout": layout, "text": _dense(rnd, n),
                 "slots": {"chart": chart} if layout == "chart-text" else {"kpis": [{"value": "12%", "label": "甲"}]}}
                for i, (layout, n) in enumerate([("chart-text", 420), ("kpi-text", 700), ("chart-text", 260),
                                                 ("kpi-text", 1500)])]
    definition = {"report": {"id": "dense", "title": "间距", "date": "2020-05-20"}, "datasets": ["data/*.yaml"],
                  "sections": [{"id": "s", "title": "节", "findings": findings}]}
    source = project / "reports" / "dense.yaml"
    source.write_text(yaml.safe_dump(definition, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = build(source, output_dir=project / "output", use_cache=False, formats=("pptx",))
    assert any("continued on a new slide" in line for line in result.fitting)  # the boxes are full
    return project / "output" / "dense.pptx"


@pytest.mark.parametrize("bundled_fonts", [True, False], ids=["font-installed", "font-missing"])
def test_a_narrative_dense_in_script_changes_stays_in_its_box(dense_deck, tmp_path, bundled_fonts):
    """The dense deck (`dense_deck`): in LibreOffice's rendering every text of every slide stays inside its box
    (tests/deckboxes.py)."""
    pdf = libreoffice_to_pdf(dense_deck, tmp_path / "lo", bundled_fonts=bundled_fonts)
    found = problems(dense_deck, pdf)
    assert not found, found
