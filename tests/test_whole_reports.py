"""Whole generated reports, both outputs read together the way readers read them (issue 16, Done means).

hypothesis writes a project -- sections of random layouts, narrative with random-length Chinese and Latin
text and every punctuation mark, numbers with negatives, tables of random shape with long cells, charts of
each kind -- builds the PDF and the deck, and checks:

PDF (pdfplumber character boxes, pdftotext lines, the outline):
  no character outside its page; no line starting with closing or ending with opening punctuation;
  no number split across lines; no heading as the last line of a page; every bookmark opens its page;
  figure and table numbers 图1, 图2 ... / 表1, 表2 ... in order.
Deck (slide XML, and LibreOffice's rendering of it when soffice is installed):
  every text shape on its slide; the same 图N/表N captions as the PDF; every number of the slides printed
  whole on one line of the PDF; in LibreOffice's rendering no character off its slide, no kinsoku break,
  no number split across lines.
Both, as drawn (tests/readercheck.py, its tolerances documented there): no two characters on top of each
  other (chart labels included); a chart's text inside its area (the deck: the chart's frame; the PDF: the
  page's text frame, clear of a chart beside it); every character of a slide inside one of its boxes; the
  deck's narrative printed character for character in the PDF; no space between Chinese and a number and
  only the minus sign U+2212 in either; every number the deck draws printed identically in the PDF.
  Chart labels are checked like all other text (the crowding and pie-label rules of charts/labelfit.py and
  charts/pieroom.py); every data label LibreOffice draws for the deck is printed, identically, in the PDF
  (which labels a chart shows is decided once for both: charts/labelplan.py; tests/test_label_agreement.py
  reads the two label sets of generated charts against each other, chart by chart).

The example count follows the conftest profile: a few whole reports in `make test`, many with
`HYPOTHESIS_PROFILE=nightly`. Synthetic data lives only in the test's temporary folder.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from conftest import examples
from readercheck import (
    CJK_NUMBER_SPACE,
    HYPHEN_MINUS,
    deck_numbers,
    deck_problems,
    drawn_lines,
    joined,
    pdf_line_texts,
    pdf_problems,
    value_of,
)
from test_tables import _assert_pagination

# Closing marks that may not start a line, opening marks that may not end one (GB/T 15834 and the
# half-width forms a writer mixes in).
CLOSING = set("，。、；：？！）》」』】〕〗〉…—％,.;:?!)]}’”")
OPENING = set("（《「『【〔〖〈‘“([{")
NUMBER = re.compile(r"[−\-+]?\d[\d,]*(?:\.\d+)?%?")
CAPTION = re.compile(r"^(图|表)(\d+)[\u3000 ]")

HAN = list("政府网站数量在线服务用户规模我国平台建设发展信息公开办事栏目移动互联网省级部门城市乡村统计报告")
LATIN = ["CNNIC", "WeChat", "App", "mini", "programs", "reached", "many", "API", "OA", "https://www.gov.cn/xinwen"]
# every punctuation mark of a Chinese text, runs of several closing marks, ellipsis and dash pairs,
# full- and half-width mixes
PUNCT = ["，", "。", "、", "；", "：", "？", "！", "……", "——", "。」", "！”", "？）", "）。", "”，", "》、",
         "，(", "),", ".", ",", "!?", "」。", "』」", "…", "—"]
WRAPPED = [("（", "）"), ("「", "」"), ("《", "》"), ("“", "”"), ("【", "】"), ("(", ")"), ("『", "』")]

EXAMPLES = examples("deck", 3)


@st.composite
def han(draw, lo: int = 1, hi: int = 12) -> str:
    return "".join(draw(st.lists(st.sampled_from(HAN), min_size=lo, max_size=hi)))


@st.composite
def name(draw, lo: int = 1, hi: int = 40) -> str:
    """A category or cell name: CJK, Latin or both, 1-40 characters, no punctuation at either end."""
    kind = draw(st.sampled_from(["cjk", "latin", "mixed"]))
    n = draw(st.integers(lo, hi))
    if kind == "cjk":
        text = "".join(draw(st.lists(st.sampled_from(HAN), min_size=n, max_size=n)))
    elif kind == "latin":
        words = draw(st.lists(st.sampled_from(LATIN[:-1]), min_size=1, max_size=6))
        text = " ".join(words)[:n].strip()
    else:
        text = draw(han(1, 4)) + draw(st.sampled_from(LATIN[:-1])) + draw(han(1, 6))
    return text or "政务"


def _num(value: float, places: int) -> str:
    return f"{{{{ {value!r} | num({places}) }}}}"


@st.composite
def narrative(draw, numbers: list[float]) -> str:
    """A paragraph or two: Chinese runs, Latin words, template numbers (some negative), every punctuation."""
    parts = []
    for _ in range(draw(st.integers(1, 30))):
        what = draw(st.sampled_from(["han", "han", "han", "latin", "number", "pct", "punct", "wrapped", "break"]))
        if what == "han":
            parts.append(draw(han(1, 14)))
        elif what == "latin":
            parts.append(" " + draw(st.sampled_from(LATIN)) + " ")
        elif what == "number":
            v = draw(st.floats(-1e7, 1e7, allow_nan=False).map(lambda x: round(x, 3)))
            numbers.append(v)
            parts.append(_num(v, draw(st.integers(0, 2))))
        elif what == "pct":
            v = draw(st.floats(-99, 300).map(lambda x: round(x, 2)))
            parts.append(f"{{{{ {v!r} | pct }}}}")
        elif what == "punct":
            parts.append(draw(st.sampled_from(PUNCT)))
        elif what == "wrapped":
            a, b = draw(st.sampled_from(WRAPPED))
            parts.append(a + draw(han(1, 10)) + b)
        elif parts and parts[-1].rstrip()[-1:] in OPENING:  # a writer closes a bracket before a break
            parts.append(draw(han(1, 4)))
        else:  # a soft line break or a new paragraph, which a writer starts with a word
            parts.append(draw(st.sampled_from(["\n", "\n\n"])) + draw(han(1, 4)))
    text = "".join(parts).strip()
    return ("政务" + text + "。") if text else "政务服务。"


@st.composite
def dataset(draw, chart_kind: str | None, rows: tuple[int, int]):
    """Columns cat (text, the key), v1, v2 (numbers, negatives unless a pie), optional long text."""
    n = draw(st.integers(*rows))
    cats = draw(st.lists(name(1, 40 if chart_kind is None else 24), min_size=n, max_size=n, unique=True))
    positive = chart_kind in ("pie", "doughnut")
    lo = 0.5 if positive else -5e4
    values = st.floats(lo, 5e5, allow_nan=False).map(lambda x: round(x, 2))
    v1 = draw(st.lists(values, min_size=n, max_size=n))
    v2 = draw(st.lists(values, min_size=n, max_size=n))
    long = draw(st.booleans()) if chart_kind is None else False
    remark = []
    if long:
        for _ in range(n):
            k = draw(st.integers(0, 5 if n < 20 else 3))  # a 230-character cell in short tables only
            remark.append(["", draw(han(1, 20)), draw(han(20, 80)), " ".join(LATIN), draw(han(1, 3)) * 80,
                           draw(han(200, 260))][k])
    return {"cats": cats, "v1": v1, "v2": v2, "remark": remark if long else None}


def _write_dataset(project: Path, ds_id: str, data: dict) -> None:
    head = ["cat", "v1", "v2"] + (["remark"] if data["remark"] is not None else [])
    with open(project / "data" / f"{ds_id}.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(head)
        for i, c in enumerate(data["cats"]):
            w.writerow([c, data["v1"][i], data["v2"][i]] + ([data["remark"][i]] if data["remark"] is not None else []))
    columns = {"cat": {"type": "text", "label": "名称"}, "v1": {"type": "number", "unit": "个", "label": "数量"},
               "v2": {"type": "number", "unit": "%", "label": "同比变化"}}
    if data["remark"] is not None:
        columns["remark"] = {"type": "text", "label": "说明"}
    meta = {"title": f"生成数据{ds_id}", "file": f"{ds_id}.csv", "source": "资料来源：测试生成数据", "unit": "个",
            "key": ["cat"], "columns": columns}
    (project / "data" / f"{ds_id}.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")


CHART_KINDS = ["column", "bar", "line", "combo", "pie", "doughnut"]


@st.composite
def report(draw):
    """(definition, datasets, headings) of a whole report."""
    datasets: dict[str, dict] = {}
    numbers: list[float] = []
    headings: list[str] = []

    def chart(kind: str | None = None) -> dict:
        kind = kind or draw(st.sampled_from(CHART_KINDS))
        ds_id = f"d{len(datasets) + 1}"
        datasets[ds_id] = draw(dataset(kind, (1, 6) if kind in ("pie", "doughnut") else (1, 40)))
        spec = {"kind": kind, "dataset": ds_id, "title": draw(name(2, 30)), "x": "cat",
                "y": ["v1", "v2"] if kind == "combo" else draw(st.sampled_from([["v1"], ["v1", "v2"]])),
                "format": draw(st.sampled_from(["0", "0.0", "#,##0", "0.00"]))}
        if kind == "combo":
            spec["secondary"] = ["v2"]
        if kind in ("pie", "doughnut"):
            spec["y"] = ["v1"]
        if kind in ("column", "bar") and draw(st.booleans()):
            spec["sort"] = "desc"
        return spec

    def table() -> dict:
        ds_id = f"d{len(datasets) + 1}"
        big = draw(st.booleans())
        datasets[ds_id] = draw(dataset(None, (1, 300) if big else (1, 12)))
        cols = [{"field": "cat"}, {"field": "v1", "format": "#,##0.0"}, {"field": "v2", "format": "0.0"}]
        if datasets[ds_id]["remark"] is not None:
            cols.append({"field": "remark"})
        return {"dataset": ds_id, "title": draw(name(2, 30)), "columns": cols}

    sections = []
    for s in range(draw(st.integers(1, 3))):
        findings = []
        for f in range(draw(st.integers(1, 3))):
            layout = draw(st.sampled_from(["chart-text", "chart-wide", "two-charts", "kpi-row", "kpi-text", "table"]))
            if layout in ("chart-text", "chart-wide"):
                slots = {"chart": chart()}
            elif layout == "two-charts":
                slots = {"left": chart(), "right": chart()}
            elif layout in ("kpi-row", "kpi-text"):
                kpis = []
                for _ in range(draw(st.integers(1, 4))):
                    v = draw(st.floats(-1e6, 1e8, allow_nan=False).map(lambda x: round(x, 2)))
                    numbers.append(v)
                    kpis.append({"value": _num(v, draw(st.integers(0, 2))) + draw(st.sampled_from(["亿", "个", "%", ""])),
                                 "label": draw(name(2, 16)), "change": "较上年" + _num(abs(v) / 7, 1)})
                slots = {"kpis": kpis}
                if layout == "kpi-row" and draw(st.booleans()):
                    slots["chart"] = chart("column")
            else:
                slots = {"table": table()}
            title = draw(name(2, 40))
            headings.append(title)
            findings.append({"id": f"f{s}-{f}", "title": title, "layout": layout,
                             "text": draw(narrative(numbers)), "slots": slots})
        stitle = draw(han(2, 20))
        headings.append(stitle)
        sections.append({"id": f"s{s}", "title": stitle, "findings": findings})
    if not datasets:  # a report of KPIs only still has a data folder (none is a located user error)
        datasets["d1"] = draw(dataset("pie", (1, 3)))
    definition = {"report": {"id": "generated", "title": draw(han(4, 40)), "date": "2020-05-20",
                             "organisation": "测试组"},
                  "datasets": ["data/*.yaml"], "sections": sections}
    return definition, datasets, headings


# --------------------------------------------------------------------------- reading the outputs


def _slanted(c: dict) -> bool:
    """A character drawn on a slanted baseline (LibreOffice's 45° category labels): its text matrix has a
    shear term, though pdfplumber still calls it upright."""
    m = c.get("matrix") or (1, 0, 0, 1, 0, 0)
    return abs(m[1]) > 0.01 or abs(m[2]) > 0.01


def _slanted_runs(chars: list[dict]) -> list[list[dict]]:
    """Slanted characters in runs along their own baseline, as a reader follows a rotated label: the same
    direction and size, on one baseline (within 0.4 em), no gap wider than half a character along it."""
    import math

    rows: dict[tuple[int, int], list[tuple[float, float, dict]]] = {}
    for c in chars:
        a, b = c["matrix"][0], c["matrix"][1]
        norm = math.hypot(a, b) or 1.0
        ux, uy = a / norm, b / norm
        x, y = c["matrix"][4], c["matrix"][5]
        along, across = x * ux + y * uy, -x * uy + y * ux
        rows.setdefault((round(math.degrees(math.atan2(uy, ux))), round(c["size"] * 2)), []).append((across, along, c))
    runs = []
    for row in rows.values():
        row.sort(key=lambda t: (t[0], t[1]))
        lines: list[list[tuple[float, float, dict]]] = []
        for t in row:
            if lines and abs(t[0] - lines[-1][0][0]) < t[2]["size"] * 0.4:
                lines[-1].append(t)
            else:
                lines.append([t])
        for line in lines:
            line.sort(key=lambda t: t[1])
            run = [line[0]]
            for t in line[1:]:
                prev = run[-1]
                if t[1] - prev[1] > prev[2]["size"] * 1.5:  # an advance of at most one em, then the gap
                    runs.append([u[2] for u in run])
                    run = [t]
                else:
                    run.append(t)
            runs.append([u[2] for u in run])
    return runs


def _runs(chars: list[dict]) -> list[list[dict]]:
    """Characters in visual runs: the same baseline and size, no gap wider than half a character between them;
    slanted characters (a rotated label) along their own baseline (`_slanted_runs`)."""
    rows: dict[tuple[int, int], list[dict]] = {}
    slanted = [c for c in chars if not c["text"].isspace() and c.get("upright") is not False and _slanted(c)]
    for c in chars:
        if c["text"].isspace() or c.get("upright") is False or _slanted(c):
            continue
        key = (round(c["bottom"]), round(c["size"] * 2))
        rows.setdefault(key, []).append(c)
    runs = []
    for row in rows.values():
        row.sort(key=lambda c: c["x0"])
        run = [row[0]]
        for c in row[1:]:
            if c["x0"] - run[-1]["x1"] > c["size"] * 0.5:  # a cell margin; a word space is about 0.25 em
                runs.append(run)
                run = [c]
            else:
                run.append(c)
        runs.append(run)
    return runs + (_slanted_runs(slanted) if slanted else [])


def _lines(pdf: Path, skip: dict[int, list[tuple[float, float, float, float]]] | None = None
           ) -> list[tuple[int, list[str]]]:
    """(page number, texts of each visual run) per page; fails on a character outside its page. Runs starting
    inside a box of skip[page] (points, x0 top x1 bottom) are left out."""
    import pdfplumber

    pages = []
    with pdfplumber.open(pdf) as doc:
        for n, page in enumerate(doc.pages, start=1):
            boxes = (skip or {}).get(n, [])

            def outside(run, boxes=boxes):
                c = run[0]
                return not any(x0 <= c["x0"] <= x1 and top <= c["top"] <= bottom for x0, top, x1, bottom in boxes)

            w, h = float(page.width), float(page.height)
            for c in page.chars:
                if c["text"].isspace():
                    continue
                assert c["x0"] >= -0.5 and c["x1"] <= w + 0.5 and c["top"] >= -0.5 and c["bottom"] <= h + 0.5, \
                    f"{pdf.name} page {n}: {c['text']!r} at ({c['x0']:.1f}, {c['top']:.1f}) is outside the page"
            pages.append((n, ["".join(c["text"] for c in run) for run in _runs(page.chars) if outside(run)]))
    return pages


def _check_kinsoku_and_numbers(pdf: Path, numbers: set[str], skip=None) -> None:
    """No run starts with closing or ends with opening punctuation; every number is whole on one line."""
    pages = _lines(pdf, skip)
    seen = set()
    for n, runs in pages:
        for text in runs:
            if re.fullmatch(r"[.·…]{3,}\d*|[—–]", text):
                continue  # the contents page's dot leaders; a table cell's mark for a missing value
            assert text[0] not in CLOSING, f"{pdf.parent.name}/{pdf.name} page {n}: a line starts with {text[0]!r}: {text!r}"
            assert text[-1] not in OPENING, f"{pdf.parent.name}/{pdf.name} page {n}: a line ends with {text[-1]!r}: {text!r}"
            seen.update(NUMBER.findall(text))
    # ordinals and date parts (01, 05) are not quantities; every number of three digits or with a separator is
    missing = sorted(x for x in numbers if x not in seen and (len(re.sub(r"\D", "", x)) > 2 or re.search(r"[.,]", x)))
    assert not missing, f"{pdf.name}: numbers not printed whole on one line: {missing[:8]}"


def _deck_texts(pptx: Path) -> tuple[list[str], list[str]]:
    """(paragraph texts of the slides, captions 图N/表N) read from the slide XML; checks every shape is on its slide."""
    from pptx import Presentation
    from pptx.util import Emu

    prs = Presentation(str(pptx))
    paras, captions = [], []
    for k, slide in enumerate(prs.slides, start=1):
        for shape in slide.shapes:
            if shape.left is not None and shape.width is not None:
                assert shape.left >= 0 and shape.top >= 0, f"slide {k}: {shape.name} starts off the slide"
                assert shape.left + shape.width <= prs.slide_width + Emu(12700), f"slide {k}: {shape.name} too wide"
                assert shape.top + shape.height <= prs.slide_height + Emu(12700), f"slide {k}: {shape.name} too tall"
            frames = []
            if shape.has_text_frame:
                frames.append(shape.text_frame)
            if shape.has_table:
                frames += [c.text_frame for r in shape.table.rows for c in r.cells]
            for tf in frames:
                for p in tf.paragraphs:
                    text = "".join(r.text for r in p.runs)
                    if text.strip():
                        paras.append(text)
                        if CAPTION.match(text.strip()):
                            captions.append(text.strip())
    return paras, captions


def _chart_frames(pptx: Path) -> dict[int, list[tuple[float, float, float, float]]]:
    """Per slide, the boxes (points) of its native charts."""
    from pptx import Presentation

    out: dict[int, list[tuple[float, float, float, float]]] = {}
    for k, slide in enumerate(Presentation(str(pptx)).slides, start=1):
        for sh in slide.shapes:
            if getattr(sh, "has_chart", False) and sh.has_chart:
                out.setdefault(k, []).append((sh.left / 12700, sh.top / 12700, (sh.left + sh.width) / 12700,
                                              (sh.top + sh.height) / 12700))
    return out


def _pdf_captions(pdf: Path) -> list[str]:
    import pdfplumber

    out = []
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            for line in page.extract_text_lines(layout=False, strip=True):
                # two captions side by side (two-charts) share a line
                out += [m.group(1) + "\u3000" for m in re.finditer(r"(?:^|\s)((?:图|表)\d+)[\u3000 ]", line["text"])]
    return out


def _numbers_of(texts: list[str]) -> set[str]:
    return {x.replace("-", "−") for t in texts for x in NUMBER.findall(t)}


# no shrinking: one build takes seconds, and the failing report is printed whole
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck),
          phases=[Phase.explicit, Phase.reuse, Phase.generate])
@given(generated=report())
def test_whole_generated_reports_read_right_in_both_outputs(generated):
    # a folder of its own per example: pytest's basetemp of a long run may be swept by other pytest runs
    with tempfile.TemporaryDirectory(prefix="egov-whole-") as tmp:
        _build_and_check(generated, Path(tmp) / "whole")


def _build_and_check(generated, project: Path) -> None:
    from egovdeck.engine.build import build

    definition, datasets, headings = generated
    (project / "data").mkdir(parents=True)
    (project / "reports").mkdir()
    for ds_id, data in datasets.items():
        _write_dataset(project, ds_id, data)
    src = project / "reports" / "generated.yaml"
    src.write_text(yaml.safe_dump(definition, allow_unicode=True, sort_keys=False), encoding="utf-8")
    out = project / "output"
    build(src, output_dir=out, use_cache=False, formats=("pdf", "pptx"))
    pdf, pptx = out / "generated.pdf", out / "generated.pptx"
    try:
        _check_both(project, pdf, pptx, headings)
    except BaseException:
        keep = os.environ.get("EGOVDECK_KEEP_FAILED")  # a folder to keep the failing project in, for a look
        if keep:
            shutil.copytree(project, Path(keep) / project.name, dirs_exist_ok=True)
        raise


def _check_both(project: Path, pdf: Path, pptx: Path, headings: list[str]) -> None:

    # PDF: pagination, page frame, bookmarks; kinsoku and whole numbers in every run of characters
    _assert_pagination(pdf, headings)
    paras, deck_captions = _deck_texts(pptx)
    deck_numbers = _numbers_of(paras)
    _check_kinsoku_and_numbers(pdf, deck_numbers)

    # captions: 图1, 图2 ... and 表1, 表2 ... in order, the same in the deck
    pdf_captions = _pdf_captions(pdf)
    for mark in "图表":
        nums = [int(CAPTION.match(c).group(2)) for c in pdf_captions if c.startswith(mark)]
        assert nums == list(range(1, len(nums) + 1)), f"{mark} numbers out of order: {nums}"
    deck_keys = {CAPTION.match(c).group(0).strip() for c in deck_captions}
    pdf_keys = {CAPTION.match(c).group(0).strip() for c in pdf_captions}
    assert deck_keys <= pdf_keys, f"deck captions not in the PDF: {sorted(deck_keys - pdf_keys)}"

    # the deck as LibreOffice draws it (skipped without soffice, failed in CI)
    from clients import libreoffice_to_pdf

    rendered = libreoffice_to_pdf(pptx, project / "lo")
    # the native charts' text too: their labels are told not to wrap and kept apart (charts/labelfit.py,
    # charts/pieroom.py; tests/test_chart_crowding.py checks them chart by chart)
    _check_kinsoku_and_numbers(rendered, deck_numbers)

    # what a reader sees drawn (tests/readercheck.py): nothing on top of anything, a chart's text in its
    # area, every character of a slide in one of its boxes; the same narrative and numbers in both outputs
    found = pdf_problems(pdf) + deck_problems(pptx, rendered)
    found += _same_text_in_both(pdf, pptx, rendered, paras)
    assert not found, "\n".join(found[:12])


def _same_text_in_both(pdf: Path, pptx: Path, rendered: Path, paras: list[str]) -> list[str]:
    """The deck's narrative paragraphs printed character for character in the PDF (white space aside: a
    line end swallows a space); no space between Chinese and a number and only the minus sign U+2212 in
    either output; every number LibreOffice draws on a slide (narrative, tables, KPIs, chart labels and
    ticks) printed identically in the PDF."""
    import pdfplumber

    found = []
    pdf_text = joined([line for page in pdf_line_texts(pdf) for line in page])
    for para in _narratives(pptx):
        if joined([para]) not in pdf_text:
            found.append(f"deck narrative not in the PDF as written: “{para[:60]}”")
    with pdfplumber.open(pdf) as doc:
        pdf_lines = [t for page in doc.pages for t in drawn_lines(page.chars)]
    with pdfplumber.open(rendered) as doc:
        deck_lines = [t for page in doc.pages for t in drawn_lines(page.chars)]
    for where, texts in (("PDF", pdf_lines), ("deck", paras), ("deck as drawn", deck_lines)):
        for text in texts:
            if where != "deck as drawn" and CJK_NUMBER_SPACE.search(text):
                found.append(f"{where}: a space between Chinese and a number: “{text[:60]}”")
            if HYPHEN_MINUS.search(text):
                found.append(f"{where}: a hyphen-minus for the minus sign U+2212: “{text[:60]}”")
    printed = {x for t in pdf_lines for x in NUMBER.findall(t)}
    drawn, labels, ticks = deck_numbers(pptx, rendered)
    missing = sorted(x for x in drawn - printed if len(re.sub(r"\D", "", x)) > 2 or re.search(r"[.,]", x))
    if missing:
        found.append(f"numbers the deck draws that the PDF does not print: {missing[:10]}")
    # the value axes' ticks: one decision for both outputs (charts/scale.py axis_ticks), so every tick the
    # deck draws the PDF prints, written alike (a combo's too: charts/comboaxis.py)
    other_ticks = sorted(ticks - printed)
    if other_ticks:
        found.append(f"axis ticks the deck draws that the PDF does not print: {other_ticks[:10]}")
    # every data label the deck draws is printed by the PDF, identically (the labels a chart shows are decided
    # once for both outputs, charts/labelplan.py): one the PDF writes differently or leaves out is a fault
    by_value: dict[float, set[str]] = {}
    for x in printed:
        if len(re.sub(r"\D", "", x)) > 2 or re.search(r"[.,]", x):  # not a stray "20" of other text
            by_value.setdefault(value_of(x), set()).add(x)
    differ = sorted(x for x in labels - printed if by_value.get(value_of(x)))
    if differ:
        found.append(f"chart labels written differently in the PDF: {[(x, sorted(by_value[value_of(x)])) for x in differ][:6]}")
    absent = sorted(x for x in labels - printed if not by_value.get(value_of(x)))
    if absent:
        found.append(f"chart labels the deck draws and the PDF leaves out: {absent[:10]}")
    return found


def _narratives(pptx: Path) -> list[str]:
    """Paragraph texts of the slides' narrative boxes."""
    from pptx import Presentation

    out = []
    for slide in Presentation(str(pptx)).slides:
        for shape in slide.shapes:
            if shape.name == "Narrative" and shape.has_text_frame:
                out += [p.text for p in shape.text_frame.paragraphs if p.text.strip()]
    return out


