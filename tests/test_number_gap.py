"""No gap inside a number in the deck (issue #16, Text rules): LibreOffice puts its Asian–Latin gap where a
script run ends (egovdeck.text.autospace), and a minus sign after Chinese text or punctuation joined the
Chinese run, so 「（−208」 was drawn 「（− 208」 while the PDF and the deck's charts are tight. Read the way a
reader sees it: the LibreOffice rendering of the deck (pdfplumber character boxes), and the deck's XML for
the one minus sign."""

from __future__ import annotations

import random
import re
import zipfile

import yaml
from hypothesis import given
from hypothesis import strategies as st

from clients import libreoffice_to_pdf

# every kind of character a minus may follow in Chinese text: opening brackets and quotes, Chinese
# commas and stops, colons, Chinese letters, closing marks, a dash
BEFORE = "（《「『【〔“‘，、：；。！？年增长降为）」”—"
INVISIBLE = "\u00ad\u2060\u200b"


@given(st.lists(st.text(st.sampled_from(BEFORE + "−0123456789.%A ,("), max_size=30), min_size=1, max_size=4))
def test_the_rule_adds_only_invisible_characters_and_no_gap(runs):
    """Dropping the invisible characters gives the text back; the viewer draws as many gaps as before; no
    minus before a digit still follows Asian text without the Latin opener."""
    from egovdeck.text.autospace import LATIN_OPENER, asian, boundaries, gaps, tight_numbers
    from egovdeck.text.textfit import may_break

    out = tight_numbers(runs, may_break)
    assert [re.sub(f"[{INVISIBLE}]", "", t) for t in out] == runs
    text = "".join(out)
    assert boundaries(text) == boundaries("".join(runs))
    marks = gaps(text)
    for i, c in enumerate(text):
        if c == "−" and i + 1 < len(text) and text[i + 1].isdigit():
            assert not marks[i + 1], f"a gap between the minus and its digit in {text!r}"
            seen = [x for x in text[:i] if not x.isspace() and x not in "−\u2060\u200b"]
            assert not (seen and asian(seen[-1])), f"{text!r}: the minus at {i} follows Asian text"
            if i and text[i - 1] == "\u2060":
                assert text[i - 2] == LATIN_OPENER


def _narrative(rnd: random.Random) -> str:
    """Sentences with a negative number after every character of BEFORE, in the forms the filters and a
    writer produce: −208, −3.2%, −0.45."""
    parts = []
    for c in BEFORE:
        number = rnd.choice(["208", "3.2%", "0.45", "1,234", "17"])
        close = {"（": "）", "《": "》", "「": "」", "『": "』", "【": "】", "〔": "〕", "“": "”", "‘": "’"}.get(c, "")
        parts.append(f"数量{c}−{number}{close}个")
    return "，".join(parts) + "。"


def test_the_deck_draws_no_gap_between_a_minus_and_its_digits(tmp_path):
    """A deck whose narrative (two findings, each at its own size), KPI values and table cells write negative
    numbers after every opening bracket, quote, comma and Chinese letter (some typed with a hyphen-minus): in LibreOffice's rendering every
    「−」 is followed by its digit within 0.15 em (the gap was 0.24 em), and the slides' and charts' XML write
    negative numbers with U+2212 only."""
    from egovdeck.engine.build import build
    from test_whole_reports import _write_dataset

    rnd = random.Random(208)
    project = tmp_path / "gap"
    (project / "data").mkdir(parents=True)
    (project / "reports").mkdir()
    _write_dataset(project, "d1", {"cats": ["甲", "乙", "丙"], "v1": [-208.0, 12.0, -3.5], "v2": [-3.2, 4.0, -0.45],
                                   "remark": None})
    chart = {"kind": "column", "dataset": "d1", "title": "数量（-208个）", "x": "cat", "y": ["v1"]}
    findings = [
        {"id": "f1", "title": "发现一", "layout": "chart-text", "text": _narrative(rnd), "slots": {"chart": chart}},
        {"id": "f2", "title": "发现二", "layout": "kpi-text", "text": _narrative(rnd),
         "slots": {"kpis": [{"value": "-12%", "label": "同比（-3）"}, {"value": "−208", "label": "变化"}]}},
        {"id": "f3", "title": "发现三", "layout": "table", "text": "表中（-208）为减少。",
         "slots": {"table": {"dataset": "d1", "title": "变化（−208个）", "columns": [{"field": "cat"}, {"field": "v1"}, {"field": "v2"}]}}},
    ]
    definition = {"report": {"id": "gap", "title": "负数间距", "date": "2020-05-20"}, "datasets": ["data/*.yaml"],
                  "sections": [{"id": "s", "title": "节", "findings": findings}]}
    source = project / "reports" / "gap.yaml"
    source.write_text(yaml.safe_dump(definition, allow_unicode=True, sort_keys=False), encoding="utf-8")
    build(source, output_dir=project / "output", use_cache=False, formats=("pptx",))
    pptx = project / "output" / "gap.pptx"

    from lxml import etree

    texts, codes = [], []
    with zipfile.ZipFile(pptx) as z:
        for name in z.namelist():
            if re.fullmatch(r"ppt/(slides/slide|charts/chart|notesSlides/notesSlide)\d+\.xml", name):
                root = etree.fromstring(z.read(name))
                texts += [(name, el.text or "") for el in root.iter("{*}t")]  # every text a reader sees
                codes += [(name, el.text or "") for el in root.iter("{*}formatCode")]
                codes += [(name, el.get("formatCode")) for el in root.iter("{*}numFmt")]
    assert any("−" in t for _, t in texts) and any("−" in c for _, c in codes)
    hyphens = [(n, m.group()) for n, t in texts for m in re.finditer(r"(?<![0-9A-Za-z.\-])-\d[\d.,%]*", t)]
    assert not hyphens, f"negative numbers written with a hyphen-minus: {hyphens[:8]}"
    ascii_minus = [(n, c) for n, c in codes if "-" in re.sub(r'"[^"]*"', "", c)]
    assert not ascii_minus, f"number formats writing a hyphen-minus: {ascii_minus[:8]}"

    import pdfplumber

    pdf = libreoffice_to_pdf(pptx, project / "lo")
    wide, seen = [], 0
    with pdfplumber.open(pdf) as doc:
        for number, page in enumerate(doc.pages, 1):
            chars = [c for c in page.chars if c["text"].strip() and c["text"] not in INVISIBLE and c["upright"]]
            for c in chars:
                if c["text"] != "−":
                    continue
                after = [d for d in chars if abs(d["top"] - c["top"]) < c["size"] * 0.3 and d["x0"] >= c["x1"] - 0.5]
                if not after:
                    continue
                nxt = min(after, key=lambda d: d["x0"])
                if not nxt["text"].isdigit():
                    continue
                seen += 1
                gap = nxt["x0"] - c["x1"]
                if gap > 0.15 * c["size"]:
                    wide.append((number, round(gap / c["size"], 2), "".join(
                        d["text"] for d in sorted(chars, key=lambda d: d["x0"])
                        if abs(d["top"] - c["top"]) < c["size"] * 0.3 and c["x0"] - 3 * c["size"] <= d["x0"] <= c["x1"] + 3 * c["size"])))
    assert seen >= 2 * len(BEFORE), f"only {seen} negative numbers found in the rendering"
    from readercheck import deck_problems

    assert not deck_problems(pptx, pdf)  # nothing drawn on top of anything, nothing outside its box
    assert not wide, f"a gap inside a negative number (slide, gap in em, text): {wide[:10]}"
