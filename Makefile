# kgraph: two commands on a fresh machine with Python 3.11 —
#   make run    set up, build the graph from corpus/ and serve it on http://127.0.0.1:8000
#   make test   set up and run the whole test suite
PYTHON ?= python3.11
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed

.PHONY: setup run build serve test lint bench eval clean soak register

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c requirements.lock -e ".[dev]"
	touch $(STAMP)

setup: $(STAMP)

build: setup
	$(BIN)/kgraph build corpus

serve: setup
	$(BIN)/kgraph serve

run: build serve

# The browser tests drive Debian's Chromium (headless); installed here when missing.
CHROMIUM ?= /usr/bin/chromium
$(CHROMIUM):
	@(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	  || echo "could not install Chromium (Debian package 'chromium'): the browser tests will fail"

test: setup $(CHROMIUM)
	$(BIN)/ruff check .
	$(BIN)/pytest

# The long reliability run: crafted requests, kill -9 during builds and updates, schemathesis
# over every route, 50 clients for 60 s with memory watched; ends with a summary table.
soak: setup
	KGRAPH_SOAK=1 $(BIN)/pytest -p no:cacheprovider -q tests/reliability

lint: setup
	$(BIN)/ruff check .

bench: setup
	@command -v wrk >/dev/null 2>&1 || (apt-get install -y wrk >/dev/null 2>&1 || echo "wrk not installed: the HTTP API benchmark needs it (Debian: apt-get install wrk)")
	$(BIN)/python bench/run.py

# Development-set figures (real pages of other councils, kept outside the project).
DEV ?= ../shared/dev
eval: setup
	@if [ -d "$(DEV)/docs" ]; then \
	  rm -rf .eval-out && $(BIN)/kgraph extract $(DEV)/docs --corpus none --out .eval-out --jobs 2 && \
	  $(BIN)/python $(DEV)/../eval/score.py $(DEV)/gold.json .eval-out --show $${SHOW:-0}; \
	else echo "no development set at $(DEV): nothing to evaluate"; fi

clean:
	rm -rf $(VENV) data .pytest_cache .ruff_cache .eval-out

# Regenerate ontology/register/organisations.json from the public registers' CSV files
# (REF=DIR; see ontology/register/README.md) and the lists in ontology/register/sources/.
register: setup
	@test -n "$(REF)" || (echo "usage: make register REF=DIR_OF_REGISTER_CSV_FILES"; exit 2)
	$(BIN)/python tools/build_register.py $(REF)
