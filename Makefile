# Two commands from a fresh clone: `make demo` and `make test`. Everything installs into .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CORPUS ?= ../shared/corpus

.PHONY: setup demo test lint bench bench-extract bench-edits clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: setup
	$(BIN)/redline demo

test: setup
	$(BIN)/python -m pytest -q

lint: setup
	$(BIN)/ruff check monitor crawler tests bench
	$(BIN)/ruff format --check monitor crawler tests bench
	$(BIN)/mypy

bench: bench-extract bench-edits

bench-extract: setup
	$(BIN)/python -m bench.extract --corpus $(CORPUS)

bench-edits: setup
	$(BIN)/python -m bench.edits --corpus $(CORPUS)

clean:
	rm -rf $(VENV) build *.egg-info
