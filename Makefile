# SideDecked Catalog. `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_WORKERS ?= 2

.PHONY: help install demo serve worker beat test browser test-unit test-integration services services-down services-status \
	cluster cluster-kill cluster-down cluster-status bench bench-scale lint format clean

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

# The services' addresses; CLUSTER=1 points OpenSearch at the three nodes of `make cluster` instead.
SERVICES_ENV = eval "$$(bash scripts/services.sh env)"$(if $(CLUSTER), && eval "$$(bash scripts/cluster.sh env)")

worker: install services $(if $(CLUSTER),cluster) ## Run a Celery worker on the services (ARGS="--concurrency 2 ...", CLUSTER=1 for the cluster)
	$(SERVICES_ENV) && exec $(VENV)/bin/sidedecked worker $(ARGS)

beat: install services $(if $(CLUSTER),cluster) ## Run Celery beat (the periodic outbox drain and events consumer) on the services
	$(SERVICES_ENV) && exec $(VENV)/bin/sidedecked beat $(ARGS)

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

cluster: ## Start the 3-node OpenSearch cluster (9201-9203) where missing, wait for green, print the export
	bash scripts/cluster.sh up

cluster-kill: ## SIGKILL one cluster node: make cluster-kill NODE=2 (`make cluster` restarts it)
	@test -n "$(NODE)" || { echo "usage: make cluster-kill NODE=n  (n in 1..3)" >&2; exit 2; }
	bash scripts/cluster.sh kill $(NODE)

cluster-down: ## Stop the three cluster nodes (and nothing else)
	bash scripts/cluster.sh down

cluster-status: ## Show which cluster nodes run and the cluster's health
	bash scripts/cluster.sh status

bench: install services ## Run the benchmarks and print their tables (see docs/benchmarks.md)
	bash scripts/bench.sh

bench-scale: install services ## The 1x/10x benchmark (generates and loads the 10x catalog once; docs/scaling.md)
	bash scripts/bench.sh scale

lint: install ## Ruff rules, ruff format check, mypy, import-linter contracts (make test runs it too)
	bash scripts/lint.sh

format: install ## Apply ruff fixes and formatting
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean: ## Remove the embedded database, index and test artifacts (keeps .venv and services data)
	rm -rf var/sidedecked.db* var/index var/demo test-artifacts
