# The two commands of the README: `make demo` and `make test`. Both set everything up first.
PYTHON := .venv/bin/python

.PHONY: setup demo dev test bench schema

setup:
	bash scripts/setup.sh

# The demo runs as a deployment does: production settings, gunicorn, WhiteNoise (scripts/demo.sh).
demo: setup
	bash scripts/demo.sh

# For working on the code: development settings (DEBUG on) and Django's reloading runserver.
dev: setup
	$(PYTHON) manage.py load_demo
	.venv/bin/honcho --procfile Procfile.dev start

test: setup
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/lint-imports
	$(PYTHON) manage.py makemigrations --check --dry-run
	$(PYTHON) manage.py check
	$(PYTHON) -m pytest

bench: setup
	$(PYTHON) bench/run.py

# The committed OpenAPI schema, one file per language (tests/api/test_schema.py fails when it is out of date).
schema:
	$(PYTHON) manage.py spectacular --lang es --validate --file docs/api/openapi.es.yaml
	$(PYTHON) manage.py spectacular --lang en --validate --file docs/api/openapi.en.yaml
