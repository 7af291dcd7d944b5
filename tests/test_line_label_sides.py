"""Line charts' data labels clear of every line, and the same labels in the PDF and the deck (issue 16,
Charts: "no two texts overlap").

hypothesis writes a project with one line chart -- 2 to 6 series, 2 to 24 points, lines that cross,
equal values, negatives -- builds it (definition -> resolver -> both renderers, as a user's build runs)
and reads the outputs the way readers do: the PDF's page and LibreOffice's rendering of the deck, each
with pdfplumber (the words, and the series' polylines as drawn: `curves` / `lines`). In both:
- no data label is crossed by a line segment (any series', its own included);
- no two labels overlap;
- the two outputs show the same labels (the multiset of label texts).
Before the labels were decided once for both frames (charts.linelabels.decide_sides, recorded in
ChartData.line_label_sides), each output chose its own side or thinned for its own frame: another
series' line ran through labels, and a label one output showed the other left out.
"""

from __future__ import annotations

import csv
import re
import tempfile
from collections import Counter
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from conftest import examples

EXAMPLES = examples("deck", 3)
# category names without digits: a digit in a category name would read as a label
CATS = list("子丑寅卯辰巳午未申酉戌亥甲乙丙丁戊己庚辛壬癸天地")
NUMBER = re.compile(r"[−\-]?\d[\d,]*(?:\.\d+)?%?")
Box = tuple[float, float, float, float]  # x0, top, x1, bottom (pdfplumber: y down)


@st.composite
def line_chart(draw):
    """(categories, {series name: values}, format) of a line chart whose lines cross and touch."""
    n = draw(st.integers(2, 24))
    k = draw(st.integers(2, 6))
    level = st.sampled_from([-30.0, -12.5, -3.0, 0.0, 4.0, 10.0, 10.5, 22.0, 35.0, 60.0])
    series = {}
    for j in range(k):
        if j and draw(st.booleans()):  # a near copy of the first line: equal values, crossings at points
            first = next(iter(series.values()))
            vals = [v if draw(st.booleans()) else draw(level) for v in first]
        else:
            vals = draw(st.lists(level, min_size=n, max_size=n))
        series["甲乙丙丁戊己"[j] + "系列"] = vals
    return [f"{c}期" for c in CATS[:n]], series, draw(st.sampled_from(["0.0", "0", "#,##0.0"]))


