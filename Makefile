# Two commands: `make run` (the demo forum on http://127.0.0.1:8000) and `make test`.
# Only Python 3.11+ and make are needed; PostgreSQL is embedded (see README).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell $(PYTHON) -c "import hashlib,sys;print(hashlib.md5(open('pyproject.toml','rb').read()).hexdigest()[:10])" 2>/dev/null)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test venv worker lint benchmark clean-db

venv: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c "import sys; sys.exit(sys.version_info < (3, 11))" || { echo "Python 3.11 or newer is needed (set PYTHON=python3.x)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet '.[dev]'
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

# The database, migrations, the demo, the worker and runserver; Ctrl-C stops them
# all, the database last (forum/core/devserver.py). `env`, not a VAR=1 prefix:
# make then runs the supervisor itself, with no shell between to catch the signal.
run: venv
	@env DEBUG=1 $(BIN)/python -m forum.core.devserver --host $(HOST) --port $(PORT)

# What pip cannot install (Chromium, redis-server, wrk) comes from Debian's
# packages first (scripts/test-tools.sh), then the linters and the suite.
test: lint
	@./scripts/test-tools.sh
	$(BIN)/python -m pytest

# Style, and the architecture: the import contract in pyproject.toml fails the
# build when a lower layer imports a higher one (docs/architecture.md).
lint: venv
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/lint-imports

worker: venv
	DEBUG=1 $(BIN)/python manage.py db_worker

# Stops this checkout's embedded PostgreSQL first (whoever holds it), then wipes it.
clean-db:
	@if [ -x $(BIN)/python ]; then \
	  $(BIN)/python -m forum.core.database --data-dir .pgdata stop --force; fi
	rm -rf .pgdata .pgdata.lock
