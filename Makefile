# newsbot: `make demo` crawls the bundled sample web offline; `make test` runs the test suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo demo-cluster bench-cluster test lint bench-extract bench-pipelines bench-language \
	bench-warc bench-crawl deliver clean-state

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Installs again whenever a requirements file changes.
$(VENV)/.runtime-installed: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.test-installed: requirements.txt requirements-test.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements-test.txt
	touch $(VENV)/.runtime-installed $@

demo: $(VENV)/.runtime-installed
	$(BIN)/python -m newsbot demo

# Two workers sharing one run; Redis and PostgreSQL (Debian packages) under .newsbot/demo-cluster.
demo-cluster: $(VENV)/.runtime-installed
	$(BIN)/python -m newsbot demo-cluster

test: $(VENV)/.test-installed
	$(BIN)/python -m pytest

lint: $(VENV)/.test-installed
	$(BIN)/ruff check .

bench-extract: $(VENV)/.test-installed
	$(BIN)/python -m bench.bench_extract

bench-pipelines: $(VENV)/.runtime-installed
	$(BIN)/python -m bench.bench_pipelines

bench-language: $(VENV)/.runtime-installed
	$(BIN)/python -m bench.bench_language

# Articles/s for 1, 2, 3 workers of a shared run; Redis memory per 100,000 seen URLs.
bench-cluster: $(VENV)/.test-installed
	$(BIN)/python -m bench.bench_cluster

bench-warc: $(VENV)/.runtime-installed
	$(BIN)/python -m bench.bench_warc

deliver: $(VENV)/.runtime-installed
	$(BIN)/python -m newsbot deliver

# Forget what earlier runs delivered and learned (state, learned templates); feeds stay. Refused
# while the spool holds a feed not yet stored (deliver it first: `make deliver`).
clean-state:
	@if ls .newsbot/spool/*.json >/dev/null 2>&1; then \
	  echo "clean-state: .newsbot/spool holds feeds not yet delivered; run 'make deliver' first" >&2; \
	  exit 1; \
	fi
	rm -rf .newsbot

# Crawl throughput, re-run cost (and, with BENCH_CRAWL_ARGS=--memory, peak RSS at 5k/50k pages).
bench-crawl: $(VENV)/.test-installed
	$(BIN)/python -m bench.bench_crawl $(BENCH_CRAWL_ARGS)
