# The two commands: `make run` and `make test`. Everything else is built on demand:
# the venv (Python 3.10, inside the checkout), then the model, which is retrained only when
# its inputs changed.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
RASA := $(VENV)/bin/rasa
STAMP := $(VENV)/.installed
MODEL := models/current.tar.gz
# What the trained model depends on. The knowledge base is read at run time, not trained on.
TRAIN_INPUTS := config.yml domain.yml $(shell find data/nlu data/rules data/stories -name '*.yml' 2>/dev/null) \
	bot/langid.py bot/translit.py bot/vocabulary.py bot/settings.py $(wildcard bot/nlu/*.py) data/knowledge/entities.yml
export TF_CPP_MIN_LOG_LEVEL ?= 2
export SQLALCHEMY_SILENCE_UBER_WARNING ?= 1
export RASA_TELEMETRY_ENABLED ?= false

.PHONY: install run train test shell eval bench bench-agent augment web lint validate clean

$(STAMP): pyproject.toml
	@test -x $(PY) || "$$(scripts/find-python310)" -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	@touch $@

install: $(STAMP)

$(MODEL): $(STAMP) $(TRAIN_INPUTS)
	$(RASA) train --fixed-model-name current --out models
	@touch $@

train: $(MODEL)

run: $(MODEL)
	$(PY) -m bot run

shell: $(MODEL)
	$(PY) -m bot shell

test: $(MODEL)
	scripts/install-system-deps
	$(PY) -m ruff check .
	$(PY) -m pytest

validate: $(STAMP)
	$(RASA) data validate --fail-on-warnings

lint: $(STAMP)
	$(PY) -m ruff check .

clean:
	rm -rf models results .pytest_cache

# NLU evaluation: variants, ablations, baseline, latency -> results/eval/report.md; then the
# conversation set replayed over REST on the trained model (with and without its context)
eval: $(MODEL)
	$(PY) -m bot.eval $(EVAL_ARGS)
	$(PY) -m bot.eval.conversations

# Benchmark against Rasa's own `rasa init` bot -> results/bench/report.md
bench: $(STAMP)
	$(PY) -m bot.bench

# The agent console on 100,000 conversations / 3 million events, PostgreSQL and SQLite
# -> results/bench-agent/report.md (needs Debian's postgresql: scripts/install-system-deps)
bench-agent: $(STAMP)
	$(PY) -m bot.bench_agent $(BENCH_AGENT_ARGS)

# Regenerate the Latin-script variants of the Cyrillic training data (data/nlu/generated/)
augment: $(STAMP)
	$(PY) -m bot.augment

# Rebuild the chat widget bundle (web/dist/widget.js is committed, so run/test don't need this)
web:
	cd web && npm ci && npm run build
