# Two commands a new user runs: `make extract` and `make test`. Each builds .venv from
# requirements.lock (exact pins, the spaCy model package included) the first time, and
# reuses it afterwards: the stamp file is newer than the lock until the lock changes.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
RAW    ?= raw
OUT    ?= outputs
ARGS   ?=

.PHONY: extract test eval bench venv clean-venv

$(STAMP): requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	touch $(STAMP)

venv: $(STAMP)

extract: $(STAMP)
	$(BIN)/python -m pipeline extract --raw $(RAW) --out $(OUT) $(ARGS)

test: $(STAMP)
	$(BIN)/python -m pytest $(ARGS)

eval: $(STAMP)
	$(BIN)/python -m pipeline eval $(ARGS)

bench: $(STAMP)
	$(BIN)/python -m pipeline bench $(ARGS)

clean-venv:
	rm -rf $(VENV)
