# The single entry point. `make demo` and `make test` work on a fresh machine with Python 3.11+.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-fast lint format bench eval run clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

demo: $(STAMP)  ## install, then one cycle on the bundled sample feeds, printed to the console
	$(BIN)/humasbot demo

test: $(STAMP)  ## install, then run the whole test suite
	$(BIN)/python -m pytest -q

test-fast: $(STAMP)  ## the suite without the end-to-end and process tests (marked slow)
	$(BIN)/python -m pytest -q -m "not slow"

lint: $(STAMP)
	$(BIN)/ruff check bot tests bench
	$(BIN)/ruff format --check bot tests bench
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff format bot tests bench
	$(BIN)/ruff check --fix bot tests bench

bench: $(STAMP)  ## benchmarks (JSON): analyse speed and quality, ingestion at scale, broadcast, webhook, instances
	$(BIN)/python bench/analyze_speed.py
	$(BIN)/python bench/eval_content.py
	$(BIN)/python bench/eval_content.py --file tests/data/analyse_heldout.jsonl
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/broadcast.py
	$(BIN)/python bench/webhook.py
	$(BIN)/python bench/flood.py
	$(BIN)/python bench/instances.py
	$(BIN)/python bench/parse_real.py

run: $(STAMP)
	$(BIN)/humasbot run

clean:
	rm -rf $(VENV) *.egg-info humasbot-demo.db*