def test_the_run_reader_sees_line_starts():
    """The reader of this suite splits table cells and columns into runs (a guard for the checks above)."""
    chars = [{"text": t, "x0": x, "x1": x + 10, "bottom": 100, "size": 10} for t, x in
             (("北", 0), ("京", 10), ("1", 60), ("2", 66), ("，", 200))]
    assert ["".join(c["text"] for c in r) for r in _runs(chars)] == ["北京", "12", "，"]


def test_the_run_reader_follows_a_slanted_label():
    """A category label LibreOffice draws at 45° (rising to the right) is one run read along its baseline,
    「）」 at its end and not a line of its own; two labels side by side stay two runs."""
    import math

    k = math.sqrt(0.5)

    def label(text: str, x: float, y: float) -> list[dict]:
        return [{"text": t, "size": 9.0, "upright": True, "matrix": (9 * k, 9 * k, -9 * k, 9 * k, x + i * 9 * k, y + i * 9 * k),
                 "x0": x + i * 9 * k, "x1": x + i * 9 * k + 9, "bottom": 500 - (y + i * 9 * k), "top": 491 - (y + i * 9 * k)}
                for i, t in enumerate(text)]

    chars = label("预约（含港澳通行证）", 100, 100) + label("公积金查询", 130, 100)
    assert sorted("".join(c["text"] for c in r) for r in _runs(chars)) == ["公积金查询", "预约（含港澳通行证）"]



