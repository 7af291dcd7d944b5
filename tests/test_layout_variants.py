"""Variants of the four chart/text layout cases of issue 16, as other users would write them.

tests/cases/layout-variants/NAME is a small project per kind (synthetic data): bar-order (sort, ties, top N,
stacked, 1-3 series, legend positions), long-labels (1-40 characters, CJK/Latin/mixed, 10 and 40 categories,
every chart kind, chart-text/chart-wide/two-charts), negatives (all-negative, mixed, zero, tiny negatives,
negative percentages, sectioned formats, stacked, combo, table, KPIs, narrative) and soft-breaks (YAML |, >,
|-, plain scalars, a CRLF file, mixed scripts, full-width spaces, in every place text is written).

Each is built once as a user builds it, and read the way readers read it: the PDF with pdfplumber and
pdftotext, every chart drawn alone at its PDF size, the deck's XML and LibreOffice's rendering of it.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

import chartcheck as cc
from egovdeck.ooxml import qn
from test_chart_layout import native_xml, one_series

HERE = Path(__file__).resolve().parent
VARIANTS = HERE / "cases" / "layout-variants"
REPORTS = sorted(VARIANTS.glob("*/reports/*.yaml"))
CJK = r"[\u3400-\u9fff\uff08\uff09\u3001-\u3011\uff0c\uff1b\uff1a]"


def _id(path: Path) -> str:
    return f"{path.parents[1].name}/{path.stem}"


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> dict[str, tuple[Path, Path, Path, Path]]:
    """Every variant report built once: id -> (project, definition, pdf, pptx)."""
    from egovdeck.cli import main as cli

    out = {}
    for source in REPORTS:
        work = tmp_path_factory.mktemp("variant") / source.parents[1].name
        if not work.exists():
            shutil.copytree(source.parents[1], work)
        definition = work / "reports" / source.name
        assert cli.main(["build", "--no-server", "--no-cache", str(definition), "-o", str(work / "output")],
                        try_server=False) == 0, _id(source)
        rid = yaml.safe_load(definition.read_text(encoding="utf-8"))["report"]["id"]
        out[_id(source)] = (work, definition, work / "output" / f"{rid}.pdf", work / "output" / f"{rid}.pptx")
    return out


def _charts(definition: Path):
    """(document, [(chart, pdf width, pdf height)]) as the build resolved them."""
    from egovdeck.document.chart import ChartData
    from egovdeck.engine.build import fonts_for, theme_for
    from egovdeck.input.project import load_project
    from egovdeck.render.pdf.geometry import pdf_chart_sizes
    from egovdeck.resolve.report import build_document

    project = load_project(definition)
    doc = build_document(project, theme_for(project), fonts_for(project))
    sizes = pdf_chart_sizes(doc)
    charts = [b for s in doc.sections for f in s.findings for b in f.blocks.values() if isinstance(b, ChartData)]
    return doc, [(c, *sizes[c.id]) for c in charts]


def _rendered(pptx: Path) -> Path:
    from clients import libreoffice_to_pdf

    lo = pptx.parent / "lo"
    done = lo / pptx.with_suffix(".pdf").name
    return done if done.exists() else libreoffice_to_pdf(pptx, lo)


def _deck_xml(pptx: Path, prefix: str) -> list[tuple[str, etree._Element]]:
    with zipfile.ZipFile(pptx) as z:
        names = sorted((n for n in z.namelist() if n.startswith(prefix) and n.endswith(".xml")),
                       key=lambda n: int(re.sub(r"\D", "", n) or 0))
        return [(n, etree.fromstring(z.read(n))) for n in names]


def _pdf_text(pdf: Path) -> str:
    from clients import pdftotext_pages

    return "\n".join(pdftotext_pages(pdf))


# ----------------------------------------------------------------------------- every variant, every rule


def _deck_problems(pptx: Path) -> list[str]:
    """deckboxes.problems, where a category label LibreOffice drew rotated (a crowded axis: the layout's
    choice, like wrapping at a CJK boundary) counts as shown when its characters follow each other in the
    rotated text of its chart (a rotated character's text matrix has a shear term; pdfplumber still calls
    it upright)."""
    import pdfplumber

    import deckboxes

    rendered = _rendered(pptx)
    _boxes, frames = deckboxes.deck_boxes(pptx)
    rotated: dict[int, str] = {}
    with pdfplumber.open(rendered) as doc:
        for f in frames:
            rotated[f.slide] = rotated.get(f.slide, "") + "".join(
                c["text"] for c in doc.pages[f.slide - 1].chars if abs(c["matrix"][1]) > 0.01 and c["text"].strip()
                and f.x0 - 2 <= c["x0"] and c["x1"] <= f.x1 + 2 and f.top - 2 <= c["top"] and c["bottom"] <= f.bottom + 2)
    out = []
    for p in deckboxes.problems(pptx, rendered):
        m = re.match(r"slide (\d+) chart: category label “(.*)” broken over lines or missing", p)
        if not (m and m.group(2) in rotated.get(int(m.group(1)), "")):
            out.append(p)
    return out



@pytest.mark.parametrize("source", REPORTS, ids=_id)
def test_variant_reads_right_in_both_outputs(builds, source, tmp_path):
    """Page frame, pagination, kinsoku, whole numbers, captions (the whole-report checks, the deck's text
    as LibreOffice draws it included); every chart alone: no character off its canvas or over another, every
    category named."""
    from test_chart_layout import _inside_frame
    from test_whole_reports import _check_both

    work, definition, pdf, pptx = builds[_id(source)]
    spec = yaml.safe_load(definition.read_text(encoding="utf-8"))
    headings = [f["title"] for s in spec["sections"] for f in s["findings"]] + [s["title"] for s in spec["sections"]]
    _check_both(work, pdf, pptx, headings)
    doc, charts = _charts(definition)
    assert _inside_frame(pdf, doc) == []
    for chart, w, h in charts:
        assert cc.problems(chart, w, h, tmp_path / f"{chart.id}.pdf") == [], chart.id
        text = cc.text_of(tmp_path / f"{chart.id}.pdf")
        for c in chart.categories:
            assert all(ch in text for ch in c if not ch.isspace()), (chart.id, c)


@pytest.mark.parametrize("source", REPORTS, ids=_id)
def test_variant_deck_text_whole_in_its_box(builds, source):
    """LibreOffice's rendering of the deck: every text in its box, no line starting with closing punctuation,
    every category label whole (or rotated whole)."""
    _work, _definition, _pdf, pptx = builds[_id(source)]
    assert _deck_problems(pptx) == []


# ----------------------------------------------------------------------------- soft line breaks

WIDE_PUNCT = "，。；：、（）「」『』《》！？"


def _slide_paragraphs(pptx: Path, prefix: str) -> list[str]:
    """Every paragraph of the slides (or the notes) as written: its runs joined, line breaks as \\n."""
    out = []
    for _name, root in _deck_xml(pptx, prefix):
        for p in root.iter(qn("a:p")):
            text = "".join(t.text or "" if t.tag == qn("a:r") or t.tag == qn("a:t") else "\n"
                           for t in p.iter(qn("a:t"), qn("a:br")))
            if text.strip():
                out.append(text)
    return out


def _pdf_lines(pdf: Path) -> list[str]:
    """The PDF's lines as drawn: its characters (spaces only where a space is drawn, none for a gap) by
    baseline, left to right, for every page."""
    import pdfplumber

    out = []
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            lines: dict[float, list[dict]] = {}
            for c in page.chars:
                if c["upright"]:
                    lines.setdefault(round(c["bottom"], 1), []).append(c)
            out += ["".join(c["text"] for c in sorted(cs, key=lambda c: c["x0"])) for _, cs in sorted(lines.items())]
    return out


@pytest.mark.parametrize("name", ["soft-breaks/case", "soft-breaks/crlf"])
def test_soft_breaks_join_the_cjk_way_everywhere(builds, name):
    """|, >, |- and plain scalars, LF or CRLF, in narrative, notes, summaries, chart titles, chart notes, source
    lines and KPIs: a break between CJK characters (or next to full-width punctuation) is no space, one between
    Latin words is one space; the PDF, the slides and the speaker notes print the same text."""
    _work, _definition, pdf, pptx = builds[name]
    summary, text = ("本节用保留换行写法，中文之间不应出现空格；English words keep one space.",
                     "截至2020年3月，用户规模达6.94亿人，占网民整体的76.8%，比2018年底提高29.3个百分点。")
    national, kpi_text = "全国一体化平台（National Platform）上线，用户达6.94亿人。", "指标卡下方的说明文字，包含 App store 与 API 接口。"
    printed = [summary, text, national, kpi_text, "注：2016年为年底数据，source from CNNIC reports.",
               "资料来源：合成测试数据，synthetic data for layout tests only", "在线政务服务用户规模", "用户规模（亿人）",
               "普通多行标量跨两行的标题", "较2018年底增加3.00亿人", "提高29.3个百分点"]
    spoken = [summary, text, national, kpi_text, "备注写成普通多行标量，也不应有空格。",
              "The mini programs reached many users; 用户规模6.94亿人。"]
    pdf_text = "".join(_pdf_lines(pdf))
    slides = _slide_paragraphs(pptx, "ppt/slides/slide")
    notes = _slide_paragraphs(pptx, "ppt/notesSlides/notesSlide")
    deck_text = "".join(p.replace("\n", "") for p in slides)
    for t in printed:
        # a wrapped line's end is no character: compare without the spaces
        assert t.replace(" ", "") in pdf_text.replace(" ", ""), ("pdf", t)
        assert t in deck_text or t.replace(" ", "") in deck_text.replace(" ", ""), ("slides", t)
    for t in spoken:
        assert any(t in p for p in notes), ("notes", t)
    # the note of figure 1 is one paragraph on its slide, not one per source line
    assert any(p.replace("\n", "") == "注：2016年为年底数据，source from CNNIC reports." for p in slides)
    # nowhere a space between two CJK characters or next to full-width punctuation (U+3000 is written text)
    def cjk(c: str) -> bool:
        return "\u4e00" <= c <= "\u9fff" or c in WIDE_PUNCT

    for where, texts in (("pdf", _pdf_lines(pdf)), ("slides", slides), ("notes", notes)):
        for t in texts:
            for m in re.finditer(r"(\S) +(\S)", t):
                a, b = m.groups()
                assert not (cjk(a) and cjk(b) or a in WIDE_PUNCT or b in WIDE_PUNCT), f"{where}: a space in {t!r}"


# ----------------------------------------------------------------------------- bar and legend order


def _expected_categories(work: Path, chart: dict) -> list[str]:
    """The categories in reading order, from the CSV and the spec alone: sort by the first value field
    (stable: ties keep the data's order), then top N."""
    import csv

    ds = yaml.safe_load((work / "data" / f"{chart['dataset']}.yaml").read_text(encoding="utf-8"))
    with open(work / "data" / ds["file"], encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    first = chart["y"] if isinstance(chart["y"], str) else chart["y"][0]
    if chart.get("sort", "none") != "none":
        rows.sort(key=lambda r: float(r[first]), reverse=chart["sort"] == "desc")
    return [r[chart["x"]] for r in rows][:chart.get("top")]


def _read_order(page, box, categories: list[str], names: list[str], horizontal: bool):
    """(categories in reading order, legend names in reading order, the fill colours of the first group's
    bars in reading order, the legend swatches' colours in legend order) of the chart in box (x0, top, x1,
    bottom) of a pdfplumber page."""
    x0, top, x1, bottom = box
    words = [w for w in page.extract_words(keep_blank_chars=False, use_text_flow=True)
             if x0 - 1 <= w["x0"] and w["x1"] <= x1 + 1 and top - 1 <= w["top"] and w["bottom"] <= bottom + 1]
    lines: dict[int, list[dict]] = {}
    for w in words:  # a name split into words (「2018」「年」) joined back per line
        lines.setdefault(round(w["top"] / 3), []).append(w)
    found = []
    for ws in lines.values():
        ws.sort(key=lambda w: w["x0"])
        i = 0
        while i < len(ws):
            for j in range(len(ws), i, -1):
                text = "".join(w["text"] for w in ws[i:j])
                if text in categories or text in names:
                    found.append({"text": text, "x0": ws[i]["x0"], "x1": ws[j - 1]["x1"], "top": ws[i]["top"],
                                  "bottom": ws[i]["bottom"]})
                    i = j - 1
                    break
            i += 1
    key = (lambda w: (w["top"], w["x0"])) if horizontal else (lambda w: (w["x0"], w["top"]))
    cats = [w["text"] for w in sorted((w for w in found if w["text"] in categories), key=key)]
    legend = sorted((w for w in found if w["text"] in names), key=lambda w: (round(w["top"]), w["x0"]))

    def colour(o):
        c = o.get("non_stroking_color")
        return tuple(round(v, 2) for v in c) if isinstance(c, (list, tuple)) else c

    shapes = [o for o in page.rects + page.curves if o.get("fill") and x0 - 1 <= o["x0"] and o["x1"] <= x1 + 1
              and top - 1 <= o["top"] and o["bottom"] <= bottom + 1 and colour(o) not in ((1.0, 1.0, 1.0), (1,), 1)]
    swatches = []
    for w in legend:
        near = [o for o in shapes if o["x1"] <= w["x0"] + 1 and w["x0"] - o["x1"] < 14 and o["width"] < 16
                and o["top"] < w["bottom"] and o["bottom"] > w["top"]]
        swatches.append(colour(max(near, key=lambda o: o["x1"])) if near else None)
    bars = [o for o in shapes if not any(o is s for s in shapes if s["width"] < 16 and s["height"] < 16)]
    bars.sort(key=(lambda o: (o["top"], o["x0"])) if horizontal else (lambda o: (o["x0"], o["top"])))
    first = [colour(o) for o in bars[:len(names)]]
    return cats, [w["text"] for w in legend], first, swatches


def test_bar_order_and_legend_order_in_both_outputs(builds, tmp_path):
    """Every bar/column chart of the variants: categories in the sorted order (top-down for bars, left to
    right for columns), the legend listing the series in their order, and the bars of a group in the
    legend's colour order -- in the PDF and in LibreOffice's rendering of the deck."""
    import pdfplumber

    import deckboxes

    work, definition, _pdf, pptx = builds["bar-order/case"]
    spec = yaml.safe_load(definition.read_text(encoding="utf-8"))
    charts = [c for s in spec["sections"] for f in s["findings"] for c in f["slots"].values()]
    doc, resolved = _charts(definition)
    labels = {f"{k}": v["label"] for k, v in yaml.safe_load(
        (work / "data" / "prov3.yaml").read_text(encoding="utf-8"))["columns"].items()}
    _boxes, frames = deckboxes.deck_boxes(pptx)
    rendered = _rendered(pptx)
    assert len(frames) == len(charts) == len(resolved)
    with pdfplumber.open(rendered) as lo:
        for chart, (data, w, h), frame in zip(charts, resolved, frames, strict=True):
            horizontal = chart["kind"] == "bar"
            cats = _expected_categories(work, chart)
            ys = [chart["y"]] if isinstance(chart["y"], str) else chart["y"]
            names = [labels[y] for y in ys] if len(ys) > 1 else []
            one = cc.chart_pdf(data, w, h, tmp_path / f"{data.id}.pdf")
            with pdfplumber.open(one) as d:
                page = d.pages[0]
                got = _read_order(page, (0, 0, page.width, page.height), cats, names, horizontal)
            deck = _read_order(lo.pages[frame.slide - 1], (frame.x0, frame.top, frame.x1, frame.bottom), cats,
                               names, horizontal)
            for where, (order, legend, first, swatches) in (("pdf", got), ("deck", deck)):
                assert order == cats, (where, chart["title"], order)
                assert legend == names, (where, chart["title"], legend)
                if names and not chart.get("stacked"):
                    assert first == swatches, (where, chart["title"], first, swatches)


# ----------------------------------------------------------------------------- negative values

HYPHEN_MINUS = re.compile(r"(?<![\w.\-−])-(?=\d)")  # not in a range or a date (2019-2020, 2016-12)
NEGATIVE_ZERO = re.compile(r"[−-]0(?:\.0+)?(?![.\d]*[1-9])")  # −0, −0.0, −0.00%: a sign on nothing


def test_negatives_one_minus_sign_and_no_negative_zero_in_both_outputs(builds):
    """The brief (pdftotext), the slides and notes (XML), the deck as LibreOffice draws it (native chart
    labels and axes included): every negative number with U+2212, and a value that rounds to zero
    (−0.04 at one decimal, −0.021% at one) written without a sign, as 0.0."""
    from clients import pdftotext_pages

    _work, definition, pdf, pptx = builds["negatives/case"]
    texts = {"pdf": "\n".join(pdftotext_pages(pdf)), "deck": "\n".join(pdftotext_pages(_rendered(pptx))),
             "slides": "\n".join(_slide_paragraphs(pptx, "ppt/slides/slide")),
             "notes": "\n".join(_slide_paragraphs(pptx, "ppt/notesSlides/notesSlide"))}
    for where, text in texts.items():
        assert not HYPHEN_MINUS.findall(text), (where, [text[max(0, m.start() - 12):m.end() + 6]
                                                        for m in HYPHEN_MINUS.finditer(text)])
        assert not NEGATIVE_ZERO.findall(text), (where, [text[max(0, m.start() - 12):m.end() + 6]
                                                         for m in NEGATIVE_ZERO.finditer(text)])
        assert "−30.3" in text or where == "notes", where
    # the deck: every chart with a negative value on the axis its categories cross (a combo's right-axis line
    # does not cross them) names its categories at the low side
    _doc, charts = _charts(definition)
    xml = [x for _n, x in _deck_xml(pptx, "ppt/charts/chart")]
    assert len(xml) == len(charts)
    for (chart, _w, _h), x in zip(charts, xml, strict=True):
        if any(v is not None and v < 0 for s in chart.series if not s.secondary for v in s.values):
            assert x.find(f".//{qn('c:catAx')}/{qn('c:tickLblPos')}").get("val") == "low", chart.id


@given(values=st.lists(st.floats(-0.2, 0.2, allow_nan=False).map(lambda v: round(v, 3)), min_size=2, max_size=8),
       decimals=st.integers(0, 2), kind=st.sampled_from(["column", "bar", "line"]))
def test_native_labels_of_values_rounding_to_zero_carry_no_sign(values, decimals, kind):
    """The deck's chart XML: a labelled value that prints as zero at the format's decimals has a label of
    its own with the PDF's text (no −0.0), every other label keeps the series' format; the value axis format
    writes each of its ticks differently."""
    fmt = "0" + ("." + "0" * decimals if decimals else "")
    chart = one_series([f"类{i}" for i in range(len(values))], values, kind=kind, format=fmt)
    xml = native_xml(chart)
    ser = xml.find(f".//{qn('c:ser')}")
    s = chart.series[0]
    own = {int(d.find(qn("c:idx")).get("val")): d for d in ser.iterfind(f"{qn('c:dLbls')}/{qn('c:dLbl')}")}
    for i, v in enumerate(s.values):
        text = s.fmt.format(v)
        if v and "−" not in text and v < 0:
            code = own[i].find(qn("c:numFmt")).get("formatCode")
            assert code == f'"{text}"', (v, code)
    ax = xml.find(f".//{qn('c:valAx')}")
    unit = ax.find(qn("c:majorUnit"))
    if unit is not None:  # a pinned step is one the format can write
        code = ax.find(qn("c:numFmt")).get("formatCode").split(";")[0]
        places = len(code.split(".")[1]) if "." in code else 0
        step = float(unit.get("val"))
        assert abs(step * 10**places - round(step * 10**places)) < 1e-9, (step, code)


def _crowded_build(tmp_path: Path, kind: str) -> tuple[list[str], Path]:
    """The crowded variant with its 40-column chart as `kind`, built deck only: (warning lines, pptx)."""
    import contextlib
    import io

    from egovdeck.cli import main as cli

    work = tmp_path / f"crowded-{kind}"
    shutil.copytree(VARIANTS / "long-labels-crowded", work)
    definition = work / "reports" / "case.yaml"
    text = definition.read_text(encoding="utf-8")
    definition.write_text(text.replace("chart: {kind: column,", f"chart: {{kind: {kind},"), encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        assert cli.main(["build", "--no-server", "--no-cache", "--only", "pptx", str(definition), "-o",
                         str(work / "output")], try_server=False) == 0
    lines = (out.getvalue() + err.getvalue()).splitlines()
    return [ln for ln in lines if "四十个类别（柱形）" in ln and "warning" in ln], work / "output" / "longcats-crowded.pptx"


def test_crowded_column_names_read_as_a_ranking_of_bars(tmp_path):
    """40 long category names under columns (LibreOffice would turn them and show every other one): the
    deck draws the chart as horizontal bars in the same order, split into side-by-side charts (and continued
    on a following slide where the wrapped names need taller rows), every name written at 9 pt or more; no warning that names break or turn. A line chart of the same names is not
    turned into bars: its thinned axis is said in a build warning."""
    import csv

    warnings, pptx = _crowded_build(tmp_path, "column")
    assert not [w for w in warnings if "turned" in w or "break" in w], warnings
    with open(VARIANTS / "long-labels-crowded" / "data" / "many.csv", encoding="utf-8") as fh:
        names = [r["name"] for r in csv.DictReader(fh)]
    xml = [x for _n, x in _deck_xml(pptx, "ppt/charts/chart")]
    plain = ["".join(n.split()) for n in names]

    def categories(x) -> list[str]:  # a name egovdeck wrapped ("\n" in the cache) read whole; no empty rows
        ser = x.find(f".//{qn('c:ser')}")
        out = ["".join((p.findtext(qn("c:v")) or "").split()) for p in ser.iterfind(f"{qn('c:cat')}//{qn('c:pt')}")]
        return [c for c in out if c]

    # the column chart comes before the bar chart of the same data: its parts (side by side, then on the
    # slides that continue it), in order, until every name is read once
    cats: list[str] = []
    for x in xml:
        if len(cats) >= len(plain) or not set(categories(x)) <= set(plain):
            continue
        assert x.find(f".//{qn('c:barDir')}").get("val") == "bar"
        cats += categories(x)
        sizes = [int(r.get("sz")) / 100 for ax in x.iter(qn("c:catAx")) for r in ax.iter(qn("a:defRPr"))]
        assert sizes and min(sizes) >= 9, sizes
    assert cats == plain
    warnings, _pptx = _crowded_build(tmp_path, "line")
    assert any("may show only some of them" in ln for ln in warnings), warnings
