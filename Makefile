# Two commands for a fresh machine with Python 3.11+ and make:
#   make lab    set up .venv and open the course in JupyterLab
#   make test   set up .venv with the test extras and run every test
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8888
SLIDES_PORT ?= 8866
LESSON ?= 00-start-here
# Slides leave the presenter's own journal alone unless JOURNAL=mine.
JOURNAL ?= class
LITE_VENV := .venv-lite
SITE   ?= _site
LITE_PORT ?= 8000

.PHONY: lab test lint unit nbval notebooks nav sources figures bench bench-lite slides lite lite-serve learner-view pose-model \
	hub-check hub-test hub-link clean help
.DEFAULT_GOAL := help

# Every target with a "## " comment is listed by `make help` (tests/test_setup.py checks
# that the README names no target missing from it).
help: ## list these targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/^([a-z-]+):.*## /\1\t/' | \
	  awk -F '\t' '{ printf "make %-11s %s\n", $$1, $$2 }'

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Python 3.11 or newer is needed")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# The camera check's pose model, library and wasm files, from npm (scripts/pose_model.py; not in git):
# the package data of an editable install, the wheel and the site. Without npm, lab and test go on
# (the camera check says its files are missing); make pose-model and make lite need npm.
POSE_MODEL := stretchkit/static/pose-model/NOTICE.md
$(POSE_MODEL): scripts/pose_model.py
	$(PYTHON) scripts/pose_model.py --optional

pose-model: ## fetch the camera check's pose model and library from npm into the package
	$(PYTHON) scripts/pose_model.py

# Stamps make re-runs fast: pip runs again only when pyproject.toml changes.
$(VENV)/.lab-installed: pyproject.toml | $(BIN)/python $(POSE_MODEL)
	$(BIN)/python -m pip install -q -e '.[lab]'
	touch $@

$(VENV)/.test-installed: pyproject.toml | $(BIN)/python $(POSE_MODEL)
	$(BIN)/python -m pip install -q -e '.[lab,test]'
	touch $@ $(VENV)/.lab-installed

$(VENV)/.hub-installed: pyproject.toml | $(BIN)/python $(POSE_MODEL)
	$(BIN)/python -m pip install -q -e '.[lab,hub]'
	touch $@ $(VENV)/.lab-installed

# The course's lab settings live in lab/jupyter_lab_config.py: the lessons folder as the
# root, the printed address opening lesson 00, offline and quiet (no extension-manager calls
# to PyPI, no news pop-up, no update checks). --allow-root only when run as root (containers).
# LAB_ARGS adds options, e.g. make lab LAB_ARGS=--no-browser
LAB_ARGS ?=
lab: $(VENV)/.lab-installed ## set up .venv and open the course in JupyterLab (lesson 00)
	$(BIN)/jupyter lab --config=lab/jupyter_lab_config.py --port=$(PORT) \
	  $$([ "$$(id -u)" = 0 ] && echo --allow-root) $(LAB_ARGS)

# mypy --strict type-checks the package, the tests, the scripts and the benchmarks (the
# files listed under [tool.mypy] in pyproject.toml).
lint: $(VENV)/.test-installed ## ruff and mypy only
	$(BIN)/ruff check stretchkit tests scripts hub bench
	$(BIN)/ruff format --check stretchkit tests scripts hub bench
	$(BIN)/mypy

# Two workers, each taking whole test files (a file's fixtures, such as one learner's browser
# in the site test, stay on one worker); --durations lists the slowest for whoever speeds them up.
unit: $(VENV)/.test-installed ## unit and browser tests only (pytest)
	$(BIN)/python -m pytest -n 2 --dist loadfile --durations=15

# Strict nbval (not --nbval-lax) on a temporary copy of the lessons with a fresh, empty
# journal, so outputs match the committed ones and a learner's own files are never touched;
# --dist loadfile keeps each notebook's cells in one kernel (see scripts/nbval.py).
nbval: $(VENV)/.test-installed ## strict nbval over every lesson, on a temporary copy
	$(BIN)/python scripts/nbval.py -n 2 --dist loadfile

