# One-command set-up: every target installs what it needs into .venv from requirements.lock.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8501
STAMP  := $(VENV)/.installed-stamp

.PHONY: setup run test test-browser bench lint typecheck check docs clean

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip uv
	$(BIN)/uv pip install --quiet --python $(BIN)/python -r requirements.lock -e .
	touch $(STAMP)

setup: $(STAMP)

run: setup  ## serve the dashboard on http://localhost:$(PORT) (shipped data seeds the store on first start)
	$(BIN)/streamlit run app.py --server.port $(PORT) --server.headless true

test: setup  ## unit, store (SQLite + PostgreSQL), CLI and AppTest suites
	$(BIN)/python -m pytest -q -m "not browser"

test-browser: setup  ## real-browser tests: Debian chromium + playwright
	$(BIN)/python -m pytest -q -m browser

bench: setup  ## print the performance figures of DESIGN.md's budget
	$(BIN)/python -m bench

lint: setup
	$(BIN)/ruff check .

typecheck: setup
	$(BIN)/mypy

check: lint typecheck  ## what keeps the house in order: lint, types, doctests, docs (the README's --help)
	$(BIN)/python -m pytest -q --doctest-modules src/indicators
	$(BIN)/python -m pytest -q tests/test_docs.py

docs: setup  ## rewrite the README's command-line reference from each command's --help
	$(BIN)/python -m tests.update_docs

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache
