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

.PHONY: help certify test lint mock bench two-tenants fuzz killmatrix mutants coverage lock dist images docker clean

help: ## list the targets
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[36m%-10s\033[0m %s\n", $$1, $$2}'

# The lock files (`make lock`): every package at one version with the hashes of its files, resolved once for every
# platform and Python >= 3.11. dev.txt: both distributions with the dev and docker extras (.venv, CI);
# harness.txt: nspcert and nspcert-mock at run time (the nspcert image); mock.txt: nspcert-mock at run time (the
# mock-nsp image); build.txt: the build backend both pyproject.toml files name (the images build the wheels with it);
# mutation.txt: dev.txt and the mutation extra (make mutants). All but dev.txt are resolved within dev.txt's
# versions, so an image runs what CI tested.
LOCKS := requirements

# The virtualenv is (re)built whenever it is missing or older than the lock or a pyproject.toml: the locked
# packages (hashes checked), then the two projects themselves, editable, without resolving anything more.
$(STAMP): $(LOCKS)/dev.txt pyproject.toml mock-nsp/pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r $(LOCKS)/dev.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e ./mock-nsp -e .
	@$(BIN)/python -m pip check >/dev/null || { $(BIN)/python -m pip check; \
	  echo "$(LOCKS)/dev.txt does not have what pyproject.toml declares: run make lock" >&2; exit 1; }
	@touch $(STAMP)

certify: $(STAMP) ## run the whole catalogue against the embedded mock NSP and reference EOJ; writes reports/latest/
	$(BIN)/nspcert run $(ARGS)

test: $(STAMP) ## run the harness's own tests (traceability gate, kill matrix and variants matrix included)
	$(BIN)/python -m pytest -n 2 --dist loadscope $(ARGS)
	@test ! -f reports/kill-matrix.md || cat reports/kill-matrix.md
	@test ! -f reports/variants-matrix.md || cat reports/variants-matrix.md

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
	$(BIN)/python -m pip install --quiet --require-hashes -r $(LOCKS)/mutation.txt
	$(BIN)/python -m tools.mutants $(ARGS)

coverage: $(STAMP) ## write the requirement → scenarios → verdict matrix
	$(BIN)/nspcert coverage $(ARGS)

# uv resolves the lock (one resolution for every platform; the installs themselves are plain pip). Its own version is
# pinned in dev.txt, so `make lock` takes that one even when the virtualenv is stale.
UV_PIN = awk '/^uv==/{p=1} p{print} p && !/\\$$/{exit}' $(LOCKS)/dev.txt
LOCK_FLAGS = --quiet --universal --python-version 3.11 --generate-hashes --custom-compile-command 'make lock' \
	--no-emit-package nspcert --no-emit-package nspcert-mock $(if $(UPGRADE),--upgrade)
BUILD_REQUIRES = $(BIN)/python -c 'import tomllib; print("\n".join(sorted({r for f in ("pyproject.toml", \
	"mock-nsp/pyproject.toml") for r in tomllib.load(open(f, "rb"))["build-system"]["requires"]})))'

lock: ## regenerate the lock files in requirements/ from both pyproject.toml files (UPGRADE=1: newest allowed)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@test -x $(BIN)/uv || $(BIN)/python -m pip install --quiet --no-deps --require-hashes -r <($(UV_PIN)) \
	  || $(BIN)/python -m pip install --quiet uv
	@mkdir -p $(LOCKS)
	printf -- '-e ./mock-nsp\n-e .[dev,docker]\n' | $(BIN)/uv pip compile - $(LOCK_FLAGS) -o $(LOCKS)/dev.txt
	printf -- '-e ./mock-nsp\n-e .[dev,docker,mutation]\n' | $(BIN)/uv pip compile - $(LOCK_FLAGS) -c $(LOCKS)/dev.txt \
	  -o $(LOCKS)/mutation.txt
	printf -- '-e ./mock-nsp\n-e .\n' | $(BIN)/uv pip compile - $(LOCK_FLAGS) -c $(LOCKS)/dev.txt -o $(LOCKS)/harness.txt
	printf -- '-e ./mock-nsp\n' | $(BIN)/uv pip compile - $(LOCK_FLAGS) -c $(LOCKS)/dev.txt -o $(LOCKS)/mock.txt
	$(BUILD_REQUIRES) | $(BIN)/uv pip compile - $(LOCK_FLAGS) -c $(LOCKS)/dev.txt -o $(LOCKS)/build.txt

dist: $(STAMP) ## build the two wheels (nspcert-mock, nspcert) into dist/
	$(BIN)/python -m build --wheel --no-isolation --outdir dist ./mock-nsp
	$(BIN)/python -m build --wheel --no-isolation --outdir dist .

# Images (docs/containers.md). ENGINE: podman or docker (the first found); BASE_IMAGE: a python:3.11-slim or a
# stand-in (images/debian-base.sh). pip inside the build gets PIP_CERT (a CA bundle) and PIP_CONF (a pip.conf) as
# build secrets when they are set: mounted while pip runs, in no layer of the image.
ENGINE ?= $(notdir $(shell command -v podman || command -v docker))
BASE_IMAGE ?= python:3.11-slim
ENGINE_FLAGS ?= --network host
VERSION = $(shell sed -n 's/^version = "\(.*\)"/\1/p' $(1))
comma := ,
BUILD = $(ENGINE) build $(ENGINE_FLAGS) --build-arg BASE_IMAGE=$(BASE_IMAGE) \
	$(if $(PIP_CERT),--secret id=pip_cert$(comma)src=$(PIP_CERT)) $(if $(PIP_CONF),--secret id=pip_conf$(comma)src=$(PIP_CONF))

images: ## build the images nspcert/mock-nsp and nspcert/nspcert (ENGINE=podman|docker, BASE_IMAGE=…)
	@test -n "$(ENGINE)" || { echo "make images: no podman or docker found (ENGINE=…)" >&2; exit 2; }
	$(BUILD) -f mock-nsp/Dockerfile -t nspcert/mock-nsp:$(call VERSION,mock-nsp/pyproject.toml) -t nspcert/mock-nsp:latest .
	$(BUILD) -f Dockerfile -t nspcert/nspcert:$(call VERSION,pyproject.toml) -t nspcert/nspcert:latest .

# Compose v2 (`docker compose`) or v1 (`docker-compose`); COMPOSE_FILES adds images/compose.host-network.yml where
# containers may use only the host's network.
COMPOSE ?= $(if $(shell docker compose version 2>/dev/null),docker compose,docker-compose)
COMPOSE_FILES ?= -f docker-compose.yml

docker: ## the certify profile in containers (make images first): mock NSP, reference EOJ, harness; reports in reports/
	MOCK_NSP_ADMIN_TOKEN=$${MOCK_NSP_ADMIN_TOKEN:-$$(openssl rand -hex 16)} NSPCERT_USER=$$(id -u):$$(id -g) \
	  $(COMPOSE) $(COMPOSE_FILES) --profile certify up --abort-on-container-exit --exit-code-from nspcert

clean: ## remove the virtualenv and reports
	rm -rf $(VENV) dist reports/*/ reports/latest
