# The README's commands. Needs only python3 (>= 3.11) and make; everything else is installed into .venv.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
LOCK   := requirements/dev.lock
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml $(LOCK) | cksum | cut -d' ' -f1)
HOST   ?= 127.0.0.1
PORT   ?= 8000
CUSTOMERS ?= 200
SEED   ?= 42
PYTEST_ARGS ?=
LOCK_ARGS ?=
# Test workers (pytest-xdist): one per core by default; TEST_WORKERS=0 runs in this process.
TEST_WORKERS ?= auto
# The day `make test-future` runs the suite on (see docs/testing.md).
FUTURE_DAY ?= 2031-06-30

.PHONY: install lock demo serve setup test test-future test-fast lint bench messages clean help

help:
	@echo "make demo   build everything, load demo data, serve http://$(HOST):$(PORT) (gunicorn + queue consumer)"
	@echo "make serve  the development server (runserver) on http://$(HOST):$(PORT)"
	@echo "make test   run the test suite (DATABASE_URL=postgres://... make test for PostgreSQL)"
	@echo "make test-future  the test suite with the clock at $(FUTURE_DAY)"
	@echo "make lint   ruff, the import-linter contracts and mypy"
	@echo "make lock   refresh $(LOCK) from pyproject.toml's ranges (then commit it)"
	@echo "make bench  arms bench --invoices 100000 on a scratch database"

# Installs exactly the versions (and file hashes) in the lock, then ARMS itself without resolving again: every
# checkout, CI included, gets the same environment. pyproject.toml keeps the loose ranges for library users.
$(STAMP): pyproject.toml $(LOCK)
	$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "ARMS needs Python 3.11 or newer")'
	bash scripts/system-deps
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

# Resolve pyproject.toml's [dev] ranges afresh for Python 3.11 (the oldest supported) and write the lock with
# hashes, keeping the pinned versions that still fit (LOCK_ARGS=--upgrade takes the newest releases). Run it
# after changing a dependency in pyproject.toml and commit the lock with the change.
lock: install
	$(BIN)/python -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "make lock runs on Python 3.11")'
	$(BIN)/pip-compile --quiet $(LOCK_ARGS) --extra dev --generate-hashes --strip-extras --allow-unsafe \
	  --no-emit-index-url --no-emit-find-links -o $(LOCK) pyproject.toml

setup: install
	$(BIN)/arms setup

# The demo is served as production is (gunicorn with DEBUG off, WhiteNoise, a Huey consumer beside it), on SQLite
# under var/ with the settings arms.settings.demo; Ctrl-C stops both processes. Links in e-mails name HOST:PORT.
DEMO_ENV := DJANGO_SETTINGS_MODULE=arms.settings.demo ARMS_BASE_URL=http://$(HOST):$(PORT)
demo: install
	$(DEMO_ENV) $(BIN)/arms setup
	$(DEMO_ENV) $(BIN)/arms seed --customers $(CUSTOMERS) --seed $(SEED) --if-empty
	@$(DEMO_ENV) $(BIN)/arms demo_logins
	$(DEMO_ENV) $(BIN)/arms demo_serve --bind $(HOST):$(PORT)

# Development: Django's runserver (reloads on change, debug pages), no queue consumer (run `arms run_huey` beside it).
serve: setup
	ARMS_DEBUG=1 ARMS_BASE_URL=http://$(HOST):$(PORT) $(BIN)/arms runserver $(HOST):$(PORT)

# In parallel and in a random order (pytest-randomly prints its seed: PYTEST_ARGS="-p randomly
# --randomly-seed=N" repeats an order, "-p no:randomly" runs in file order).
test: install
	$(BIN)/python -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

# The same suite years ahead: a test that hard-codes a date near today fails here first.
test-future: install
	ARMS_TEST_TODAY=$(FUTURE_DAY) $(BIN)/python -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check src tests
	$(BIN)/lint-imports
	$(BIN)/mypy

# The benchmark writes a great many rows: it runs on a scratch SQLite file, never on the demo database.
BENCH_DIR ?= /tmp/arms-bench-var
BENCH_INVOICES ?= 100000
BENCH_ALSO ?=
bench: install
	rm -rf $(BENCH_DIR) && mkdir -p $(BENCH_DIR)
	ARMS_VAR_DIR=$(BENCH_DIR) DATABASE_URL=sqlite:///$(BENCH_DIR)/bench.sqlite3 $(BIN)/arms setup
	ARMS_VAR_DIR=$(BENCH_DIR) DATABASE_URL=sqlite:///$(BENCH_DIR)/bench.sqlite3 $(BIN)/arms bench --invoices $(BENCH_INVOICES) $(if $(BENCH_ALSO),--also $(BENCH_ALSO))

# Refresh the zh-hans and English catalogues from the source and compile them; lists what is left to translate.
messages: install
	BIN=$(CURDIR)/$(BIN) bash scripts/messages

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache .hypothesis .mypy_cache
