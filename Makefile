# innovation-kg: every set-up step a fresh machine needs lives here.
# Needs only Python 3.11, Node.js/npm and access to the package registries.
PYTHON ?= python3.11
VENV   ?= .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
KG     := $(BIN)/kg
DEMO_DB  ?= demo_out/innovation.kg
DEMO_DIR ?= demo_out
# the default suite and test-all run on every core, a test file per worker (module fixtures built once)
PARALLEL ?= -n auto --dist loadfile
PYTEST_FLAGS ?=

.PHONY: help venv install dev node browser demo test test-all bench test-neo4j schema clean lint

help:
	@echo "make demo       build the demo ecosystem and run the showcase (creates $(VENV))"
	@echo "make test       install test dependencies and run the default suite"
	@echo "make test-all   the default suite plus slow tests"
	@echo "make bench      benchmarks; results in BENCHMARKS.md"
	@echo "make test-neo4j the backend suite against NEO4J_URI"
	@echo "make lint       ruff (lint + format check) and mypy"
	@echo "make schema     regenerate schema/generated/* from schema/innovation.yaml"

$(PY):
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "$(PYTHON) not found; set PYTHON=python3"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

venv: $(PY)

# runtime install (editable, so the package-dir mapping serves the repo folders)
install: $(BIN)/.installed
$(BIN)/.installed: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	@touch $@

dev: $(BIN)/.installed-dev node
$(BIN)/.installed-dev: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e ".[dev]"
	@touch $@ $(BIN)/.installed

node: node_modules/.package-lock.json
node_modules/.package-lock.json: package.json
	npm install --no-audit --no-fund --loglevel=error
	@touch $@

DEMO_FIRM = "$$(cat $(DEMO_DIR)/example_firm.txt)"

# the showcase: every capability on the embedded store, outputs under $(DEMO_DIR)/
# Debian's Chromium for the browser tests and a CJK font for images; installed when missing (as root or with
# sudo). Where it cannot be installed the browser tests are skipped and say why.
browser:
	@command -v chromium >/dev/null 2>&1 && fc-list :lang=zh 2>/dev/null | grep -q . || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  ( $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends \
	      chromium fonts-noto-cjk >/dev/null ) || echo "note: could not install chromium/fonts-noto-cjk; browser tests will be skipped"; }

demo: export COLUMNS = 150
demo: install
	@mkdir -p $(DEMO_DIR)
	@echo "== 1. build the demo ecosystem (generated bureau-style CSV files -> loaders -> embedded store)"
	$(KG) --db $(DEMO_DB) demo --out $(DEMO_DIR) --force
	@echo "== 2. 产学研 matching: partners for the example firm, with the evidence"
	$(KG) --db $(DEMO_DB) match partners $(DEMO_FIRM) --top 10 --csv $(DEMO_DIR)/match.csv
	@echo "== 2b. the same as an interactive page (offline HTML: partners solid, recommendations dashed, evidence on hover)"
	$(KG) --db $(DEMO_DB) view match $(DEMO_FIRM) -o $(DEMO_DIR)/match.html
	@echo "== 3. who brokers between industry and academia (betweenness on the collaboration network)"
	$(KG) --db $(DEMO_DB) centrality --measure betweenness,degree --top 10 --csv $(DEMO_DIR)/centrality.csv
	@echo "== 4. how far the region is from its plan (targets extracted from the plan vs the graph)"
	$(KG) --db $(DEMO_DB) targets kg/demo/data/plan_2025.txt --region 盘锦市 --year 2025 --html $(DEMO_DIR)/targets.html --csv $(DEMO_DIR)/targets.csv
	@echo "== 5. does the matching work? back-test against eight baselines: everything after 2022 hidden"
	$(KG) --db $(DEMO_DB) evaluate matching --until 2022 --sample 300 --csv $(DEMO_DIR)/backtest.csv
	@echo "== 5b. learn the ranking from the graph's own past, then rank with it"
	$(KG) --db $(DEMO_DB) train matching --until 2022
	$(KG) --db $(DEMO_DB) match partners $(DEMO_FIRM) --top 5
	@echo "== 6. who takes part in most: projects, patents, cooperations, distinct partners"
	$(KG) --db $(DEMO_DB) participations --top 10 --csv $(DEMO_DIR)/participations.csv
	@echo "== 7. the whole organisation network at community level (each community opens its own page)"
	$(KG) --db $(DEMO_DB) view overview -o $(DEMO_DIR)/overview.html
	@echo "== 8. one organisation across sources: proposed joins with evidence, as a review file"
	$(KG) --db $(DEMO_DB) link --out $(DEMO_DIR)/review.csv
	@echo "== 9. linked data: the whole graph as RDF (Turtle), described by the generated ontology"
	$(KG) --db $(DEMO_DB) export rdf -o $(DEMO_DIR)/graph.ttl
	@echo "outputs in $(DEMO_DIR)/: innovation.kg, csv/, match.csv, match.html, centrality.csv, targets.html, targets.csv, backtest.csv, participations.csv, overview.html, review.csv, graph.ttl"

lint: dev
	$(BIN)/ruff check kg loaders queries viz schema tests
	$(BIN)/ruff format --check kg loaders queries viz schema tests
	$(BIN)/mypy

test: dev browser
	$(PY) -m pytest $(PARALLEL) $(PYTEST_FLAGS)

test-all: dev browser
	$(PY) -m pytest -m "not bench and not neo4j" $(PARALLEL) $(PYTEST_FLAGS)

bench: dev browser
	$(PY) -m pytest tests/bench -m bench -s -o timeout=3600 $(PYTEST_FLAGS)
	$(PY) tests/benchlog.py

test-neo4j: dev
	@test -n "$$NEO4J_URI" || { echo "set NEO4J_URI (and NEO4J_USER, NEO4J_PASSWORD); see README 'Neo4j'"; exit 2; }
	$(PY) -m pytest -m "neo4j or not (slow or bench)" $(PYTEST_FLAGS)

schema: dev
	$(PY) -m kg.schema.generate

clean:
	rm -rf $(DEMO_DIR) test-output .pytest_cache build *.egg-info
