# The README's quick start: `make dashboard` and `make test`, on a fresh machine.
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
PORT ?= 8501

.PHONY: dashboard test lint bench

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# Builds the demo warehouse on first run (no extracts in data/extracts/), then serves it.
dashboard: $(STAMP)
	$(PY) -m indicators ensure
	$(PY) -m streamlit run dashboard.py --server.headless true --server.port $(PORT)

test: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m pytest

bench: $(STAMP)
	$(PY) -m bench
