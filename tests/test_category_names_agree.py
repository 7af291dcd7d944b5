"""The same category names in both outputs (issue 16; a new user's line chart of six periods in a narrow
slot: the PDF named two, thinned, while the deck turned and named all six; docs/reference/typography.md: the
labels shrink, then turn, then only every k-th is named).

hypothesis writes two line or column charts of 3-12 periods side by side, builds the PDF and the deck through
the resolver and reads the category names drawn -- flat, turned upright or by 45° -- from the PDF
(pdfplumber) and from LibreOffice's rendering of the deck: the same periods are named in both."""

from __future__ import annotations

import math
import os
import re
import shutil
import tempfile
from collections import defaultdict
from pathlib import Path

from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from conftest import examples


def angled_runs(chars: list[dict]) -> list[str]:
    """Every run of characters along its own baseline, whatever its angle (flat, upright, 45°): grouped by
    angle and by the distance across the baseline, ordered along it, split at a gap of half a character."""
    groups: dict[tuple[int, int], list[tuple[float, float, dict]]] = defaultdict(list)
    for c in chars:
        if not c["text"].strip():
            continue
        a, b, _c, _d, e, f = c["matrix"]
        norm = math.hypot(a, b) or 1.0
        ux, uy = a / norm, b / norm
        angle = round(math.degrees(math.atan2(b, a)))
        along, across = e * ux + f * uy, -e * uy + f * ux
        groups[angle, round(across)].append((along, c.get("adv", 0.0) * norm or c["width"], c))
    out = []
    for items in groups.values():
        items.sort(key=lambda t: t[0])
        text, end = "", None
        for along, adv, c in items:
            if end is not None and along - end > 1.5 * max(c["size"], 1.0):  # the viewers' CJK-Latin gap kept
                out.append(text)
                text = ""
            text += c["text"]
            end = along + adv
        out.append(text)
    return out


def named(pdf: Path, names: set[str]) -> set[str]:
    """The names of `names` drawn in pdf, found by their year's digits (a name wrapped under its column breaks
    after 「2019年」, a viewer may draw a gap before 年, and each year is one category's)."""
    import pdfplumber

    found = set()
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            for run in angled_runs(page.chars):
                found |= {n for n in names if re.search(r"(?<![\d,.])" + n[:n.index("年")] + r"(?![\d,.])", run)}
    return found


@st.composite
def period_charts(draw) -> tuple[str, list[dict]]:
    charts = []
    for k in range(2):
        kind = draw(st.sampled_from(["line", "column"]))
        n = draw(st.integers(3, 12))
        first = 2001 + 100 * k + draw(st.integers(0, 50))
        month = draw(st.integers(1, 12))
        cats = [f"{first + i}年{month}月" for i in range(n)]
        values = draw(st.lists(st.integers(101, 99999).filter(lambda x: x % 10 not in (0, 5)),
                               min_size=n, max_size=n, unique=True))
        charts.append({"spec": {"kind": kind, "x": "cat", "y": ["v1"], "format": "#,##0.00",
                                "labels": draw(st.booleans())},
                       "rows": [[c, v / 100] for c, v in zip(cats, values, strict=True)], "units": ["个"]})
    return "two-charts", charts


@settings(max_examples=examples("deck", 3), deadline=None, suppress_health_check=list(HealthCheck),
          phases=[Phase.explicit, Phase.reuse, Phase.generate])
@given(case=period_charts())
@example(case=("two-charts", [{"spec": {"kind": "line", "x": "cat", "y": ["v1"], "format": "#,##0.00", "labels": False},
                                "rows": [[f"{2011 + i}年12月", 100.11 + 7.3 * i] for i in range(10)], "units": ["个"]}
                               for _ in range(2)]))
def test_the_same_category_names_in_both_outputs(case):
    from clients import libreoffice_to_pdf
    from egovdeck.engine.build import build
    from test_label_agreement import _write

    layout, charts = case
    names = {row[0] for c in charts for row in c["rows"]}
    with tempfile.TemporaryDirectory(prefix="egov-cats-") as tmp:
        root = Path(os.environ.get("EGOVDECK_KEEP_FAILED", tmp)) / "labels"
        shutil.rmtree(root, ignore_errors=True)
        src = _write(root, layout, charts)
        out = root / "output"
        build(src, output_dir=out, use_cache=False, formats=("pdf", "pptx"))
        in_pdf = named(out / "labels.pdf", names)
        in_deck = named(libreoffice_to_pdf(out / "labels.pptx", root / "lo"), names)
    kinds = [c["spec"]["kind"] for c in charts]
    assert in_pdf == in_deck, f"{kinds}: named only in the PDF {sorted(in_pdf - in_deck)}, only in the deck " \
                              f"{sorted(in_deck - in_pdf)}"
    assert in_pdf == names, f"{kinds}: not named {sorted(names - in_pdf)}"


def test_a_narrow_period_axis_turns_before_it_thins():
    """A new user's line chart of six periods in a three-up slot (about 150 pt): the PDF named two (thinned
    first, on a time axis), the deck all six turned by 45°. Shrink, turn, then thin: all six, turned."""
    import chartcheck as cc

    rows = [{"p": f"{2015 + i}年12月", "v": v} for i, v in enumerate([114.5, 125.1, None, 138.3, 138.9, 140.8])]
    chart = cc.resolve({"kind": "line", "x": "p", "y": "v", "format": "#,##0", "labels": False, "end_labels": True},
                       cc.dataset(rows, {"p": "text", "v": "number"}))
    with tempfile.TemporaryDirectory() as tmp:
        pdf = cc.chart_pdf(chart, 150, 200, Path(tmp) / "c.pdf")
        names = {r["p"] for r in rows}
        assert named(pdf, names) == names
        assert cc.problems(chart, 150, 200, Path(tmp) / "p.pdf") == []
