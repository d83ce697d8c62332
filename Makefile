PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DOCS_STAMP := $(VENV)/.docs-installed

.PHONY: run test bench readme-check readme-update schema notebooks docs clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/ccsim run scenarios/hotline.yml

test: $(STAMP)
	$(BIN)/python -m pytest -n 2 -q

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_engine.py

# Every console block and marked number of README.md against a fresh run; readme-update writes them in.
readme-check: $(STAMP)
	$(BIN)/python tools/readme_check.py

readme-update: $(STAMP)
	$(BIN)/python tools/readme_check.py --update

# The JSON Schemas editors and tools read (a test fails when they are stale).
schema: $(STAMP)
	$(BIN)/ccsim schema > ccsim/scenario/scenario.schema.json
	$(BIN)/ccsim schema --templates > ccsim/scenario/shift_templates.schema.json

# The notebook gallery, executed and stored with its outputs (a test fails when they are stale).
notebooks: $(STAMP)
	$(BIN)/python notebooks/build_notebooks.py --execute

$(DOCS_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[docs]"
	touch $(DOCS_STAMP)

# The reference site in site/: API from the docstrings, scenario keys from the JSON Schema, CLI from --help.
# Not --quiet: it would hide the warnings --strict fails on.
docs: $(DOCS_STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict -d site

clean:
	rm -rf $(VENV) .pytest_cache site
