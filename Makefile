# Verbs: setup, demo, test, lint, bench. Everything installs into .venv.
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: setup demo serve test lint browser bench

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

# Every benchmark in bench/ prints its figures and writes them to bench/results/<name>.md.
bench: setup
	$(PY) -m pip install --quiet -e '.[test,bench]'
	@for script in bench/*.py; do echo "== $$script"; $(PY) $$script || exit 1; done
