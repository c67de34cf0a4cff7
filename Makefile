# The two set-up commands of README.md: `make run` and `make test`. Everything else is a helper.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
# Debian packages: PDF rendering (pango, HarfBuzz subsetting, Chinese fonts; hanazono covers the rare
# characters of CJK Extension B that names may contain), reading PDFs back
# (poppler), translations (gettext) and the browser for journey tests (chromium).
RUN_DEBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-arphic-ukai fonts-noto-cjk fonts-hanazono gettext
TEST_DEBS := $(RUN_DEBS) poppler-utils zbar-tools chromium postgresql redis-server
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/portal
# Tests run tasks eagerly unless a test starts a real worker (tests/conftest.py: celery_worker).
TEST_ENV = LOG_REQUESTS=$${LOG_REQUESTS:-0} DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} CELERY_BROKER_URL=$${CELERY_BROKER_URL:-redis://127.0.0.1:6379/15} CELERY_TASK_ALWAYS_EAGER=1
# The 30 slowest tests are printed at the end of every full run (where the time goes).
PYTEST_FLAGS ?= --durations=30
HOST ?= 127.0.0.1:8000
DOMAIN_APPS := filings certification eligibility appraisals certificates talent

.PHONY: run test test-quick pytest venv sysdeps-run sysdeps-test vnu compose-schema services lint messages messages-app check-deploy demo

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

venv: $(VENV)/.installed

# Installs the Debian packages that are missing (needs root; otherwise says what to install).
define apt_install
	@missing=$$(for p in $(1); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then echo "installing: $$missing"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "please install (as root): apt-get install $$missing"; exit 1; fi; \
	fi
endef

sysdeps-run:
	$(call apt_install,$(RUN_DEBS))

sysdeps-test: vnu
	$(call apt_install,$(TEST_DEBS))

# The Nu Html Checker for the valid-HTML test (tests/journeys/html_check.py): the npm package vnu-jar,
# pinned, into the git-ignored .cache/vnu/ when that version is not there yet (its install script, which
# would fetch a Java, is not run: the jar runs on the system's). Without npm or Java the test skips.
VNU_VERSION := 26.9.27
VNU_DIR := .cache/vnu
vnu:
	@command -v java >/dev/null || echo "no java: the HTML check will skip (apt-get install default-jre-headless)"
	@grep -qs '"version": "$(VNU_VERSION)"' $(VNU_DIR)/node_modules/vnu-jar/package.json && test -f $(VNU_DIR)/node_modules/vnu-jar/build/dist/vnu.jar || \
	  { mkdir -p $(VNU_DIR) && timeout 300 npm install --silent --no-audit --no-fund --ignore-scripts --prefix $(VNU_DIR) vnu-jar@$(VNU_VERSION) || echo "vnu.jar not installed: the HTML check will skip"; }

# The Compose specification's JSON schema for tests/portal/test_compose.py: the copy docker-compose 1.29.2
# ships on PyPI (compose/config/compose_spec.json), taken from its wheel into the git-ignored
# .cache/compose-spec/ once. Without it the test skips and says so.
COMPOSE_SCHEMA := .cache/compose-spec/compose_spec.json
compose-schema: venv
	@test -f $(COMPOSE_SCHEMA) || { mkdir -p .cache/compose-spec && \
	  timeout 300 $(BIN)/pip download --quiet --no-deps --dest .cache/compose-spec docker-compose==1.29.2 && \
	  $(BIN)/python -c "import zipfile,glob; z=zipfile.ZipFile(glob.glob('.cache/compose-spec/docker_compose-*.whl')[0]); open('$(COMPOSE_SCHEMA)','wb').write(z.read('compose/config/compose_spec.json'))" \
	  || echo "compose schema not fetched: tests/portal/test_compose.py will skip"; }

# Starts PostgreSQL and Redis when they are not answering (the env skill's commands).
services:
	@pg_isready -q -h 127.0.0.1 -p 5432 || pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql | head -1) main start
	@for i in $$(seq 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
	@redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 || redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log
	@for i in $$(seq 30); do redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 && break; sleep 1; done

# 1. Run the portal with demo data on the embedded default (SQLite, Celery eager). Mails, QR codes and
# PDFs link to the address served (PORTAL_PUBLIC_URL, portal/links.py) unless the environment sets one.
run: export PORTAL_PUBLIC_URL ?= http://$(HOST)
run: venv sysdeps-run
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_reference
	$(BIN)/python manage.py load_demo
	@echo "Portal: http://$(HOST)/"
	$(BIN)/python manage.py runserver $(HOST)

# 2. Run the whole test suite against PostgreSQL and Redis.
test: venv sysdeps-test compose-schema services
	$(BIN)/ruff check .
	$(TEST_ENV) $(BIN)/python manage.py makemigrations --check --dry-run >/dev/null
	$(TEST_ENV) $(BIN)/python -m pytest $(PYTEST_FLAGS) $(PYTEST_ARGS)

# The inner loop: everything but the browser journeys, the walks over every page (the HTML check), the
# real-worker tests and the fault tests.
test-quick: venv services
	$(TEST_ENV) $(BIN)/python -m pytest $(PYTEST_FLAGS) -m "not browser and not celery_worker and not faults and not walk and not cluster" $(PYTEST_ARGS)

# Just pytest, with the test environment (for working on one app: make pytest PYTEST_ARGS=tests/filings).
pytest: venv services
	$(TEST_ENV) $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Extract and compile translations (English is the second language).
messages: venv
	$(BIN)/python manage.py makemessages -l en --no-location --ignore=.venv --ignore=tests --ignore=staticfiles --ignore=bench $(foreach app,$(DOMAIN_APPS),--ignore=$(app))
	for app in $(DOMAIN_APPS); do (cd $$app && mkdir -p locale && ../$(BIN)/python ../manage.py makemessages -l en --no-location); done
	$(BIN)/python portal/locale/fill_translations.py portal $(DOMAIN_APPS)
	$(BIN)/python manage.py compilemessages --ignore=.venv

# One domain app's catalogue only: make messages-app APP=filings
messages-app: venv
	cd $(APP) && mkdir -p locale && ../$(BIN)/python ../manage.py makemessages -l en --no-location
	$(BIN)/python portal/locale/fill_translations.py $(APP)
	cd $(APP) && ../$(BIN)/python ../manage.py compilemessages

# The TLS settings are checked as docker-compose.yml defaults them (`NAME: ${NAME:-default}`), so an
# insecure compose default fails the check (portal.E001, issue 30 finding 6).
COMPOSE_FILE ?= docker-compose.yml
compose_default = $(shell sed -n 's/^ *$(1): *"\{0,1\}\$${$(1):-\([^}]*\)}.*/\1/p' $(COMPOSE_FILE))
check-deploy: venv
	SECURE_SSL_REDIRECT=$(or $(call compose_default,SECURE_SSL_REDIRECT),1) TLS_REDIRECT_AT_PROXY=$(or $(call compose_default,TLS_REDIRECT_AT_PROXY),0) DEBUG=0 SECRET_KEY=$$(head -c 48 /dev/urandom | base64) ALLOWED_HOSTS=portal.example.org PORTAL_PUBLIC_URL=https://portal.example.org $(BIN)/python manage.py check --deploy
