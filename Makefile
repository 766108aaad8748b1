# Makers' School: `make run` sets up and serves the demo, `make test` runs the tests
# (`make test-fast`: the unit suite only, `make mutate APP=...`: mutation testing).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
STAMP := $(VENV)/.installed

.PHONY: run setup test test-fast test-e2e mutate lint docs format messages frontend bench lighthouse profile security serve-prod backup restore worker clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e ".[dev]"
	touch $(STAMP)

setup: $(STAMP)
	$(MANAGE) migrate --noinput
	$(MANAGE) certificates_signing_key --dev
	$(MANAGE) load_demo
	$(MANAGE) demo_notices

run: setup
	$(MANAGE) runserver 127.0.0.1:8000

# The whole suite; DATABASE_URL picks PostgreSQL. The browser journeys need Debian's
# chromium (apt-get install chromium) and are skipped, with the reason, without it.
# The journeys run in a process of their own: the concurrency tests commit for real
# and flush the tables, which would take the demo site's root from under them.
# --dist loadgroup would keep the tests of one xdist_group on one worker, but
# with pytest 9.2 and pytest-xdist 3.8 the groups keep nothing together: tests
# that flush a Redis database take one per worker instead (tests/redis_dbs.py).
# The journeys are independent: each xdist worker has its own live server,
# browser and database, so they run two at a time too.
test: $(STAMP)
	$(BIN)/pytest -n 2 --dist loadgroup -m "not e2e"
	$(BIN)/pytest -n 2 -m e2e -rs

# The unit suite, for while you work: no browser journeys, no PostgreSQL-only
# concurrency tests, nothing marked slow (whole demo or bench data, every page
# as every role, the attendance migration: tests/conftest.py), on SQLite
# whatever DATABASE_URL says.
# Every test database is a copy of one migrated template (tests/db_template.py).
test-fast: $(STAMP)
	env -u DATABASE_URL $(BIN)/pytest -n 2 --dist loadgroup -m "not e2e and not postgres and not slow" -q

# Only the browser journeys.
test-e2e: $(STAMP)
	$(BIN)/pytest -n 2 -m e2e -rs

# Mutation testing of one module with the tests of its app (docs/testing.md):
# make mutate APP=enrolment/services/offers.py [TESTS="tests/enrolment/test_x.py"]
mutate: $(STAMP)
	$(BIN)/python tests/mutate.py $(APP) $(TESTS)

# The commit messages after a7c065b (the first commit held to the rule): a subject
# of at most 72 characters, a blank line, the why. The same check as a hook:
# git config core.hooksPath .githooks
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/python scripts/check_commit_msg.py --since a7c065b

# The developer documentation (docs/, mkdocs.yml) as a site in site/; --strict
# fails on a broken link or a page missing from the nav.
docs: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --site-dir site

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Translations: compiled .mo files are committed, so run/test need no gettext tools.
messages: $(STAMP)
	$(MANAGE) makemessages -l it -l en --ignore=.venv --ignore=node_modules --ignore=bench --no-obsolete
	$(MANAGE) compilemessages --ignore=.venv

# Rebuilds the trimmed Bootstrap Italia (static/vendor/bootstrap-italia-*/
# {css,js}/bootstrap-italia.site.min.*, committed) from the npm package pinned in
# frontend/package-lock.json: needs Node.js and npm, the site itself does not.
frontend:
	cd frontend && npm ci --no-audit --no-fund --loglevel=error && node build.mjs

# The bench also installs its peer libraries (the `bench` extra: django-ical).
bench: $(STAMP)
	$(BIN)/pip install --quiet -c constraints.txt -e ".[dev,bench]"
	$(BIN)/python -m bench $(ARGS)

# Only the Lighthouse rows (bench/lighthouse.py): home, catalogue and a course page
# served by gunicorn with production settings on the bench data, scored by the
# pinned Lighthouse (npm ci in bench/lighthouse/) driving Debian's chromium.
# make lighthouse ARGS=--reuse-db skips the fresh database.
lighthouse: $(STAMP)
	$(BIN)/python -m bench --only lighthouse $(ARGS)

# Where an uncached page's time goes (pyinstrument, bench database, production
# settings): make profile PAGE=course ARGS="--signed-in --repeats 50".
PAGE ?= catalogue
profile: $(STAMP)
	$(BIN)/pip install --quiet -c constraints.txt -e ".[dev,bench]"
	$(BIN)/python -m bench.profile --page $(PAGE) $(ARGS)

# The production server (as serve-prod, on a throwaway PostgreSQL database with the
# demo, port 8765) tried by tools: headers, cookies, permission matrix, query-string
# fuzz, bandit, pip-audit. One table; non-zero exit if anything failed (security/).
security: $(STAMP)
	$(BIN)/python -m security

# The production shape on one machine (scripts/serve_prod.py), in the foreground:
# nginx on 127.0.0.1:8080 (config generated from deploy/nginx/ under
# var/serve-prod/), two gunicorn app servers (8001, 8002), one RQ worker per
# queue, the scheduler; Ctrl-C stops them all. Production settings against the
# local PostgreSQL and Redis; the environment comes from the shell or a
# git-ignored .env (copy .env.example; docs/operations.md, "Try the production
# shape locally"): production refuses to start with a wrong configuration
# (core.checks), and `check --deploy` runs first to list what to fix.
PROD := set -a; if [ -f .env ]; then . ./.env; fi; set +a; \
	DJANGO_SETTINGS_MODULE=makers_school.settings.production
serve-prod: $(STAMP)
	$(PROD) $(BIN)/python scripts/serve_prod.py $(ARGS)

# Backups (core/management/commands/backup.py, restore.py; docs/operations-health-backup.md):
# make backup                       -> backups/<timestamp>/ (pg_dump, media, private files)
# make restore BACKUP=backups/<timestamp> DATABASE_URL=postgres://.../empty_db
backup: $(STAMP)
	$(PROD) $(MANAGE) backup $(if $(BACKUP_DIR),--output $(BACKUP_DIR))

# The target database, media and private folders given on the command line (or
# in the shell) win over .env's, which name the live ones.
RESTORE_TARGETS := $(foreach v,DATABASE_URL MEDIA_ROOT MAKERS_PRIVATE_ROOT,$(if $($(v)),$(v)='$($(v))'))
restore: $(STAMP)
	@test -n "$(BACKUP)" || { echo "make restore BACKUP=backups/<timestamp> [DATABASE_URL=...]"; exit 2; }
	$(PROD) $(RESTORE_TARGETS) $(MANAGE) restore $(BACKUP)

# One RQ worker (core.tasks.Worker) for one queue, with production settings:
# make worker QUEUE=mail (default, mail, certificates or reports). It also moves
# retries whose back-off is over back to their queue (--with-scheduler).
QUEUE ?= default
worker: $(STAMP)
	$(PROD) $(MANAGE) rqworker $(QUEUE) --with-scheduler

clean:
	rm -rf $(VENV) staticfiles var site
