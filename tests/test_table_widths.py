"""Table column widths and line breaks a new user broke (issue 16, Tables and Text rules), read the way a reader
reads the outputs: pdfplumber's words of the brief, python-pptx's cell texts and LibreOffice's rendering of the deck.

- A table a few points too wide for its frame collapsed a column of names to one character a line and cut its
  scores and dates (99.|7, 2020-12-0|3); a column of 2000-character remarks got less width than columns of
  short names.
- URLs broke at any character (gov.c|n, index_123|4567): a URL, e-mail address or host name breaks only right
  after / . _ - ? & = (never inside a word or a digit run), in the PDF's paragraphs and cells alike.
- A deck table cell continued on the next slide was cut inside a word (较上次抽查提|高2.4个百分点).
- A deck slide of a two-row table used its top quarter in small type.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from hypothesis import Phase, given, settings
from hypothesis import strategies as st

CJK = "政府网站数量持续精简各地区推进服务标准化规范化便利化北京上海广东新疆生产建设兵团栏目留言答复整改情况"
MARKS = "，。、；：（）「」"
LINK_MARKS = "/._-?&="


def _link_breaks(url: str) -> set[int]:
    """Where a line may break inside a URL: right after one of / . _ - ? & = (not inside 「://」, not between
    two digits, not before another mark), the reader's rule written out here, not the renderer's."""
    return {i for i in range(1, len(url)) if url[i - 1] in LINK_MARKS and url[i] not in LINK_MARKS + ":"
            and not (url[i - 1] != "/" and url[i - 2:i - 1].isdigit() and url[i].isdigit())}


def _url(k: int, depth: int) -> str:
    path = "/".join(f"col{k * 7919 % 100000 + d}" for d in range(depth))
    return f"https://www.fgw{k}.example.gov.cn/{path}/index_{1234567 + k}.html"


def _project(root: Path, page: str, columns: list[str], rows: list[dict], title: str = "生成表") -> Path:
    import yaml

    (root / "data").mkdir(parents=True)
    (root / "reports").mkdir()
    kinds = {"name": ("text", "网站名称"), "area": ("text", "地区"), "text": ("text", "问题详情"),
             "kind": ("text", "问题类型"), "url": ("text", "网址"), "score": ("number", "抽查得分"),
             "visits": ("integer", "年访问量（万人次）"), "change": ("number", "合格率变化（个百分点）"),
             "day": ("date", "抽查日期"), "days": ("integer", "整改期限（天）")}
    with open(root / "data" / "t.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["key", *columns])
        for i, row in enumerate(rows):
            w.writerow([f"k{i}", *(row[c] for c in columns)])
    (root / "data" / "t.yaml").write_text(yaml.safe_dump({
        "title": title, "file": "t.csv", "source": "资料来源：生成（合成数据）", "key": ["key"],
        "columns": {"key": {"type": "text", "label": "键"},
                    **{c: {"type": kinds[c][0], "label": kinds[c][1]} for c in columns}}},
        allow_unicode=True), encoding="utf-8")
    formats = {"score": "0.0", "visits": "#,##0", "change": "+0.00;-0.00;0"}
    table = {"dataset": "t", "title": title,
             "columns": [{"field": c, **({"format": formats[c]} if c in formats else {})} for c in columns]}
    (root / "reports" / "r.yaml").write_text(yaml.safe_dump({
        "report": {"id": "gen", "title": "生成的报告", "date": "2020-05-20"}, "page": {"size": page},
        "datasets": ["data/t.yaml"],
        "sections": [{"id": "s", "title": "表格", "findings": [
            {"id": "t", "title": "抽查明细", "layout": "table", "text": "下表列出抽查明细。",
             "slots": {"table": table}}]}]}, allow_unicode=True), encoding="utf-8")
    return root


def _build(root: Path, formats=("pdf",)) -> Path:
    from egovdeck.engine.build import build

    build(root / "reports" / "r.yaml", output_dir=root / "output", use_cache=False, formats=formats)
    return root / "output"


def _words(pdf: Path) -> list[list[dict]]:
    """Each page's words (pdfplumber), split at any gap of more than 1.5 pt: a table's cells are apart by
    their padding, so a word is one line of one cell."""
    import pdfplumber

    with pdfplumber.open(pdf) as doc:
        return [page.extract_words(x_tolerance=1.5, y_tolerance=1, keep_blank_chars=False) for page in doc.pages]


def _text(draw, lo: int, hi: int) -> str:
    n = draw(st.integers(lo, hi))
    parts: list[str] = []
    while sum(map(len, parts)) < n:
        kind = draw(st.integers(0, 6))
        if kind == 0:
            parts.append(draw(st.sampled_from(MARKS)))
        elif kind == 1:
            parts.append(f"{draw(st.integers(0, 999))}.{draw(st.integers(0, 9))}%")
        else:
            parts.append(draw(st.text(CJK, min_size=2, max_size=9)))
    text = "".join(parts)[:n]
    return text if len(text) >= 3 and text[0] not in MARKS else "北京市" + text


@st.composite
def _tables(draw):
    rows = draw(st.integers(1, 120))
    extra = draw(st.lists(st.sampled_from(["area", "kind", "visits", "change", "days", "url"]), unique=True,
                          max_size=5))
    long = draw(st.integers(1, 2000))
    columns = ["name", "text", *extra, "score", "day"][:9]
    cells = []
    for i in range(rows):
        cells.append({
            "name": draw(st.text(CJK, min_size=7, max_size=14)) + "门户网站",
            "text": _text(draw, max(1, long // (1 + i % 5)), long) if i < 12 else "短说明文字",
            "kind": draw(st.text(CJK, min_size=3, max_size=12)),
            "area": draw(st.sampled_from(["北京", "新疆维吾尔自治区", "内蒙古自治区", "广西壮族自治区", "上海"])),
            "url": _url(i, 1 + i % 3),
            "score": f"{draw(st.integers(300, 1000)) / 10:.1f}",
            "visits": str(draw(st.integers(1, 99999))),
            "change": f"{draw(st.integers(-2000, 2000)) / 100:.2f}",
            "day": f"2020-{i % 12 + 1:02d}-{i % 28 + 1:02d}",
            "days": str(draw(st.integers(1, 365))),
        })
    return draw(st.sampled_from(["A4", "A5"])), columns, cells


def _assert_whole(pdf: Path, columns: list[str], cells: list[dict], strips: bool = True) -> None:
    """Every score, date and count is one word of some line; every piece of a URL printed on a line of its
    own starts and ends where the URL may break; no text column is a strip of one character a line."""
    words = [w["text"] for page in _words(pdf) for w in page]
    bag = set(words)
    for col, show in (("score", str), ("day", str), ("days", str),
                      ("visits", lambda v: f"{int(v):,}")):
        if col in columns:
            missing = [show(r[col]) for r in cells if show(r[col]) not in bag]
            assert not missing, f"{col}: printed cut across lines: {missing[:5]}"
    if "url" in columns:
        for r in cells:
            url = r["url"]
            ok = _link_breaks(url) | {0, len(url)}
            for w in words:
                # a line of the URL's cell (a bare number of 3-5 digits may be another cell's value)
                urlish = re.search(r"[A-Za-z/_]", w) or len(w) >= 6
                if urlish and len(w) >= 3 and w != url and w in url and not any(
                        p in ok and p + len(w) in ok for p in _occurrences(url, w)):
                    raise AssertionError(f"URL {url} cut inside a word: line {w!r}")
    if strips:  # (LibreOffice's gap between Latin and CJK parts 「2020 年 5 月」 into words of one character)
        alone = [w for w in words if len(w) == 1 and "\u4e00" <= w <= "\u9fff"]
        assert len(alone) <= 2, f"text printed one character a line: {alone[:12]}"


def _occurrences(text: str, part: str) -> list[int]:
    return [m.start() for m in re.finditer(f"(?={re.escape(part)})", text)]


# each example builds a brief of up to ~80 pages: 4 in `make test`, a tenth of the profile's count nightly
EXAMPLES = 4 if settings.default.max_examples <= 25 else settings.default.max_examples // 10


@settings(max_examples=EXAMPLES, phases=[Phase.explicit, Phase.reuse, Phase.generate])
@given(table=_tables())
def test_generated_tables_keep_numbers_dates_and_url_words_whole(tmp_path_factory, table):
    """Tables of 1-120 rows and 4-9 columns (names, 1-2000-character text, areas, kinds, URLs, scores, counts,
    changes, dates) on A4 and A5: no number, date or URL word is cut across lines, and no text column is
    squeezed to a character a line (breaker5 B: a 7-column A5 table 7 pt too wide printed 网站名称 one
    character a line and cut 99.|7 and 2020-12-0|3)."""
    page, columns, cells = table
    root = _project(tmp_path_factory.mktemp("widths"), page, columns, cells)
    _assert_whole(_build(root) / "gen.pdf", columns, cells)


def test_breaker5_score_table_on_a5_keeps_every_value_whole(tmp_path):
    """The breaker's table itself: 120 rows of site names, areas, scores, visits, changes, dates and URLs on
    A5. Every value is whole, the URLs break only after their marks, and the build does not warn."""
    columns = ["name", "area", "score", "visits", "change", "day", "url"]
    names = ["北京省政府门户网站", "天津发展改革委门户网站", "新疆维吾尔自治区教育厅门户网站", "广西省政府门户网站"]
    areas = ["北京", "天津", "新疆维吾尔自治区", "广西壮族自治区"]
    cells = [{"name": names[i % 4], "area": areas[i % 4], "score": f"{99.7 - i * 0.3:.1f}",
              "visits": str(35 + i * 37), "change": f"{(i * 7 % 19 - 9) * 0.87:.2f}",
              "day": f"2020-{i % 12 + 1:02d}-{i % 28 + 1:02d}", "url": _url(i, 2)} for i in range(120)]
    root = _project(tmp_path / "b", "A5", columns, cells)
    out = _build(root, formats=("pdf", "pptx"))
    _assert_whole(out / "gen.pdf", columns, cells)
    # the deck, as LibreOffice renders it: its URLs break where the brief's do (the deck writes a line break
    # where the one breaker ends a line inside a link; LibreOffice itself breaks a URL after "/" only)
    from clients import libreoffice_to_pdf

    _assert_whole(libreoffice_to_pdf(out / "gen.pptx", tmp_path / "lo"), ["url"], cells, strips=False)


def _header_x(pdf: Path, names: list[str]) -> dict[str, float]:
    import pdfplumber

    with pdfplumber.open(pdf) as doc:  # a header is whole or wrapped in two halves (网站/名称)
        for page in doc.pages:
            words = page.extract_words(x_tolerance=1.5)
            found = {n: min((w["x0"] for w in words if len(w["text"]) >= 2 and n.startswith(w["text"])), default=None)
                     for n in names}
            if all(v is not None for v in found.values()):
                return found
    raise AssertionError(f"no page shows the headers {names}")


@pytest.mark.parametrize("page", ["A5", "A4"])
def test_a_column_of_long_remarks_is_wider_than_the_short_text_columns(tmp_path, page):
    """breaker5 B, 问题清单: remarks of 220-1975 characters got 74 of 306 pt while site names (~25 characters)
    and problem kinds (<= 12) got 65 pt each, mostly empty. Read from the PDF: the left edges of the
    left-aligned headers give each text column's width; the remarks column is wider than each of the others
    and takes at least half of the text columns' width."""
    columns = ["name", "kind", "text", "url", "day", "days"]
    cells = []
    for i in range(7):
        detail = ("经检查，该网站「政策文件」栏目自2019年6月16日以来未更新，共发现错别字32处、不可用链接37个，"
                  "其中首页链接不可用率达5.3%，较上次抽查提高1.3个百分点；详见" + _url(i, 3) + "。") * (3 + 4 * i)
        cells.append({"name": f"山东某厅局门户网站（www.site{i}.gov.cn）", "kind": "「互动交流」栏目长期未回复"[: 6 + i],
                      "text": detail, "url": _url(i, 1), "day": f"2020-0{i + 1}-1{i}", "days": str(30 + i)})
    root = _project(tmp_path / "p", page, columns, cells)
    pdf = _build(root) / "gen.pdf"
    x = _header_x(pdf, ["网站名称", "问题类型", "问题详情", "网址"])
    name, kind, text = x["问题类型"] - x["网站名称"], x["问题详情"] - x["问题类型"], x["网址"] - x["问题详情"]
    assert text > name and text > kind, (name, kind, text)
    assert text >= 0.45 * (name + kind + text), (name, kind, text)
    _assert_whole(pdf, columns, cells)


# ----------------------------------------------------------------------------- URLs in paragraphs


def test_urls_in_paragraphs_break_only_after_their_marks(tmp_path):
    """A URL in the narrative of an A5 brief breaks only after / . _ - ? & = : never 「index_123」 over
    「4567.html」 nor 「gov.c」 over 「n」 (breaker5 B, page 3)."""
    import yaml

    urls = [_url(k, 1 + k % 4) for k in range(6)] + ["zhang.san_2020@example-mail.gov.cn",
                                                     "https://www.gov.cn/search?q=政务&page=12&sort=date"]
    root = _project(tmp_path / "u", "A5", ["name", "score"], [{"name": "北京门户网站", "score": "1.0"}])
    report = yaml.safe_load((root / "reports" / "r.yaml").read_text(encoding="utf-8"))
    text = "".join(f"第{k}条网址见{u}，请核对{'栏目' * (k + 1)}。" for k, u in enumerate(urls))
    report["sections"][0]["findings"][0]["text"] = text
    (root / "reports" / "r.yaml").write_text(yaml.safe_dump(report, allow_unicode=True), encoding="utf-8")
    pdf = _build(root) / "gen.pdf"
    import pdfplumber

    with pdfplumber.open(pdf) as doc:
        lines = [ln["text"] for page in doc.pages for ln in page.extract_text_lines()]
    flat = "".join(lines)
    assert all(u in flat for u in urls)
    for a, b in zip(lines, lines[1:], strict=False):
        for u in urls:
            ok = _link_breaks(u) | {0, len(u)}
            for p in range(1, len(u)):
                if a.endswith(u[:p]) and b.startswith(u[p:p + 4]) and u[:p] in flat:
                    assert p in ok, f"{u} cut at {p}: 「{u[:p]}」 over 「{u[p:]}」"


def test_the_link_rule_of_the_one_breaker():
    """textfit.pieces (the breaker's unbreakable runs) of URLs, e-mail addresses and host names, and of
    numbers and dates that must stay whole."""
    from egovdeck.text.textfit import pieces

    assert pieces("https://www.gov.cn/xxgk/index_1234567.html") == [
        "https://", "www.", "gov.", "cn/", "xxgk/", "index_", "1234567.", "html"]
    assert pieces("fgw91.example.gov.cn") == ["fgw91.", "example.", "gov.", "cn"]
    assert pieces("a.b@mail.gov.cn") == ["a.", "b@mail.", "gov.", "cn"]
    for whole in ("2020-12-03", "99.7", "2020/03/31", "14,474", "−3.2%", "v1.2.3", "e.g."):
        assert pieces(whole) == [whole], whole


# ----------------------------------------------------------------------------- the deck


def _deck_project(root: Path, rows: int, long: bool) -> Path:
    detail = ("经检查，该网站「政策文件」栏目自2019年6月16日以来未更新，共发现错别字32处、不可用链接37个，"
              "其中首页链接不可用率达5.3%，较上次抽查提高2.4个百分点；『互动交流』栏目中214条留言超过3–5个工作日未予答复，"
              "涉及群众诉求约68.4万人次，相关专项资金6.43亿元的使用情况亦未按要求公开。")
    cells = [{"name": f"山东某厅局门户网站（www.site{i}.gov.cn）", "kind": "信息更新不及时",
              "text": detail * (4 + 3 * (i % 3)) if long else "短说明文字", "score": f"{90 - i * 1.5:.1f}",
              "day": f"2020-0{i % 9 + 1}-1{i % 9}"} for i in range(rows)]
    return _project(root, "A4", ["name", "kind", "text", "score", "day"], cells)


