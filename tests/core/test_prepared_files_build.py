"""A prepared file's build (core.prepared_files): no transaction open while
the builder runs; the row is marked ready in a short one, or not at all; a
file no row takes is deleted, and one a dead run left is swept by the expiry."""

import pytest
from django.db import connection

from core.models import PREPARED_ROOT, PreparedFile, PreparedFileStatus
from core.prepared_files import (
    download_request,
    prepared_file_build,
    prepared_files_expire,
)
from tests.core import prepared_kinds as kinds
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.MAKERS_PRIVATE_ROOT = tmp_path / "private"
    kinds.builds.clear()
    kinds.during.clear()
    kinds.failing["how"] = None
    yield settings.MAKERS_PRIVATE_ROOT
    kinds.during.clear()


def _asked(**params) -> PreparedFile:
    return download_request(owner=UserFactory(), kind="test_admin", params=params)


def _stored_files(root) -> list:
    return sorted(p.name for p in (root / PREPARED_ROOT).rglob("*") if p.is_file())


@pytest.mark.django_db(transaction=True)
def test_the_builder_runs_with_no_transaction_open(private_root):
    seen = []
    kinds.during.append(lambda owner: seen.append(connection.in_atomic_block))
    prepared = _asked(n=1)  # committed: its build runs (the immediate queue)
    prepared.refresh_from_db()
    assert seen == [False]
    assert prepared.status == PreparedFileStatus.READY
    assert (private_root / prepared.file.name).read_bytes() == kinds.CONTENT


@pytest.mark.django_db
def test_a_failed_marking_leaves_the_row_unready_and_no_file(private_root, monkeypatch):
    prepared = _asked(n=2)

    def refuse(self, *args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(PreparedFile, "save", refuse)
    prepared_file_build.enqueue(prepared_id=prepared.pk)  # fails, is logged
    monkeypatch.undo()
    prepared.refresh_from_db()
    assert prepared.status == PreparedFileStatus.FAILED
    assert not prepared.file and prepared.size == 0 and prepared.filename == ""
    assert prepared.finished_at is not None and _stored_files(private_root) == []


@pytest.mark.django_db
def test_a_row_deleted_while_building_keeps_no_file(private_root):
    prepared = _asked(n=3)
    kinds.during.append(lambda owner: PreparedFile.objects.all().delete())
    prepared_file_build.enqueue(prepared_id=prepared.pk)
    assert not PreparedFile.objects.exists()
    assert _stored_files(private_root) == []


@pytest.mark.django_db
def test_a_run_that_lost_to_another_deletes_its_own_file(private_root):
    prepared = _asked(n=4)

    def another_run_wins(owner):
        kinds.during.clear()
        prepared_file_build.enqueue(prepared_id=prepared.pk)

    kinds.during.append(another_run_wins)
    prepared_file_build.enqueue(prepared_id=prepared.pk)
    prepared.refresh_from_db()
    assert prepared.status == PreparedFileStatus.READY and len(kinds.builds) == 2
    assert _stored_files(private_root) == [prepared.file.name.rsplit("/", 1)[1]]


@pytest.mark.django_db
def test_expiry_sweeps_the_folder_of_a_run_that_died_before_marking(private_root):
    """The run stored its file and died; its row was deleted since (erased
    owner): no row will ever name the folder, so the expiry deletes it."""
    kept = _asked(n=5)
    prepared_file_build.enqueue(prepared_id=kept.pk)
    kept.refresh_from_db()
    dead = private_root / PREPARED_ROOT / "0b7f4c1e-3d4a-4d53-9a57-1f0c2e9b8a77"
    dead.mkdir()
    (dead / "hello.json").write_bytes(kinds.CONTENT)
    not_ours = private_root / PREPARED_ROOT / "README"
    not_ours.mkdir()
    assert prepared_files_expire.call() == 0
    assert not dead.exists() and not_ours.exists()
    assert (private_root / kept.file.name).exists()
