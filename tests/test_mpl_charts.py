"""PDF charts: ChartData -> matplotlib SVG -> svglib Drawing -> a one-page ReportLab PDF.

What is checked, for every chart kind:
  * every font in the PDF is embedded (pdffonts, else pypdf) and the canvas never falls back
    to Helvetica;
  * every category label and every formatted data label is extractable text (pdftotext, else
    pdfplumber);
  * rendering twice gives the identical SVG string;
  * a ranking draws its first category above its last; None is a gap (no label, no zero).

Pixel references (tests/reference/charts/<name>.png): a few charts are rasterised with
`pdftoppm -r 50` and compared with the committed PNG (sizes must match). Two tolerances, as mean
absolute difference per channel on 0..255:
  * over the whole image: < MAX_MEAN_DIFF (1.0);
  * over every 24×24 px tile (sliding by 12 px): < MAX_TILE_DIFF (12).
Why: the same pipeline reproduces the reference exactly (0.0). Poppler/freetype updates move
anti-aliased edge pixels by a few levels, spread thinly over the image, far below both limits.
A whole-image mean alone is too forgiving: one bar 10 % shorter with its label moved costs only
0.45 over the image, but 50 in its tile; a series colour change costs 6.0 over the image.
(For scale: rasterising with pdfium instead of poppler gives 3.3 / 20, so switching rasteriser
means regenerating the references.) On failure the actual PNG and a diff image (darker = more
different) are written to tests/_out/<name>-actual.png and tests/_out/<name>-diff.png.

    EGOVDECK_UPDATE_REFERENCES=1 pytest tests/test_mpl_charts.py   # regenerate the references

pdftotext/pdffonts/pdftoppm (poppler-utils) are used when installed; a test that needs them
skips without them, unless EGOVDECK_REQUIRE_CLIENTS=1, in which case it fails.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from clients import missing_client
from egovdeck.charts.mpl import ChartRenderError, nice_ticks, render_svg, wrap_text
from egovdeck.document.chart import ChartData, Milestone, Series
from egovdeck.document.theme import Theme
from egovdeck.render.pdf.chart import chart_flowable, svg_to_drawing
from egovdeck.text.fonts import default_fonts, register_reportlab
from egovdeck.text.numfmt import NumberFormat

HERE = Path(__file__).resolve().parent
REF_DIR = HERE / "reference" / "charts"
OUT_DIR = HERE / "_out"
THEME = Theme()
FONTS = default_fonts()
MAX_MEAN_DIFF = 1.0
MAX_TILE_DIFF = 12.0
W, H = 450.0, 260.0

PROVINCES32 = (
    "北京", "天津", "河北", "山西", "内蒙古", "辽宁", "吉林", "黑龙江", "上海", "江苏", "浙江",
    "安徽", "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "广西", "海南", "重庆", "四川",
    "贵州", "云南", "西藏", "陕西", "甘肃", "青海", "宁夏", "新疆", "新疆生产建设兵团",
)


# ----------------------------------------------------------------------------- sample data


def sample(name: str) -> tuple[ChartData, float, float]:
    """A resolved chart of each kind and the size it is drawn at."""
    p = THEME.palette
    yi = NumberFormat(decimals=2, suffix="亿人")
    pct = NumberFormat(decimals=1, percent=True)
    idx = NumberFormat(decimals=1)
    if name == "column":
        chart = ChartData(
            id="column", kind="column", title="省级政务服务能力指数",
            categories=("四川", "山东", "新疆生产建设兵团", "广东", "浙江"),
            series=(Series("2022年", (82.4, 85.1, 61.3, 90.2, 91.7), p[0], idx),
                    Series("2023年", (86.0, 88.6, 66.8, None, 93.4), p[1], idx)),
            y_title="指数", x_title="地区")
        return chart, W, H
    if name == "stacked":
        chart = ChartData(
            id="stacked", kind="column", title="办件量构成", stacked=True,
            categories=("2019年", "2020年", "2021年", "2022年", "2023年"),
            series=(Series("线上", (120.0, 210.0, 305.0, 410.0, 520.0), p[0], NumberFormat()),
                    Series("线下", (260.0, 230.0, 200.0, 160.0, 130.0), p[2], NumberFormat())),
            y_title="万件")
        return chart, W, H
    if name == "negative":
        chart = ChartData(
            id="negative", kind="column", title="增速变化",
            categories=("四川", "山东", "河南", "广东"),
            series=(Series("变化", (3.5, -2.25, -0.5, 4.0), p[0], NumberFormat(decimals=2, suffix="个百分点")),),
            legend=None, y_title="百分点")
        return chart, W, 200.0
    if name == "bar32":
        vals = tuple(round(95.0 - i * 1.37, 1) for i in range(32))
        colors = tuple(THEME.highlight if c in ("四川", "新疆生产建设兵团") else THEME.dim for c in PROVINCES32)
        chart = ChartData(
            id="bar32", kind="bar", title="省级网上政务服务能力排名", categories=PROVINCES32,
            series=(Series("得分", vals, THEME.dim, idx, point_colors=colors),),
            legend=None, y_title="得分")
        return chart, W, 500.0
    if name == "line":
        chart = ChartData(
            id="line", kind="line", title="互联网普及率",
            categories=("2016年", "2017年", "2018年", "2019年", "2020年", "2021年", "2022年"),
            series=(Series("城镇", (69.1, 71.0, 74.6, None, 79.8, 81.3, 82.9), p[0], pct),
                    Series("农村", (33.1, 35.4, 38.4, None, 55.9, 57.6, 61.9), p[1], pct)),
            y_title="%", end_labels=True)
        return chart, W, H
    if name == "combo":
        chart = ChartData(
            id="combo", kind="combo", title="网民规模与互联网普及率",
            categories=("2016年", "2017年", "2018年", "2019年", "2020年", "2021年", "2022年"),
            series=(Series("网民规模", (7.31, 7.72, 8.29, 9.04, 9.89, 10.32, 10.67), p[0], yi),
                    Series("互联网普及率", (53.2, 55.8, 59.6, 64.5, 70.4, 73.0, 75.6), p[1], pct,
                           kind="line", secondary=True)),
            y_title="亿人", y2_title="%")
        return chart, W, H
    if name in ("pie", "doughnut"):
        cats = ("在线办理", "一窗受理", "自助终端", "移动端", "其他")
        chart = ChartData(
            id=name, kind=name, title="办理渠道构成", categories=cats,
            series=(Series("办件量", (4520.0, 2310.0, 860.0, 3905.0, 210.0), p[0], NumberFormat(suffix="万件"),
                           point_colors=tuple(THEME.color(i) for i in range(len(cats)))),),
            legend="bottom")
        return chart, W, H
    if name == "timeline":
        chart = ChartData(
            id="timeline", kind="timeline", title="我国电子政务发展阶段",
            milestones=(
                Milestone("1983", "起步阶段", "办公自动化起步，各级政府开始建设计算机系统。"),
                Milestone("2001–2013", "推进阶段", "“两网一站四库十二金”工程全面推进，政府网站普及，业务系统纵向贯通。"),
                Milestone("2014–", "“互联网+政务服务”", "一体化政务服务平台建成，“一网通办”“跨省通办”，数字政府建设全面提速。"),
            ))
        return chart, W, 170.0
    raise ValueError(name)


ALL = ("column", "stacked", "negative", "bar32", "line", "combo", "pie", "doughnut", "timeline")


def expected_labels(chart: ChartData) -> list[str]:
    """Every text the chart must print. A combo's line labels in between are left out where one would touch its
    line or a column label (the rule "left out, never moved", decided for both outputs and checked there:
    tests/test_line_labels.py, tests/test_label_agreement.py): the line's first and last labels are expected."""
    out = list(chart.categories)
    if chart.kind not in ("pie", "doughnut"):
        for s in chart.series:
            known = [s.fmt.format(v) for v in s.values if v is not None]
            out += known if not (chart.kind == "combo" and s.kind == "line") else known[:1] + known[-1:]
        if len(chart.series) > 1:
            out += [s.name for s in chart.series]
    else:
        s = chart.series[0]
        out += [s.fmt.format(v) for v in s.values if v is not None]
    for m in chart.milestones:
        out += [m.period, m.label]
    out += [t for t in (chart.y_title, chart.x_title, chart.y2_title) if t]
    return out


# ----------------------------------------------------------------------------- PDF helpers


def write_pdf(path: Path, charts: list[tuple[ChartData, float, float]]) -> Path:
    """One chart per page (or several stacked on one page), with our font as the canvas's font."""
    from reportlab.graphics import renderPDF
    from reportlab.pdfgen.canvas import Canvas

    register_reportlab(FONTS)
    path.parent.mkdir(parents=True, exist_ok=True)
    page_w = max(w for _, w, _ in charts) + 40
    page_h = sum(h + 20 for _, _, h in charts) + 20
    c = Canvas(str(path), pagesize=(page_w, page_h), initialFontName=FONTS.rl_regular, invariant=1)
    y = page_h - 20
    for chart, w, h in charts:
        d = chart_flowable(chart, w, h, THEME, FONTS)
        y -= h
        renderPDF.draw(d, c, 20, y)
        y -= 20
    c.showPage()
    c.save()
    return path


def pdf_text(pdf: Path) -> str:
    exe = shutil.which("pdftotext")
    if exe:
        return subprocess.run([exe, "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout
    if os.environ.get("EGOVDECK_REQUIRE_CLIENTS") == "1":
        missing_client("pdftotext (poppler-utils) is not installed")
    import pdfplumber

    with pdfplumber.open(pdf) as doc:
        return "\n".join(page.extract_text() or "" for page in doc.pages)


def font_report(pdf: Path) -> list[tuple[str, bool]]:
    """(font name, embedded?) for every font of the PDF."""
    exe = shutil.which("pdffonts")
    if exe:
        out = subprocess.run([exe, str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()
        rows = []
        for line in out[2:]:
            parts = line.split()
            # name type [encoding words...] emb sub uni object ID
            rows.append((parts[0], parts[-5] == "yes"))
        return rows
    if os.environ.get("EGOVDECK_REQUIRE_CLIENTS") == "1":
        missing_client("pdffonts (poppler-utils) is not installed")
    from pypdf import PdfReader

    rows = []
    for page in PdfReader(pdf).pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for ref in fonts.values():
            f = ref.get_object()
            fds = [f] + [d.get_object() for d in f.get("/DescendantFonts", [])]
            emb = any("/FontDescriptor" in d and any(k in d["/FontDescriptor"].get_object()
                      for k in ("/FontFile", "/FontFile2", "/FontFile3")) for d in fds)
            rows.append((str(f.get("/BaseFont")), emb))
    return rows


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


# ----------------------------------------------------------------------------- tests


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("charts")
    return {name: write_pdf(d / f"{name}.pdf", [sample(name)]) for name in ALL}


@pytest.mark.parametrize("name", ALL)
def test_fonts_embedded_no_helvetica(pdfs, name):
    rows = font_report(pdfs[name])
    assert rows, "no fonts at all?"
    for font, embedded in rows:
        assert embedded, f"{font} is not embedded"
        assert "Helvetica" not in font
        assert "EgovSansSC" in font


@pytest.mark.parametrize("name", ALL)
def test_every_label_is_text(pdfs, name):
    chart, _, _ = sample(name)
    text = squash(pdf_text(pdfs[name]))
    for label in expected_labels(chart):
        assert squash(label) in text, f"{label!r} missing from the PDF text of {name}"
    if name in ("pie", "doughnut"):
        s = chart.series[0]
        total = sum(v for v in s.values if v is not None)
        for v in s.values:
            assert f"{v / total * 100:.1f}%" in text


def test_timeline_descriptions_are_text(pdfs):
    chart, _, _ = sample("timeline")
    text = squash(pdf_text(pdfs["timeline"]))
    for m in chart.milestones:
        assert squash(m.text) in text  # wrapped by characters, but nothing lost


@pytest.mark.parametrize("name", ALL)
def test_svg_is_deterministic_and_text_stays_text(name):
    chart, w, h = sample(name)
    a = render_svg(chart, w, h, THEME, FONTS)
    b = render_svg(chart, w, h, THEME, FONTS)
    assert a == b
    assert f'width="{w:g}pt"' in a and f'height="{h:g}pt"' in a
    assert "<text" in a and "<dc:date>" not in a and "Matplotlib" not in a
    assert "-" not in re.sub(r"<[^>]*>", "", a.split("</defs>")[-1]).replace("–", ""), "ASCII minus in a label"


def test_drawing_has_requested_size():
    chart, w, h = sample("combo")
    d = svg_to_drawing(render_svg(chart, w, h, THEME, FONTS), FONTS)
    assert (d.width, d.height) == (w, h)


def test_bar_ranking_order_and_highlight(pdfs):
    import pdfplumber

    with pdfplumber.open(pdfs["bar32"]) as doc:
        words = doc.pages[0].extract_words(extra_attrs=["fontname"])
    tops = {w["text"]: w for w in words}
    first, last = tops["北京"], tops["新疆生产建设兵团"]
    assert first["top"] < last["top"]  # pdfplumber's top grows downwards: the first row is above
    assert "Bold" in tops["四川"]["fontname"] and "Bold" not in tops["北京"]["fontname"]
    # 32 rows at 500 pt: every row label on its own line, evenly spaced, none overlapping
    ys = sorted(tops[c]["top"] for c in PROVINCES32)
    gaps = [b - a for a, b in zip(ys, ys[1:], strict=False)]
    assert min(gaps) > max(tops[c]["bottom"] - tops[c]["top"] for c in PROVINCES32)


def test_none_is_a_gap_not_zero(pdfs):
    chart, _, _ = sample("line")
    text = pdf_text(pdfs["line"])
    assert "0.0%" not in text
    assert text.count("%") >= sum(v is not None for s in chart.series for v in s.values)
    # the line is interrupted: the 2018 and 2020 points are not joined by one path
    svg = render_svg(chart, W, H, THEME, FONTS)
    assert "nan" not in svg.lower()
    column, _, _ = sample("column")
    ctext = pdf_text(pdfs["column"])
    assert not re.search(r"(?<![\d.])0\.0(?![\d])", ctext)


def test_line_gap_splits_path():
    chart, w, h = sample("line")
    svg = render_svg(chart, w, h, THEME, FONTS)
    # one line per series is drawn; with a gap its path has two "M" (move-to) segments
    paths = re.findall(r'<path d="([^"]*)"[^>]*style="fill: none; stroke: #(?:1f5fa8|e07b39); stroke-width: 1.8',
                       svg, flags=re.I)
    assert paths and all(p.count("M") == 2 for p in paths)


def test_negative_numbers_use_unicode_minus(pdfs):
    text = pdf_text(pdfs["negative"])
    assert "\u22122.25个百分点" in text
    assert "-2.25" not in text


def test_missing_glyph_is_an_error():
    chart, w, h = sample("negative")
    bad = ChartData(**{**chart.__dict__, "categories": ("四川", "山东", "河南", "\U0001F600")})
    with pytest.raises(ChartRenderError):
        render_svg(bad, w, h, THEME, FONTS)


def test_helpers():
    assert nice_ticks(0, 10.67, 5) == [0, 2.5, 5, 7.5, 10, 12.5]
    assert nice_ticks(-2.25, 4, 5)[0] <= -2.25
    lines = wrap_text("“两网一站四库十二金”工程全面推进", 40, 8, FONTS)
    assert "".join(lines) == "“两网一站四库十二金”工程全面推进"
    assert all(not ln.startswith(("”", "，", "。")) for ln in lines)
    assert all(not ln.endswith("“") for ln in lines)


# ----------------------------------------------------------------------------- pixel references

REFERENCE = ("combo", "bar32", "timeline")


def _png(pdf: Path, out_stem: Path) -> Path:
    exe = shutil.which("pdftoppm")
    if not exe:
        missing_client("pdftoppm (poppler-utils) is not installed")
    subprocess.run([exe, "-r", "50", "-png", "-singlefile", str(pdf), str(out_stem)], check=True)
    return out_stem.with_suffix(".png")


@pytest.mark.parametrize("name", REFERENCE)
def test_pixel_reference(pdfs, name, tmp_path):
    from imaging import compare

    problem = compare(_png(pdfs[name], tmp_path / name), REF_DIR / f"{name}.png", MAX_MEAN_DIFF, MAX_TILE_DIFF)
    if problem:
        pytest.fail(problem)
