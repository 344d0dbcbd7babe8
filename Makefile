# The README's two commands: `make run` and `make test`. Both set up .venv on first use.
#
#   make run [ARGS="--db PATH"]   open the program (ARGS go to python -m sijoint_exam)
#   make test                     ruff, ruff format --check, lint-imports, mypy, pytest (headless)
#   make lint                     the four checks without pytest
#   make bench                    the benchmarks in bench/
#   make wheel                    the sdist and the wheel, in dist/
#   make bundle                   the PyInstaller one-folder bundle, dist/sijoint-exam/
#   make bundle-test              build the bundle, then run it offscreen and under Xvfb
#   make venv                     only set up .venv
#   make clean                    remove .venv, caches and build output
#
# .venv is (re)installed only when pyproject.toml is newer than its stamp. Qt's system
# libraries are checked once per install (scripts/bootstrap-system.sh). Choose the
# interpreter with PYTHON=/path/to/python3.11 if the one found is not the one you want.

SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
BIN := $(VENV)/bin
VENV_STAMP := $(VENV)/.installed-from-pyproject
BUNDLE_STAMP := $(VENV)/.installed-bundle-extra
SYSTEM_STAMP_headless := $(VENV)/.system-libs-headless
SYSTEM_STAMP_window := $(VENV)/.system-libs-window
SYSTEM_STAMP_server := $(VENV)/.system-libs-server
SYSTEM_STAMP_pdf-tools := $(VENV)/.system-libs-pdf-tools
PYTHON ?=
ARGS ?=

# `make run` with QT_QPA_PLATFORM=offscreen (or minimal) needs no xcb libraries.
RUN_MODE := $(if $(filter offscreen minimal,$(QT_QPA_PLATFORM)),headless,window)

.PHONY: help run test lint bench venv clean wheel bundle bundle-test

help:
	@sed -n '3,11p' Makefile | sed 's/^# \{0,1\}//'

run: $(SYSTEM_STAMP_$(RUN_MODE)) $(VENV_STAMP)
	$(BIN)/python -m sijoint_exam $(ARGS)

# tests/packaging builds the bundle too (offscreen checks), so PyInstaller is installed.
# The clinic-server tests start their own PostgreSQL (its binaries installed if missing);
# the PDF tests read the files with qpdf and poppler (installed if missing, as root).
test: lint $(BUNDLE_STAMP) $(SYSTEM_STAMP_server) $(SYSTEM_STAMP_pdf-tools)
	QT_QPA_PLATFORM=offscreen $(BIN)/pytest

lint: $(SYSTEM_STAMP_headless) $(VENV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/python scripts/mypy_gate.py

bench: $(SYSTEM_STAMP_headless) $(SYSTEM_STAMP_server) $(VENV_STAMP)
	@test -f bench/run.py || { echo "make bench: bench/run.py does not exist yet." >&2; exit 1; }
	$(BIN)/python bench/run.py

venv: $(SYSTEM_STAMP_headless) $(VENV_STAMP)

# `python -m build` makes the sdist, then the wheel from it: no stale build/lib.
wheel: $(VENV_STAMP)
	rm -f dist/sijoint_exam-*.whl dist/sijoint_exam-*.tar.gz
	$(BIN)/python -m build --outdir dist .

bundle: $(SYSTEM_STAMP_window) $(VENV_STAMP) $(BUNDLE_STAMP)
	$(BIN)/python packaging/build_bundle.py

# Offscreen and under Xvfb (installed with apt-get when missing, as root); the
# screenshot of the running window lands in build/bundle/screenshot.png.
bundle-test: bundle
	$(BIN)/python packaging/check_bundle.py dist/sijoint-exam --screenshot build/bundle/screenshot.png

$(BUNDLE_STAMP): pyproject.toml $(VENV_STAMP)
	$(BIN)/python -m pip install -e '.[dev,bundle]'
	@touch $@

$(VENV_STAMP): pyproject.toml
	@if { [ -e $(BIN)/python ] || [ -L $(BIN)/python ]; } && ! $(BIN)/python -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then \
	    echo "$(VENV) exists but its Python does not run or is older than 3.11; run 'make clean' first." >&2; \
	    exit 1; \
	fi
	@if [ ! -e $(BIN)/python ]; then \
	    py='$(PYTHON)'; \
	    if [ -z "$$py" ]; then \
	        if python3.11 -c '' >/dev/null 2>&1; then py=python3.11; else py=python3; fi; \
	    fi; \
	    if ! "$$py" -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1; then \
	        found=$$(command -v "$$py" >/dev/null && "$$py" --version 2>&1 || echo "no $$py"); \
	        echo "sijoint-exam needs Python 3.11 or newer; found: $$found." >&2; \
	        echo "Install Python 3.11, or run e.g. 'make $(or $(MAKECMDGOALS),venv) PYTHON=/path/to/python3.11'." >&2; \
	        exit 1; \
	    fi; \
	    echo "Creating $(VENV) with $$("$$py" --version 2>&1) ($$(command -v "$$py"))"; \
	    "$$py" -m venv $(VENV); \
	fi
	$(BIN)/python -m pip install -e '.[dev]'
	@touch $@

# One stamp per mode, inside .venv (so `make clean` forgets it); checked again only when
# pyproject.toml or the script changes, so later runs cost nothing.
$(SYSTEM_STAMP_headless) $(SYSTEM_STAMP_window) $(SYSTEM_STAMP_server) $(SYSTEM_STAMP_pdf-tools): $(VENV)/.system-libs-%: pyproject.toml scripts/bootstrap-system.sh
	bash scripts/bootstrap-system.sh --$*
	@mkdir -p $(VENV) && touch $@

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache .hypothesis .import_linter_cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
