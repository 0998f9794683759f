# The README's two commands are `make demo` and `make test`; CI runs `.ci/run` (= `make test`).
# Everything sets itself up: a pinned uv in .uv/, the locked environment in .venv/.
SHELL := /bin/bash
PYTHON ?= python3
UV_VERSION := 0.13.9
UV := .uv/bin/uv
VENV := .venv
BIN := $(VENV)/bin
export UV_PROJECT_ENVIRONMENT := $(VENV)
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: demo test check bench lint fmt clean env

$(UV):
	@$(PYTHON) -m venv .uv
	@.uv/bin/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

$(VENV)/.synced: pyproject.toml uv.lock | $(UV)
	@$(UV) sync --quiet --locked --compile-bytecode --all-extras --group dev
	@touch $@

env: $(VENV)/.synced

demo: $(VENV)/.synced
	@$(BIN)/python examples/demo.py

test: $(VENV)/.synced
	@$(BIN)/python -m pytest -n 2 --dist loadgroup \
		--cov=minimax_core --cov-report=term --cov-fail-under=95 \
		--nbmake --nbmake-kernel=python3 --nbmake-timeout=180 \
		tests notebooks

check: $(VENV)/.synced
	@$(BIN)/ruff check .
	@$(BIN)/ruff format --check .
	@$(BIN)/mypy
	@$(BIN)/lint-imports

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
	rm -rf .uv $(VENV) .pytest_cache .mypy_cache .ruff_cache .coverage htmlcov
