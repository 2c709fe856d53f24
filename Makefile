# Two commands do everything on a fresh machine with Python 3.11+:
#   make demo   -- set up .venv and run the main job
#   make test   -- set up .venv and run lint, types and the whole test suite (which checks
#                 every library scenario's expectation)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint types pytest check-scenarios bench clean setup library fuzz results

setup: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,dev]'
	@touch $(STAMP)

# The main job: find the seed thread's race (R1) under fault_retry = none and show its
# minimal interleaving (exit status 1 means "violation found", which is the point here),
# then show the exhaustive search finishing clean under pte-same+private.
demo: $(STAMP)
	@$(BIN)/migsim explore scenarios/seed-race.toml; status=$$?; test $$status -eq 1 || exit $$status
	$(BIN)/migsim explore scenarios/seed-race.toml --set policies.fault_retry=pte-same+private --strategy dfs

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

types: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The fuzz suite ten times over (20,000 malformed inputs; docs/security.md).
fuzz: $(STAMP)
	MIGSIM_FUZZ_SCALE=10 $(BIN)/python -m pytest tests/fuzz

check-scenarios: $(STAMP)
	$(BIN)/migsim check scenarios/ --no-progress

test: lint types pytest

bench: $(STAMP)
	$(BIN)/python benchmarks/ring.py --quick
	$(BIN)/python benchmarks/schedules.py --quick
	$(BIN)/python benchmarks/kernel.py --quick
	$(BIN)/python benchmarks/shrinking.py --quick
	$(BIN)/python benchmarks/state_recording.py --quick

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .hypothesis migsim-out

# Regenerate scenarios/ and docs/races.md (the race x era matrix) from the race registry
# (migsim.races.RACES); a test fails on drift of either.
library: $(STAMP)
	$(BIN)/python -m migsim.scenario._library_build scenarios/
	$(BIN)/python -m migsim.scenario._racematrix docs/races.md

# Regenerate docs/results.md: the policy x race matrix of the library (a test fails on drift).
results: $(STAMP)
	$(BIN)/migsim matrix --format markdown --no-progress --no-reduce > docs/results.md.new
	mv docs/results.md.new docs/results.md
