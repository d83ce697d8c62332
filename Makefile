PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench readme-check readme-update schema clean

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

clean:
	rm -rf $(VENV) .pytest_cache