OWN = sorted(p.name for p in (Path(__file__).parent / "cases" / "own").iterdir() if (p / "reports").is_dir())


@pytest.mark.parametrize("name", OWN)
def test_own_reports_read_right_in_both_outputs(own_built, name):
    """The two reports written for issue 16 (many categories, negative changes, long tables, long titles),
    read with the same checks as the generated ones."""
    own = own_built(name)
    definition = yaml.safe_load(own.source.read_text(encoding="utf-8"))
    headings = [f["title"] for s in definition["sections"] for f in s["findings"]]
    headings += [s["title"] for s in definition["sections"]]
    _check_both(own.project, own.pdf, own.pptx, headings)


def test_long_kpi_values_stay_whole_in_both_outputs(tmp_path):
    """Four KPI cards with long values (negative, separators, decimals, units): each value is on one line in
    the PDF and in LibreOffice's rendering of the deck, however narrow its card."""
    values = [-123456789012.34, 98765432109.1, 0.05, -7.5]
    kpis = [{"value": _num(v, 2) + unit, "label": "指标名称较长的一项" * 2, "change": "较上年" + _num(abs(v) / 3, 2) + "个"}
            for v, unit in zip(values, ["亿元", "万个", "%", "个百分点"], strict=True)]
    data = {"cats": ["甲"], "v1": [1.0], "v2": [2.0], "remark": None}
    finding = {"id": "k", "title": "长数值指标卡", "layout": "kpi-row", "text": "指标如下。", "slots": {"kpis": kpis}}
    definition = {"report": {"id": "generated", "title": "长数值指标卡", "date": "2020-05-20"},
                  "datasets": ["data/*.yaml"],
                  "sections": [{"id": "s", "title": "指标", "findings": [finding, {**finding, "id": "k2",
                                                                                  "layout": "kpi-text"}]}]}
    _build_and_check((definition, {"d1": data}, ["长数值指标卡", "指标"]), tmp_path / "kpi")
    import pdfplumber

    with pdfplumber.open(tmp_path / "kpi" / "output" / "generated.pdf") as doc:
        text = "\n".join(page.extract_text() for page in doc.pages)
    for whole in ("−123,456,789,012.34", "98,765,432,109.10"):
        assert whole in text, whole


