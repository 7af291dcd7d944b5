"""Shared fixtures: the bundled report built once per session into a temporary folder."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Property-based tests: `make test` runs a bounded number of examples ("default"); the longer,
# nightly-style run is `HYPOTHESIS_PROFILE=nightly make test` (see the README).
settings.register_profile(
    "default", max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)
settings.register_profile("nightly", max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

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
    from egovdeck.engine.build import build, fonts_for, theme_for
    from egovdeck.input.project import load_project
    from egovdeck.resolve.report import build_document

    out = tmp_path_factory.mktemp("out")
    result = build(REPORT, output_dir=out, cache_dir=tmp_path_factory.mktemp("cache"))
    project = load_project(REPORT)
    doc = build_document(project, theme_for(project), fonts_for(project))
    return Built(out / "egov-2019.pdf", out / "egov-2019.pptx", result, doc, out)


@pytest.fixture(scope="session")
def pdf_text(built) -> list[str]:
    """Text of every page, extracted by pdftotext (poppler) like a reader's viewer would."""
    from clients import pdftotext_pages

    return pdftotext_pages(built.pdf)


def copy_project(dest: Path) -> Path:
    """A writable copy of the bundled project (definition + data), for tests that break it."""
    for name in ("reports", "data"):
        shutil.copytree(ROOT / name, dest / name)
    return dest / "reports" / "egov-2019.yaml"
