# wsis-funding: the two commands are `make demo` and `make test`; `make bench` for benchmarks.
# Each target sets up what is missing first: Debian packages (when root with apt-get),
# the virtual environment and the package with its dev tools.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEB_PACKAGES := postgresql-15 $(shell grep -hv '^\s*\#' system-packages.txt 2>/dev/null)
OUT ?= out
# Start PostgreSQL and hand its URL to the command that follows; stop if it cannot start.
WITH_PG = url="$$(scripts/postgres-up)" && WSIS_TEST_PG_URL="$$url"

.PHONY: all setup system-deps lint types contracts unit test demo bench docs-images clean

all: test

system-deps:
	@missing=""; for p in $(DEB_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing Debian packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	  else \
	    echo "warning: missing Debian packages:$$missing (install them as root)" >&2; \
	  fi; \
	fi

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $@

setup: system-deps $(VENV)/.installed

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

types: setup
	$(BIN)/mypy

contracts: setup
	$(BIN)/lint-imports

unit: setup
	$(BIN)/pytest tests/unit

# The suite runs in $(TEST_WORKERS) processes (pytest-xdist); every test makes its own books.
TEST_WORKERS ?= 2

test: lint types contracts
	$(WITH_PG) $(BIN)/pytest -n $(TEST_WORKERS)

demo: setup
	$(BIN)/wsis-funding tiers show
	$(BIN)/wsis-funding tiers classify 149999.99 CHF
	$(BIN)/wsis-funding tiers classify 250000 USD --rate 0.8912 --rate-date 2024-05-01
	$(BIN)/wsis-funding demo --out $(OUT)
	@echo "PDFs, the bank statement it imported and the SQLite books are in $(OUT)/"

bench: setup
	$(WITH_PG) $(BIN)/python -m bench

docs-images: setup
	BIN=$(BIN) scripts/docs-images

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis $(OUT)
