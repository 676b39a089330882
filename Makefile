# Wangge: two commands do everything on a fresh machine.
#   make run   the whole system locally, with demo data
#   make test  the test suite, against a throwaway DynamoDB Local
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PY_STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed

.PHONY: run test deps requirements sweep bench clean system-packages-run system-packages-test

# The web app (frontend/) and the deployment (infra/) bring their own targets:
# frontend-deps, frontend-build, frontend-test; infra-deps.
include frontend/frontend.mk
include infra/infra.mk

run: system-packages-run deps frontend-build
	@$(PY) -m devtools.run

test: system-packages-test deps frontend-build frontend-test
	@$(PY) -m pytest $(PYTEST_ARGS)

# Java, Node.js (and for the tests Chromium and a Chinese font) from apt-get when
# missing, or one line that says what to install.
system-packages-run system-packages-test:
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11+ is missing: apt-get install python3 python3-venv"; exit 1; }
	@$(PYTHON) devtools/system_packages.py $(@:system-packages-%=%)

deps: $(PY_STAMP) $(NODE_STAMP) frontend-deps infra-deps

$(PY_STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11+ is missing"; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PYTHON) devtools/deps.py install-list $(VENV)/requirements.txt
	@$(PY) -m pip install --quiet --disable-pip-version-check -r $(VENV)/requirements.txt
	@touch $@

$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null || { echo "Node.js and npm are missing: apt-get install nodejs npm"; exit 1; }
	@npm ci --no-audit --no-fund --loglevel=error
	@touch $@

requirements:
	@$(PYTHON) devtools/deps.py write

# make sweep NAME=case-deadlines [NOW=2026-11-28T09:00:00+08:00]: one run of a
# sweep against make run's stack (chalicelib/sweeps.py lists them).
sweep: deps
	@$(PY) -m devtools.sweep $(NAME) $(if $(NOW),--now $(NOW))

bench: deps
	@$(PY) bench/cold_import.py
	@$(PY) bench/qr_sheets.py

clean:
	rm -rf $(VENV) node_modules .data frontend/node_modules frontend/dist infra/node_modules infra/cdk.out
