# Cadre: `make demo` and `make test` work on a fresh clone; each sets itself up first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup demo test lint check bench clean

setup: $(STAMP)

# Re-install only when the project's dependencies change; a fresh clone builds the venv from scratch.
$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Cadre needs Python 3.11 or newer, found " + sys.version.split()[0]'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

demo: setup
	$(BIN)/cadre demo

test: setup lint
	$(BIN)/python -m pytest -q

lint: setup
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy src

check: test

bench: setup
	$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) .cadre .pytest_cache .mypy_cache .ruff_cache
