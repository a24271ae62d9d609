# Two commands on a fresh machine with Python 3.11+: `make dev` and `make test`.
PYTHON ?= python3
UV_VERSION := 0.13.9
TOOLS := .hrcore/tools
UV := $(TOOLS)/bin/uv
VENV := .venv
BIN := $(VENV)/bin
PYTEST_WORKERS ?= 2
export UV_PYTHON := $(PYTHON)
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: dev test lint typecheck contracts openapi-check pytest openapi messages migrate clean

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet "uv==$(UV_VERSION)"

# `make dev` installs what running needs: the dependencies and the embedded stack, not the
# dev group's test and lint tools (mypy, moto, schemathesis…) that every other target adds.
# Installing for running leaves the tools in place (--inexact): switching costs nothing.
$(VENV)/.synced-run: $(UV) uv.lock pyproject.toml
	$(UV) sync --frozen --all-extras --no-dev --inexact
	@touch $@

$(VENV)/.synced: $(UV) uv.lock pyproject.toml
	$(UV) sync --frozen --all-extras
	@touch $@

## dev: the API and the worker on embedded PostgreSQL and Redis, with demo data
dev: $(VENV)/.synced-run
	$(BIN)/hrcore dev

## test: lint, types, import contracts, OpenAPI freshness and the whole suite
test: lint typecheck contracts openapi-check pytest

lint: $(VENV)/.synced
	$(BIN)/ruff check src tests migrations bench
	$(BIN)/ruff format --check src tests migrations bench

typecheck: $(VENV)/.synced
	$(BIN)/mypy

contracts: $(VENV)/.synced
	$(BIN)/lint-imports

openapi-check: $(VENV)/.synced
	$(BIN)/hrcore openapi --check

## pytest: the suite on PYTEST_WORKERS xdist workers (each with its own database and Redis db),
## a module to one worker so module-scoped fixtures (the fault tests' stack) are built once.
## Bytecode is written even where PYTHONDONTWRITEBYTECODE is set: every subprocess the suite
## starts (CLI, worker, served app, schemathesis) would otherwise compile its imports again.
pytest: $(VENV)/.synced
	env -u PYTHONDONTWRITEBYTECODE $(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadscope

## openapi: regenerate openapi/openapi.json after changing routes or schemas
openapi: $(VENV)/.synced
	$(BIN)/hrcore openapi

LOCALES := src/hrcore/locale
## messages: extract every message from the code into both catalogs; translate what is new
## (empty msgstr) in $(LOCALES)/*/LC_MESSAGES/messages.po — the pytest check fails until then
messages: $(VENV)/.synced
	$(BIN)/pybabel extract -F babel.cfg --no-default-keywords -k _ -k N_ -k _n:1,2 \
		--no-location --sort-output --width 100 --project=hrcore -o $(LOCALES)/messages.pot .
	$(BIN)/pybabel update -i $(LOCALES)/messages.pot -d $(LOCALES) -D messages \
		--no-fuzzy-matching --ignore-obsolete --width 100
	@rm $(LOCALES)/messages.pot
	@# no extraction timestamp: branches that add messages should not conflict on it
	@sed -i '/^"POT-Creation-Date:/d' $(LOCALES)/*/LC_MESSAGES/messages.po

migrate: $(VENV)/.synced
	$(BIN)/hrcore migrate

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
