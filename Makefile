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
LITE_VENV := .venv-lite
SITE   ?= _site
LITE_PORT ?= 8000

.PHONY: lab test lint unit nbval notebooks nav figures bench slides lite lite-serve bench-lite clean help
.DEFAULT_GOAL := help

help:
	@echo "make lab        set up .venv and open the course in JupyterLab"
	@echo "make test       set up .venv with test extras; lint, unit, browser and notebook tests"
	@echo "make notebooks  re-execute every notebook in place (after editing content or code)"
	@echo "make bench      run the benchmarks and write bench/results.md (make bench-lite: the site's rows only)"
	@echo "make slides LESSON=04-hamstring-stretch  present a lesson as slides with a live timer"
	@echo "make lite       build the course as a static JupyterLite site in $(SITE)/ (no install for learners)"
	@echo "make lite-serve build it and serve it on http://127.0.0.1:$(LITE_PORT)/"

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

lab: $(VENV)/.lab-installed
	$(BIN)/jupyter lab --port=$(PORT) $(LAB_OPTIONS) $$([ "$$(id -u)" = 0 ] && echo --allow-root) $(FIRST)

lint: $(VENV)/.test-installed
	$(BIN)/ruff check stretchkit tests scripts
	$(BIN)/ruff format --check stretchkit tests scripts
	$(BIN)/mypy

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

test: lint unit nbval

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

bench: $(VENV)/.test-installed
	$(BIN)/python -m bench.run

# Only the static site's rows (time to interactive in the site, and its size): about 10 minutes.
bench-lite: $(VENV)/.test-installed
	$(BIN)/python -m bench.run --only lite

# The static JupyterLite site (see scripts/lite.py): its own venv with the `lite` dependency
# group only; Pyodide from npm, wheels from PyPI, the notebooks as contents.
$(LITE_VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(LITE_VENV)
	$(LITE_VENV)/bin/python -m pip install -q --upgrade pip
	$(LITE_VENV)/bin/python -m pip install -q --group lite
	touch $@

lite: $(LITE_VENV)/.installed
	$(LITE_VENV)/bin/python scripts/lite.py --out $(SITE)

lite-serve: lite
	@echo "serving $(SITE)/ on http://127.0.0.1:$(LITE_PORT)/lab/index.html?path=00-start-here.ipynb (Ctrl-C stops)"
	$(LITE_VENV)/bin/python -m http.server -d $(SITE) -b 127.0.0.1 $(LITE_PORT)

clean:
	rm -rf $(VENV) $(LITE_VENV) .lite $(SITE) .pytest_cache .mypy_cache .ruff_cache .hypothesis test-output
