# cptrack: two commands do all the set-up.
#   make serve   create the venv, install, create a demo database if none, serve the apps
#   make test    install what the tests need (Debian's Chromium included) and run every test

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
DB     ?= data/demo.sqlite
PORT   ?= 8866
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: serve test lint demo system-packages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

$(DB): | $(VENV)/.installed
	mkdir -p $(dir $(DB))
	$(BIN)/cptrack demo --db $(DB)

demo: $(DB)

serve: $(VENV)/.installed $(DB)
	$(BIN)/cptrack serve --db $(DB) --port $(PORT)

# Debian's Chromium (Playwright cannot download its own browser here) and poppler for PDFs.
system-packages:
	@if [ ! -x /usr/bin/chromium ] || [ ! -e /usr/lib/chromium/locales/en-GB.pak ] \
			|| ! command -v pdftoppm >/dev/null; then \
		echo "Installing Debian's chromium (with UK English) and poppler-utils"; \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq --no-install-recommends \
			chromium chromium-driver chromium-l10n poppler-utils fonts-liberation >/dev/null; \
	fi

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .

test: $(VENV)/.installed-test system-packages lint
	$(BIN)/pytest

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
