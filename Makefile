# The only commands a newcomer needs: `make serve` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
CHROMIUM := /usr/bin/chromium
PDFTOTEXT := /usr/bin/pdftotext

.PHONY: setup serve build test lint bench browser clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $@

# Material prints a notice about MkDocs 2 on every run; the README's "MkDocs, ProperDocs and
# MaterialX" says what it means for a library and how to switch.
serve: setup
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

build: setup
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict

# Browser tests drive Debian's Chromium and read printed PDFs back with poppler's pdftotext;
# install both when we are allowed to.
browser:
	@test -x $(CHROMIUM) -a -x $(PDFTOTEXT) || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium poppler-utils >/dev/null; \
	  else echo "Browser tests need Debian's chromium and poppler-utils: sudo apt-get install -y chromium poppler-utils"; exit 1; fi; }

test: setup browser
	$(BIN)/python -m pytest

lint: setup
	$(BIN)/ruff check sms_docs_plugin tests bench

bench: setup
	$(BIN)/python bench/run.py --docs 200 --commits 2000 --runs 3

clean:
	rm -rf site site.sms-new site.sms-old* site.sms-lock .pytest_cache test-artifacts
