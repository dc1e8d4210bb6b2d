# The commands people type. `make serve` and `make test` work on a fresh clone with Python 3.11+.
PYTHON ?= python3
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
# A local secret key, made once and kept out of git, unless DJANGO_SECRET_KEY is already set.
SECRET = DJANGO_SECRET_KEY="$${DJANGO_SECRET_KEY:-$$(cat .secret-key)}"
MANAGE = $(SECRET) $(BIN)/python manage.py

.PHONY: serve test setup database lint format screenshots fuzz backup restore load bench abuse faults clean

serve: $(VENV)/.runtime .secret-key setup  ## Serve the API with gunicorn on 127.0.0.1:$(PORT)
	$(SECRET) $(BIN)/gunicorn kpdata.wsgi --config gunicorn.conf.py --bind 127.0.0.1:$(PORT)

# The tests need no collected static files: tests/settings.py serves them from the apps' folders.
test: $(VENV)/.dev .secret-key database  ## Run the whole test suite (PostgreSQL if DATABASE_URL names it)
	$(SECRET) $(BIN)/pytest $(ARGS)

setup: database  ## Migrate, load the reference dataset, collect static files
	$(MANAGE) collectstatic --noinput --verbosity 0

database: $(VENV)/.runtime .secret-key  ## Migrate and load the reference dataset
	$(MANAGE) migrate --noinput --verbosity 0
	$(MANAGE) load_reference

screenshots: $(VENV)/.dev .secret-key database  ## Refresh docs/screenshots/ (needs Chromium)
	UPDATE_SCREENSHOTS=1 $(SECRET) $(BIN)/pytest tests/test_browser.py

backup: $(VENV)/.runtime .secret-key  ## Write a snapshot of the database to var/backups/
	$(MANAGE) backup

restore: $(VENV)/.runtime .secret-key  ## Replace the database with a backup: make restore FILE=...
	@test -n "$(FILE)" || { echo "make restore needs FILE=<a backup>, e.g. one in var/backups/"; exit 2; }
	$(MANAGE) restore_backup "$(FILE)"

fuzz: $(VENV)/.dev  ## schemathesis against a live server on PostgreSQL (DATABASE_URL's server)
	.ci/fuzz $(EXAMPLES)

load: $(VENV)/.dev  ## Load test on PostgreSQL: 50 clients (10 editors racing), 60 s; fails on a lost update
	bench/load

# Statements in the benchmark's database; BENCH_STATEMENTS=100000 is the quick run (~4 min).
BENCH_STATEMENTS ?= 1000000

bench: $(VENV)/.dev  ## Benchmark the API against bench/reference.py (~12 min); see bench/RESULTS.md
	BENCH_STATEMENTS=$(BENCH_STATEMENTS) $(BIN)/python bench/bench.py

abuse: $(VENV)/.dev  ## Attack gunicorn as an anonymous client would (~3 min); see bench/RESULTS.md
	$(BIN)/python bench/abuse.py

faults: $(VENV)/.dev  ## Redis, a replica, migrate and PgBouncer failing under traffic (~4 min); see bench/RESULTS.md
	$(BIN)/python bench/faults.py

lint: $(VENV)/.dev  ## ruff: lint and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

$(VENV)/.python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "KP Data needs Python 3.11 or newer: run make PYTHON=python3.11 ...")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	@touch $@

$(VENV)/.runtime: requirements.txt | $(VENV)/.python
	$(BIN)/pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(VENV)/.python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	@touch $@ $(VENV)/.runtime

.secret-key:
	@$(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache kpdata.sqlite3
