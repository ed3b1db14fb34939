# Admin Center. Two commands set everything up on a fresh machine:
#   make run    virtualenv, dependencies, translations, database, demo data, then serve on :8000
#   make test   virtualenv, dependencies, translations, lint, migration check, the whole test suite
#               (browser tests included: Chromium, the Korean font and axe-core are installed on first use)
#   make screenshots   a PNG of every page per role, language and width in var/screenshots/
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
# The address links in emails, notices and KakaoTalk messages point to: where `make run` serves,
# unless told otherwise (behind a proxy, or with HOST=0.0.0.0, set SITE_URL to the public one).
SITE_URL ?= http://$(HOST):$(PORT)

.PHONY: run test test-sqlite lint venv messages migrate seed serve bench drills worker beat check-deploy clean fraud-eval browser-deps screenshots

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.txt
	touch $@

venv: $(VENV)/.installed

# compilemessages needs GNU gettext's msgfmt.
messages: venv
	@command -v msgfmt >/dev/null || { echo "Installing gettext (msgfmt) ..."; \
	  if [ "$$(id -u)" = 0 ]; then apt-get install -y -qq gettext >/dev/null || { apt-get update -qq && apt-get install -y -qq gettext >/dev/null; }; \
	  else sudo apt-get install -y -qq gettext >/dev/null; fi; }
	$(PY) manage.py compilemessages --ignore=.venv --verbosity 0

migrate: venv
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_demo

run: messages seed
	$(PY) manage.py collectstatic --noinput --verbosity 0
	@echo ""
	@echo "Admin Center: http://$(HOST):$(PORT)/   (staff area: /staff/, Django admin: /django-admin/)"
	@echo "Periodic tasks (expiry, the verification sweep, the notification sweep) run in-process every minute."
	@echo "Links in messages point to $(SITE_URL)"
	export SITE_URL='$(SITE_URL)'; \
	  $(PY) manage.py run_periodic --interval 60 & trap 'kill $$! 2>/dev/null' EXIT INT TERM; \
	  $(PY) manage.py runserver $(HOST):$(PORT)

test: messages lint browser-deps
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest

# The browser tests (tests/browser) drive Debian's Chromium (never a downloaded browser), draw
# Korean with Noto CJK, and run axe-core from the npm registry (package.json, package-lock.json).
BROWSER_PACKAGES := chromium fonts-noto-cjk
browser-deps: node_modules/.installed
	@missing=""; for package in $(BROWSER_PACKAGES); do dpkg -s $$package >/dev/null 2>&1 || missing="$$missing $$package"; done; \
	if [ -n "$$missing" ]; then echo "Installing$$missing ..."; \
	  if [ "$$(id -u)" = 0 ]; then apt-get install -y -qq $$missing >/dev/null || { apt-get update -qq && apt-get install -y -qq $$missing >/dev/null; }; \
	  else sudo apt-get install -y -qq $$missing >/dev/null; fi; fi

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "Installing npm ..."; \
	  if [ "$$(id -u)" = 0 ]; then apt-get install -y -qq npm >/dev/null || { apt-get update -qq && apt-get install -y -qq npm >/dev/null; }; \
	  else sudo apt-get install -y -qq npm >/dev/null; fi; }
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Every page of the browser walk as every role, in ko, vi and en, at 1366 and 390 px, on the
# demo data in a throwaway test database (PostgreSQL when DATABASE_URL says so).
screenshots: messages browser-deps
	$(PY) -m pytest -p no:cacheprovider -q -s --no-header tests/browser/screenshots.py

# The unit suite on the embedded SQLite, whatever the environment or a .env points at (CI runs
# `make test` on PostgreSQL first, then this). tests/integration and tests/browser need
# PostgreSQL, Redis and Chromium; the fake identity provider's tests (marked integration, but
# self-contained) stay in.
test-sqlite: messages
	env -u CI_EXPECTS_POSTGRESQL DATABASE_URL=sqlite:///$(CURDIR)/db.sqlite3 REDIS_URL= CELERY_BROKER_URL= \
	  $(PY) -m pytest --ignore=tests/integration --ignore=tests/browser

# ruff's rules are in pyproject.toml, the import rules between the apps in .importlinter.
lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports --no-logo

worker: venv
	$(VENV)/bin/celery -A config worker --loglevel INFO

beat: venv
	$(VENV)/bin/celery -A config beat --loglevel INFO

check-deploy: venv
	@rand() { $(PY) -c 'import secrets; print(secrets.token_urlsafe(48))'; }; \
	DJANGO_ENV=production ALLOWED_HOSTS=$${ALLOWED_HOSTS:-admin.example} \
	  SECRET_KEY=$${SECRET_KEY:-$$(rand)} \
	  IDENTITY_PROVIDER=$${IDENTITY_PROVIDER:-http} IDENTITY_API_BASE=$${IDENTITY_API_BASE:-https://api.identity.example} \
	  IDENTITY_API_SECRET=$${IDENTITY_API_SECRET:-$$(rand)} IDENTITY_BROWSER_URL=$${IDENTITY_BROWSER_URL:-https://verify.identity.example} \
	  IDENTITY_WEBHOOK_SECRET=$${IDENTITY_WEBHOOK_SECRET:-whsec_$$(rand)} IDENTITY_HASH_KEY=$${IDENTITY_HASH_KEY:-$$(rand)} \
	  CHAT_WEBHOOK_SECRET=$${CHAT_WEBHOOK_SECRET:-whsec_$$(rand)} REPORT_WEBHOOK_SECRET=$${REPORT_WEBHOOK_SECRET:-whsec_$$(rand)} \
	  EMAIL_URL=$${EMAIL_URL:-smtp+tls://mailer:$$(rand)@mail.example:587} \
	  $(PY) manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 var node_modules

# The app as production runs it, under load, on a large dataset (BENCH_SCALE=small for a quick run).
bench: messages
	@command -v wrk >/dev/null || { echo "Installing wrk ..."; \
	  if [ "$$(id -u)" = 0 ]; then apt-get install -y -qq wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }; \
	  else sudo apt-get install -y -qq wrk >/dev/null; fi; }
	$(PY) bench/run.py

# The fraud rules' precision and recall per language on the labelled corpus (staff/fraud_corpus),
# with every miss and false positive of the held-out part. No database needed.
fraud-eval: venv
	env -u CI_EXPECTS_POSTGRESQL DATABASE_URL=sqlite:///:memory: REDIS_URL= CELERY_BROKER_URL= $(PY) manage.py fraud_eval

# Fault drills at full size (Redis outage 30 s, 1,000 deliveries, provider down 60 s, 200,000 managers swept).
drills: messages
	$(PY) bench/drills.py --size $${DRILLS_SIZE:-full}
