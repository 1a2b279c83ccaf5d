# The two commands a newcomer needs: `make demo` (the main job) and `make test` (the whole suite).
# `make demo` installs only what buurtsim needs to run; `make test` (and `make install`) add the
# development extras: test tools, type checker, docs site, notebooks.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
RUNTIME_STAMP := $(VENV)/.installed-runtime

.PHONY: demo test lint typecheck docs install browser clean bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Runtime dependencies only (the demo); the full development install also satisfies it.
$(RUNTIME_STAMP): $(BIN)/python pyproject.toml setup.py
	$(BIN)/pip install --quiet -e .
	touch $(RUNTIME_STAMP)

$(STAMP): $(BIN)/python pyproject.toml setup.py
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP) $(RUNTIME_STAMP)

install: $(STAMP)

demo: $(RUNTIME_STAMP)
	$(BIN)/buurtsim demo

# Debian's chromium for the real-browser dashboard tests (Playwright's own download fails here).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium missing and cannot be installed here (need root + apt-get)"; exit 1; fi; }

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks experiments setup.py

typecheck: $(STAMP)
	$(BIN)/mypy

# The documentation site from docs/ into site/; --strict: a broken link fails the build.
docs: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet

test: $(STAMP) browser lint typecheck docs
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_model.py
	$(BIN)/python benchmarks/bench_cli.py
	$(BIN)/python benchmarks/bench_mesa_interop.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache site
