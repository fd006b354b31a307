# SideDecked Catalog. `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_WORKERS ?= 2

.PHONY: help install demo serve test browser test-unit test-integration services services-down services-status bench lint format clean

help: ## Show this help
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  \033[36m%-18s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

install: $(VENV)/.installed ## Create .venv and install the project with its test tools

$(VENV)/.installed: pyproject.toml scripts/bootstrap.sh
	bash scripts/bootstrap.sh
	@touch $@

demo: install ## Embedded default: migrate SQLite, load sample cards, serve API and pages on $(HOST):$(PORT)
	bash scripts/demo.sh --host $(HOST) --port $(PORT)

serve: install ## Serve the API with the configured database and engine
	$(VENV)/bin/sidedecked serve --host $(HOST) --port $(PORT)

test: install services browser ## Install everything, start the real services, run the whole suite
	bash scripts/test.sh

browser: ## Install Debian's Chromium for the browser tests (no browser download)
	bash scripts/browser.sh

test-unit: install ## Unit tests only (no services)
	$(PY) -m pytest tests/unit -q -n $(PYTEST_WORKERS)

test-integration: install services ## Integration tests against real PostgreSQL, Redis, OpenSearch
	bash scripts/test.sh tests/integration

services: ## Install (first time) and start PostgreSQL, Redis and OpenSearch on loopback
	bash scripts/services.sh up

services-down: ## Stop the services `make services` started (and nothing else)
	bash scripts/services.sh down

services-status: ## Show which services run
	bash scripts/services.sh status

bench: install services ## Run the benchmarks and print their tables (see docs/benchmarks.md)
	bash scripts/bench.sh

lint: install ## Ruff rules, ruff format check, mypy, import-linter contracts (make test runs it too)
	bash scripts/lint.sh

format: install ## Apply ruff fixes and formatting
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean: ## Remove the embedded database, index and test artifacts (keeps .venv and services data)
	rm -rf var/sidedecked.db* var/index var/demo test-artifacts
