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

# kaleido draws the deck's and the brief's charts with the system Chromium: without it those tests would wait
# for a browser that never comes. On Debian as root it is installed here (as .ci/run does); else a warning.
CHROMIUM := /usr/bin/chromium
$(CHROMIUM):
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "installing chromium and fonts from Debian (the charts of the deck and the brief are drawn with it)"; \
		DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-open-sans fonts-dejavu-core >/dev/null; \
	else \
		echo "warning: $(CHROMIUM) is missing; the deck and chart-image tests need it: apt-get install -y chromium fonts-open-sans"; \
	fi

test: setup $(CHROMIUM)  ## unit, store (SQLite + PostgreSQL), CLI and AppTest suites
	$(BIN)/python -m pytest -q -m "not browser"

test-browser: setup $(CHROMIUM)  ## real-browser tests: Debian chromium + playwright
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
