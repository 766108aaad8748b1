"""Backups (core.backups; manage.py backup / restore) and the restore drill.

The drill: a school with an issued certificate and a personal calendar feed on
PostgreSQL, backed up, restored into a new database and new folders; a process
pointed at the restored copy finds every table's row count unchanged, the PDF
downloaded before verifying as genuine, the same PDF downloadable, and the feed
token still opening the feed.
"""

import json
import os
import shutil
import subprocess
import sys

import psycopg
import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import empty
from psycopg import sql

from certificates import services as certificate_services
from certificates.models import private_storage
from certificates.signing import DEV_PASSPHRASE_NAME
from core.backups import (
    BackupError,
    file_sha256,
    folder_empty_ensure,
    table_counts,
)
from people.services import calendar_feed_ensure
from tests.factories import edition_completed, site_tree

ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgres")
needs_postgres = pytest.mark.skipif(
    not ON_POSTGRES,
    reason="backups are pg_dump/pg_restore: set DATABASE_URL=postgres://...",
)


@pytest.fixture
def school_folders(settings, tmp_path):
    """Media and private files of the school being backed up, in tmp_path."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MAKERS_PRIVATE_ROOT = tmp_path / "private"
    private_storage._wrapped = empty
    (tmp_path / "media" / "images").mkdir(parents=True)
    (tmp_path / "media" / "images" / "logo.png").write_bytes(b"\x89PNG not really")
    yield
    private_storage._wrapped = empty


@pytest.fixture
def drill_database():
    """A new, empty PostgreSQL database on the test server; dropped after."""
    params = connection.settings_dict
    name = f"{params['NAME']}_restored"[:63]
    server = {
        "host": params.get("HOST") or None,
        "port": params.get("PORT") or None,
        "user": params.get("USER") or None,
        "password": params.get("PASSWORD") or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
        sql.Identifier(name)
    )
    with psycopg.connect(**server) as admin:
        admin.execute(drop)
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    user = f"{params['USER']}@" if params.get("USER") else ""
    host = params.get("HOST") or "127.0.0.1"
    port = params.get("PORT") or 5432
    yield f"postgres://{user}{host}:{port}/{name}"
    with psycopg.connect(**server) as admin:
        admin.execute(drop)


def _school(client, tmp_path):
    """A certificate issued and downloaded by its holder; a personal feed."""
    site_tree()
    edition, sessions, enrolments = edition_completed(trainees=1)
    trainee = enrolments[0].trainee
    certificate = certificate_services.certificate_issue(
        enrolment=enrolments[0], actor=None
    )
    client.force_login(trainee)
    response = client.get(reverse("certificates:download", args=[certificate.pk]))
    assert response.status_code == 200
    pdf = tmp_path / "downloaded.pdf"
    pdf.write_bytes(b"".join(response))
    feed = calendar_feed_ensure(user=trainee)
    return certificate, trainee, feed, pdf


def _restored_environment(tmp_path, database_url, signing_key) -> dict:
    """Test settings on the restored database, var/ in a new folder, and the
    signing key put back where the settings expect it (the operator's step the
    manifest names)."""
    var = tmp_path / "restored-var"
    (var / "test-signing").mkdir(parents=True)
    shutil.copyfile(signing_key, var / "test-signing" / "dev-signing.p12")
    shutil.copyfile(
        signing_key.parent / DEV_PASSPHRASE_NAME,
        var / "test-signing" / DEV_PASSPHRASE_NAME,
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="makers_school.settings.test",
        MAKERS_VAR_DIR=str(var),
    )
    env.pop("MAKERS_TEST_DB", None)
    return env


def _run(args: list[str], env: dict) -> str:
    result = subprocess.run(
        [sys.executable, *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


@needs_postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("wagtail_root")
def test_restore_drill(client, tmp_path, signing_key, school_folders, drill_database):
    certificate, trainee, feed, pdf = _school(client, tmp_path)
    counts = table_counts()
    backup = tmp_path / "backup"

    call_command("backup", output=str(backup))

    manifest = json.loads((backup / "manifest.json").read_text())
    assert manifest["table_counts"] == counts
    assert set(manifest["files"]) == {
        "database.dump",
        "media.tar.gz",
        "private.tar.gz",
    }
    assert manifest["signing_key"]["sha256"] == file_sha256(signing_key)
    assert manifest["signing_key"]["included"] is False
    assert not (backup / "signing").exists()
    assert oct(backup.stat().st_mode)[-3:] == "700"
    assert {oct(p.stat().st_mode)[-3:] for p in backup.iterdir()} == {"600"}

    # Never into a database that holds anything (this one, say).
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(backup))

    env = _restored_environment(tmp_path, drill_database, signing_key)
    var = tmp_path / "restored-var"
    _run(["manage.py", "restore", str(backup)], env)
    assert (var / "test-media" / "images" / "logo.png").is_file()

    probe = json.loads(
        _run(
            [
                "-m",
                "tests.core.restore_probe",
                str(pdf),
                feed.token,
                trainee.email,
                str(certificate.pk),
                timezone.now().isoformat(),
            ],
            env,
        ).splitlines()[-1]
    )
    assert probe["counts"] == counts
    assert probe["certificate"] == certificate.serial
    assert probe["exact"] and probe["genuine"]
    assert probe["feed_status"] == 200
    assert probe["download_status"] == 200 and probe["download_same"]


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_backup_includes_the_key_only_when_asked(tmp_path, signing_key, school_folders):
    call_command("backup", output=str(tmp_path / "b"), include_key=True)
    manifest = json.loads((tmp_path / "b" / "manifest.json").read_text())
    copy = tmp_path / "b" / manifest["signing_key"]["copy"]
    assert file_sha256(copy) == file_sha256(signing_key)
    assert oct(copy.stat().st_mode)[-3:] == "600"
    assert DEV_PASSPHRASE_NAME not in {p.name for p in (tmp_path / "b").rglob("*")}


@pytest.mark.skipif(ON_POSTGRES, reason="the SQLite refusal")
@pytest.mark.django_db
def test_backup_says_it_needs_postgresql(tmp_path):
    with pytest.raises(CommandError, match="need PostgreSQL"):
        call_command("backup", output=str(tmp_path / "b"))


def test_restore_refuses_a_non_empty_folder(tmp_path):
    (tmp_path / "media").mkdir()
    folder_empty_ensure(tmp_path / "media")  # empty: fine
    folder_empty_ensure(tmp_path / "absent")  # absent: fine
    (tmp_path / "media" / "x").write_text("x")
    with pytest.raises(BackupError, match="not empty"):
        folder_empty_ensure(tmp_path / "media")


def test_restore_refuses_a_damaged_backup(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "database.dump").write_bytes(b"changed")
    (tmp_path / "b" / "manifest.json").write_text(
        json.dumps({"files": {"database.dump": "0" * 64}})
    )
    with pytest.raises(CommandError, match="missing or damaged"):
        call_command("restore", str(tmp_path / "b"))
