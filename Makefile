# The two commands a fresh machine needs: `make run` (the bot, SQLite) and `make test`.
PYTHON ?= python3
VENV := .venv
STAMP := $(VENV)/.installed

.PHONY: run test lint format bench demo migration

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e ".[dev]"
	touch $(STAMP)

run: $(STAMP)
	@test -f .env || (cp .env.example .env && echo "Created .env from .env.example: fill in your Slack tokens (README: Create the Slack app).")
	$(VENV)/bin/tandem serve

# Four pytest-xdist workers: a test spends most of its time waiting (for the emulator, the
# app's threads, PostgreSQL, subprocesses), so on CI's two cores four workers overlap those
# waits (figures in README "Tests"). The 15 slowest durations show where the time goes.
TEST_WORKERS ?= 4
test: $(STAMP)
	.ci/with-postgres $(VENV)/bin/pytest -q -n $(TEST_WORKERS) --durations=15

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: $(STAMP)
	.ci/with-postgres $(VENV)/bin/python -m bench

demo: $(STAMP)
	$(VENV)/bin/tandem demo

# Author a migration from the models: make migration MSG="what changed" [REV=0002]
migration: $(STAMP)
	@test -n "$(MSG)" || (echo 'usage: make migration MSG="what changed" [REV=0002]' && exit 2)
	tmp=$$(mktemp -d) && cd $$tmp && \
	  PYTHONPATH=$(CURDIR) $(abspath $(VENV))/bin/alembic -c $(CURDIR)/storage/migrations/alembic.ini upgrade head && \
	  PYTHONPATH=$(CURDIR) $(abspath $(VENV))/bin/alembic -c $(CURDIR)/storage/migrations/alembic.ini revision --autogenerate $(if $(REV),--rev-id $(REV)) -m "$(MSG)"; \
	  status=$$?; rm -rf $$tmp; exit $$status
	$(abspath $(VENV))/bin/ruff format storage/migrations/versions
