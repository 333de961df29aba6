# Indy — the two commands that matter: `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# Rasa 3.6 needs Python 3.10 (.python-version pins 3.10.13 for pyenv).
PYTHON_310 := $(shell command -v python3.10 2>/dev/null || pyenv which python3.10 2>/dev/null)
VENV := .venv
PY := $(VENV)/bin/python
STAMPS := .stamps
export PIP_DISABLE_PIP_VERSION_CHECK := 1
export TF_CPP_MIN_LOG_LEVEL := 2
export SQLALCHEMY_SILENCE_UBER_WARNING := 1

.PHONY: help install run shell train model test test-unit test-nlu test-stories validate lint places browser services bench bench-versus vendor lock clean facts

help:
	@echo "make run    installe, entraîne si besoin et démarre Indy (Rasa 5005, actions 5055, web 8000)"
	@echo "make test   installe et lance tous les tests"
	@echo "make shell  discuter avec Indy dans le terminal"
	@echo "make train  entraîne le modèle si les données ou la config ont changé"
	@echo "make facts  fiche de relecture des faits, numéros d'urgence, codes ROME et salaires"

$(PY):
	@test -n "$(PYTHON_310)" || { echo "Python 3.10 introuvable (pyenv install 3.10.13 ou apt-get install python3.10)"; exit 1; }
	$(PYTHON_310) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip<25" "setuptools<71" wheel

# Reinstall only when the dependency files change.
$(STAMPS)/installed: pyproject.toml constraints.txt | $(PY)
	$(PY) -m pip install --quiet -c constraints.txt -e ".[dev]"
	$(PY) -m pip check
	@mkdir -p $(STAMPS) && touch $@

install: $(STAMPS)/installed

# Trains only when config.yml, domain.yml or data/ changed (the model is named by their hash).
model train: install
	$(PY) -m bot model ensure

run: model vendor
	$(PY) -m bot run

shell: model
	$(PY) -m bot shell

# The operator's review sheet: every fact with its source and date, the old ones flagged.
facts: install
	$(PY) -m bot facts

validate: install
	$(PY) -m rasa data validate --fail-on-warnings --domain domain.yml --data data

lint: install
	$(VENV)/bin/ruff check bot actions tests bench

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

# Front-end libraries are vendored from node_modules (never fetched from a CDN at run time).
VENDOR := bot/web/static/vendor
$(VENDOR)/socket.io.min.js: node_modules/.package-lock.json
	mkdir -p $(VENDOR)
	cp node_modules/socket.io-client/dist/socket.io.min.js $@

$(VENDOR)/qrcode.js: node_modules/.package-lock.json
	mkdir -p $(VENDOR)
	cp node_modules/qrcode-generator/qrcode.js $@

vendor: $(VENDOR)/socket.io.min.js $(VENDOR)/qrcode.js

# Rebuilds the territory's places and the location lookup table from the registry package,
# for the intercommunalités listed in territory/<name>/territory.yml.
places: install node_modules/.package-lock.json
	$(PY) -m bot territory build

# Debian's chromium (and an emoji font, as users' phones have) for the browser tests:
# Playwright drives it, no browser download.
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
BROWSER_PACKAGES := chromium fonts-noto-color-emoji
browser:
	@dpkg -s $(BROWSER_PACKAGES) >/dev/null 2>&1 || { \
	  command -v apt-get >/dev/null || { echo "Installe les paquets Debian : $(BROWSER_PACKAGES)"; exit 1; }; \
	  $(SUDO) apt-get install -y --no-install-recommends $(BROWSER_PACKAGES) >/dev/null \
	  || { $(SUDO) apt-get update >/dev/null && $(SUDO) apt-get install -y --no-install-recommends $(BROWSER_PACKAGES) >/dev/null; }; }

# The production profile's servers (Debian's packages): PostgreSQL, Redis, nginx. The tests
# and the benchmark start their own on loopback ports; nothing is started here. And
# LibreOffice Calc, which opens the observatory's CSV export in a test.
SERVICE_PACKAGES := postgresql-15 redis-server nginx-light libreoffice-calc-nogui
services:
	@dpkg -s $(SERVICE_PACKAGES) >/dev/null 2>&1 || { \
	  command -v apt-get >/dev/null || { echo "Installe les paquets Debian : $(SERVICE_PACKAGES)"; exit 1; }; \
	  $(SUDO) apt-get install -y --no-install-recommends $(SERVICE_PACKAGES) >/dev/null \
	  || { $(SUDO) apt-get update >/dev/null && $(SUDO) apt-get install -y --no-install-recommends $(SERVICE_PACKAGES) >/dev/null; }; }

test: model vendor browser services lint validate
	$(PY) -m pytest
	$(PY) -m bot model test-stories

# Speed, memory and NLU quality, measured (never asserted in tests): prints a table, writes
# bench/results.json and docs/benchmarks.md (with 1 and 2 Rasa replicas: PostgreSQL + Redis).
bench: model vendor services
	$(PY) -m bench.run

# Only Indy against plain `rasa run` with the same model (ratios to the parse, msg/s at 20
# users, a 200-message conversation), side by side; BASELINE=../main adds another checkout.
bench-versus: model vendor
	$(PY) -m bench.versus $(if $(BASELINE),--baseline $(BASELINE))

lock:
	$(PY) -m pip freeze --exclude-editable | { echo "# Pinned versions of everything Indy installs, resolved together (pip install -c constraints.txt)."; echo "# Regenerate: make lock (after changing pyproject.toml), then check 'pip check'."; cat; } > constraints.txt

clean:
	rm -rf $(VENV) $(STAMPS) models var results reports node_modules