def test_the_readers_find_text_on_text_and_text_outside_its_box():
    """Guards for readercheck.py: a glyph drawn on another is found, kerned neighbours and the lines of a
    paragraph are not; a character past a frame's edge is outside it, a hanging comma is not."""
    from readercheck import Frame, overlaps

    def ch(t, x, top, size=10.0, w=10.0):
        return {"text": t, "x0": x, "x1": x + w, "top": top, "bottom": top + size * 1.16, "size": size}

    line = [ch("北", 0, 100), ch("京", 9.9, 100), ch("1", 19.9, 100, w=5.6)]
    below = [ch("上", 0, 112), ch("海", 10, 112)]  # the next line at a pitch of 1.2
    assert not overlaps(line + below)
    assert len(overlaps(line + [ch("2", 12, 101, w=5.6)])) == 1
    frame = Frame(1, "text", 0, 90, 30, 120)
    assert frame.holds(ch("，", 29, 100)) and not frame.holds(ch("政", 29, 100))


RANKING_NAMES = ['API many reached CNNI', '门栏乡国发事展息动国在模设网报展政', '报门事户市报乡户级', 'App OA WeChat', 'many A',
                 'm', '互', 'many pro', '模在发站站开信网计部移用我互联级互市市我模', '站户台发移互村线数动',
                 'App many App program', '用量政在在平息平务计计数网村建事信市', 'App many reached WeChat', 'many', '息',
                 'programs App We', 'We', '数事开乡事事我府在建站联用政服政建数量服展栏', 'WeChat W', '网村互CNNIC告计户在',
                 '线平统户目台城平', '站报办App规级展栏', '建量级我量模网联线', 'many many', '联办', '办在量CNNIC事互',
                 '网规计线报报省服计', 'reached CNNIC Ap', '统统量规网在政务统', '户站级programs模政我部展']
