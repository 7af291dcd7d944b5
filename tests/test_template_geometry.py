"""A deck template whose placeholders are degenerate (zero or tiny boxes, boxes past the slide's edge) is
refused by `validate` with a located error, or builds: never a build that runs without end, never exit 3.

The templates are egovdeck's own, with one placeholder of one layout moved or resized by python-pptx (as a
user's PowerPoint edit or a converter would leave it); the report is a small case project."""

from __future__ import annotations

import re
import shutil
import signal
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import Phase, given, settings
from hypothesis import strategies as st

from clients import ROOT

CASE = ROOT / "tests" / "cases" / "layout" / "negative-values-minus"
BUILTIN = ROOT / "src" / "egovdeck" / "resources" / "egovdeck-16x9.pptx"
W, H = 960.0, 540.0  # pt: the built-in template's slide
EMU = 12700

# (layout name in the built-in template, placeholder idx): every placeholder the deck fills
TARGETS = [("Title and Content", 0), ("Title and Content", 1), ("Title", 0), ("Title", 1), ("Title", 13),
           ("Section", 0), ("Section", 1)]

# degenerate boxes (pt): zero height or width, tiny, negative positions, past the slide's edges
coords = st.one_of(st.sampled_from([0.0, -50.0, -1000.0, 1.0, 5.0, W, W + 200]), st.floats(-200, W + 200))
sizes = st.one_of(st.sampled_from([0.0, 0.5, 2.0, 10.0, 19.0, W + 192]), st.floats(0, W * 1.5))
degenerate = st.tuples(coords, coords, sizes, sizes)


@st.composite
def inside(draw):
    """A box inside the slide, from a sliver to the whole slide: the sizes around the template check's minimums."""
    w = draw(st.floats(1.0, W))
    h = draw(st.floats(1.0, H))
    return draw(st.floats(0, W - w)), draw(st.floats(0, H - h)), w, h


boxes = st.one_of(degenerate, inside())


def _template(path: Path, layout: str, idx: int, box: tuple[float, float, float, float]) -> None:
    from pptx import Presentation

    prs = Presentation(BUILTIN)
    lay = next(lay for lay in prs.slide_layouts if lay.name == layout)
    ph = next(ph for ph in lay.placeholders if ph.placeholder_format.idx == idx)
    x, y, w, h = box
    ph.left, ph.top, ph.width, ph.height = (int(round(v * EMU)) for v in (x, y, w, h))
    prs.save(path)


def _project(tmp: Path) -> Path:
    for name in ("reports", "data"):
        shutil.copytree(CASE / name, tmp / name, dirs_exist_ok=True)
    (tmp / "templates").mkdir(exist_ok=True)
    definition = tmp / "reports" / "case.yaml"
    text = (CASE / "reports" / "case.yaml").read_text(encoding="utf-8")
    # a long narrative: the content area is filled and continued (「（续）」) on a template that allows it
    long = "各地政务服务持续推进，网上办理事项不断增加，群众办事更加便利。" * 40
    text = text.replace("        text: 增速。\n", f"        text: {long}\n", 1)
    definition.write_text(text.replace("datasets:\n", "theme:\n  template: templates/t.pptx\n\ndatasets:\n", 1),
                          encoding="utf-8")
    return definition


class _Hang(Exception):
    pass


@contextmanager
def _deadline(seconds: int):
    """Raise _Hang in this (main) thread after `seconds`: a build loop without end fails the test."""
    def alarm(signum, frame):
        raise _Hang(f"no end after {seconds} s")

    old = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


