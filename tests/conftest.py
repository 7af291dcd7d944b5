"""Shared fixtures: the bundled report built once per session into a temporary folder."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Property-based tests: `make test` runs a bounded number of examples ("default"); the longer,
# nightly-style run is `HYPOTHESIS_PROFILE=nightly make test` (see docs/development.md).
settings.register_profile(
    "default", max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)
settings.register_profile("nightly", max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

# Examples of one property test by what an example costs, as shares of the profile's count (25 in `make test`,
# 500 nightly): "model" checks arithmetic or a parsed model (milliseconds: the whole count); "chart" draws one
# chart or table and reads it back (a tenth of a second); "build" builds a whole report in-process and reads it
# (seconds); "deck" builds one and has LibreOffice draw the deck (ten seconds and more: LibreOffice starts for
# each example). `least` is a test's floor in `make test` (its explicit @example cases run besides); the
# nightly profile runs 20 times as many of every kind.
EXAMPLE_SHARE = {"model": 1.0, "chart": 0.6, "build": 1 / 6, "deck": 1 / 12}


def examples(kind: str, least: int = 2) -> int:
    """How many examples a property test of this kind runs under the loaded profile (at least `least`)."""
    return max(least, round(settings().max_examples * EXAMPLE_SHARE[kind]))


def import_every_module() -> list[str]:
    """Import every module of egovdeck (not `__main__`); their names.

    Hypothesis mixes the constants of every local module imported so far into what it generates
    (hypothesis.internal.conjecture.providers, "local constants"): a property test's examples then depended
    on which tests had run before it in the same process (tests/test_env.py imports the CLI, the server,
    the watch loop...), so `pytest tests/test_page_fill.py` and `pytest tests/test_env.py
    tests/test_page_fill.py` tried different reports, even with derandomize. With every module imported
    before the first test, the examples depend only on the code and the test."""
    import importlib
    import pkgutil

    import egovdeck

    names = [m.name for m in pkgutil.walk_packages(egovdeck.__path__, "egovdeck.") if not m.name.endswith("__main__")]
    for name in names:
        importlib.import_module(name)
    return names


import_every_module()

ROOT = Path(__file__).resolve().parents[1]
# Every build in the tests runs where the test says; none goes to an `egovdeck serve` the developer may
# have running (tests/test_server.py starts its own).
os.environ["EGOVDECK_NO_SERVER"] = "1"
REPORT = ROOT / "reports" / "egov-2019.yaml"


@dataclass
class Built:
    pdf: Path
    pptx: Path
    result: object
    document: object
    out: Path


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Built:
    from egovdeck.decktemplate.reader import TemplateRef
    from egovdeck.engine.build import BuildResult, build, decide_charts, fonts_for, theme_for
    from egovdeck.input.project import load_project
    from egovdeck.resolve.report import build_document

    out = tmp_path_factory.mktemp("out")
    result = build(REPORT, output_dir=out, cache_dir=tmp_path_factory.mktemp("cache"))
    project = load_project(REPORT)
    theme, fonts = theme_for(project), fonts_for(project)
    # the document the renderers drew: resolved, then the engine's chart decisions (axes, labels) made
    doc = decide_charts(project, build_document(project, theme, fonts), fonts, theme, TemplateRef().open(),
                        BuildResult())
    return Built(out / "egov-2019.pdf", out / "egov-2019.pptx", result, doc, out)


@pytest.fixture(scope="session")
def pdf_text(built) -> list[str]:
    """Text of every page, extracted by pdftotext (poppler) like a reader's viewer would."""
    from clients import pdftotext_pages

    return pdftotext_pages(built.pdf)


@pytest.fixture(scope="session")
def built_deck_drawn(built, tmp_path_factory) -> Path:
    """LibreOffice's PDF of the bundled deck (the bundled fonts installed): one conversion for every test that
    reads it."""
    from clients import libreoffice_to_pdf

    return libreoffice_to_pdf(built.pptx, tmp_path_factory.mktemp("deck-drawn"))


@dataclass
class OwnBuilt:
    project: Path
    source: Path
    pdf: Path
    pptx: Path


@pytest.fixture(scope="session")
def own_built(tmp_path_factory):
    """The reports written for issue 16 (tests/cases/own/NAME), each copied and built (PDF and deck) once per
    session for the tests that read them: `own_built(NAME)` -> OwnBuilt."""
    from egovdeck.engine.build import build

    done: dict[str, OwnBuilt] = {}

    def get(name: str) -> OwnBuilt:
        if name not in done:
            project = tmp_path_factory.mktemp("own") / name
            shutil.copytree(ROOT / "tests" / "cases" / "own" / name, project)
            source = next((project / "reports").glob("*.yaml"))
            out = project / "output"
            build(source, output_dir=out, use_cache=False, formats=("pdf", "pptx"))
            done[name] = OwnBuilt(project, source, out / f"{source.stem}.pdf", out / f"{source.stem}.pptx")
        return done[name]

    return get


def copy_project(dest: Path) -> Path:
    """A writable copy of the bundled project (definition + data), for tests that break it."""
    for name in ("reports", "data"):
        shutil.copytree(ROOT / name, dest / name)
    return dest / "reports" / "egov-2019.yaml"
