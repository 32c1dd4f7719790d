# Two commands matter: `make run` (demo on SQLite, eager Celery) and `make test` (whole suite).
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
# Debug is off unless asked for: the demo asks for it (and so gets the dev key and localhost names).
DEMO_ENV := DJANGO_DEBUG=true

.PHONY: run test bench bench-pdf install install-dev serve lint clean

$(VENV)/.made:
	@py="$$(bash scripts/find-python.sh)" || exit 1; \
	echo "Using $$py"; \
	$$py -m venv $(VENV) && $(PY) -m pip install -q --upgrade pip && touch $@

$(VENV)/.installed: $(VENV)/.made pyproject.toml
	$(PY) -m pip install -q -e .
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.made pyproject.toml
	$(PY) -m pip install -q -e '.[dev]'
	@touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

run: install
	$(DEMO_ENV) $(PY) manage.py migrate --noinput
	$(DEMO_ENV) $(PY) manage.py seed_demo
	$(DEMO_ENV) $(PY) manage.py runserver 127.0.0.1:8000

test: install-dev
	$(PY) -m pip check
	$(VENV)/bin/ruff check .
	$(DEMO_ENV) $(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest $(PYTEST_ARGS)

# Pages against a bare Django view on PostgreSQL + gunicorn + wrk (bench/README.md); ~10 minutes.
bench: install-dev
	$(PY) bench/run.py

# The published documents: plans of 10 and 100 actions, 500 code leaflets, a bare table (bench/README.md).
bench-pdf: install-dev
	$(DEMO_ENV) $(PY) bench/pdf.py

serve: install
	$(DEMO_ENV) $(PY) manage.py runserver 127.0.0.1:8000

clean:
	rm -rf $(VENV) db.sqlite3 media
