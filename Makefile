# Verbs: setup, demo, test, lint, bench. Everything installs into .venv.
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: setup demo serve test lint browser

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

setup: $(VENV)/.installed

demo: setup
	$(VENV)/bin/imvo demo

serve: setup
	$(VENV)/bin/imvo serve

browser:
	bash scripts/install-browser

test: setup browser
	$(PY) -m pytest

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
