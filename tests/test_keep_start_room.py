"""A table's start kept with its caption (and heading) uses all the room a page foot has.

Read from the PDF with pdfplumber: a lead paragraph pushed down the page a quarter point at a time, then a
table whose first row is a long cell. Where the caption last stays on the page (its header and the first two
lines of the tall row with it), the room left under that second line must be only what a reader sees a
table row keep under its last line (measured on a small table drawn whole, down to the rule under its last
row): nothing more may be given away. Before the fix, a caption gave away 1 pt more (a `- 1` margin) and a
heading over the caption gave away 11 pt more (its space before counted twice, once by the frame and once
by KeepStart), so a 94 pt hole was left at a page foot in a generated report (tests/test_page_fill.py).
"""

from __future__ import annotations

import io

import pdfplumber
import pytest

FRAME = (56.0, 62.0, 451.0, 700.0)  # x, y, width, height (pt) of the one frame, no padding
STEP = 0.25  # pt: how finely the threshold is found
HAN = "政务服务平台网站集约化建设持续推进各地区用户规模数据开放信息公开栏目"


@pytest.fixture(scope="module")
def kit():
    from egovdeck.document.theme import Theme
    from egovdeck.render.pdf.brief import Styles
    from egovdeck.text.fonts import default_fonts, register_reportlab

    fonts = default_fonts()
    register_reportlab(fonts)
    return Styles(fonts, Theme()), Theme()


def _pdf(kit, above: float, heading: bool, rows: int = 40) -> pdfplumber.PDF:
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Spacer

    from egovdeck.document.report import TableData
    from egovdeck.render.pdf.brief import Heading, Para, _bind, _table

    styles, theme = kit
    table = TableData(id="t", title="长表", header=("地区", "数量", "说明"), align=("left", "right", "left"),
                      rows=tuple((f"地区{i}", f"{i * 37}", (HAN * 10)[:300] if i == 0 else "短")
                                 for i in range(rows)))
    head = [Heading("第二项", styles.h2, 1, "f-1")] if heading else []
    story = [Spacer(1, above), Para("各地区政府网站集约化建设持续推进。" * 3, styles.body),
             *_bind([*head, *_table(table, 1, FRAME[2], styles, theme)])]
    raw = io.BytesIO()
    doc = BaseDocTemplate(raw, pagesize=A4, invariant=1)
    doc.addPageTemplates([PageTemplate("p", [Frame(*FRAME, leftPadding=0, rightPadding=0, topPadding=0,
                                                   bottomPadding=0)])])
    doc.build(story)
    return pdfplumber.open(io.BytesIO(raw.getvalue()))


def _caption_on_first_page(pdf: pdfplumber.PDF) -> bool:
    return "表1" in "".join(c["text"] for c in pdf.pages[0].chars)


def _kept_under_a_last_row(kit) -> float:
    """pt between a row's last glyph and the rule under the row, in a small table drawn whole."""
    with _pdf(kit, 0, False, rows=1) as pdf:
        page = pdf.pages[0]
        rule = max(r["bottom"] for r in [*page.rects, *page.lines] if r["height"] < 2)
        glyphs = max(c["bottom"] for c in page.chars if c["bottom"] < rule)
        return rule - glyphs


@pytest.mark.parametrize("heading", [False, True], ids=["caption", "heading-and-caption"])
def test_a_table_start_takes_all_the_room_a_page_foot_has(kit, heading):
    under_row = _kept_under_a_last_row(kit)
    low, high = 400.0, 700.0  # the caption stays at `low` and moves on at `high`
    with _pdf(kit, low, heading) as pdf:
        assert _caption_on_first_page(pdf)
    with _pdf(kit, high, heading) as pdf:
        assert not _caption_on_first_page(pdf)
    while high - low > STEP:
        mid = (low + high) / 2
        with _pdf(kit, mid, heading) as pdf:
            if _caption_on_first_page(pdf):
                low = mid
            else:
                high = mid
    with _pdf(kit, low, heading) as pdf:
        page = pdf.pages[0]
        text = "".join(c["text"] for c in page.chars)
        assert "续表" not in text and "地区数量说明" in text.replace(" ", "")  # the header is here
        assert "续表1" in "".join(c["text"] for c in pdf.pages[1].chars)
        frame_bottom = page.height - FRAME[1]
        last = max(c["bottom"] for c in page.chars)
        given_away = frame_bottom - last - under_row
    assert given_away <= 2 * STEP, f"the table's start moved on with {given_away:.2f} pt of room to spare"
