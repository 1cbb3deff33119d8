# The two set-up commands are `make demo` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# The demo always runs on the embedded default: SQLite and eager Celery.
DEMO_ENV := env -u DATABASE_URL -u REDIS_URL DEBUG=1
# DEBUG is off unless set (portal/settings.py): the development commands below turn it on
# (pytest's own settings, tests/settings.py, do so too).
DEV_ENV := env DEBUG=1
# The suite names its slowest tests at the end (CI keeps an eye on its 25 minutes).
PYTEST_ARGS ?= --durations=20

.PHONY: demo test lint format bench bench-small messages clean install install-test install-bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# The demo needs the `demo` extra (Faker for the synthetic rosters), never the test tools.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[demo]'
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(VENV)/.installed $@

# The benchmarks run their peers (Splink) too: the `bench` extra.
$(VENV)/.installed-bench: pyproject.toml $(VENV)/.installed-test
	$(BIN)/pip install --quiet -e '.[test,bench]'
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test
install-bench: $(VENV)/.installed-bench

demo: install
	$(DEMO_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEMO_ENV) $(BIN)/python manage.py seed_demo --port $(PORT)
	$(DEMO_ENV) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(DEV_ENV) $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(VENV)/.installed-bench
	$(DEV_ENV) $(BIN)/python -m bench $(BENCH_ARGS)

bench-small: $(VENV)/.installed-bench
	$(DEV_ENV) $(BIN)/python -m bench --small

# Rebuild the translation catalogs (needs GNU gettext); the compiled .mo files are committed.
messages: install-test
	$(DEV_ENV) $(BIN)/python manage.py makemessages -l zh_Hans -l en --ignore=.venv --ignore=portal/static
	$(DEV_ENV) $(BIN)/python manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-* staticfiles .pytest_cache .ruff_cache test-artifacts
