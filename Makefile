# Two commands for a fresh machine with Python 3.11+ and make:
#   make lab    set up .venv and open the course in JupyterLab
#   make test   set up .venv with the test extras and run every test
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8888
SLIDES_PORT ?= 8866
LESSON ?= 00-start-here
FIRST  := notebooks/00-start-here.ipynb

.PHONY: lab test lint unit nbval notebooks nav figures bench slides hub-check hub-test hub-link clean help
.DEFAULT_GOAL := help

help:
	@echo "make lab        set up .venv and open the course in JupyterLab"
	@echo "make test       set up .venv with test extras; lint, unit, browser, notebook and hub tests"
	@echo "make notebooks  re-execute every notebook in place (after editing content or code)"
	@echo "make bench      run the benchmarks and write bench/results.md (ONLY=hub: just that one)"
	@echo "make slides LESSON=04-hamstring-stretch  present a lesson as slides with a live timer"
	@echo "make hub-link HUB=https://hub.example.org [REPO=...]  the class's nbgitpuller link to lesson 00"
	@echo "make hub-check  a real JupyterHub on 127.0.0.1 with ten students at once (needs root)"

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Python 3.11 or newer is needed")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# Stamps make re-runs fast: pip runs again only when pyproject.toml changes.
$(VENV)/.lab-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[lab]'
	touch $@

$(VENV)/.test-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[lab,test]'
	touch $@ $(VENV)/.lab-installed

# Offline by design: no extension-manager calls to PyPI, no news or update checks.
# --allow-root only when run as root (containers, Binder-like set-ups).
LAB_OPTIONS := --LabApp.extension_manager=readonly --LabApp.news_url=None \
	--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate

$(VENV)/.hub-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[lab,hub]'
	touch $@ $(VENV)/.lab-installed

lab: $(VENV)/.lab-installed
	$(BIN)/jupyter lab --port=$(PORT) $(LAB_OPTIONS) $$([ "$$(id -u)" = 0 ] && echo --allow-root) $(FIRST)

lint: $(VENV)/.test-installed
	$(BIN)/ruff check stretchkit tests scripts hub bench
	$(BIN)/ruff format --check stretchkit tests scripts hub bench
	$(BIN)/mypy
	$(BIN)/mypy --strict scripts/hub_check.py scripts/hub_link.py tests/test_hub_link.py

unit: $(VENV)/.test-installed
	$(BIN)/python -m pytest

# Strict nbval (not --nbval-lax) with a fresh, empty journal folder, so outputs match the
# committed ones; --dist loadfile keeps each notebook's cells in one kernel. Plugins the
# notebooks do not use are left out: they cost more start-up time than the cells take.
NBVAL := -p no:cacheprovider -p no:hypothesispytest -p no:anyio --nbval notebooks \
	--nbval-sanitize-with notebooks/sanitize.cfg
nbval: $(VENV)/.test-installed
	home=$$(mktemp -d) && STRETCHKIT_HOME=$$home $(BIN)/python -m pytest $(NBVAL) -n 2 --dist loadfile; \
	  status=$$?; rm -rf $$home; exit $$status

# hub-test is hub-check as part of make test: without root it says it was skipped (an error in CI).
test: lint unit nbval hub-test

notebooks: $(VENV)/.test-installed
	$(BIN)/python scripts/nav.py
	$(BIN)/python scripts/run_notebooks.py

nav: $(VENV)/.test-installed
	$(BIN)/python scripts/nav.py

figures: $(VENV)/.test-installed
	$(BIN)/python -m stretchkit.figures assets

# Present one lesson as reveal.js slides through Voila, offline, with live widgets.
slides: $(VENV)/.lab-installed
	$(BIN)/python scripts/slides.py "$(LESSON)" --port $(SLIDES_PORT)

# JupyterHub for a class (docs/classroom.md). hub-link needs only Python's standard library.
HUB    ?=
REPO   ?=
BRANCH ?=
hub-link:
	@$(PYTHON) scripts/hub_link.py "$(HUB)" --repo "$(REPO)" --branch "$(BRANCH)"

# A real hub (PyPI) and proxy (npm) on 127.0.0.1, ten students at once; installs what it needs.
hub-check: $(VENV)/.hub-installed
	$(BIN)/python scripts/hub_check.py

hub-test: $(VENV)/.hub-installed
	$(BIN)/python scripts/hub_check.py --optional

# ONLY=hub (or accuracy, validation, import, interactive) runs one benchmark and updates its rows.
ONLY ?=
bench: $(VENV)/.test-installed $(VENV)/.hub-installed
	$(BIN)/python -m bench.run $(if $(ONLY),--only $(ONLY))

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis test-output