RANKING_VALUES = [425375.45, 46452.76, 0.0, 0.0, 6207.62, 0.0, 0.0, 386649.4, -7959.38, 0.0, 233950.82, 0.0, 367390.93,
                  0.95, 257002.31, 0.0, 299493.17, 63282.23, 386599.15, 258374.69, 2.4, 385351.58, 422928.32, 0.0, 1.9,
                  133273.39, 447510.12, 0.0, -49999.0, 0.0]


def test_a_narrow_ranking_prints_the_same_ticks_in_both_outputs(tmp_path):
    """A 30-row ranking of wide six-digit values with a small negative one, beside a doughnut (a generated
    report): the low end moved for the negative bar's label and the step for a narrow plot are decided once
    (resolve.charts low_end_room, _coarser), so the deck draws no tick the PDF does not print (the deck drew
    −250000 and 250000 where the PDF's narrow plot labelled every other gridline)."""
    n = len(RANKING_NAMES)
    ranking = {"cats": RANKING_NAMES, "v1": RANKING_VALUES, "v2": [0.0] * n, "remark": None}
    parts = {"cats": ["甲类", "乙类", "丙类"], "v1": [427622.86, 1.5, 90000.0], "v2": [0.0] * 3, "remark": None}
    finding = {"id": "f", "title": "排名与构成", "layout": "two-charts", "text": "排名与构成如下。",
               "slots": {"left": {"kind": "bar", "dataset": "d7", "title": "各项数量", "x": "cat", "y": ["v1"],
                                  "format": "0", "sort": "desc"},
                         "right": {"kind": "doughnut", "dataset": "d8", "title": "构成", "x": "cat", "y": ["v1"],
                                   "format": "#,##0"}}}
    definition = {"report": {"id": "generated", "title": "排名刻度", "date": "2020-05-20"},
                  "datasets": ["data/*.yaml"],
                  "sections": [{"id": "s", "title": "排名", "findings": [finding]}]}
    _build_and_check((definition, {"d7": ranking, "d8": parts}, ["排名与构成", "排名"]), tmp_path / "ranking")
