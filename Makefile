# The README's two commands are `make demo` and `make test`; CI runs `.ci/run` (= `make test`,
# `make check`, `make test-latest`).
# Everything sets itself up: a pinned uv in .uv/, the locked environment in .venv/.
SHELL := /bin/bash
PYTHON ?= python3
UV_VERSION := 0.13.9
UV := .uv/bin/uv
VENV := .venv
BIN := $(VENV)/bin
export UV_PROJECT_ENVIRONMENT := $(VENV)
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: demo test test-latest check bench lint fmt clean env

$(UV):
	@$(PYTHON) -m venv .uv
	@.uv/bin/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

$(VENV)/.synced: pyproject.toml uv.lock | $(UV)
	@$(UV) sync --quiet --locked --compile-bytecode --all-extras --group dev
	@touch $@

env: $(VENV)/.synced

demo: $(VENV)/.synced
	@$(BIN)/python examples/demo.py

PYTEST := -m pytest -n 2 --dist loadgroup
NBMAKE := --nbmake --nbmake-kernel=python3 --nbmake-timeout=180

test: $(VENV)/.synced
	@$(BIN)/python $(PYTEST) \
		--cov=minimax_core --cov-report=term --cov-fail-under=95 \
		$(NBMAKE) tests notebooks

# The second CI leg: the lock's environment in its own .venv-latest, then the frameworks we
# integrate with upgraded to the newest versions the resolver can install (no versions named
# here: it falls back by itself past a release whose dependencies the registry lacks), and the
# same suite as `make test`, notebooks included (they add seconds, not minutes). The coverage gate
# (of minimax_core, which imports no framework) stays in `make test`.
LATEST := .venv-latest
LATEST_PACKAGES := langchain-core langchain langgraph llama-index-core langchain-tests

test-latest: | $(UV)
	@UV_PROJECT_ENVIRONMENT=$(LATEST) $(UV) sync --quiet --locked --compile-bytecode \
		--all-extras --group dev
	@$(UV) pip install --quiet --compile-bytecode --python $(LATEST)/bin/python \
		$(addprefix --upgrade-package ,$(LATEST_PACKAGES)) $(LATEST_PACKAGES)
	@echo "test-latest runs with:"
	@$(UV) pip show --python $(LATEST)/bin/python $(LATEST_PACKAGES) | \
		grep -E '^(Name|Version):' | paste - -
	@$(LATEST)/bin/python $(PYTEST) $(NBMAKE) tests notebooks

# ruff (lint, complexity C90 <= 15, format), mypy (strict for the packages; the tests and tools
# too), import-linter's contracts, and tools/check_sizes.py (modules <= 500 lines, functions <= 60).
# Every check runs and reports; the target fails if any of them failed.
check: $(VENV)/.synced
	@status=0; \
	$(BIN)/ruff check . || status=1; \
	$(BIN)/ruff format --check . || status=1; \
	$(BIN)/mypy || status=1; \
	$(BIN)/lint-imports || status=1; \
	$(BIN)/python tools/check_sizes.py || status=1; \
	exit $$status

fmt: $(VENV)/.synced
	@$(BIN)/ruff format .
	@$(BIN)/ruff check --fix .

# Its own environment (.venv-bench: the peers are benchmark-only), bytecode precompiled: with
# PYTHONDONTWRITEBYTECODE=1 every import would otherwise compile from source and import timings
# would mean nothing. `make bench BENCH_ARGS=--quick` for a smoke run.
bench: | $(UV)
	@UV_PROJECT_ENVIRONMENT=.venv-bench $(UV) sync --quiet --locked --compile-bytecode \
		--all-extras --group dev --group bench
	@.venv-bench/bin/python -m benchmarks $(BENCH_ARGS)

clean:
	rm -rf .uv $(VENV) $(LATEST) .pytest_cache .mypy_cache .ruff_cache .coverage htmlcov
