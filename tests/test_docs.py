"""The documentation: every example builds, the generated reference covers every key, layout, chart kind,
function and filter, and the site builds in strict mode (a broken link or an unknown generated section fails)."""

from __future__ import annotations

import filecmp
import importlib.util
import inspect
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pdfplumber
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
EXAMPLES = DOCS / "examples"


def _pdf_text(path: Path) -> str:
    with pdfplumber.open(path) as pdf:
        return "".join((page.extract_text() or "") for page in pdf.pages).replace("\n", "")


@pytest.mark.parametrize("definition", sorted((EXAMPLES / "reports").glob("*.yaml")), ids=lambda p: p.stem)
def test_every_docs_example_builds(tmp_path, definition):
    """Each docs example is a working project: it builds (all editions) and its PDF shows every finding."""
    from egovdeck.engine.build import build

    project = tmp_path / "project"
    shutil.copytree(EXAMPLES, project, ignore=shutil.ignore_patterns("output", ".egovdeck-cache"))
    report = yaml.safe_load(definition.read_text(encoding="utf-8"))
    result = build(project / "reports" / definition.name, output_dir=tmp_path / "out", cache_dir=tmp_path / "cache",
                   all_editions="editions" in report, jobs=1)
    pdfs = [p for p in result.outputs if p.suffix == ".pdf"]
    assert pdfs and all(p.with_suffix(".pptx") in result.outputs for p in pdfs)
    for pdf in pdfs:
        text = _pdf_text(pdf)
        for section in report["sections"]:
            for finding in section["findings"]:
                if "{" not in finding["title"]:
                    assert finding["title"] in text, (pdf.name, finding["title"])


def test_docs_example_data_are_the_bundled_data():
    """The examples' numbers come only from data/ (copied byte for byte, sources and all)."""
    files = sorted((EXAMPLES / "data").iterdir())
    assert files
    for path in files:
        assert filecmp.cmp(path, ROOT / "data" / path.name, shallow=False), path.name


def test_chart_kinds_example_has_every_kind():
    from egovdeck.input.definition import CHART_KINDS

    report = yaml.safe_load((EXAMPLES / "reports" / "chart-kinds.yaml").read_text(encoding="utf-8"))
    ids = [f["id"] for s in report["sections"] for f in s["findings"]]
    assert ids == list(CHART_KINDS)


def test_definition_reference_lists_every_key():
    from egovdeck.cli import reference
    from egovdeck.input import definition as model

    page = reference.expand((DOCS / "reference" / "definition.md").read_text(encoding="utf-8"))
    page += reference.expand((DOCS / "reference" / "datasets.md").read_text(encoding="utf-8"))
    listed = set(reference.DEFINITION_MODELS) | set(reference.DATASET_MODELS)
    strict = {v.__name__ for v in vars(model).values()
              if isinstance(v, type) and issubclass(v, model.Strict) and v is not model.Strict}
    assert strict == listed, "every model of the definition has its table"
    for name in listed:
        cls = getattr(model, name)
        assert f"### {name}" in page
        for key, field in cls.model_fields.items():  # as written in YAML (an alias such as from:)
            assert f"| `{field.alias or key}` |" in page, f"{name}.{key}"
            assert field.description, f"{name}.{key} has no description"


def test_layouts_reference_shows_every_built_in_layout():
    from egovdeck.cli import reference
    from egovdeck.input.project import builtin_layouts

    page = reference.layouts()
    for name, layout in builtin_layouts().items():
        assert f"### {name}" in page and layout.description in page
        for slot in layout.slots:
            assert f"`{slot}`" in page
    assert page.count("<svg") == len(builtin_layouts())


def test_every_narrative_function_and_filter_has_a_working_example():
    """An entry in docs/reference/narrative-examples.yaml with an example for each; the example renders on
    the bundled data (a function renamed or an argument changed fails here, not on the site)."""
    from egovdeck.cli import reference

    functions, filters = reference.narrative_callables()
    entries = yaml.safe_load((DOCS / "reference" / "narrative-examples.yaml").read_text(encoding="utf-8"))
    assert set(entries) == set(functions) | set(filters)
    for name, func in {**functions, **filters}.items():
        assert func.__doc__ or entries[name].get("description"), f"{name}: no description"
        assert entries[name].get("units"), f"{name}: no units"
        result = reference._evaluate(entries[name]["example"])
        assert result.strip() and "{" not in result, (name, result)
    page = reference.narrative()
    for name, func in functions.items():
        params = [p for p in inspect.signature(func).parameters if p != "self"]
        line = next(x for x in page.splitlines() if x.startswith(f"{name}("))  # the signature block
        named = re.findall(r"[(,]\s*\**(\w+)", line)  # the parameter names, in order, without defaults
        assert named == params, (name, line)


def test_number_format_reference_is_the_formatter_output():
    from egovdeck.cli import reference

    page = reference.number_formats()
    assert "| `#,##0` | 14474 | 14,474 |" in page
    assert "| `0.00亿` | 694000000 | 6.94亿 |" in page
    assert "−19.7" in page  # U+2212


def test_limits_reference_names_every_variable():
    from egovdeck.cli import reference

    page = reference.limits()
    source = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "src" / "egovdeck").rglob("*.py"))
    import re

    for env in set(re.findall(r'"(EGOVDECK_MAX_[A-Z_]+)"', source)):
        assert f"`{env}`" in page, env


def test_every_page_is_in_the_nav_and_every_generated_marker_is_known():
    from egovdeck.cli import reference

    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))

    def pages(node):
        if isinstance(node, str):
            yield node
        elif isinstance(node, list):
            for item in node:
                yield from pages(item)
        elif isinstance(node, dict):
            for value in node.values():
                yield from pages(value)

    in_nav = set(pages(config["nav"]))
    on_disk = {str(p.relative_to(DOCS)) for p in DOCS.rglob("*.md") if "examples" not in p.parts}
    assert on_disk == in_nav
    for page in on_disk:
        reference.expand((DOCS / page).read_text(encoding="utf-8"))  # raises on an unknown section


def test_readme_is_short_and_links_to_the_docs():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(text.splitlines()) < 120
    assert "docs/" in text and "make docs" in text


@pytest.mark.skipif(importlib.util.find_spec("mkdocs") is None, reason="the docs extra is not installed")
def test_site_builds_strict(tmp_path):
    """mkdocs build --strict: every page, every generated section, every link (about 15 s)."""
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(ROOT / "mkdocs.yml"),
                           "-d", str(tmp_path / "site")], capture_output=True, text=True, cwd=ROOT,
                          env={**__import__("os").environ, "NO_MKDOCS_2_WARNING": "1"}, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    page = (tmp_path / "site" / "reference" / "definition" / "index.html").read_text(encoding="utf-8")
    assert "ChartSpec" in page and "label_position" in page


def test_reference_pages_in_the_repository_are_current():
    """docs/ holds the generated reference sections (a new user reading the Markdown on a code host saw only
    `<!-- egovdeck:definition-keys -->`): a change to a model, a layout or a filter that changes them fails here
    until `make reference-pages` writes them."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "reference_pages.py"), "--check"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    page = (DOCS / "reference" / "definition.md").read_text(encoding="utf-8")
    assert "report.title" in page or "`title`" in page
