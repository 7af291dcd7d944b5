"""The bundled data: every reported number is found in the seed article or the CNNIC source tables;
every derived one says how it was derived."""

from __future__ import annotations

import csv
import re

import pytest

from conftest import ROOT

SHARED = ROOT.parent / "shared"
NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?")


def _source_numbers() -> set[float]:
    numbers: set[float] = set()
    for path in (SHARED / "sources" / "cnnic").glob("*.csv"):
        with path.open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                for text in (row["value"], row["quote"]):
                    numbers |= {round(float(n.replace(",", "")), 6) for n in NUMBER.findall(text or "")}
    seed = (SHARED / "seeds" / "egov-2019-article.txt").read_text(encoding="utf-8")
    numbers |= {round(float(n.replace(",", "")), 6) for n in NUMBER.findall(seed)}
    return numbers


def _datasets():
    from egovdeck.input.project import load_project

    return load_project(ROOT / "reports" / "egov-2019.yaml").datasets.values()


def test_every_reported_number_comes_from_the_sources():
    if not (SHARED / "sources" / "cnnic").is_dir():
        pytest.skip("../shared/sources is not beside the project")
    known = _source_numbers()
    unsourced = []
    for ds in _datasets():
        numeric = [c for c, spec in ds.spec.columns.items() if spec.type in ("integer", "number")]
        for row in ds.rows:
            if row.get("status") != "reported":
                continue
            for col in numeric:
                v = row[col]
                if v is not None and round(float(v), 6) not in known and round(-float(v), 6) not in known:
                    unsourced.append((ds.id, col, v))
    assert not unsourced


def test_every_row_says_whether_it_is_reported_or_derived_and_how():
    for ds in _datasets():
        assert ds.spec.source.startswith("资料来源："), ds.id
        for row in ds.rows:
            assert row["status"] in ("reported", "derived", "gap"), (ds.id, row)
            if row["status"] == "derived":
                assert "derived:" in row["provenance"], (ds.id, row)
            assert row["provenance"], (ds.id, row)
