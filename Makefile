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

# Builds the demo warehouse on first run (no extracts in data/extracts/), then serves it
# (`indicators serve`: `streamlit run dashboard.py` with the pages' modules imported first).
dashboard: $(STAMP)
	$(PY) -m indicators ensure
	$(PY) -m indicators serve --server.headless true --server.port $(PORT)

# Browser tests drive Debian's Chromium (Playwright cannot download a browser here).
test: $(STAMP)
	@command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium >/dev/null) \
		|| echo "chromium could not be installed: the browser tests will be skipped"
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq postgresql >/dev/null) \
		|| echo "postgresql could not be installed: its parity tests will be skipped"
	$(PY) -m ruff check .
	$(PY) -m pytest

bench: $(STAMP)
	$(PY) -m bench
