"""Test databases copied from one migrated template instead of migrated each.

Migrating an empty database to today's schema takes 20-25 s on a loaded
machine, and every xdist worker (and every later `pytest` run) used to do it.
Here the first process to need a test database migrates a template once; every
process then copies it:

- PostgreSQL: the template is a database, ``test_<NAME>_tpl_<digest>``, kept
  between runs; each test database is ``CREATE DATABASE ... TEMPLATE`` of it
  (a second or less).
- SQLite: the template is a file in the system's temporary folder; each
  in-memory test database is filled from it with SQLite's backup API.

The digest covers every migration file of every installed app, Django's version
and the database engine, so a changed or new migration (or an upgrade that
brings one) builds a new template and nothing stale is ever reused. A file lock
makes concurrent processes wait for the one building it; a template is built
under another name and renamed when its migrations have all run, so one left by
an interrupted run is never used. On PostgreSQL the older templates of the same
database are dropped when a new one is built.

``--reuse-db``, ``--create-db`` with ``--reuse-db``, ``--nomigrations`` and
other engines take Django's own path (tests/conftest.py installs this only for
the rest).
"""

import contextlib
import fcntl
import hashlib
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from importlib import import_module
from pathlib import Path

import django
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.sql import emit_post_migrate_signal
from django.db import connections
from django.db.backends.base.creation import BaseDatabaseCreation

TEMPLATE_DIR = Path(tempfile.gettempdir()) / "makers-school-test-templates"


