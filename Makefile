# Cadre: `make demo` and `make test` work on a fresh clone; each sets itself up first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CHROMIUM := $(or $(CADRE_TEST_CHROMIUM),/usr/bin/chromium)
SCORER := .venv-scorer

.PHONY: setup demo test lint check bench clean

setup: $(STAMP) $(CHROMIUM)

# Re-install only when the project's dependencies change; a fresh clone builds the venv from scratch.
$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Cadre needs Python 3.11 or newer, found " + sys.version.split()[0]'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

# The browser tests drive Debian's chromium: installed once, when missing (as root, or through sudo). The package
# lists are refreshed only when the install fails, so a machine with fresh lists installs without a download of them.
$(CHROMIUM):
	@if [ "$$(id -u)" = 0 ]; then as=""; elif command -v sudo >/dev/null 2>&1; then as="sudo"; else \
		echo "make setup: the browser tests need $(CHROMIUM); installing it needs root or sudo." >&2; \
		echo "  run as root: apt-get install -y chromium" >&2; exit 1; fi; \
	if ! command -v apt-get >/dev/null 2>&1; then \
		echo "make setup: the browser tests need $(CHROMIUM) and this system has no apt-get;" >&2; \
		echo "  install Chromium there, or point CADRE_TEST_CHROMIUM at one." >&2; exit 1; fi; \
	echo "Installing Debian's chromium for the browser tests…"; \
	export DEBIAN_FRONTEND=noninteractive; \
	$$as apt-get install -y chromium || { $$as apt-get update && $$as apt-get install -y chromium; }

# The demo needs no browser: only the virtual environment. It ends by serving the console (Ctrl-C stops it).
demo: $(STAMP)
	$(BIN)/cadre demo

test: setup lint
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy src

check: test

bench: $(STAMP) $(SCORER)/.installed
	$(BIN)/python -m bench.run

# presidio-research's scorer, which the PII baseline was measured with, needs packages Cadre's environment does not
# take (pandas 3, transformers): it gets a virtual environment of its own.
$(SCORER)/.installed: bench/scorer-requirements.txt
	@test -x $(SCORER)/bin/python || $(PYTHON) -m venv $(SCORER)
	$(SCORER)/bin/python -m pip install --quiet --upgrade pip
	$(SCORER)/bin/python -m pip install --quiet -r bench/scorer-requirements.txt
	@touch $@

clean:
	rm -rf $(VENV) $(SCORER) .cadre .pytest_cache .mypy_cache .ruff_cache
