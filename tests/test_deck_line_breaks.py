"""The deck's text breaks where the one line breaker allows (issue #16, Text rules: one line breaker for every
renderer). A slide viewer wraps the deck's boxes with its own UAX #14 breaker: LibreOffice 25.2 moved every
break after "/" back to the space before a URL and then cut the URL wherever the line was full
(「zhengc|e」, 「201|8-07」, 「531079|7」), and kept 「gov.cn」 and 「content_5310797」 whole. The deck writes the
one breaker's break opportunities for the viewer (egovdeck.text.viewerbreaks). Read the way a reader does:
the lines of LibreOffice's rendering of generated decks (pdfplumber), each line end checked against
egovdeck.text.textfit.breaks of the source text."""

from __future__ import annotations

import random

import yaml
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from clients import libreoffice_to_pdf
from deckboxes import _inside, _lines, deck_boxes, seen

EXAMPLES = max(2, settings().max_examples // 12)
# no shrinking: each example is a deck built and rendered by LibreOffice (minutes); the failure shows its texts
SETTINGS = dict(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True,
                phases=[Phase.explicit, Phase.reuse, Phase.generate])

CJK_WORDS = ["在线政务服务", "用户规模", "详见", "截至", "政府网站", "一网通办", "数据来源于", "年底", "覆盖", "互联网"]
LATIN_WORDS = ["WeChat", "interoperability", "CNNIC", "online", "platform", "e-government", "API", "Alipay"]


def _segment(rnd: random.Random, n: int) -> str:
    return "".join(rnd.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(n))


@st.composite
def pieces(draw) -> str:
    """One piece of a narrative: Chinese words, Latin words, a URL, an e-mail address, a long digit run, a
    date, a decimal, a percentage; each unbreakable run short enough for the narrowest box."""
    rnd = random.Random(draw(st.integers(0, 10**6)))
    kind = draw(st.sampled_from(["cjk", "latin", "url", "mail", "digits", "date", "number"]))
    if kind == "cjk":
        return "".join(rnd.choice(CJK_WORDS) for _ in range(rnd.randint(1, 4)))
    if kind == "latin":
        return " ".join(rnd.choice(LATIN_WORDS) for _ in range(rnd.randint(1, 3)))
    if kind == "url":
        path = "/".join(rnd.choice([_segment(rnd, rnd.randint(3, 9)), f"{rnd.randint(2000, 2024)}-0{rnd.randint(1, 9)}",
                                    str(rnd.randint(1, 31))]) for _ in range(rnd.randint(1, 4)))
        tail = rnd.choice(["", f"/content_{rnd.randint(10**6, 10**7)}.htm", "/index.html?id=12&lang=zh"])
        return f"https://www.{_segment(rnd, rnd.randint(2, 8))}.gov.cn/{path}{tail}"
    if kind == "mail":
        return f"{_segment(rnd, 5)}.{_segment(rnd, 4)}@{_segment(rnd, 6)}.gov.cn"
    if kind == "digits":
        return str(rnd.randint(10**6, 10**12))
    if kind == "date":
        return f"{rnd.randint(1990, 2030)}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}"
    return rnd.choice([f"{rnd.randint(1, 999)}.{rnd.randint(1, 99)}%", f"{rnd.randint(1000, 99999):,}", "6.94亿人"])


@st.composite
def narratives(draw) -> str:
    parts = draw(st.lists(pieces(), min_size=6, max_size=16))
    glue = draw(st.lists(st.sampled_from(["", " ", "，", "。", "、"]), min_size=len(parts), max_size=len(parts)))
    return "".join(p + g for p, g in zip(parts, glue, strict=True)).strip() + "。"


def _build(tmp_path, texts: list[str], widths: list[float]):
    from egovdeck.engine.build import build

    project = tmp_path / "breaks"
    (project / "data").mkdir(parents=True)
    (project / "reports").mkdir()
    (project / "data" / "d.csv").write_text("cat,v\n甲,1\n乙,2\n", encoding="utf-8")
    meta = {"title": "数据", "file": "d.csv", "source": "资料来源：测试生成数据", "unit": "个", "key": ["cat"],
            "columns": {"cat": {"type": "text", "label": "名称"}, "v": {"type": "number", "unit": "个", "label": "数量"}}}
    (project / "data" / "d.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
    layouts, findings = {}, []
    for k, (text, w) in enumerate(zip(texts, widths, strict=True)):
        layouts[f"side{k}"] = {"description": "图在左，文字在右", "slots": {"chart": {"type": "chart"}},
                               "pdf": [["chart"]],
                               "slide": {"chart": [0.0, 0.0, round(0.98 - w, 3), 1.0], "text": [round(1 - w, 3), 0.0, w, 1.0]}}
        findings.append({"id": f"f{k}", "title": f"发现{k + 1}", "layout": f"side{k}", "text": text,
                         "slots": {"chart": {"kind": "column", "dataset": "d", "title": "数量", "x": "cat", "y": ["v"]}}})
    definition = {"report": {"id": "breaks", "title": "换行", "date": "2020-05-20"}, "datasets": ["data/*.yaml"],
                  "layouts": layouts, "sections": [{"id": "s", "title": "节", "findings": findings}]}
    source = project / "reports" / "breaks.yaml"
    source.write_text(yaml.safe_dump(definition, allow_unicode=True, sort_keys=False), encoding="utf-8")
    build(source, output_dir=project / "output", use_cache=False, formats=("pptx",))
    pptx = project / "output" / "breaks.pptx"
    return pptx, libreoffice_to_pdf(pptx, project / "lo")


def _wrong_breaks(text: str, lines: list[str]) -> list[str]:
    """Each place the drawn lines (their characters, white space and invisible marks dropped) break the source
    text inside a link, an e-mail address or a run of digits where egovdeck.text.textfit.breaks does not allow
    it, shown as 「before|after」 (elsewhere the viewer's own UAX #14 breaks are left alone: the deck's text is
    the brief's character for character)."""
    from egovdeck.text.textfit import breaks

    ok = breaks(text)
    where = [i for i, c in enumerate(text) if not c.isspace()]
    drawn = "".join(lines)
    assert drawn == "".join(text.split()), f"drawn {drawn!r} is not the text {text!r}"
    from egovdeck.text.viewerbreaks import links

    in_link = {i for start, end in links(text) for i in range(start + 1, end)}
    wrong, at = [], 0
    for line in lines[:-1]:
        at += len(line)
        i = where[at]
        # inside a link or an e-mail address (where the deck marks the breaks), or inside a run of digits
        judged = i in in_link or (text[i - 1].isdigit() and text[i].isdigit())
        if judged and not (ok[i] or text[i - 1].isspace()):
            wrong.append(f"{text[max(0, i - 12):i]}|{text[i:i + 12]}")
    return wrong


@settings(**SETTINGS)
@given(st.lists(narratives(), min_size=3, max_size=3),
       st.lists(st.sampled_from([0.26, 0.3, 0.34, 0.4, 0.47, 0.55]), min_size=3, max_size=3))
def test_the_deck_breaks_its_narrative_only_where_the_one_breaker_allows(tmp_path_factory, texts, widths):
    """Narratives of Chinese and Latin words, URLs, e-mail addresses, long digit runs, dates and numbers, each in
    a text box of another width: no line LibreOffice draws ends inside a run of digits, and a URL or an address
    breaks only after / . _ - ? & = (where the one breaker allows)."""
    import pdfplumber

    pptx, pdf = _build(tmp_path_factory.mktemp("deck"), texts, widths)
    boxes, _ = deck_boxes(pptx)
    wrong: list[str] = []
    checked = 0
    with pdfplumber.open(pdf) as doc:
        for k, text in enumerate(texts):
            key = "".join(text.split())[:8]
            box = next(b for b in boxes if b.text.startswith(key))
            page = doc.pages[box.slide - 1]
            chars = [c for c in page.chars if seen(c["text"]).strip() and c["upright"]]
            inside = _inside(chars, box.x0, box.top, box.x1, box.bottom)
            lines = ["".join(seen(c["text"]) for c in line) for line in _lines(inside)]
            if "".join(lines) != "".join(text.split()):
                continue  # the narrative went on to a continuation slide: checked only where whole
            checked += 1
            wrong += [f"slide {box.slide} ({widths[k]}): {w}" for w in _wrong_breaks(text, lines)]
    assert checked, "no narrative was drawn whole in its box"
    assert not wrong, f"lines broken where the one breaker does not allow it: {wrong[:10]}"


@given(narratives())
def test_the_marks_are_the_breakers_opportunities_and_invisible(text):
    """The marked text gives the text back without its marks, draws the same Chinese–Latin gaps, has a
    zero-width space at every break of the one breaker between two non-Asian characters inside a link or an
    e-mail address (a URL's / . _ - ...), none where the breaker forbids a break, and no mark outside them."""
    from egovdeck.text.autospace import boundaries
    from egovdeck.text.textfit import breaks, wide
    from egovdeck.text.viewerbreaks import ALLOW, GLUE, links, marked, marks, unmarked

    in_link = {i for start, end in links(text) for i in range(start + 1, end)}

    out = marked(text)
    assert unmarked(out) == text
    assert boundaries(out) == boundaries(text)
    ok = breaks(text)
    for i, m in enumerate(marks(text)):
        if m == ALLOW:
            assert ok[i], f"{text[:i]}|{text[i:]}"
        if m == GLUE:
            assert not ok[i]
        if i not in in_link:
            assert m == "", f"a mark outside a link at {text[max(0, i - 10):i]}|{text[i:i + 10]}"
        elif ok[i] and not (text[i - 1].isspace() or text[i].isspace() or wide(text[i - 1]) or wide(text[i])):
            assert m == ALLOW, f"no break mark at {text[max(0, i - 10):i]}|{text[i:i + 10]}"


# ----------------------------------------------------------------------------- a deck chart's period labels


@st.composite
def period_charts(draw) -> tuple[float, dict]:
    """(the chart slot's share of the slide's width, a chart): 2-7 periods 「2016年12月」 under columns, or a
    combo with a rate on a right axis (units beside both axes), in a slot of 30-60 % of the slide."""
    n = draw(st.integers(2, 7))
    start = draw(st.integers(1990, 2020))
    months = draw(st.lists(st.integers(1, 12), min_size=n, max_size=n))
    values = draw(st.lists(st.integers(10, 999), min_size=n, max_size=n))
    rows = [[f"{start + i}年{m}月", v / 100] for i, (m, v) in enumerate(zip(months, values, strict=True))]
    spec: dict = {"kind": "column", "format": "0.00"}
    names, units = ["用户规模"], ["亿人"]
    if draw(st.booleans()):
        rows = [r + [(30 + 5 * i) / 100] for i, r in enumerate(rows)]
        names.append("占网民比例")
        units.append("%")
        spec = {"kind": "combo", "format": "0.00", "secondary": ["v2"], "format2": "0.0%"}
    width = draw(st.sampled_from([0.3, 0.36, 0.393, 0.45, 0.6]))
    return width, {"spec": spec, "rows": rows, "names": names, "units": units}


BREAKER8_COMBO = (0.393, {"spec": {"kind": "combo", "format": "0.00", "secondary": ["v2"], "format2": "0.0%"},
                          "rows": [["2016年12月", 2.39, 0.32], ["2018年12月", 3.94, 0.471], ["2020年3月", 6.94, 0.768]],
                          "names": ["在线政务服务用户规模", "占网民比例"], "units": ["亿人", "%"]})


@settings(**SETTINGS)
@given(case=period_charts())
@example(case=BREAKER8_COMBO)  # breaker8 A slide 6: 「2016年12」 over 「月」 in a 346 pt combo
def test_deck_period_labels_are_never_wrapped_inside(tmp_path_factory, case):
    """A chart of periods in a slot of any width: LibreOffice draws no line of a category label that starts
    with its 年 or 月 (「2016年12」 over 「月」), with or without the deck's font: the deck predicts the labels its
    viewer would wrap and turns them."""
    import csv

    import pdfplumber

    from egovdeck.engine.build import build
    from test_deck_chart_text import _line_starts

    width, chart = case
    root = tmp_path_factory.mktemp("periods")
    (root / "data").mkdir()
    (root / "reports").mkdir()
    with open(root / "data" / "d.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["cat"] + [f"v{j + 1}" for j in range(len(chart["names"]))])
        w.writerows(chart["rows"])
    columns = {"cat": {"type": "text", "label": "时间"}}
    columns.update({f"v{j + 1}": {"type": "number", "unit": u, "label": n}
                    for j, (n, u) in enumerate(zip(chart["names"], chart["units"], strict=True))})
    meta = {"title": "数据", "file": "d.csv", "source": "资料来源：测试生成数据", "unit": "个", "key": ["cat"],
            "columns": columns}
    (root / "data" / "d.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
    layout = {"description": "文字在左，图在右", "slots": {"chart": {"type": "chart"}}, "pdf": [["chart"]],
              "slide": {"text": [0.0, 0.0, round(0.98 - width, 3), 0.62], "chart": [round(1 - width, 3), 0.0, width, 0.62]}}
    spec = {"x": "cat", "y": [f"v{j + 1}" for j in range(len(chart["names"]))], **chart["spec"], "dataset": "d",
            "title": "在线政务服务用户规模及占网民比例"}
    definition = {"report": {"id": "periods", "title": "时间轴", "date": "2020-05-20"}, "datasets": ["data/*.yaml"],
                  "layouts": {"side": layout},
                  "sections": [{"id": "s", "title": "节", "findings": [
                      {"id": "f", "title": "图", "layout": "side", "text": "正文说明。", "slots": {"chart": spec}}]}]}
    source = root / "reports" / "periods.yaml"
    source.write_text(yaml.safe_dump(definition, allow_unicode=True, sort_keys=False), encoding="utf-8")
    build(source, output_dir=root / "output", use_cache=False, formats=("pptx",))
    # without the deck's font (a viewer that has not installed it draws a wider substitute: breaker8's LibreOffice)
    rendered = libreoffice_to_pdf(root / "output" / "periods.pptx", root / "lo", bundled_fonts=False)
    with pdfplumber.open(rendered) as doc:
        # level text only: pdfplumber counts a label turned by 45° as upright (its matrix is not)
        level = [page.filter(lambda o: o.get("object_type") != "char" or abs(o["matrix"][1]) < 0.01)
                 for page in doc.pages]
        alone = [(k, w["text"]) for k, page in enumerate(level, start=1) for w in _line_starts(page)
                 if w["text"][:1] in ("年", "月")]
    assert not alone, f"a category label wrapped inside by LibreOffice (slide, line start): {alone[:6]}"
