# Every target that runs code depends on the venv, so each works on a fresh clone as the only command.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
IN     ?= $(sort $(wildcard fixtures/cases/*/))
OUT    ?= reports
WORKERS ?= $(shell nproc 2>/dev/null || echo 1)

.PHONY: setup test reconcile nightly fixtures lint bench fuzz clean

setup: $(STAMP)

# Rebuilt whenever pyproject.toml changes.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

test: $(STAMP)
	$(BIN)/python -m pytest

# The project's own modules compiled to bytecode, as an installed package is: where
# PYTHONDONTWRITEBYTECODE is set (as on some CI machines), every process would otherwise compile
# them again (about 0.3 s of CPU a process). Only what changed is compiled again.
BYTECODE = $(BIN)/python -m compileall -q pipeline extractors expectations model.py

# Status 1 means the documents disagree: a result, not a failure of the command.
reconcile: $(STAMP)
	@$(BYTECODE)
	@$(BIN)/reconcile $(IN) --out $(OUT) --workers $(WORKERS); status=$$?; \
	if [ $$status -le 1 ]; then exit 0; else exit $$status; fi

nightly: $(STAMP)
	@$(BYTECODE)
	$(BIN)/python -m pipeline.nightly fixtures/cases fixtures/defects --out $(OUT)/nightly

$(VENV)/.fixtures-installed: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,fixtures]'
	touch $@

fixtures: $(VENV)/.fixtures-installed
	$(BIN)/python -m fixtures.builder

# The rendering fuzzer with a larger budget of random layouts (FUZZ_SEEDS of them), and the
# byte-flip fuzzer of the 2024 annex (HOSTILE_FUZZ_SEEDS damaged PDFs and as many DOCX).
FUZZ_SEEDS ?= 200
HOSTILE_FUZZ_SEEDS ?= 100
fuzz: $(STAMP)
	FUZZ_SEEDS=$(FUZZ_SEEDS) HOSTILE_FUZZ_SEEDS=$(HOSTILE_FUZZ_SEEDS) \
	$(BIN)/python -m pytest tests/test_render_fuzz.py tests/test_hostile_fuzz.py -q

lint: $(STAMP)
	$(BIN)/ruff check .

bench: $(STAMP)
	@$(BYTECODE)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) reports bench/out
