"""The code's shape: no import cycles between egovdeck's modules, and each stage folder says its input
and output (the layer rules themselves are the contracts in .importlinter, run by `make test`)."""

from __future__ import annotations

import ast
from pathlib import Path

import grimp

SRC = Path(__file__).resolve().parents[1] / "src" / "egovdeck"
STAGES = ["input", "resolve", "document", "text", "charts", "decktemplate", "render/pdf", "render/pptx",
          "engine", "cli", "compat"]


def test_no_import_cycles():
    graph = grimp.build_graph("egovdeck")
    modules = sorted(m for m in graph.modules if m.startswith("egovdeck"))
    cycles = sorted({tuple(sorted((a, b))) for a in modules for b in graph.find_modules_directly_imported_by(a)
                     if b.startswith("egovdeck") and b != a and graph.chain_exists(importer=b, imported=a)})
    assert not cycles, f"import cycles: {cycles}"


def test_every_stage_folder_states_what_it_does():
    for stage in STAGES:
        init = SRC / stage / "__init__.py"
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert doc and len(doc) > 40, f"{stage}/__init__.py has no docstring saying its input and output"


def test_the_old_deck_template_module_still_imports():
    """Scripts written for egovdeck before the stage folders copy the bundled template from here."""
    from egovdeck.render.template import DEFAULT_TEMPLATE

    assert DEFAULT_TEMPLATE.is_file()


def test_no_module_uses_another_modules_private_names():
    """A name starting with _ is its module's own: another module that needs it asks for a public function of
    the module that owns it (was: charts/segmentroom.py imported deckroom's _plot_size, engine/cluster.py
    build's _cache_dir). Checks `from egovdeck.x import _name` and `module._name` on an imported egovdeck module."""
    found = []
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        modules: set[str] = set()  # local names bound to egovdeck modules
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("egovdeck"):
                for alias in node.names:
                    if alias.name.startswith("_") and not alias.name.startswith("__"):
                        found.append(f"{path.relative_to(SRC)}:{node.lineno} imports {node.module}.{alias.name}")
                    if (SRC.parent / (node.module or "").replace(".", "/") / f"{alias.name}.py").is_file():
                        modules.add(alias.asname or alias.name)
            elif isinstance(node, ast.Import):
                modules.update(a.asname for a in node.names if a.name.startswith("egovdeck") and a.asname)
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in modules
                    and node.attr.startswith("_") and not node.attr.startswith("__")):
                found.append(f"{path.relative_to(SRC)}:{node.lineno} uses {node.value.id}.{node.attr}")
    assert not found, "private names used across modules: " + "; ".join(found)
