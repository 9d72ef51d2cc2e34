# Two commands for a newcomer: `make run` and `make test`. Everything else is set up on demand
# in a local virtual environment (.venv), using whatever python3 (3.11 or newer) is on the PATH.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SIZE   ?= M
BENCH_ARGS ?=
PYTEST_ARGS ?=


APP_STAMP := $(VENV)/.installed-app
APP_DIR := dist/annotation-workbench

.PHONY: run test lint bench dist clean setup app app-smoke install-desktop uninstall-desktop

run: check-window $(STAMP)
	$(BIN)/workbench gui

# Before anything is installed: the system libraries the window needs, with the apt line that
# installs them (workbench/ui/first_run.py, standard library only).
.PHONY: check-window
check-window:
	@$(PYTHON) -m workbench.ui.first_run

test: $(STAMP)
	$(BIN)/ruff check workbench tests bench
	$(BIN)/mypy
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check workbench tests bench

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m bench --size $(SIZE) $(BENCH_ARGS)

dist: $(STAMP)
	$(BIN)/python -m pip wheel --no-deps --quiet --wheel-dir dist .

# The stand-alone app: dist/annotation-workbench/ and its .tar.gz (PyInstaller, see packaging/).
app: $(APP_STAMP)
	$(BIN)/python packaging/build_app.py

# Runs the built app from a temporary folder with a clean environment (see packaging/smoke_test.py).
app-smoke: $(STAMP)
	$(BIN)/python packaging/smoke_test.py

# The app, its menu entry, icons and project file type for this user (~/.local, no root).
install-desktop:
	test -x $(APP_DIR)/annotation-workbench || $(MAKE) app
	$(PYTHON) packaging/linux/desktop_install.py install --app $(APP_DIR)

uninstall-desktop:
	$(PYTHON) packaging/linux/desktop_install.py uninstall

$(APP_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,app]'
	touch $(APP_STAMP)

setup: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed; found " + sys.version.split()[0])'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache
