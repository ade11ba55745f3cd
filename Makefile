# The project's verbs. `make help` lists them.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
# Local development runs with debug on; production settings need a secret key.
DEV_ENV := DJANGO_DEBUG=1

.PHONY: help run test test-fast lint check pytest clean

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

run: $(VENV)/.runtime translations ## Serve the site at http://127.0.0.1:8000 (PORT=8001 for another; creates the venv, migrates, seeds missing pages)
	@scripts/serve-dev $(PY) --check-port
	$(DEV_ENV) $(PY) manage.py migrate --noinput
	$(DEV_ENV) $(PY) manage.py createcachetable
	$(DEV_ENV) $(PY) manage.py seed_site
	@scripts/serve-dev $(PY)

lint: $(VENV)/.dev ## ruff, Django's system checks, migrations up to date, hadolint
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(DEV_ENV) $(PY) manage.py check
	$(DEV_ENV) $(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/hadolint Dockerfile

pytest: $(VENV)/.dev chromium nginx translations ## Only the pytest suite (pass arguments with ARGS=...)
	$(VENV)/bin/pytest $(ARGS)

test: lint pytest pytest-postgres ## Everything CI runs: lint, then the whole test suite on SQLite and on PostgreSQL

test-fast: $(VENV)/.dev translations ## The quick tests only (no servers, subprocesses or browsers): pytest -m "not slow"
	$(VENV)/bin/pytest -m "not slow" $(ARGS)

clean: ## Remove the virtual environment and generated files
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache

.PHONY: container-check
container-check: $(VENV)/.dev ## Build the real image with buildah and run it as operators will (slow, needs root)
	scripts/container-check

# --- Browser tests and Lighthouse (issue 7) ---------------------------------

.PHONY: chromium lighthouse nu-check

chromium: ## Install Debian's Chromium for the browser tests when it is missing (quiet, idempotent)
	@scripts/ensure-debian-packages /usr/bin/chromium chromium fonts-liberation

lighthouse: $(VENV)/.dev chromium ## Lighthouse scores of the cell therapy page (needs npm; not part of CI)
	$(PY) scripts/lighthouse.py $(ARGS)

nu-check: $(VENV)/.dev ## The W3C Nu HTML checker on the public pages (needs Java and npm; skipped with a message without)
	$(PY) scripts/nu-check $(ARGS)

# --- Security and reliability (issue 5) ---------------------------------------

.PHONY: pytest-postgres stress nginx attack-latency

nginx: ## Install Debian's nginx and openssl for the slow-client tests when missing (quiet, idempotent)
	@scripts/ensure-debian-packages /usr/sbin/nginx nginx-light
	@scripts/ensure-debian-packages openssl openssl

attack-latency: $(VENV)/.runtime nginx ## A reader's page time during each attack of issue 22 (~3 min, not part of test)
	scripts/attack_latency $(ARGS)

pytest-postgres: $(VENV)/.dev ## The pytest suite again on PostgreSQL (TEST_DATABASE_URL=postgres://...)
	@scripts/test-postgres $(ARGS)

stress: ## Load, reload, worker kill and database outage under gunicorn (~3 min, not part of test)
	scripts/stress

.PHONY: bench
bench: $(VENV)/.runtime ## The site vs a bare Django view under the shipped gunicorn config (wrk), and admin save times (~15 min)
	$(PY) scripts/bench $(ARGS)

# --- Danish and English (issue 9) --------------------------------------------

.PHONY: translations messages

translations: $(VENV)/.runtime ## Compile the Danish catalogue (locale/da) for the interface
	@scripts/ensure-debian-packages msgfmt gettext
	@$(DEV_ENV) $(PY) manage.py compilemessages -l da --ignore=.venv --ignore=staticfiles >/dev/null

messages: $(VENV)/.runtime ## Collect new interface strings into locale/da/LC_MESSAGES/django.po, to translate
	@scripts/ensure-debian-packages xgettext gettext
	$(DEV_ENV) $(PY) manage.py makemessages -l da --no-obsolete --ignore=tests --ignore=scripts --ignore=.venv
