# Two commands for a newcomer: `make run` and `make test`. Everything else is set up on demand
# in a local virtual environment (.venv), using whatever python3 (3.11 or newer) is on the PATH.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SIZE   ?= M
BENCH_ARGS ?=
PYTEST_ARGS ?=


.PHONY: run test lint bench dist clean setup

run: check-window $(STAMP)
	$(BIN)/workbench gui

# Before anything is installed: the system libraries the window needs, with the apt line that
# installs them (workbench/ui/first_run.py, standard library only).
.PHONY: check-window
check-window:
	@$(PYTHON) -m workbench.ui.first_run

test: $(STAMP)
	$(BIN)/ruff check workbench tests bench
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check workbench tests bench

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m bench --size $(SIZE) $(BENCH_ARGS)

dist: $(STAMP)
	$(BIN)/python -m pip wheel --no-deps --quiet --wheel-dir dist .

setup: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed; found " + sys.version.split()[0])'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache
