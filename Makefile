# The two commands: `make book` and `make test`. Each creates the environment when it is missing.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SCALE ?= ci
JOBS ?= 1
ONLY ?=
# Data: ../shared/data beside the checkout when present, unless DLSPECTRA_DATA is set.
DLSPECTRA_DATA ?= $(if $(wildcard ../shared/data),$(abspath ../shared/data),)
export DLSPECTRA_DATA
MATHJAX := _build/mathjax/node_modules/mathjax/es5/tex-chtml.js

.PHONY: book test env mathjax bench clean help smoke

help:
	@echo "make book   [SCALE=ci|paper] [JOBS=1] [ONLY='xie/fig01 ...']  execute the notebooks, build the HTML"
	@echo "make test                                                    run the test suite"
	@echo "make bench                                                   run the benchmarks (quick)"
	@echo "make smoke  [ONLY='xie/fig14 ...'] [TIMEOUT=900]                 the paper path of every page, budgets capped"

# torch and torchvision first, as a pair that imports together (local wheels on this kind of machine)
$(VENV)/.installed: pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q torch==2.14.1 torchvision==0.29.1
	$(BIN)/python -m pip install -q -e ".[book,dev]"
	@touch $@

env: $(VENV)/.installed

# MathJax served by the book itself (Jupyter Book 1 loads it from a CDN by default)
$(MATHJAX):
	npm install --silent --no-audit --no-fund --prefix _build/mathjax mathjax@3.2.2

mathjax: $(MATHJAX)

test: env
	$(BIN)/lint-imports --no-cache
	$(BIN)/python -m pytest -q

book: env mathjax
	$(BIN)/dlspectra book --scale $(SCALE) --jobs $(JOBS) $(if $(ONLY),--only $(ONLY),)

# Smoke run of the paper scale (issue 21): every page on its paper models, data and solvers, budgets capped,
# claims 'not run: scale'; no HTML (the site is not what it tests, and its build and reader check double the
# time). One thread per page unless DLSPECTRA_THREADS says otherwise; TIMEOUT=s caps each cell.
smoke: env
	DLSPECTRA_THREADS=$${DLSPECTRA_THREADS:-1} $(BIN)/dlspectra book --scale paper --smoke --no-html \
	  $(if $(ONLY),--only $(ONLY),) $(if $(TIMEOUT),--timeout $(TIMEOUT),)

bench: env
	$(BIN)/python bench/bench_hvp.py --quick
	$(BIN)/python bench/bench_lanczos.py --quick
	$(BIN)/python bench/bench_reorth.py --quick
	$(BIN)/python bench/bench_anm.py --quick

clean:
	rm -rf _build/pages _build/book _build/html _build/results book/_generated
