"""Text rules shared by every renderer (issue 16): one line breaker, CJK joining of source lines, one number
formatter (rounding, minus sign, spacing, Excel-style sections) and the small faults of the same family.

The outputs are read the way readers see them: pdftotext, the deck's slide and notes XML."""

from __future__ import annotations

import decimal
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clients import pdftotext_pages
from deckboxes import seen
from egovdeck.compat.reportlab_cjk import install
from egovdeck.resolve.narrative import change, num, pct, pp
from egovdeck.text.fonts import default_fonts, metrics, register_reportlab
from egovdeck.text.numfmt import MINUS, FormatError, NumberFormat, format_number, parse_format
from egovdeck.text.textfit import note_text, paragraphs, wrap, wrap_spans

CASES = Path(__file__).parent / "cases" / "layout"
CLOSING = set("，。、；：？！）」』】…%")
OPENING = set("（「『【“《")
ATOM = re.compile(r"[A-Za-z0-9.,%+\-−/:_'&]+")
SIZE = 10.5

# --------------------------------------------------------------------------- the line breaker

CJK = st.sampled_from(list("政府网站数量在线服务用户规模我国平台建设发展"))
TOKEN = st.one_of(
    CJK,
    st.tuples(CJK, st.sampled_from(sorted(CLOSING - {"%"}))).map("".join),
    st.tuples(st.sampled_from(sorted(OPENING)), CJK).map("".join),
    st.from_regex(r"[A-Za-z]{1,9}", fullmatch=True),
    st.from_regex(r"−?[0-9]{1,3}(,[0-9]{3})?(\.[0-9]{1,2})?%?", fullmatch=True),
    st.just(" "),
    st.just("\n"),
)
TEXT = st.lists(TOKEN, min_size=1, max_size=60).map(lambda t: "".join(paragraphs("".join(t)))).filter(bool)


@pytest.fixture(scope="module")
def font():
    fonts = default_fonts()
    register_reportlab(fonts)
    install()  # the PDF's line breaker (compat/reportlab_cjk)
    return fonts, metrics(fonts.regular)


def _pdf_lines(text: str, width: float, fonts) -> list[str]:
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph

    from egovdeck.render.pdf.brief import _esc

    style = ParagraphStyle("t", fontName=fonts.rl_regular, fontSize=SIZE, leading=SIZE * 1.5, wordWrap="CJK")
    para = Paragraph(_esc(text), style)
    para.wrap(width, 1e6)
    return ["".join(w.text for w in line.words) for line in para.blPara.lines]


def _unbreakable(line: str) -> bool:
    """A line with no legal break inside: only then may the breaker cut a rule (a word wider than the line)."""
    from egovdeck.text.textfit import may_break

    return not any(may_break(line[i - 1], line[i]) for i in range(1, len(line)))


@given(text=TEXT, width=st.floats(min_value=60, max_value=320))
def test_line_breaker_rules_and_the_pdf_breaks_as_the_deck(font, text, width):
    fonts, m = font
    lines = wrap(text, width, SIZE, m)
    assert lines == [ln.strip(" ") for ln in _pdf_lines(text, width, fonts)]  # the PDF and the deck agree
    assert re.sub(r"\s", "", "".join(lines)) == re.sub(r"\s", "", text)  # nothing lost, nothing added
    for i, line in enumerate(lines):
        assert line and line == line.strip()
        if m.width(line, SIZE) > width + 1e-6:
            assert _unbreakable(line), (line, width)
        if i and lines[i][0] in CLOSING:
            assert _unbreakable(lines[i - 1] + lines[i][0]), (lines[i - 1], line)
        if i + 1 < len(lines) and line[-1] in OPENING:
            assert _unbreakable(line[-1] + lines[i + 1]), (line, lines[i + 1])
    # a number or Latin word that fits on a line is never split across two
    starts = [a for a, _b, _n in wrap_spans(text, width, SIZE, m)][1:]
    for mt in ATOM.finditer(text):
        if m.width(mt.group(), SIZE) <= width:
            assert not any(mt.start() < b < mt.end() for b in starts), (mt.group(), lines)


