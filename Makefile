# Two commands from a fresh clone: `make demo` and `make test`. Everything installs into .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CORPUS ?= ../shared/corpus

.PHONY: setup demo test lint bench bench-extract bench-edits clean screenshots browser-deps

setup: $(STAMP)

# Installs with uv (from the package registry, into the venv): the same releases as pip, in 27 s of
# CPU and 39 s of wall time against pip 26's 34 s and 96 s (fresh venv, no cache, a loaded
# machine, session 13). uv itself comes from the registry through the pip of $(PYTHON) (`pip
# --python`, pip 22.3 or later) into a venv made without pip: Python's ensurepip cost 8-9 s of CPU
# (session 18) for pip 23.2.1 and setuptools 65.5, kept only because datasette and sqlite-utils
# require some pip and setuptools; uv now installs their current releases (pip 26.3, setuptools
# 84.2.1 in session 18), every other package as before (pip freeze compared). Where $(PYTHON) has
# no such pip, ensurepip first; where uv cannot be installed or fails, pip 26 or later: it costs
# half the CPU of Python 3.11's bundled pip 23.2.1 (67.5 s, session 12), which also cannot install
# the bench extra ("Candidate is not for this requirement lxml[html-clean,html-clean]").
pip = { $(BIN)/python -m pip --version >/dev/null 2>&1 || $(BIN)/python -m ensurepip --default-pip >/dev/null; }
uv = { test -x $(BIN)/uv || $(PYTHON) -m pip --python $(BIN)/python install --quiet 'uv>=0.13,<1' \
	|| { $(pip) && $(BIN)/python -m pip install --quiet 'uv>=0.13,<1'; }; }
install = { $(uv) && $(BIN)/uv pip install --python $(BIN)/python --quiet $(1); } \
	|| { $(pip) && $(BIN)/python -m pip install --quiet 'pip>=26' && $(BIN)/python -m pip install --quiet $(1); }

# Byte-compiled once here, as pip does: this machine sets PYTHONDONTWRITEBYTECODE, so what is not
# compiled here is compiled again by every process that imports it (each `scrapy crawl`, each test
# worker). Everything but what no Redline process imports: the packages' own test suites, the
# installers (pip, setuptools), mypy (compiled to C; its .py files are not read) and Twisted's
# protocols Scrapy never loads: 3,526 files instead of 5,215, 20-22 s of CPU against 29-35 s for
# the whole venv (compileall -j0, alternated, load 15-19, session 18). Also bench, tools and the
# tests' helpers, which the tests import (pytest compiles the test modules themselves,
# tests/conftest.py). A module left out still works: it is compiled where it is imported.
NOT_COMPILED := /site-packages/(pip|setuptools|pkg_resources|_distutils_hack|mypy|mypyc)/|/site-packages/.*/tests?/|/twisted/(conch|mail|words|names|trial|spread|positioning|pair|runner|news)/|(^|/)tests/(test_[^/]*|conftest)\.py$$
compile = $(BIN)/python -m compileall -q -j0 -x '$(NOT_COMPILED)' \
	"$$($(BIN)/python -c 'import sysconfig; print(sysconfig.get_path("purelib"))')" \
	monitor crawler bench tools tests

EXTRAS := test,cluster,browser
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv --without-pip $(VENV)
	$(call install,-e '.[$(EXTRAS)]')
	$(compile)
	touch $(STAMP)

demo: setup
	$(BIN)/redline demo
	@echo "redline is installed in $(BIN): run it as $(BIN)/redline, or 'source $(BIN)/activate' first, then redline --help"

# The suite in pytest-xdist processes, one per core plus two (tests/conftest.py;
# TEST_WORKERS=0: in this process only).
# The tests are handed out by tests/conftest.py's scheduler (pytest_xdist_make_scheduler): each
# worker is handed its next test when it finishes one, in collection order, so the longest tests
# (LONGEST_FIRST) start first, one per free worker; the tests sharing an expensive set-up
# (PostgreSQL, a module's Chromium: SHARED_SETUP_GROUPS) go to one worker together.
TEST_WORKERS ?= auto
test: setup postgres-deps
	$(BIN)/python -m pytest -q -n $(TEST_WORKERS)

lint: setup
	$(BIN)/ruff check monitor crawler tests bench tools
	$(BIN)/ruff format --check monitor crawler tests bench tools
	$(BIN)/mypy

bench: bench-extract bench-edits bench-site-template bench-pathological bench-crawl bench-store bench-memory bench-cluster bench-cluster-ops

bench-extract: setup
	$(BIN)/python -m bench.extract --corpus $(CORPUS)

bench-edits: setup
	$(BIN)/python -m bench.edits --corpus $(CORPUS)

# A site changing its template in one round (issue 21): before and after site memory.
.PHONY: bench-site-template
bench-site-template: setup
	$(BIN)/python -m bench.site_template --corpus $(CORPUS)

# The comparison's worst cases (issue 16): time and peak memory of each pathological input,
# each in its own process, and the worst of them.
.PHONY: bench-pathological
bench-pathological: setup
	$(BIN)/python -m bench.pathological

# README pictures (docs/*.png) from `redline demo` and a real `redline serve`, in headless Chromium.
screenshots: setup
	$(BIN)/python -m tools.screenshots --out docs

# Debian's Chromium for tests/test_browser.py and `make screenshots`; best effort (needs root and
# apt-get), the browser tests skip with a reason where it is missing.
browser-deps:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 \
		|| { command -v apt-get >/dev/null 2>&1 && (apt-get update -qq && \
		     DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) ; } \
		|| echo "browser-deps: could not install chromium; the browser tests will skip"

# Debian's PostgreSQL server for the cluster tests (tests/pg.py starts one in a temporary
# directory); best effort (needs root and apt-get), the cluster tests skip with a reason otherwise.
.PHONY: postgres-deps
postgres-deps:
	@test -x "$$(pg_config --bindir 2>/dev/null)/initdb" || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 \
		|| { command -v apt-get >/dev/null 2>&1 && (apt-get update -qq && \
		     DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql) ; } \
		|| echo "postgres-deps: could not install postgresql; the cluster tests will skip"

clean:
	rm -rf $(VENV) build *.egg-info

# Performance benchmarks (issue 7): check rounds against a bare Scrapy spider, the store at
# 1M versions (needs ~8 GB free under $$TMPDIR, removed afterwards), a round's memory.
.PHONY: bench-crawl bench-store bench-memory
BENCH_STAMP := $(VENV)/.bench-installed
BENCH_EXTRAS := test,cluster,bench

$(BENCH_STAMP): pyproject.toml $(STAMP)
	$(call install,-e '.[$(BENCH_EXTRAS)]')
	$(compile)
	touch $(BENCH_STAMP)

# Byte-compile the project before a benchmark, as an installed package would be: where
# PYTHONDONTWRITEBYTECODE is set, every `scrapy crawl` would otherwise recompile it (~0.3 s).
.PHONY: bench-compile
bench-compile: $(BENCH_STAMP)
	$(BIN)/python -m compileall -q monitor crawler bench

# A browser fetch against a static one, per page, side by side (issue 25).
.PHONY: bench-render
bench-render: setup
	$(BIN)/python -m bench.render --corpus $(CORPUS)

bench-crawl: bench-compile
	$(BIN)/python -m bench.crawl --corpus $(CORPUS)

bench-store: bench-compile
	$(BIN)/python -m bench.store --corpus $(CORPUS)

bench-memory: bench-compile
	$(BIN)/python -m bench.memory --corpus $(CORPUS)

# One node against three on the same pages beside the single-machine daemon, and the capacity
# model (issue 13); starts its own PostgreSQL like the tests (make postgres-deps).
.PHONY: bench-cluster
bench-cluster: bench-compile postgres-deps
	$(BIN)/python -m bench.cluster --corpus $(CORPUS)

.PHONY: bench-cluster-ops
bench-cluster-ops: setup postgres-deps
	$(BIN)/python -m bench.cluster_ops
