# cptrack: two commands do all the set-up.
#   make serve   create the venv, install, create a demo database if none, serve the apps
#   make hub     the team server: JupyterHub with sign-in over PostgreSQL (docs/deploy.md)
#   make test    install what the tests need (Debian's Chromium included) and run every test

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
DB     ?= data/demo.sqlite
PORT   ?= 8866
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: serve hub test test-dates lint demo system-packages clean

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
	$(BIN)/cptrack init --db $(DB)  # a database made by an older cptrack is upgraded first
	$(BIN)/cptrack serve --db $(DB) --port $(PORT)

# The team server: JupyterHub on 127.0.0.1:$(HUB_PORT), over the PostgreSQL database in
# CPTRACK_DB (made with `cptrack init` and its staff logins set first; docs/deploy.md).
HUB_PORT ?= 8000
$(VENV)/.installed-hub: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[hub]'
	touch $@ $(VENV)/.installed

hub: $(VENV)/.installed-hub
	@if [ -z "$$CPTRACK_DB" ]; then echo "make hub: set CPTRACK_DB to a PostgreSQL URL (docs/deploy.md)"; exit 2; fi
	$(BIN)/cptrack hub --port $(HUB_PORT)

# Debian's Chromium (Playwright cannot download its own browser here), poppler for PDFs,
# faketime for the runs on other days, and LibreOffice Writer (no GUI) to open the Word files.
system-packages:
	@if [ ! -x /usr/bin/chromium ] || [ ! -e /usr/lib/chromium/locales/en-GB.pak ] \
			|| ! command -v pdftoppm >/dev/null || ! command -v faketime >/dev/null \
			|| ! command -v libreoffice >/dev/null; then \
		echo "Installing Debian's chromium (with UK English), poppler-utils, faketime and LibreOffice Writer"; \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq --no-install-recommends \
			chromium chromium-driver chromium-l10n poppler-utils fonts-liberation faketime \
			libreoffice-writer-nogui \
			>/dev/null; \
	fi

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

# Days that stress the calendar: a bank-holiday Monday, Christmas Eve, 29 February. `make
# test-dates` runs the tests that need no browser again on each, under faketime, to show that
# no test reads the real date (the suite fixes its own "today": CPTRACK_TODAY in conftest.py).
# The JupyterHub tests are left out: the hub's sign-in cookies and tokens are JupyterHub's.
# A test that fails on a day is run once more on that day: a test that reads the date fails
# twice and fails the build; one that failed once for another reason (a notebook test did,
# once in many whole runs, and passed alone) is reported as such. Under CI=true, `make test`
# runs it too.
FAKE_DAYS ?= 2027-05-03 2027-12-24 2028-02-29

test: $(VENV)/.installed-test system-packages lint
	$(BIN)/pytest
	@if [ "$(CI)" = true ]; then $(MAKE) --no-print-directory test-dates; fi

test-dates: $(VENV)/.installed-test system-packages
	@for day in $(FAKE_DAYS); do \
		echo "== the tests without a browser, on $$day (faketime)"; \
		cache=$$(mktemp -d); \
		if ! faketime "$$day 10:00:00" $(BIN)/pytest -q -o cache_dir=$$cache \
				-m "not browser and not hub"; then \
			echo "== $$day: the tests that failed, once more on the same day"; \
			faketime "$$day 10:00:00" $(BIN)/pytest -q -o cache_dir=$$cache --lf \
				-m "not browser and not hub" || { rm -rf $$cache; exit 1; }; \
			echo "== $$day: they passed the second time: not the date (see above)"; \
		fi; \
		rm -rf $$cache; \
	done

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
