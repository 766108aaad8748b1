"""Backups of the school and their restore (manage.py backup / restore).

A backup is a folder: `database.dump` (pg_dump, custom format), `media.tar.gz`
(MEDIA_ROOT: images, documents), `private.tar.gz` (MAKERS_PRIVATE_ROOT:
certificates' PDFs, CVs, photos) and `manifest.json`, which lists each file's
SHA-256, the row count of every table as dumped, and where the signing key lives
with its fingerprint. The key itself goes in only when asked
(BACKUP_INCLUDE_KEY=1), and its passphrase never: a certificate issued before
verifies after a restore only with the same key, which the operator keeps
apart from the data.

The row counts are taken in the snapshot pg_dump dumps (an exported snapshot of
a repeatable-read transaction), so the restore compares like with like.
"""

import datetime
import hashlib
import json
import os
import shutil
import subprocess  # nosec B404 - pg_dump and pg_restore, no shell
import tarfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from psycopg import sql

MANIFEST = "manifest.json"
DATABASE_FILE = "database.dump"
FOLDERS = {"media": "MEDIA_ROOT", "private": "MAKERS_PRIVATE_ROOT"}
KEY_FOLDER = "signing"


class BackupError(Exception):
    """Why a backup or a restore cannot go on (shown to the operator)."""


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def libpq_environment(alias: str = DEFAULT_DB_ALIAS) -> dict[str, str]:
    """pg_dump's and pg_restore's connection, from Django's: PG* variables, so
    the password never shows in a process list."""
    connection = connections[alias]
    if connection.vendor != "postgresql":
        raise BackupError(
            "Backups need PostgreSQL (DATABASE_URL=postgres://...); "
            f"this database is {connection.vendor}."
        )
    params = connection.settings_dict
    env = dict(os.environ)
    for name, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGDATABASE", "NAME"),
    ):
        if params.get(key):
            env[name] = str(params[key])
    options = params.get("OPTIONS") or {}
    for option in ("sslmode", "sslrootcert", "sslcert", "sslkey"):
        if options.get(option):
            env[f"PG{option.upper()}"] = str(options[option])
    return env


def table_names(alias: str = DEFAULT_DB_ALIAS) -> list[str]:
    with connections[alias].cursor() as cursor:
        return sorted(connections[alias].introspection.table_names(cursor))


def table_counts(alias: str = DEFAULT_DB_ALIAS) -> dict[str, int]:
    """Rows in every table of the database (one query per table)."""
    counts = {}
    with connections[alias].cursor() as cursor:
        for table in table_names(alias):
            cursor.execute(
                sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
            )
            counts[table] = cursor.fetchone()[0]
    return counts


@contextmanager
def exported_snapshot(alias: str = DEFAULT_DB_ALIAS) -> Iterator[str]:
    """A repeatable-read transaction whose snapshot pg_dump can share."""
    connection = connections[alias]
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        try:
            cursor.execute("SELECT pg_export_snapshot()")
            yield cursor.fetchone()[0]
        finally:
            cursor.execute("ROLLBACK")


def database_dump(target: Path, *, alias: str = DEFAULT_DB_ALIAS) -> dict[str, int]:
    """pg_dump into `target`; returns the row counts of the dumped snapshot."""
    env = libpq_environment(alias)
    with exported_snapshot(alias) as snapshot:
        counts = table_counts(alias)
        command = ["pg_dump", "--format=custom", f"--snapshot={snapshot}"]
        _run([*command, f"--file={target}"], env=env)
    return counts


def folder_archive(source: Path, target: Path) -> bool:
    """`source` as a gzipped tar at `target`; False when there is no folder."""
    if not source.is_dir():
        return False
    with tarfile.open(target, "w:gz") as archive:
        archive.add(source, arcname=".")
    return True


def signing_key_note(*, include: bool, folder: Path) -> dict:
    """Where the signing key is and its fingerprint; a copy only if asked."""
    path = getattr(settings, "MAKERS_SIGNING_P12", None)
    if not path or not Path(path).is_file():
        return {"path": path, "present": False, "included": False}
    note = {
        "path": str(path),
        "present": True,
        "sha256": file_sha256(Path(path)),
        "included": include,
        "passphrase": "never included",  # nosec B105 - a note, not a password
    }
    if include:
        (folder / KEY_FOLDER).mkdir(mode=0o700)
        copy = folder / KEY_FOLDER / Path(path).name
        shutil.copyfile(path, copy)
        copy.chmod(0o600)
        note["copy"] = f"{KEY_FOLDER}/{copy.name}"
    return note


