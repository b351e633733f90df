# Front door. `make site` and `make test` work on a fresh clone: they create .venv if needed.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
PORT   ?= 8000
ENGINE ?= mkdocs

.PHONY: site serve new schema validate generate test test-zensical test-fast browser-deps lint format golden tex-check bench clean release edition-site import

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	$(PY) -m pip install --quiet --no-deps cffconvert==2.0.0  # its jsonschema<4 pin clashes with frictionless
	touch $(STAMP)

site: $(STAMP)            ## validate, generate and build the static site into site/ (make site ENGINE=zensical)
	$(PY) -m generator build --engine $(ENGINE)

serve: $(STAMP)           ## live preview on http://127.0.0.1:$(PORT)/ (make serve PORT=8001)
	$(PY) -m generator serve --port $(PORT)

new: $(STAMP)             ## start a new item: make new KIND=meeting COUNTRY=KG (COUNTRY optional; or exercise, place, source, ...)
	$(PY) -m generator new $(KIND) $(if $(COUNTRY),--country $(COUNTRY))

import: $(STAMP)          ## add a spreadsheet's new rows to data/: make import FILE=meetings.csv (INTO=data/records/x.yaml optional)
	$(PY) -m generator import $(FILE) $(if $(INTO),--into $(INTO))

schema: $(STAMP)          ## rewrite schema/*.json, fields.md, .vscode/settings.json, admin/config.yml; the schema line atop data/ and editions/ YAML
	$(PY) -m generator schema

release: $(STAMP)         ## release an edition: make release EDITION=2026.12
	$(PY) -m generator release $(EDITION)

edition-site: $(STAMP)    ## after make site: build a released edition from tag edition-$(EDITION) into site/editions/
	$(PY) -m generator edition-site $(EDITION)

validate: $(STAMP)        ## check data/ and list every problem
	$(PY) -m generator validate

generate: $(STAMP)
	$(PY) -m generator generate

test: $(STAMP)            ## lint, types, unit, golden and browser tests
	$(PY) -m ruff check generator tests tools
	$(PY) -m ruff format --check generator tests tools
	$(PY) -m mypy
	$(PY) -m pytest -n auto --dist load

browser-deps:             ## install Debian's Chromium for the browser tests
	if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium; \
	else sudo apt-get update -qq && sudo apt-get install -y -qq --no-install-recommends chromium; fi

test-zensical: $(STAMP)   ## the browser tests against sites built by Zensical instead of mkdocs
	ATLAS_ENGINE=zensical $(PY) -m pytest -n auto --dist load -m "browser and not engine_independent"

test-fast: $(STAMP)       ## everything but the browser tests
	$(PY) -m pytest -n auto --dist load -m "not browser"

lint: $(STAMP)
	$(PY) -m ruff check generator tests tools

format: $(STAMP)
	$(PY) -m ruff format generator tests tools
	$(PY) -m ruff check --fix generator tests tools

golden: $(STAMP)          ## regenerate tests/golden/ on purpose, then review the diff
	$(PY) -m tests.make_golden

tex-check: $(STAMP)       ## compile sources.bib and 50 pages' BibTeX with natbib and biblatex (needs TeX Live)
	$(PY) -m generator generate
	$(PY) -m tools.tex_check docs

bench: $(STAMP)           ## build-time and page-weight benchmark
	$(PY) -m tests.bench

clean:
	rm -rf site docs/atlas docs/downloads docs/editions .site-* .bench .cache .zensical-*.yml