def _write_project(project: Path, cats: list[str], series: dict[str, list[float]], fmt: str, layout: str,
                   extra: dict | None = None) -> Path:
    (project / "data").mkdir(parents=True)
    (project / "reports").mkdir()
    names = list(series)
    with open(project / "data" / "d1.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["cat"] + [f"s{j}" for j in range(len(names))])
        for i, c in enumerate(cats):
            w.writerow([c] + [series[n][i] for n in names])
    cols = {"cat": {"type": "text", "label": "期"}}
    cols.update({f"s{j}": {"type": "number", "label": n, "unit": "个"} for j, n in enumerate(names)})
    meta = {"title": "测试数据", "file": "d1.csv", "source": "资料来源：测试生成数据", "unit": "个", "key": ["cat"],
            "columns": cols}
    (project / "data" / "d1.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
    chart = {"kind": "line", "dataset": "d1", "title": "各期变化", "x": "cat",
             "y": [f"s{j}" for j in range(len(names))], "format": fmt, **(extra or {})}
    definition = {"report": {"id": "lines", "title": "折线标签", "date": "2020-05-20", "organisation": "测试组"},
                  "datasets": ["data/*.yaml"],
                  "sections": [{"id": "s", "title": "走势", "findings": [
                      {"id": "f", "title": "各期走势", "layout": layout, "text": "各系列走势交错。",
                       "slots": {"chart": chart}}]}]}
    src = project / "reports" / "lines.yaml"
    src.write_text(yaml.safe_dump(definition, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return src


def _colour(c) -> tuple[float, ...]:
    return tuple(round(float(v), 2) for v in (c if isinstance(c, (tuple, list)) else (c or 0,)))


def _polylines(page, n: int) -> list[list[tuple[float, float]]]:
    """The series' lines as drawn: stroked paths of n points (1.5 pt or wider) spanning more than a legend key."""
    return [ln for ln, _ in _coloured_polylines(page, n)]


def _coloured_polylines(page, n: int) -> list[tuple[list[tuple[float, float]], tuple[float, ...]]]:
    out = []
    for obj in page.curves + page.lines:
        pts = [(float(x), float(y)) for x, y in obj["pts"]]
        if (obj.get("linewidth") or 0) >= 1.5 and len(pts) == n and max(p[0] for p in pts) - min(
                p[0] for p in pts) > 30:
            out.append((pts, _colour(obj.get("stroking_color"))))
    return out


def _labels(pdf: Path, n: int, line_ink: bool = False) -> tuple[list[tuple[str, Box]], list[list[tuple[float, float]]]]:
    """(text, box) of every data label and the series' polylines, on the page (slide) the chart is drawn on.
    A label: a word that is a number, between the first and the last point (± half a category) and
    within 24 pt of the lines' height (the tick labels stand left and right, the category names below)."""
    import pdfplumber

    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            found = _coloured_polylines(page, n)
            if not found:
                continue
            lines, inks = [ln for ln, _ in found], {ink for _, ink in found}
            xs = [x for ln in lines for x, _ in ln]
            ys = [y for ln in lines for _, y in ln]
            half = (max(xs) - min(xs)) / max(n - 1, 1) / 2 if n > 1 else 20
            words = page.extract_words(x_tolerance=1.0, keep_blank_chars=False, extra_attrs=["non_stroking_color"])
            out = [(w["text"], (w["x0"], w["top"], w["x1"], w["bottom"])) for w in words
                   if NUMBER.fullmatch(w["text"]) and (not line_ink or _colour(w["non_stroking_color"]) in inks) and min(xs) - half <= (w["x0"] + w["x1"]) / 2 <= max(xs) + half
                   and min(ys) - 24 <= (w["top"] + w["bottom"]) / 2 <= max(ys) + 24]
            return out, lines
    raise AssertionError(f"{pdf.name}: no chart with {n} points found")


def _crosses(box: Box, p: tuple[float, float], q: tuple[float, float]) -> bool:
    """The segment p-q passes through box (clipped against its four edges)."""
    x0, y0, x1, y1 = box
    t0, t1 = 0.0, 1.0
    dx, dy = q[0] - p[0], q[1] - p[1]
    for a, b in ((-dx, p[0] - x0), (dx, x1 - p[0]), (-dy, p[1] - y0), (dy, y1 - p[1])):
        if a == 0:
            if b < 0:
                return False
            continue
        t = b / a
        if a < 0:
            t0 = max(t0, t)
        else:
            t1 = min(t1, t)
        if t0 > t1:
            return False
    return True


def _problems(what: str, labels: list[tuple[str, Box]], lines: list[list[tuple[float, float]]]) -> list[str]:
    out = []
    for text, (x0, y0, x1, y1) in labels:
        inner = (x0 + 0.5, y0 + 0.5, x1 - 0.5, y1 - 0.5)  # the glyphs' box less the side bearings
        for ln in lines:
            if any(_crosses(inner, p, q) for p, q in zip(ln, ln[1:], strict=False)):
                out.append(f"{what}: a line runs through the label {text!r} at ({x0:.0f}, {y0:.0f})")
                break
    for k, (ta, a) in enumerate(labels):
        for tb, b in labels[k + 1:]:
            if min(a[2], b[2]) - max(a[0], b[0]) > 0.35 and min(a[3], b[3]) - max(a[1], b[1]) > 0.35:
                out.append(f"{what}: the labels {ta!r} and {tb!r} overlap")
    return out


def _check(project: Path, cats, series, fmt, layout, extra: dict | None = None, n_lines: int | None = None) -> None:
    from clients import libreoffice_to_pdf
    from egovdeck.engine.build import build

    src = _write_project(project, cats, series, fmt, layout, extra)
    out = project / "output"
    build(src, output_dir=out, use_cache=False, formats=("pdf", "pptx"))
    n = len(cats)
    combo = extra is not None  # a combo's line labels are told from its column labels by their ink
    pdf_labels, pdf_lines = _labels(out / "lines.pdf", n, combo)
    deck_labels, deck_lines = _labels(libreoffice_to_pdf(out / "lines.pptx", project / "lo"), n, combo)
    want = n_lines if n_lines is not None else len(series)
    assert len(pdf_lines) == want and len(deck_lines) == want
    problems = _problems("PDF", pdf_labels, pdf_lines) + _problems("deck", deck_labels, deck_lines)
    pdf_texts, deck_texts = Counter(t for t, _ in pdf_labels), Counter(t for t, _ in deck_labels)
    if pdf_texts != deck_texts:
        problems.append(f"labels only in the PDF: {sorted((pdf_texts - deck_texts).elements())}; "
                        f"only in the deck: {sorted((deck_texts - pdf_texts).elements())}")
    assert problems == [], (cats, series, fmt, layout)


# no shrinking: one build and one LibreOffice conversion take seconds; the failing chart is printed whole
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck),
          phases=[Phase.explicit, Phase.reuse, Phase.generate])
@given(chart=line_chart(), layout=st.sampled_from(["chart-text", "chart-wide"]))
def test_line_labels_clear_of_the_lines_and_the_same_in_both_outputs(chart, layout):
    cats, series, fmt = chart
    # a folder of its own per example: pytest's basetemp of a long run may be swept by other pytest runs
    with tempfile.TemporaryDirectory(prefix="egov-lines-") as tmp:
        _check(Path(tmp) / "p", cats, series, fmt, layout)


def test_crossing_lines_labels_clear_and_alike(tmp_path):
    """Three lines that cross at every category, one flat then negative: each label a line would run
    through in either output is moved to the other side in both, or left out of both."""
    cats = [f"{c}期" for c in CATS[:10]]
    series = {"甲系列": [3, 8, 2, 9, 4, 7, 1, 6, 5, 5], "乙系列": [8, 3, 9, 2, 7, 4, 6, 1, 5, 5],
              "丙系列": [5, 5, 5, 5, 5, 5, 5, 5, -2, -3]}
    _check(tmp_path / "p", cats, series, "0.0", "chart-text")


@pytest.mark.parametrize("layout", ["chart-text", "chart-wide"])
def test_the_example_of_the_revert(tmp_path, layout):
    """[0, 10.5, 22] against a line through it: the previous attempt moved the PDF's label alone."""
    cats = [f"{c}期" for c in CATS[:3]]
    _check(tmp_path / "p", cats, {"甲系列": [0.0, 10.5, 22.0], "乙系列": [22.0, 10.5, 0.0]}, "0.0", layout)


def test_combo_lines_labels_clear_and_alike(tmp_path):
    """A combo's two lines on the right axis crossing above the columns: their labels (in the lines' ink)
    clear of both lines and the same in both outputs."""
    cats = [f"{c}期" for c in CATS[:12]]
    series = {"数量": [120, 135, 150, 160, 158, 170, 180, 190, 185, 200, 210, 220],
              "甲增速": [12.5, 3.0, 10.0, 4.0, 10.5, -3.0, 6.0, 6.0, 22.0, 0.0, 10.5, 35.0],
              "乙增速": [3.0, 12.5, 4.0, 10.0, 4.0, 6.0, -3.0, 6.0, 0.0, 22.0, 10.5, 4.0]}
    _check(tmp_path / "p", cats, series, "0.0", "chart-text",
           extra={"kind": "combo", "secondary": ["s1", "s2"]}, n_lines=2)
