# eBilim — every set-up step lives here, so a fresh machine needs only
# Python 3.11+, Node/npm and make.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY_STAMP := $(VENV)/.installed
JS_STAMP := frontend/node_modules/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
STUDENTS ?= 600

.PHONY: install run test bench lint format messages clean

install: $(PY_STAMP) $(JS_STAMP)

$(PY_STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

$(JS_STAMP): frontend/package.json frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Serve the demo university on http://$(HOST):$(PORT) with the job worker beside it.
run: install
	DEBUG=1 $(BIN)/python manage.py migrate --no-input
	DEBUG=1 $(BIN)/python manage.py seed_demo --students $(STUDENTS)
	DEBUG=1 $(BIN)/python manage.py collectstatic --no-input --verbosity 0
	DEBUG=1 HOST=$(HOST) PORT=$(PORT) BIN=$(BIN) deploy/run-local.sh

# The whole suite: embedded default unless DATABASE_URL / REDIS_URL are set.
test: install
	$(BIN)/pytest $(PYTEST_ARGS)

bench: install
	$(BIN)/python -m tests.bench

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Regenerate the ky/ru catalogues after changing user-facing strings.
messages: install
	$(BIN)/python manage.py makemessages --all --ignore=.venv --ignore=frontend/node_modules --ignore=var
	$(BIN)/python manage.py makemessages --all -d djangojs --ignore=.venv --ignore=frontend/node_modules --ignore=var
	$(BIN)/python manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) frontend/node_modules var