def test_a_deck_cell_continued_on_the_next_slide_ends_at_a_clause(tmp_path):
    """A row too tall for what is left of a slide is cut, and its cells continue on the next: each cut cell
    ends at a sentence or clause end (。；，、：), never inside a word (breaker5 B slides 8 -> 9:
    较上次抽查提|高2.4个百分点). Read with python-pptx, the same text is whole over the two slides; LibreOffice's
    rendering shows every cut cell's last characters."""
    from pptx import Presentation

    from clients import libreoffice_to_pdf, pdftotext_pages

    root = _deck_project(tmp_path / "d", 7, True)
    out = _build(root, formats=("pptx",))
    prs = Presentation(str(out / "gen.pptx"))
    tables = [[[c.text for c in r.cells] for r in sh.table.rows]
              for s in prs.slides for sh in s.shapes if sh.has_table]
    with open(root / "data" / "t.csv", encoding="utf-8") as fh:
        full = [r["text"] for r in csv.DictReader(fh)]
    cuts = []
    for table in tables:
        for row in table[1:]:
            cell = row[2]
            if cell and cell not in full and any(f.startswith(cell) for f in full):
                cuts.append(cell)
    assert cuts, "no cell was continued on the next slide"
    for cell in cuts:
        assert cell[-1] in "。；，、：！？", f"cut inside a word: …{cell[-12:]}"
    text = re.sub(r"\s+", "", "".join(pdftotext_pages(libreoffice_to_pdf(out / "gen.pptx", tmp_path / "lo"))))
    for cell in cuts:
        assert re.sub(r"\s+", "", cell)[-8:] in text, cell[-8:]


def test_a_short_deck_table_uses_a_readable_size_and_its_slide(tmp_path):
    """A table of two rows is a display: LibreOffice renders its cells at 16 pt or more, and its text spans
    more than a fifth of the slide's height (breaker5 B slide 5: the top quarter of the content area, at
    11 pt)."""
    import pdfplumber

    from clients import libreoffice_to_pdf

    root = _deck_project(tmp_path / "s", 2, False)
    out = _build(root, formats=("pptx",))
    pdf = libreoffice_to_pdf(out / "gen.pptx", tmp_path / "lo")
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            chars = [c for c in page.chars if c["text"] in "短说明文字"]
            if chars:
                break
        else:
            raise AssertionError("the table's slide was not found")
        sizes = [c["size"] for c in chars]
        assert min(sizes) >= 16 - 0.1, sizes
        dates = [c for c in page.chars if c["text"].isdigit()]
        heads = [w for w in page.extract_words() if w["text"] == "网站名称"]
        assert heads
        top = heads[0]["top"]
        bottom = max(c["bottom"] for c in dates + chars)
        assert bottom - top >= page.height * 0.22, (top, bottom, page.height)