# no shrinking: on a build that does not end each step would wait for the deadline
@settings(max_examples=max(6, settings.default.max_examples // 2), phases=(Phase.explicit, Phase.generate))
@given(st.sampled_from(TARGETS), boxes)
def test_degenerate_placeholders_are_refused_by_validate_or_build(tmp_path_factory, target, box):
    from egovdeck.cli.main import main

    tmp = tmp_path_factory.mktemp("geom")
    definition = _project(tmp)
    _template(tmp / "templates" / "t.pptx", *target, box)
    out = tmp / "out"
    with _deadline(120):
        rc = main(["validate", str(definition)], try_server=False)
        assert rc in (0, 1)
        if rc == 1:
            assert not out.exists()
            return
        rc = main(["build", str(definition), "--only", "pptx", "-o", str(out), "-q", "--no-cache"], try_server=False)
    assert rc == 0
    assert list(out.glob("*.pptx"))


def test_the_broken_template_of_a_new_user_is_a_located_error(tmp_path, capsys):
    """The template a new user made (a content layout whose title and body are 0 pt high and 1152 pt wide on
    a 960 pt slide) passed `validate` and sent `build` into an endless run of 「（续）」 slides."""
    from egovdeck.cli.main import main

    definition = _project(tmp_path)
    _template(tmp_path / "templates" / "t.pptx", "Title and Content", 1, (64.0, 0.0, 1152.0, 0.0))
    line = next(i for i, t in enumerate(definition.read_text(encoding="utf-8").splitlines(), start=1)
                if "template:" in t)
    with _deadline(120):
        assert main(["validate", str(definition)], try_server=False) == 1
    err = capsys.readouterr().err
    assert re.search(rf"case\.yaml:{line}:\d+: error: theme\.template: the deck template templates/t\.pptx: the "
                     r"content placeholder of layout “Title and Content” \(used for the content slides\)", err), err
    assert "hint: open the template in PowerPoint" in err
    with _deadline(120):
        assert main(["build", str(definition), "--only", "pptx", "-o", str(tmp_path / "out"), "-q"],
                    try_server=False) == 1
    assert not (tmp_path / "out").exists()


def test_a_continuation_slide_that_places_nothing_stops_with_an_error():
    """Behind the template check: a continuation loop whose slide holds not one line ends in a located error."""
    from dataclasses import replace

    from egovdeck.decktemplate.boxes import Box
    from egovdeck.engine.build import fonts_for, theme_for
    from egovdeck.errors import EgovError
    from egovdeck.input.project import load_project
    from egovdeck.render.pptx.deck import Deck
    from egovdeck.render.template import TemplateRef
    from egovdeck.resolve.report import build_document

    project = load_project(CASE / "reports" / "case.yaml")
    theme, fonts = theme_for(project), fonts_for(project)
    doc = build_document(project, theme, fonts)
    deck = Deck(doc, fonts, theme, TemplateRef().open())
    deck.area = Box(deck.area.x, deck.area.y, deck.area.w, 3.0)
    finding = replace(doc.sections[0].findings[0], text="政务服务持续推进。" * 200)
    with _deadline(60), pytest.raises(EgovError) as exc:
        deck.finding(finding, doc.sections[0].title)
    assert "holds not one line" in str(exc.value)


cell = st.text(alphabet="政务服务网站数量北京上海 abc0123456789，。", min_size=0, max_size=120)


@settings(max_examples=max(6, settings.default.max_examples // 2))
@given(st.lists(st.tuples(cell, cell), min_size=1, max_size=12), st.floats(0.0, 200.0), st.floats(60.0, 400.0))
def test_table_rows_are_split_over_slides_in_a_bounded_number_of_pieces(rows, room, width):
    """However small the room a template leaves a table (down to none), splitting its rows over 「（续）」
    slides ends: every row is placed, in order, each piece at most its lines long."""
    from egovdeck.document.report import TableData
    from egovdeck.engine.build import fonts_for, theme_for
    from egovdeck.input.project import load_project
    from egovdeck.render.pptx.deck import Deck
    from egovdeck.render.template import TemplateRef
    from egovdeck.resolve.report import build_document

    global _DOC
    if _DOC is None:
        project = load_project(CASE / "reports" / "case.yaml")
        theme, fonts = theme_for(project), fonts_for(project)
        _DOC = (build_document(project, theme, fonts), fonts, theme)
    doc, fonts, theme = _DOC
    deck = Deck(doc, fonts, theme, TemplateRef().open())
    t = TableData("t", "表", ("名称", "说明"), tuple(rows), ("left", "left"))
    with _deadline(60):
        chunks = deck._chunks(t, [width / 2, width / 2], 11.0, room)
    placed = [r for chunk in chunks for r, _cells, _h in chunk]
    assert sorted(set(placed)) == list(range(len(rows)))
    assert placed == sorted(placed)


_DOC = None
