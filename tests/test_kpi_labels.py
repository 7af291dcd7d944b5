"""A KPI card's label is never lost: it wraps to two lines and shrinks to its floor; a label that must still be
cut is a counted warning, not a `fit:` note (a new user's deck showed 「2020年12月政务服…」 and 「最大年访问量…」
while the PDF showed them whole).

Read as readers read the deck: the labels' text in the slide XML (python-pptx) and where LibreOffice draws
their characters (pdfplumber on its PDF export)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clients import ROOT, libreoffice_to_pdf

CASE = ROOT / "tests" / "cases" / "layout" / "negative-values-minus"
# the labels of the new user's six cards (reports/big.yaml of the report written from the docs alone)
LABELS = ["2020年12月政务服务搜索量（合成）", "最高综合指数", "最大降幅", "参评省级单位", "舍入测试0.15",
          "最大年访问量（Latin label very long indeed）"]
VALUES = ["8.41亿次", "97.08分", "−44.56%", "36个", "0.2", "9876.54万"]
CHANGES = ["同比下降8.2%", "黑龙江省", "天津市", "含新疆生产建设兵团及港澳", "降低0.3个百分点", "下降19.7%"]


@pytest.fixture(scope="module")
def base():
    from egovdeck.engine.build import fonts_for, theme_for
    from egovdeck.input.project import load_project
    from egovdeck.resolve.report import build_document

    project = load_project(CASE / "reports" / "case.yaml")
    theme, fonts = theme_for(project), fonts_for(project)
    return build_document(project, theme, fonts), fonts, theme


def _deck_with_kpis(base, kpis, region=(0.0, 0.0, 1.0, 0.36)):
    """A Deck on egovdeck's own template with one finding: a row of `kpis` in `region` (fractions of the
    content area, as a layout's slide regions are)."""
    from egovdeck.document.report import Placement
    from egovdeck.render.pptx.deck import Deck
    from egovdeck.render.template import TemplateRef

    doc, fonts, theme = base
    deck = Deck(doc, fonts, theme, TemplateRef().open())
    finding = replace(doc.sections[0].findings[0], text="", layout=Placement((("kpis",),), {"kpis": region}, {}),
                      blocks={"kpis": tuple(kpis)})
    deck.finding(finding, doc.sections[0].title)
    return deck


def _labels(deck) -> list[str]:
    slide = list(deck.prs.slides)[-1]
    return [s.text_frame.text for s in slide.shapes if s.name == "KPI label"]


def test_the_new_users_kpi_labels_are_whole_in_the_deck(base, tmp_path):
    import pdfplumber

    from deckboxes import problems
    from egovdeck.document.report import KPIData

    kpis = [KPIData(v, label, c) for v, label, c in zip(VALUES, LABELS, CHANGES, strict=True)]
    deck = _deck_with_kpis(base, kpis)
    assert _labels(deck) == LABELS
    assert not [w for w in deck.result.warnings if "KPI" in w]
    assert not [n for n in deck.result.fitting if "KPI label" in n and "cut" in n]
    out = tmp_path / "kpi.pptx"
    deck.save(out)
    pdf = libreoffice_to_pdf(out, tmp_path)
    found = [p for p in problems(out, pdf) if "KPI" in p]
    assert not found, found
    with pdfplumber.open(pdf) as doc:
        drawn = "".join(c["text"] for c in doc.pages[-1].chars if c["text"].strip())
    for label in LABELS:
        assert label.replace(" ", "") in drawn


def test_a_label_too_long_for_its_card_is_a_counted_warning(base):
    from egovdeck.document.report import KPIData

    long = "全国一体化在线政务服务平台实名注册用户总数（含港澳台及海外华侨）" * 4
    kpis = [KPIData("1", long, "x"), KPIData("2", "短", "y"), KPIData("3", "短", ""), KPIData("4", "短", ""),
            KPIData("5", "短", ""), KPIData("6", "短", "")]
    deck = _deck_with_kpis(base, kpis)
    labels = _labels(deck)
    assert labels[0].endswith("…") and labels[1:] == ["短"] * 5
    assert any("KPI label cut" in w for w in deck.result.warnings)


cjk = st.text(alphabet="政务服务搜索量综合指数最高最低参评省级单位年月（）", min_size=1, max_size=4)
latin = st.text(alphabet="abcdefghij ", min_size=1, max_size=8).map(lambda s: s.strip() or "a")
labels = st.lists(st.one_of(cjk, latin, st.sampled_from(["2020", "12", "%", "Open Data API v2.0"])),
                  min_size=1, max_size=8).map("".join)


@settings(max_examples=max(6, settings.default.max_examples // 2))
@given(st.lists(labels, min_size=1, max_size=6), st.floats(0.4, 1.0), st.floats(0.25, 0.6))
def test_kpi_labels_are_whole_or_counted(base, texts, width, height):
    """Whatever the labels and the slot: each label is in the deck whole, or it is cut with “…” and a
    warning says so (never a silent cut, never only a fit: note), or the slot holds no card at all and the
    build stops with an error at the finding's key (cards were drawn over each other)."""
    from egovdeck.document.report import KPIData
    from egovdeck.errors import EgovError

    kpis = [KPIData(f"{i + 1}0.5%", t, "同比增长1.2%") for i, t in enumerate(texts)]
    try:
        deck = _deck_with_kpis(base, kpis, (0.0, 0.0, width, height))
    except EgovError as exc:  # a slot that holds no card even at the floor sizes: a located error, not overlap
        assert "KPIs do not fit their" in str(exc) and "findings." in str(exc)
        return
    cut = [w for w in deck.result.warnings if "KPI label cut" in w or "KPI label left out" in w]
    for label, drawn in zip(texts, _labels(deck), strict=True):
        assert drawn == label or (drawn.endswith("…") or not drawn) and cut
    assert len(cut) == sum(drawn != label for label, drawn in zip(texts, _labels(deck), strict=True))
    assert not [n for n in deck.result.fitting if "KPI label" in n and ("cut" in n or "left out" in n)]