def test_fitting_keeps_the_spaces_it_breaks_at():
    from egovdeck.text.textfit import fit

    m = metrics(default_fonts().regular)
    text = "The campaign reached many people; 政务服务下降 53.9% and reached many more."
    for width in range(40, 400, 7):
        f = fit([text], width, 1000, m, SIZE, SIZE)
        assert f.texts == [text]  # the deck writes the source text, not the wrapped lines glued together
        small = fit([text, text], width, SIZE * 1.3 * 2, m, SIZE, SIZE)
        assert (small.texts or [""])[0] + " " + " ".join(small.rest) in (text + " " + text, text + "  " + text) or \
            re.sub(r"\s", "", "".join(small.texts or []) + "".join(small.rest)) == re.sub(r"\s", "", text * 2)
        assert "reachedmany" not in "".join(small.texts or [])


SENTENCE = st.lists(st.one_of(
    st.text(alphabet="政府网站数量在线服务用户规模", min_size=1, max_size=12),
    st.text(alphabet="政府网站数量", min_size=1, max_size=6).map(lambda t: f"「{t}」"),
    st.sampled_from(["，", "。", "、", "；"]),
), min_size=4, max_size=40).map("".join)


@given(text=SENTENCE, lines=st.integers(1, 4))
def test_continuation_splits_at_a_sentence_or_clause_end_never_inside_a_quote(text, lines):
    from egovdeck.text.textfit import fit

    m = metrics(default_fonts().regular)
    width = SIZE * 8
    f = fit([text], width, SIZE * 1.3 * lines + 0.1, m, SIZE, SIZE)
    if not f.rest:
        return
    placed = "".join(f.texts or [])
    assert placed + f.rest[0] == text  # nothing lost or repeated
    # never inside a quoted term, unless the term opens the text and is longer than the room (cut it must be)
    assert placed.count("「") == placed.count("」") or (placed.startswith("「") and "」" not in placed)
    ends = [i + 1 for i, c in enumerate(text[:len(placed)]) if c in "。；，、"]
    if placed and ends:
        assert placed[-1] in "。；，、" or placed[-1] == "」" or not any(k > len(placed) // 3 for k in ends)


def test_known_breaks():
    m = metrics(default_fonts().regular)
    lines = wrap("我国在线政务服务用户规模达到“一网通办”的水平，增长76.3%。", SIZE * 12, SIZE, m)
    assert all(ln[0] not in CLOSING and ln[-1] not in OPENING for ln in lines)
    assert "76.3%" in "".join(lines) and not any(ln.endswith("76") for ln in lines)


# --------------------------------------------------------------------------- joining source lines


@pytest.mark.parametrize(("source", "folded", "expected"), [
    ("中文\n换行", False, ["中文换行"]),
    ("reached\nmany", False, ["reached many"]),
    ("使用 WeChat\nmini programs 的用户", False, ["使用 WeChat mini programs 的用户"]),
    ("第一段\n第二行\n\n第二段", False, ["第一段第二行", "第二段"]),
    ("中文 之间 折叠", True, ["中文之间折叠"]),  # a folded > block: lines arrive joined by spaces
    ("第一段 续\n第二段", True, ["第一段续", "第二段"]),  # ... and a blank line as one line break
    ("下降 53.9%，增长 6.1%", False, ["下降53.9%，增长6.1%"]),  # no space between Chinese and numbers
    ("图1\u3000用户规模", False, ["图1\u3000用户规模"]),  # U+3000 is text, not a soft break
    ("同比-30.3%，2019-2020年，2020-03，(-5)", False, ["同比\u221230.3%，2019-2020年，2020-03，(\u22125)"]),
])
def test_source_lines_join_the_cjk_way(source, folded, expected):
    assert paragraphs(source, folded) == expected


@given(mark=st.sampled_from(list("，。；：、（）「」《》！？")), word=st.from_regex(r"[A-Za-z0-9]{1,8}", fullmatch=True),
       gap=st.sampled_from([" ", "\n", "\r\n", "  ", " \n "]), folded=st.booleans(), before=st.booleans())
def test_no_space_beside_full_width_punctuation(mark, word, gap, folded, before):
    """A folded > line, a soft break or a typed space next to full-width punctuation prints as nothing
    (「数据，synthetic」, 「（National」): the mark's glyph carries its own space (GB/T 15834)."""
    if folded:  # in a > block YAML has already turned a line break into a space (and a blank line into \n)
        gap = gap.replace("\r\n", " ").replace("\n", " ")
    source = f"{word}{gap}{mark}数据" if before else f"数据{mark}{gap}{word}"
    assert paragraphs(source, folded) == [f"{word}{mark}数据" if before else f"数据{mark}{word}"]


@given(left=st.sampled_from(list("降长约为占与和达第共")), right=st.sampled_from(list("与和个名万亿以左，")),
       number=st.from_regex(r"[+\-\u2212]?[0-9]{1,3}(,[0-9]{3})?(\.[0-9]{1,2})?[%‰℃]?", fullmatch=True),
       gap=st.sampled_from([" ", "\n", "  ", " \n "]), folded=st.booleans())
def test_no_space_between_chinese_and_a_number(left, right, number, gap, folded):
    """A space or line break typed between Chinese and a number, on either side and whatever the number's
    sign or unit sign (53.9%, −3.2, 25℃), prints as nothing: 「下降53.9%与」 (issue 16: one spacing convention,
    the one Chinese statistical publications use). Found: 「下降 53.9% 与」 kept the space after the %."""
    if folded:
        gap = gap.replace("\n", " ")
    expected = f"{left}{number}{right}".replace("-", "\u2212")
    assert paragraphs(f"{left}{gap}{number}{gap}{right}", folded) == [expected]


def test_latin_words_keep_their_space_beside_chinese():
    assert paragraphs("下降 53.9% 与 reached many people") == ["下降53.9%与 reached many people"]
    assert paragraphs("ab 12 cd") == ["ab 12 cd"]  # between Latin words and numbers: one space


def _build(project: Path, tmp: Path, formats=("pdf", "pptx")):
    from egovdeck.engine.build import build

    return build(project / "reports" / "case.yaml", output_dir=tmp / "out", cache_dir=tmp / "cache",
                 formats=formats)


def _deck(pptx: Path) -> dict[str, list[list[str]]]:
    """Per part (slide or notes page): its paragraphs' text, in order."""
    out = {}
    with zipfile.ZipFile(pptx) as z:
        for name in sorted(z.namelist()):
            if re.match(r"ppt/(slides/slide|notesSlides/notesSlide)\d+\.xml$", name):
                xml = z.read(name).decode()
                out[name] = [seen("".join(re.findall(r"<a:t>([^<]*)</a:t>", p)))
                             for p in re.findall(r"<a:p>.*?</a:p>", xml)]
    return out


@pytest.fixture(scope="module")
def soft_breaks(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("soft")
    project = tmp / "case"
    shutil.copytree(CASES / "cjk-soft-line-breaks", project)
    definition = project / "reports" / "case.yaml"
    text = definition.read_text(encoding="utf-8")
    # the small faults ride along: an author, a long title, an unused dataset, a note that says 注： itself
    text = text.replace("  title: 正文中的换行\n", "  title: 全国一体化在线政务服务平台用户规模与政务新媒体发展情况年度简报告\n"
                        "  organisation: 测试研究组\n  author: 张三\n", 1)
    text = text.replace("            format: \"0.00\"\n", "            format: \"0.00\"\n            note: 注：2020年为3月数据。\n", 1)
    definition.write_text(text, encoding="utf-8")
    data = project / "data"
    (data / "unused.csv").write_text("k,v\na,1\n", encoding="utf-8")
    (data / "unused.yaml").write_text("title: 未被引用的数据集\nfile: unused.csv\nsource: 资料来源：无人引用\nunit: 个\n"
                                      "key: [k]\ncolumns:\n  k: {type: text}\n  v: {type: number}\n", encoding="utf-8")
    result = _build(project, tmp)
    out = tmp / "out"
    return result, pdftotext_pages(out / "softbreak.pdf"), _deck(out / "softbreak.pptx"), project, tmp


def test_soft_line_breaks_in_pdf_deck_and_notes(soft_breaks):
    _result, pages, deck, _, _ = soft_breaks
    body = "\n".join(pages)
    flat = re.sub(r"\s*\n\s*", "", body)
    assert "WeChatmini" not in flat and "WeChatmini" not in re.sub(r"\s+", "", body.replace(" mini", "·mini"))
    assert "在源文件中分成三行书写，中文之间不应出现空格。" in flat
    assert not re.search(r"[\u4e00-\u9fff] [\u4e00-\u9fff]", body)  # no space between Chinese characters
    slides = [p for name, ps in deck.items() if "/slides/" in name for p in ps]
    notes = [p for name, ps in deck.items() if "notesSlides" in name for p in ps]
    lit = "截至2020年3月，我国在线政务服务用户规模达6.94亿人，较2018年底增长76.3%；公众可通过移动通信、社交媒体等多种渠道获取" \
          "公共信息和政务服务，使用 WeChat mini programs 的用户也在增加。"
    fold = "截至2020年3月，我国在线政务服务用户规模达6.94亿人，较2018年底增长76.3%；公众可通过移动通信、社交媒体等多种渠道获取" \
           "公共信息和政务服务。"
    for where in (slides, notes):  # one paragraph per paragraph of the source, not per source line
        assert lit in where and fold in where and "空一行之后是新的一段。" in where
        assert "这一段用YAML折叠写法，在源文件中分成三行书写，中文之间不应出现空格。" in where


def test_ideographic_space_survives_in_the_pdf(soft_breaks):
    import pdfplumber

    *_, tmp = soft_breaks
    with pdfplumber.open(tmp / "out" / "softbreak.pdf") as pdf:
        text = "".join(c["text"] for p in pdf.pages for c in p.chars)
    assert "图1\u3000用户规模" in text and "图2\u3000用户规模" in text


def test_cover_author_balanced_title_note_once_and_only_used_sources(soft_breaks):
    _result, pages, deck, _, _ = soft_breaks
    cover = [ln.strip() for ln in pages[0].splitlines() if ln.strip()]
    assert "张三" in cover and "测试研究组" in cover
    title = "全国一体化在线政务服务平台用户规模与政务新媒体发展情况年度简报告"
    lines = [ln for ln in cover if ln in title]
    assert "".join(lines) == title and len(lines) == 2
    assert abs(len(lines[0]) - len(lines[1])) <= 3  # balanced: never one character alone
    slide1 = deck["ppt/slides/slide1.xml"]
    assert "张三" in slide1 and title in "".join(slide1)
    body = "\n".join(pages)
    assert "注：2020年为3月数据。" in body and "注：注" not in body
    assert not any("注：注" in p for ps in deck.values() for p in ps)
    assert "未被引用的数据集" not in body and "无人引用" not in body
    assert not any("无人引用" in p for ps in deck.values() for p in ps)


def test_note_text():
    assert note_text("注：已经有了") == "注：已经有了"
    assert note_text("注: 半角冒号") == "注：半角冒号"
    assert note_text("没有前缀") == "注：没有前缀"


def test_deck_only_build_counts_its_charts(soft_breaks):
    *_, project, tmp = soft_breaks
    result = _build(project, tmp / "pptx-only", formats=("pptx",))
    summary = result.summary()
    assert "2 charts" in summary and "pages" not in summary, summary


# --------------------------------------------------------------------------- one number formatter


def _plain(text: str) -> decimal.Decimal:
    return decimal.Decimal(text.replace(MINUS, "-").replace(",", "").rstrip("%"))


@given(value=st.floats(min_value=-1e9, max_value=1e9, allow_nan=False), decimals=st.integers(0, 4))
def test_one_formatter_for_text_charts_tables_and_kpis(value, decimals):
    text = num(value, decimals)
    code = "#,##0" + ("." + "0" * decimals if decimals else "")
    assert text == NumberFormat(decimals=decimals).format(value) == parse_format(code).format(value)  # chart, table
    assert pct(value, decimals) == NumberFormat(decimals=decimals, percent=True).format(value).replace(",", "")
    assert "-" not in text and not text.startswith(MINUS + "0" * (decimals + 1))  # one minus, no −0.0
    expected = decimal.Decimal(repr(value)).quantize(decimal.Decimal(1).scaleb(-decimals), decimal.ROUND_HALF_UP)
    assert _plain(text) == expected
    assert (MINUS in text) == (expected < 0)


@pytest.mark.parametrize(("value", "decimals", "expected"), [
    (0.15, 1, "0.2"), (0.25, 1, "0.3"), (2.675, 2, "2.68"), (-8.75, 1, "−8.8"), (-0.04, 1, "0.0"),
    (14474, 0, "14,474"), (-1234567.5, 0, "−1,234,568"),
])
def test_rounding_half_up_and_the_minus_sign(value, decimals, expected):
    assert format_number(value, decimals) == expected == NumberFormat(decimals=decimals).format(value)


def test_numbers_too_long_or_not_finite_are_template_errors_not_crashes():
    from egovdeck.resolve.narrative import DataFunctions, TemplateError, render

    assert format_number(1e30, 2).startswith("1,000,000,000") and format_number((9**9) ** 9).count(",") == 25
    with pytest.raises(TemplateError):
        render("{{ (10 ** 120) | num }}", DataFunctions({}))
    with pytest.raises(ValueError):
        num(float("inf"), 1)


def test_filters_write_no_space_between_chinese_and_numbers():
    assert change(6.1) == "增长6.1%" and change(-53.94) == "下降53.9%" and pp(1.5) == "提高1.5个百分点"
    assert change(-0.04) == "持平"  # rounds to zero at one decimal: neither 增长0.0% nor 下降0.0%


@given(value=st.floats(min_value=-1e6, max_value=1e6, allow_nan=False))
def test_sections_positive_negative_zero(value):
    fmt = parse_format('+0.0;-0.0;"持平"')
    text = fmt.format(value)
    shown = decimal.Decimal(repr(value)).quantize(decimal.Decimal("0.1"), decimal.ROUND_HALF_UP)
    if shown > 0:
        assert text == "+" + format_number(value, 1, grouping=False)
    elif shown < 0:
        assert text == format_number(value, 1, grouping=False) and text.startswith(MINUS)
    else:
        assert text == "持平"
    assert fmt.excel() == '"+"0.0;"−"0.0;"持平"'


@pytest.mark.parametrize(("code", "value", "expected"), [
    ("0.0;(0.0)", -2.25, "(2.3)"), ("#,##0.00亿", -12345.678, "−12,345.68亿"), ('0.0"个"', 3, "3.0个"),
    ("0.0%", 76.84, "76.8%"), ("#,##0个", 1234, "1,234个"),
])
def test_format_codes(code, value, expected):
    assert parse_format(code).format(value) == expected


@pytest.mark.parametrize("code", ["[Red]0.0", "0.0E+00", "yyyy-mm", "0;0;0;@", "0.0pts", "abc", '"0.0'])
def test_unsupported_codes_are_errors(code):
    with pytest.raises(FormatError):
        parse_format(code)


@pytest.mark.parametrize(("code", "tight"), [
    ("0.0 亿", "0.0亿"), ('0.0" 亿"', "0.0亿"), ("#,##0 个", "#,##0个"), ("0.0 %", "0.0%"), ("0.0\u3000万元", "0.0万元"),
    ("+0.0 %;-0.0 %", "+0.0%"),
])
def test_a_space_before_a_chinese_unit_or_percent_is_refused_with_the_code_to_write(code, tight):
    """「0.0 亿」 printed 31237934 as 31237934.0亿 (a 万/亿 magnitude is one only right after the digits) and
    「0.0 %」 did not multiply: refused, the hint giving the code without the space (found by a new user)."""
    with pytest.raises(FormatError) as exc:
        parse_format(code)
    assert "a space between the number and" in str(exc.value) and f'write "{tight}"' in exc.value.hint
    assert parse_format('0.0" GB"').format(1.5) == "1.5 GB"  # a Latin unit keeps its space


def test_unsupported_format_is_a_located_error_at_validate(tmp_path, capsys):
    from egovdeck.cli.main import main

    project = tmp_path / "case"
    shutil.copytree(CASES / "negative-values-minus", project)
    definition = project / "reports" / "case.yaml"
    text = definition.read_text(encoding="utf-8").replace('format: "0.00"', 'format: "[Red]0.00"')
    definition.write_text(text, encoding="utf-8")
    line = next(i for i, ln in enumerate(text.splitlines(), 1) if "[Red]" in ln)
    assert main(["validate", str(definition)], try_server=False) == 1
    err = capsys.readouterr().err
    assert re.search(rf"case\.yaml:{line}:\d+: error: .*format.*\[Red\]0\.00", err), err
    assert "hint:" in err


def test_one_minus_sign_in_both_outputs(tmp_path):
    project = tmp_path / "case"
    shutil.copytree(CASES / "negative-values-minus", project)
    _build(project, tmp_path)
    pages = pdftotext_pages(tmp_path / "out" / "minus.pdf")
    body = "\n".join(pages)
    assert "西藏同比下降−30.3%。" in body and "2018年同比−19.7%。" in body
    assert not re.search(r"(?<![\w])-\d", body)  # never a hyphen-minus before a number
    deck = _deck(tmp_path / "out" / "minus.pptx")
    texts = [p for ps in deck.values() for p in ps]
    assert "西藏同比下降−30.3%。" in texts and not any(re.search(r"(?<![\w])-\d", p) for p in texts)
    with zipfile.ZipFile(tmp_path / "out" / "minus.pptx") as z:
        codes = {c for n in z.namelist() if n.startswith("ppt/charts/chart")
                 for c in re.findall(r'formatCode="([^"]*)"', z.read(n).decode())}
    assert codes and all(";&quot;−&quot;" in c for c in codes), codes


# --------------------------------------------------------------------------- rare punctuation runs, runts

RUNS = ["。」", "！”）", "？！", "……", "——", "……——", "』」。", "）。", "，(", "),", ".)", "!?", "％", "‰", "．", "］",
        "｝", "〙", "⋯⋯", "―"]
OPENS = ["（", "「『", "《", "“", "【", "(", "[", "［", "｛", "〘", "« ", "（ ", "$", "¥"]
RARE = st.lists(st.one_of(
    st.tuples(CJK, CJK, st.sampled_from(RUNS)).map("".join),
    st.tuples(st.sampled_from(OPENS), CJK, CJK).map("".join),
    CJK, st.from_regex(r"−?[0-9]{1,3}(,[0-9]{3})?(\.[0-9])?%?", fullmatch=True), st.just(" "),
), min_size=1, max_size=50).map("".join).map(str.strip).filter(bool)


@given(text=RARE, width=st.floats(min_value=40, max_value=260))
def test_rare_punctuation_runs_never_start_or_end_a_line(font, text, width):
    """Runs of several closing marks, ellipsis and dash pairs, full- and half-width mixes, an opening mark
    before a space: no line starts with a closing mark or ends with an opening one, in the PDF as in the deck."""
    from egovdeck.text.textfit import NO_END, NO_START, collapse_spaces

    fonts, m = font
    text = collapse_spaces(text)  # as textfit.paragraphs gives every renderer its text
    lines = wrap(text, width, SIZE, m)
    assert lines == [ln.strip(" ") for ln in _pdf_lines(text, width, fonts)]
    for line in lines[1:]:
        assert line[0] not in NO_START or _unbreakable(line), (line, lines)
    for line in lines[:-1]:
        assert line[-1] not in NO_END or _unbreakable(line), (line, lines)


@given(n=st.integers(3, 120), width=st.floats(min_value=60, max_value=300))
def test_a_paragraph_never_ends_with_a_line_of_one_or_two_characters(font, n, width):
    """孤字: the last line of a paragraph holds at least three characters when the line above can spare them."""
    fonts, m = font
    text = "".join("政府网站数量在线服务用户规模"[i % 14] for i in range(n)) + "。"
    lines = wrap(text, width, SIZE, m)
    if len(lines) > 1:
        assert len(lines[-1]) > 2, lines
    assert lines == [ln.strip(" ") for ln in _pdf_lines(text, width, fonts)]


@pytest.mark.parametrize(("title", "number"), [
    ("一、数字政府", "一、"), ("（二）平台建设", "（二）"), ("3. Portals", "3. "), ("1、概述", "1、"), ("第一章 概况", "第一章 "),
    ("第2部分 数据", "第2部分 "), ("十二、其他", "十二、"),
    ("3.5%的增长", ""), ("2019年概况", ""), ("5G政务", ""), ("一、", ""), ("1.5万个网站", ""), ("二〇一九年回顾", ""),
])
def test_a_section_title_own_number_is_found_and_a_year_is_not(title, number):
    """The brief numbers sections 一、二、 and the deck 01 02: a title's own number would print twice
    (「一、一、」, found by a new user), so it is found, warned about and left out; a year or 5G is no number."""
    from egovdeck.text.textfit import own_number

    assert own_number(title) == number


@given(lead=st.integers(5, 60), width=st.integers(6, 20),
       tail=st.sampled_from(["骤）。", "骤。", "了」。", "完成）”。", "步！"]))
def test_no_paragraph_ends_with_a_lone_character_and_its_marks(lead, width, tail):
    """A paragraph's last line holds more than two characters, its closing marks not counted, whenever the
    line above can give it one (a new user's brief ended a paragraph with 「骤）。」 alone on its line)."""
    from egovdeck.text.textfit import NO_START, break_lines

    text = ("政府网站集约化建设步伐加快各地" * 5)[:lead] + tail
    chars = list(text)
    spans = break_lines(chars, [10.0] * len(chars), width * 10.0)
    if len(spans) < 2:
        return
    last = "".join(chars[spans[-1][0]:spans[-1][1]])
    above = "".join(chars[spans[-2][0]:spans[-2][1]])
    weight = sum(c not in NO_START for c in last)
    assert weight > 2 or sum(c not in NO_START for c in above) <= 3, (above, last)
