# nspcert — the front door. `make` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
ARGS ?=
# Python's default is to cache compiled modules; a machine that switches it off makes every one of the
# kill matrix's ~30 pytest processes recompile the project and re-rewrite its plugins (about 5 s each).
unexport PYTHONDONTWRITEBYTECODE

.PHONY: help certify test lint mock bench two-tenants fuzz killmatrix mutants docker coverage clean

help: ## list the targets
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[36m%-10s\033[0m %s\n", $$1, $$2}'

# The virtualenv is (re)built whenever it is missing or older than pyproject.toml.
$(STAMP): pyproject.toml mock-nsp/pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ./mock-nsp -e '.[dev]'
	@touch $(STAMP)

certify: $(STAMP) ## run the whole catalogue against the embedded mock NSP and reference EOJ; writes reports/latest/
	$(BIN)/nspcert run $(ARGS)

test: $(STAMP) ## run the harness's own tests (traceability gate and kill matrix included)
	$(BIN)/python -m pytest -n 2 --dist loadscope $(ARGS)
	@test ! -f reports/kill-matrix.md || cat reports/kill-matrix.md

lint: $(STAMP) ## ruff and mypy
	$(BIN)/ruff check .
	$(BIN)/mypy

mock: $(STAMP) ## start the mock NSP on 127.0.0.1:8080 (PORT=…)
	$(BIN)/python -m mock_nsp --host 127.0.0.1 --port $${PORT:-8080}

bench: $(STAMP) ## the mock side by side: embedded, hosted 1/2 replicas behind HAProxy, WireMock (BEFORE=dir of another checkout); reports/bench/
	$(BIN)/python -m tools.bench $(if $(BEFORE),--before $(BEFORE)) $(ARGS)

two-tenants: $(STAMP) ## the whole catalogue in two tenants of one hosted mock at once, and alone: same verdicts?
	$(BIN)/python -m tools.two_tenants $(ARGS)

fuzz: $(STAMP) ## a longer hostile-input run against every mock endpoint (MOCK_NSP_FUZZ_EXAMPLES, default 2000)
	MOCK_NSP_FUZZ_EXAMPLES=$${MOCK_NSP_FUZZ_EXAMPLES:-2000} $(BIN)/python -m pytest -p no:xdist -q tests/mock/test_mock_hostile.py

killmatrix: $(STAMP) ## only the defect kill matrix; writes reports/kill-matrix.md
	$(BIN)/python -m tools.killmatrix $(ARGS)

mutants: $(STAMP) ## mutation testing of the reference EOJ against the catalogue (about an hour); writes reports/mutation.md
	$(BIN)/python -m pip install --quiet -e '.[mutation]'
	$(BIN)/python -m tools.mutants $(ARGS)

coverage: $(STAMP) ## write the requirement → scenarios → verdict matrix
	$(BIN)/nspcert coverage $(ARGS)

docker: ## build and start the mock NSP container (needs a Docker engine)
	docker compose up --build mock-nsp

clean: ## remove the virtualenv and reports
	rm -rf $(VENV) reports/*/ reports/latest
