"""The one seam where egovdeck relies on library internals (names with a leading underscore, replaced
methods, state a library keeps to itself).

Every such use lives in this package, nowhere else, each in a small function that says what it reaches
and why the library's public API is not enough. tests/test_compat.py checks that every name relied on
still exists, so an upgrade that removes one fails there, by name, rather than as a wrong PDF or deck.
pyproject.toml bounds these libraries (ReportLab, python-pptx, matplotlib) below their next major
release; `make test-newest` runs the suite against the newest releases.

- reportlab_cjk: Chinese line breaking (kinsoku) inside ReportLab's paragraphs;
- reportlab_internals: frame, table, table-of-contents and text-cursor state of platypus;
- pptx_internals: the lxml elements behind python-pptx objects, chart parts, the package writer;
- matplotlib_internals: the Artist docstrings composed during import (skipped: import time).
"""
