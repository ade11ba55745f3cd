# The project's verbs. `make help` lists them.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
# Local development runs with debug on; production settings need a secret key.
DEV_ENV := DJANGO_DEBUG=1

.PHONY: help run test lint check pytest clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(PY):
	@python=$$(scripts/find-python) || exit 1; \
	echo "Creating $(VENV) with $$python"; \
	"$$python" -m venv $(VENV)

$(VENV)/.runtime: $(PY) requirements.txt
	$(PY) -m pip install --disable-pip-version-check -q -r requirements.txt
	@touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(PY) -m pip install --disable-pip-version-check -q -r requirements-dev.txt
	@touch $@

run: $(VENV)/.runtime ## Serve the site at http://127.0.0.1:8000 (creates the venv, migrates, loads the pages)
	$(DEV_ENV) $(PY) manage.py migrate --noinput
	@echo
	@echo "  The site: http://127.0.0.1:8000/   The admin: http://127.0.0.1:8000/admin/"
	@echo "  Make an admin user with:  DJANGO_DEBUG=1 $(PY) manage.py createsuperuser"
	@echo
	$(DEV_ENV) $(PY) manage.py runserver 127.0.0.1:8000

lint: $(VENV)/.dev ## ruff, Django's system checks, migrations up to date, hadolint
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(DEV_ENV) $(PY) manage.py check
	$(DEV_ENV) $(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/hadolint Dockerfile

pytest: $(VENV)/.dev ## Only the pytest suite (pass arguments with ARGS=...)
	$(VENV)/bin/pytest $(ARGS)

test: lint pytest ## Everything CI runs: lint and the whole test suite

clean: ## Remove the virtual environment and generated files
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache

.PHONY: bench
bench: $(VENV)/.runtime ## Page views vs a bare Django view under gunicorn + wrk (BENCH_POSTGRES_URL=... adds PostgreSQL)
	$(PY) scripts/bench $(ARGS)
