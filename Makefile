# Two environments: the service (.venv: spaCy/medspaCy, numpy 1) and the trainer (.venv-train: verl,
# torch, TRL, numpy 2; crpo-eval's matplotlib/scipy/pyarrow). Their pinned versions live in constraints/.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
TRAIN_VENV ?= .venv-train
# The RL frameworks whose own packages test the adapters, each in its own environment (their pins conflict
# with the service's and the trainer's): verifiers (Python 3.11) and NeMo Gym (needs Python >= 3.12).
VERIFIERS_VENV ?= .venv-verifiers
NEMO_VENV ?= .venv-nemo
# A python3.12 that runs: pyenv's shim is on PATH even where 3.12 is installed but not selected.
NEMO_PYTHON ?= $(shell python3.12 -c 'import sys; print(sys.executable)' 2>/dev/null || ls -d $$HOME/.pyenv/versions/3.12*/bin/python3.12 2>/dev/null | tail -1)
PIP ?= pip install --disable-pip-version-check -q

.PHONY: serve test test-serve test-train test-frameworks lint bench bench-train bench-load bench-agreement bench-validity clean

$(VENV)/.serve: pyproject.toml constraints/serve.txt
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/$(PIP) -c constraints/serve.txt -e '.[serve]'
	touch $@

$(VENV)/.dev: $(VENV)/.serve
	$(VENV)/bin/$(PIP) -c constraints/serve.txt -e '.[serve,ray,dev,fuzz,bench]'
	touch $@

$(TRAIN_VENV)/.train: pyproject.toml constraints/train.txt
	test -x $(TRAIN_VENV)/bin/python || $(PYTHON) -m venv $(TRAIN_VENV)
	$(TRAIN_VENV)/bin/$(PIP) -c constraints/train.txt -e '.[train,eval,dev]'
	# OpenRLHF's remote-reward client code, without its GPU stack (deepspeed, flash-attn, vllm)
	$(TRAIN_VENV)/bin/$(PIP) -c constraints/train.txt --no-deps openrlhf
	touch $@

$(VERIFIERS_VENV)/.verifiers: pyproject.toml constraints/verifiers.txt
	test -x $(VERIFIERS_VENV)/bin/python || $(PYTHON) -m venv $(VERIFIERS_VENV)
	$(VERIFIERS_VENV)/bin/$(PIP) -c constraints/verifiers.txt -e '.[verifiers,dev]'
	touch $@

$(NEMO_VENV)/.nemo: pyproject.toml constraints/nemo-gym.txt
	test -n "$(NEMO_PYTHON)" || (echo "NeMo Gym needs python3.12 on PATH (or NEMO_PYTHON=...)" && false)
	test -x $(NEMO_VENV)/bin/python || $(NEMO_PYTHON) -m venv $(NEMO_VENV)
	$(NEMO_VENV)/bin/$(PIP) -c constraints/nemo-gym.txt -e '.[nemo-gym,dev]'
	touch $@

## Install the service and run it on its defaults (http://127.0.0.1:8000, CRPO_* settings apply).
serve: $(VENV)/.serve
	$(VENV)/bin/crpo-serve

## Install both environments and run every test (what CI runs).
test: lint test-serve test-train test-frameworks

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

test-serve: $(VENV)/.dev
	$(VENV)/bin/python -m pytest --ignore=tests/train --ignore=tests/eval --ignore=tests/frameworks

test-train: $(TRAIN_VENV)/.train $(VENV)/.dev
	CRPO_SERVER_PYTHON=$(abspath $(VENV))/bin/python $(TRAIN_VENV)/bin/python -m pytest tests/train tests/eval

## The verifiers and NeMo Gym adapters, tested with each framework's own package (the service runs from .venv).
test-frameworks: $(VERIFIERS_VENV)/.verifiers $(NEMO_VENV)/.nemo $(VENV)/.dev
	CRPO_SERVER_PYTHON=$(abspath $(VENV))/bin/python $(VERIFIERS_VENV)/bin/python -m pytest tests/frameworks/verifiers
	CRPO_SERVER_PYTHON=$(abspath $(VENV))/bin/python $(NEMO_VENV)/bin/python -m pytest tests/frameworks/nemo_gym

bench: $(VENV)/.dev
	$(VENV)/bin/python -m bench.bench_score
	$(VENV)/bin/python -m bench.bench_engines
	$(VENV)/bin/python -m bench.bench_memory

## The verl reward loop with the CRPO reward manager (trainer env; the service runs from .venv).
bench-train: $(TRAIN_VENV)/.train $(VENV)/.dev
	CRPO_SERVER_PYTHON=$(abspath $(VENV))/bin/python $(TRAIN_VENV)/bin/python -m bench.bench_verl_reward

## 32 concurrent clients for 60 s against a live service on loopback (docs/reliability.md).
bench-load: $(VENV)/.dev
	$(VENV)/bin/python -m bench.bench_load

## Sensitivity, specificity and hack resistance of the scores on real model outputs (issue 12; needs
## ../shared/data/realgen or REALGEN=path). Prints PASS/FAIL per row; BENCH_ARGS passes flags.
bench-validity: $(VENV)/.dev
	$(VENV)/bin/python -m bench.bench_validity $(if $(REALGEN),--data $(REALGEN)) $(BENCH_ARGS)

## Agreement of the scorers with the project's expert-style labels (data/expert_labels/README.md).
bench-agreement: $(VENV)/.dev
	$(VENV)/bin/python -m bench.bench_agreement

clean:
	rm -rf $(VENV) $(TRAIN_VENV) $(VERIFIERS_VENV) $(NEMO_VENV) .pytest_cache .ruff_cache .hypothesis