def backup_create(*, folder: Path, include_key: bool = False) -> dict:
    """Writes a backup into the new `folder`; returns its manifest."""
    folder.mkdir(mode=0o700, parents=True)
    files = {}
    counts = database_dump(folder / DATABASE_FILE)
    files[DATABASE_FILE] = file_sha256(folder / DATABASE_FILE)
    roots = {}
    for name, setting in FOLDERS.items():
        root = Path(getattr(settings, setting))
        roots[name] = str(root)
        archive = folder / f"{name}.tar.gz"
        if folder_archive(root, archive):
            files[archive.name] = file_sha256(archive)
    manifest = {
        "format": 1,
        "created_at": datetime.datetime.now(tz=datetime.UTC).isoformat(),
        "database": connections[DEFAULT_DB_ALIAS].settings_dict["NAME"],
        "folders": roots,
        "files": files,
        "table_counts": counts,
        "signing_key": signing_key_note(include=include_key, folder=folder),
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True))
    for path in folder.iterdir():  # personal data: the owner's only
        if path.is_file():
            path.chmod(0o600)
    return manifest


def manifest_read(folder: Path) -> dict:
    """The backup's manifest, after checking every file against it."""
    path = folder / MANIFEST
    if not path.is_file():
        raise BackupError(f"{folder} is not a backup: no {MANIFEST}.")
    manifest = json.loads(path.read_text())
    for name, digest in manifest["files"].items():
        if not (folder / name).is_file() or file_sha256(folder / name) != digest:
            raise BackupError(f"{folder / name} is missing or damaged (SHA-256).")
    return manifest


def _run(command: list[str], *, env: dict[str, str]) -> None:
    try:
        result = subprocess.run(  # noqa: S603  # nosec B603 - fixed tools, no shell
            command, env=env, capture_output=True, text=True, check=False
        )
    except FileNotFoundError:
        raise BackupError(
            f"{command[0]} is not installed (Debian: apt-get install "
            "postgresql-client, the version of the server or newer)."
        ) from None
    if result.returncode:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[-2000:]}")


def database_empty_ensure(alias: str = DEFAULT_DB_ALIAS) -> None:
    """Refuses a database that holds any table: a restore never merges."""
    env = libpq_environment(alias)  # PostgreSQL only, said clearly
    tables = table_names(alias)
    if tables:
        raise BackupError(
            f"The database {env.get('PGDATABASE')!r} is not empty ({len(tables)} "
            "tables): restore only into a new, empty database "
            "(createdb, then DATABASE_URL=postgres://.../<new database>)."
        )


def folder_empty_ensure(path: Path) -> None:
    if path.exists() and any(path.iterdir()):
        raise BackupError(
            f"{path} is not empty: restore files only into an empty folder."
        )


def database_restore(source: Path, *, alias: str = DEFAULT_DB_ALIAS) -> None:
    """pg_restore `source` into the (empty) database, in one transaction; the
    restoring role owns what it creates."""
    env = libpq_environment(alias)
    connections[alias].close()  # no session of ours holds the database meanwhile
    _run(
        [
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={env['PGDATABASE']}",
            str(source),
        ],
        env=env,
    )


def folder_restore(archive: Path, target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    with tarfile.open(archive, "r:gz") as tar:
        # "data": no absolute paths, no links out of target, no device files.
        tar.extractall(target, filter="data")  # noqa: S202  # nosec B202


def counts_compare(expected: dict[str, int], alias: str = DEFAULT_DB_ALIAS) -> list:
    """Tables whose rows differ from the backup's: (table, expected, found)."""
    found = table_counts(alias)
    return [
        (table, expected.get(table), found.get(table))
        for table in sorted(set(expected) | set(found))
        if expected.get(table) != found.get(table)
    ]


def backup_restore(*, folder: Path, roots: dict[str, Path]) -> dict:
    """Restores the backup in `folder` into the empty database and the empty
    folders `roots` (by name: media, private); returns its manifest. Raises
    BackupError, having changed nothing, when a target is not empty."""
    manifest = manifest_read(folder)
    database_empty_ensure()
    for name in FOLDERS:
        if f"{name}.tar.gz" in manifest["files"]:
            folder_empty_ensure(roots[name])
    database_restore(folder / DATABASE_FILE)
    for name in FOLDERS:
        if f"{name}.tar.gz" in manifest["files"]:
            folder_restore(folder / f"{name}.tar.gz", roots[name])
    differences = counts_compare(manifest["table_counts"])
    if differences:
        raise BackupError(f"Row counts differ after the restore: {differences[:10]}")
    return manifest