def migrations_digest(vendor: str) -> str:
    """A digest of what decides the migrated schema and its data."""
    digest = hashlib.sha256(f"{django.__version__}|{vendor}".encode())
    for app in sorted(apps.get_app_configs(), key=lambda app: app.label):
        module_name = settings.MIGRATION_MODULES.get(
            app.label, f"{app.name}.migrations"
        )
        try:
            module = import_module(module_name)
        except ImportError:
            continue
        folder = Path(module.__file__).parent
        for path in sorted(folder.glob("*.py")):
            digest.update(f"{app.label}/{path.name}".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


@contextlib.contextmanager
def _locked(name: str) -> Iterator[None]:
    """One process at a time (xdist workers, concurrent runs) for `name`."""
    TEMPLATE_DIR.mkdir(exist_ok=True)
    with open(TEMPLATE_DIR / f"{name}.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _migrate_into(creation: BaseDatabaseCreation, name: str) -> None:
    """Django's own create_test_db (create, migrate, cache tables) under `name`,
    then the connection's settings as they were."""
    settings_dict = creation.connection.settings_dict
    saved_name, saved_test = settings_dict["NAME"], dict(settings_dict["TEST"])
    settings_dict["TEST"]["NAME"] = name
    try:
        _ORIGINAL(creation, verbosity=0, autoclobber=True, serialize=False)
    finally:
        creation.connection.close()
        settings_dict["NAME"] = saved_name
        settings_dict["TEST"] = saved_test
        settings.DATABASES[creation.connection.alias]["NAME"] = saved_name


# --- PostgreSQL ---------------------------------------------------------------


def _pg_databases(creation: BaseDatabaseCreation, like: str) -> list[str]:
    with creation._nodb_cursor() as cursor:
        cursor.execute("SELECT datname FROM pg_database WHERE datname LIKE %s", [like])
        return [row[0] for row in cursor.fetchall()]


def _pg_execute(creation: BaseDatabaseCreation, *statements: str) -> None:
    with creation._nodb_cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def _pg_template(creation: BaseDatabaseCreation) -> str:
    """The migrated template's name, built first if missing."""
    quote = creation.connection.ops.quote_name
    base = f"test_{creation.connection.settings_dict['NAME']}"[:40]
    template = f"{base}_tpl_{migrations_digest('postgresql')}"
    with _locked(template):
        if _pg_databases(creation, template):
            return template
        building = f"{template}_build"
        _migrate_into(creation, building)
        _pg_execute(
            creation, f"ALTER DATABASE {quote(building)} RENAME TO {quote(template)}"
        )
        for stale in _pg_databases(creation, f"{base}_tpl_%"):
            if stale != template:
                with contextlib.suppress(Exception):  # in use by another run
                    _pg_execute(creation, f"DROP DATABASE {quote(stale)}")
    return template


def _pg_copy(creation: BaseDatabaseCreation, name: str) -> None:
    template = _pg_template(creation)
    quote = creation.connection.ops.quote_name
    # Copies of one template are made one at a time: PostgreSQL refuses to
    # copy a database another session is connected to.
    with _locked(template):
        _pg_execute(
            creation,
            f"DROP DATABASE IF EXISTS {quote(name)}",
            f"CREATE DATABASE {quote(name)} TEMPLATE {quote(template)}",
        )


# --- SQLite ---------------------------------------------------------------------


def _sqlite_template(creation: BaseDatabaseCreation) -> Path:
    path = TEMPLATE_DIR / f"sqlite_{migrations_digest('sqlite')}.sqlite3"
    with _locked(path.name):
        if not path.exists():
            building = path.with_suffix(f".build{os.getpid()}")
            building.unlink(missing_ok=True)
            _migrate_into(creation, str(building))
            building.rename(path)
    return path


def _sqlite_fill(creation: BaseDatabaseCreation, name: str, template: Path) -> None:
    if not creation.is_in_memory_db(name):
        shutil.copyfile(template, name)
        return
    source = sqlite3.connect(template)
    try:
        creation.connection.ensure_connection()
        source.backup(creation.connection.connection)
    finally:
        source.close()


# --- the replacement for create_test_db ---------------------------------------


def create_test_db(
    self: BaseDatabaseCreation,
    verbosity: int = 1,
    autoclobber: bool = False,
    serialize: bool = True,
    keepdb: bool = False,
) -> str:
    """BaseDatabaseCreation.create_test_db, copying the template's tables and
    rows instead of running the migrations."""
    vendor = self.connection.vendor
    if keepdb or vendor not in ("postgresql", "sqlite") or not migrating(self):
        return _ORIGINAL(
            self,
            verbosity=verbosity,
            autoclobber=autoclobber,
            serialize=serialize,
            keepdb=keepdb,
        )
    name = self._get_test_db_name()
    if verbosity >= 1:
        self.log(f"Copying test database {name} from the migrated template...")
    if vendor == "postgresql":
        _pg_copy(self, name)
    else:
        template = _sqlite_template(self)
        # In memory, Django's own creation only names it; on disk it clears it.
        self._create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    self.connection.close()
    settings.DATABASES[self.connection.alias]["NAME"] = name
    self.connection.settings_dict["NAME"] = name
    if vendor == "sqlite":
        _sqlite_fill(self, name, template)
    # What migrate's post_migrate receivers write follows the code, not only the
    # migrations (people.roles_sync reads ROLE_PERMISSIONS): run them again.
    emit_post_migrate_signal(verbosity=0, interactive=False, db=self.connection.alias)
    if serialize:
        self.connection._test_serialized_contents = self.serialize_db_to_string()
    call_command("createcachetable", database=self.connection.alias)
    self.connection.ensure_connection()
    return name


def migrating(creation: BaseDatabaseCreation) -> bool:
    return creation.connection.settings_dict["TEST"].get("MIGRATE", True) is not False


_ORIGINAL = BaseDatabaseCreation.create_test_db


@contextlib.contextmanager
def installed() -> Iterator[None]:
    """create_test_db copies the template while the block runs."""
    patched = [type(connections[alias].creation) for alias in connections]
    saved = {cls: cls.__dict__.get("create_test_db") for cls in patched}
    for cls in patched:
        cls.create_test_db = create_test_db
    try:
        yield
    finally:
        for cls, method in saved.items():
            if method is None:
                del cls.create_test_db
            else:
                cls.create_test_db = method
