# Two commands set everything up on a fresh machine (Python 3.11 and make):
#   make run    install adrgen, then run the main job: an ADR from an example answers file, and the site
#   make test   install adrgen with its test tools (and Chromium for the browser tests), then run every check

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   ?= .venv
BIN    := $(VENV)/bin
OUT    ?= build/example

.PHONY: run test test-under-load test-oldest install install-test browser lint bench clean examples

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .

install-test: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'

# Debian's chromium for the browser tests; playwright's own browser download cannot be used.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium is missing: install Debian's chromium package (browser tests will be skipped)"; fi; }

# the example record is made afresh on each run, so it is always 0001
# The main job: the example records plus a new one from an answers file, published as a site.
run: install
	$(BIN)/adrgen catalog validate
	rm -rf $(OUT)/decisions && mkdir -p $(OUT)/decisions && cp examples/decisions/*.md $(OUT)/decisions/
	$(BIN)/adrgen new --answers examples/answers/editor-plugin-host.yaml --no-input --dir $(OUT)/decisions
	$(BIN)/adrgen list --dir $(OUT)/decisions
	$(BIN)/adrgen site build --mkdocs-file site/mkdocs.yml --records $(OUT)/decisions --out $(OUT)/site

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: install-test browser lint
	$(BIN)/python -m pytest -q

# The whole suite RUNS times in a row while HOGS busy processes load the machine (stress-ng
# when installed, else a Python loop); each run's output in build/under-load/
RUNS ?= 5
HOGS ?= 1
test-under-load: install-test browser
	RUNS=$(RUNS) HOGS=$(HOGS) PYTHON=$(BIN)/python tests/load/run_under_load.sh

# The site's tests against the oldest mkdocs and mkdocs-material pyproject.toml allows (its
# `>=` bounds, pinned), in a venv of their own; `make test` runs them against the newest.
OLDEST_VENV ?= .venv-oldest
OLDEST_PINS = $(shell $(PYTHON) -c "import re, tomllib; deps = tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']; print(' '.join(re.sub(r'>=([^,]+).*', r'==\1', d) for d in deps if re.match(r'mkdocs(-material)?>=', d)))")
SITE_TESTS = tests/test_site*.py tests/test_sitepages.py tests/hardening/test_*site*.py

test-oldest: browser
	$(PYTHON) -m venv $(OLDEST_VENV)
	$(OLDEST_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(OLDEST_VENV)/bin/python -m pip install --quiet -e '.[test]' $(OLDEST_PINS)
	$(OLDEST_VENV)/bin/python -m pip list 2>/dev/null | grep -i '^mkdocs'
	$(OLDEST_VENV)/bin/python -m pytest -q -p no:cacheprovider $(SITE_TESTS)

# the committed example records, made again after a template or the catalog changes on purpose
# (tests/test_new.py fails while they differ from what adrgen writes)
EXAMPLE_DATE = 2026-11-25
examples: install
	rm -f examples/decisions/*.md
	for example in cli-build-daemon:madr video-frame-pipeline:nygard \
	    billing-in-another-data-centre:y-statement cli-daemon-override:madr containerd-clients:nygard \
	    inference-server-tensors:madr; do \
	  $(BIN)/adrgen new --answers examples/answers/$${example%%:*}.yaml --no-input --template $${example##*:} \
	    --date $(EXAMPLE_DATE) --dir examples/decisions >/dev/null || exit 1; \
	done

bench: install-test
	$(BIN)/python tests/benchmarks/run.py

clean:
	rm -rf $(VENV) $(OLDEST_VENV) build dist site/public .pytest_cache