# hub-test is hub-check as part of make test: without root it says it was skipped (an error in CI).
test: lint unit nbval hub-test ## set up .venv with the test tools; lint, unit, browser, notebook and class-hub tests
notebooks: $(VENV)/.test-installed ## regenerate lessons 02-06 from their template, then re-execute every lesson
	$(BIN)/python scripts/technique_lessons.py
	$(BIN)/python scripts/nav.py
	$(BIN)/python scripts/run_notebooks.py

nav: $(VENV)/.test-installed ## regenerate the links between lessons and the contents list
	$(BIN)/python scripts/nav.py

sources: $(VENV)/.test-installed ## regenerate docs/sources.md (every source and the claims citing it) from the content
	$(BIN)/python scripts/sources_doc.py

# COURSE=FILE draws an educator's own stretches (an overlay course) into assets/ as well.
COURSE ?=
figures: $(VENV)/.test-installed ## redraw the illustrations in assets/ (COURSE=FILE adds an educator's own)
	$(BIN)/python -m stretchkit.figures assets $(if $(COURSE),--course "$(COURSE)")

# Present one lesson as reveal.js slides through Voila, offline, with live widgets.
slides: $(VENV)/.lab-installed ## present a lesson as slides, e.g. make slides LESSON=04-hamstring-stretch
	$(BIN)/python scripts/slides.py "$(LESSON)" --port $(SLIDES_PORT) --journal $(JOURNAL)

# JupyterHub for a class (docs/classroom.md). hub-link needs only Python's standard library.
HUB    ?=
REPO   ?=
BRANCH ?=
hub-link: ## the class's nbgitpuller link to lesson 00: make hub-link HUB=https://hub.example.org [REPO=...]
	@$(PYTHON) scripts/hub_link.py "$(HUB)" --repo "$(REPO)" --branch "$(BRANCH)"

# A real hub (PyPI) and proxy (npm) on 127.0.0.1, ten students at once; installs what it needs.
hub-check: $(VENV)/.hub-installed ## a real JupyterHub on 127.0.0.1 with ten students at once (needs root)
	$(BIN)/python scripts/hub_check.py

hub-test: $(VENV)/.hub-installed ## hub-check as make test runs it: skipped without root (an error in CI)
	$(BIN)/python scripts/hub_check.py --optional

# The static JupyterLite site (see scripts/lite.py and docs/lite.md): its own venv with the
# `lite` dependency group only; Pyodide from npm, wheels from PyPI, the notebooks as contents.
$(LITE_VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(LITE_VENV)
	$(LITE_VENV)/bin/python -m pip install -q --upgrade pip
	$(LITE_VENV)/bin/python -m pip install -q --group lite
	touch $@

lite: $(LITE_VENV)/.installed ## build the course as a static JupyterLite site in _site/ (no install for learners)
	$(LITE_VENV)/bin/python scripts/lite.py --out $(SITE)

lite-serve: lite ## build the site and serve it on http://127.0.0.1:8000/ (learners open that address)
	@echo "serving $(SITE)/ (Ctrl-C stops)"
	@echo "  learners (the lessons, no code): http://127.0.0.1:$(LITE_PORT)/"
	@echo "  the code, in JupyterLab:         http://127.0.0.1:$(LITE_PORT)/lab/index.html?path=00-start-here.ipynb"
	$(LITE_VENV)/bin/python -m http.server -d $(SITE) -b 127.0.0.1 $(LITE_PORT)

# The learner's view front-end extension (lab/learner-view/): only its developers need node and
# npm; the build is committed, and tests/test_learner_view_build.py checks it matches the source.
learner-view: $(VENV)/.lab-installed ## rebuild the learner's view extension (needs node and npm)
	$(BIN)/python scripts/learner_view.py

# ONLY=hub (or accuracy, validation, import, interactive, lite, camera) runs one benchmark and updates its rows.
ONLY ?=
bench: $(VENV)/.test-installed $(VENV)/.hub-installed ## run the benchmarks and write bench/results.md (ONLY=hub: just one)
	$(BIN)/python -m bench.run $(if $(ONLY),--only $(ONLY))

# Only the static site's rows (time to interactive in the site, and its size): about 10 minutes.
bench-lite: $(VENV)/.test-installed ## the static site's benchmarks only
	$(BIN)/python -m bench.run --only lite

clean: ## remove the virtual environments, the built site and the caches
	rm -rf $(VENV) $(LITE_VENV) .lite $(SITE) .pytest_cache .mypy_cache .ruff_cache .hypothesis test-output
