# Two commands on a fresh clone (only python3 >= 3.11 and make needed):
#   make build   set up .venv, install egovdeck, build output/egov-2019.pdf and .pptx
#   make test    set up .venv with the test extras, run the whole suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: build test test-newest bench lint fonts references reference-pages docs clean

build: $(VENV)/.egovdeck-installed
	$(BIN)/egovdeck build

test: $(VENV)/.egovdeck-test-installed
	$(BIN)/ruff check src tests scripts
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/pytest

# The suite on the newest ReportLab, python-pptx and matplotlib, past pyproject's upper bounds: run it
# before raising a bound (egovdeck.compat relies on their internals; tests/test_compat.py names them).
test-newest: pyproject.toml
	$(PYTHON) -m venv .venv-newest
	.venv-newest/bin/python -m pip install --quiet -e '.[test]'
	.venv-newest/bin/python -m pip install --quiet --upgrade --no-deps reportlab python-pptx matplotlib
	.venv-newest/bin/pytest -q

# Time the cases of docs/benchmarks.md on this machine and rewrite that file.
bench: $(VENV)/.egovdeck-test-installed
	$(BIN)/python scripts/bench.py

lint: $(VENV)/.egovdeck-test-installed
	$(BIN)/ruff check src tests scripts

# Rebuild fonts/ from Debian's fonts-noto-cjk and check the sha256 sums.
fonts: $(VENV)/.egovdeck-installed
	$(BIN)/python scripts/build_fonts.py

# Regenerate the reference images of the pixel tests.
references: $(VENV)/.egovdeck-test-installed
	EGOVDECK_UPDATE_REFERENCES=1 $(BIN)/pytest -q -k reference

# Write the generated reference sections (keys, layouts, functions, formats, limits) into docs/*.md.
reference-pages: $(VENV)/.egovdeck-installed
	$(BIN)/python scripts/reference_pages.py

# The documentation site into site/: pictures of every chart kind (PDF and deck, scripts/docs_pictures.py,
# needs pdftoppm and LibreOffice), then mkdocs in strict mode (a broken link or a stale page fails).
docs: $(VENV)/.egovdeck-docs-installed
	$(BIN)/python scripts/docs_pictures.py
	$(BIN)/mkdocs build --strict

$(VENV)/.egovdeck-docs-installed: pyproject.toml $(VENV)/.egovdeck-installed
	$(BIN)/python -m pip install --quiet -e '.[docs]'
	touch $@

$(VENV)/.egovdeck-installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.egovdeck-test-installed: pyproject.toml $(VENV)/.egovdeck-installed
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

clean:
	rm -rf output .egovdeck-cache .pytest_cache site docs/assets/generated docs/examples/output docs/examples/.egovdeck-cache
