"""Downloads prepared on the reports queue (issue 25): exports too slow to
build inside a request, by the builders apps register (core.exports).

The view that may hand out the export (its permission checks as before)
calls download_request(), which records a PreparedFile and queues its build
after the commit; the owner follows it on its download page (core.prepared_views)
and downloads it from the private storage until it expires
(PREPARED_FILE_KEEP), when prepared_files_expire deletes row and file. Each
request and each download is audited by the kind's `audit` (core.exports).
"""

import datetime
import logging
import uuid

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from .exports import (
    EXPORT_DOWNLOADED,
    EXPORT_REQUESTED,
    PreparedFileError,
    export_kind,
)
from .models import (
    PREPARED_ROOT,
    DoneOnce,
    PreparedFile,
    PreparedFileStatus,
    prepared_file_path,
)
from .once import do_once
from .prepared_emails import prepared_file_email_send
from .tasks import QUEUE_MAIL, QUEUE_REPORTS, retry_policy_set

logger = logging.getLogger("makers.prepared_files")

# How long a prepared file (or a request that never finished) is kept.
PREPARED_FILE_KEEP = datetime.timedelta(days=7)
# A request like one queued this recently gets that one (a second click); an
# older one may be stuck (its worker died with no retry left): a new one.
PENDING_REUSE = datetime.timedelta(minutes=30)


def _enqueue(prepared_id: int) -> None:
    """Queue the build; if the queue cannot be reached, the file is failed at
    once, so its page offers "try again" instead of waiting for ever."""
    try:
        prepared_file_build.enqueue(prepared_id=prepared_id)
    except Exception:
        logger.exception("Prepared file %s not queued", prepared_id)
        PreparedFile.objects.filter(
            pk=prepared_id, status=PreparedFileStatus.QUEUED
        ).update(
            status=PreparedFileStatus.FAILED,
            error=_("The file could not be queued. Try again in a few minutes."),
            finished_at=timezone.now(),
        )


def _build_soon(prepared: PreparedFile) -> None:
    pk = prepared.pk
    transaction.on_commit(lambda: _enqueue(pk))


@transaction.atomic
def download_request(
    *, owner, kind: str, params: dict, request: HttpRequest | None = None
) -> PreparedFile:
    """Record the owner's request for an export of `kind`, audited, and queue
    its build (after the commit). The caller has checked that the owner may
    have it. A request like one being prepared (PENDING_REUSE) returns that
    one: a second click queues nothing. Built in the language active now."""
    export = export_kind(kind)
    pending = (
        PreparedFile.objects.filter(
            owner=owner,
            kind=kind,
            params=params,
            status=PreparedFileStatus.QUEUED,
            created_at__gte=timezone.now() - PENDING_REUSE,
        )
        .order_by("-created_at")
        .first()
    )
    if pending is not None:
        return pending
    prepared = PreparedFile(
        owner=owner,
        kind=kind,
        params=params,
        language=translation.get_language() or "",
        expires_at=timezone.now() + PREPARED_FILE_KEEP,
    )
    prepared.full_clean()
    prepared.save()
    export.audit(event=EXPORT_REQUESTED, prepared=prepared, user=owner, request=request)
    _build_soon(prepared)
    return prepared


@transaction.atomic
def prepared_file_retry(
    *, prepared: PreparedFile, request: HttpRequest | None = None
) -> PreparedFile:
    """Queue a failed file's build again ("try again"), audited as a new
    request; any other is left be."""
    updated = PreparedFile.objects.filter(
        pk=prepared.pk, status=PreparedFileStatus.FAILED
    ).update(
        status=PreparedFileStatus.QUEUED,
        error="",
        expires_at=timezone.now() + PREPARED_FILE_KEEP,
    )
    if updated:
        export_kind(prepared.kind).audit(
            event=EXPORT_REQUESTED,
            prepared=prepared,
            user=prepared.owner,
            request=request,
        )
        _build_soon(prepared)
    prepared.refresh_from_db()
    return prepared


@transaction.atomic
def prepared_file_open(
    *, prepared: PreparedFile, request: HttpRequest | None = None
) -> File | None:
    """The ready file, opened for its owner to download, the download
    audited; None if it is not ready (nothing to download, nothing logged)."""
    if prepared.status != PreparedFileStatus.READY or not prepared.file:
        return None
    export_kind(prepared.kind).audit(
        event=EXPORT_DOWNLOADED, prepared=prepared, user=prepared.owner, request=request
    )
    return prepared.file.open("rb")  # a missing file raises: the entry goes


def _ready_mark(*, prepared_id: int, stored: PreparedFile, content_type: str) -> bool:
    """In one short transaction, mark the row ready with the file `stored`
    holds; False (nothing changed) when the row is gone (expired, erased) or
    another run marked it first. The row is locked: two runs never both win."""
    with transaction.atomic():
        prepared = (
            PreparedFile.objects.select_for_update().filter(pk=prepared_id).first()
        )
        if prepared is None or prepared.status == PreparedFileStatus.READY:
            return False
        now = timezone.now()
        prepared.file = stored.file.name
        prepared.status = PreparedFileStatus.READY
        prepared.filename = stored.filename
        prepared.content_type = content_type
        prepared.size = stored.size
        prepared.finished_at = now
        prepared.expires_at = now + PREPARED_FILE_KEEP
        prepared.error = ""
        prepared.save()
        if export_kind(prepared.kind).notify:
            transaction.on_commit(lambda: prepared_file_notify.enqueue(prepared_id))
    return True


def _build(prepared_id: int) -> None:
    """Build the file with no transaction open (the builder runs its own
    short queries, for as long as it needs), store it in the row's folder,
    then mark the row ready in a short one (_ready_mark). A file no row takes
    (another run won, the row is gone, the marking failed) is deleted at
    once; one left by a run that died in between is in the row's folder,
    which the expiry deletes, or in a folder with no row, which it sweeps."""
    prepared = (
        PreparedFile.objects.select_related("owner").filter(pk=prepared_id).first()
    )
    if prepared is None or prepared.status == PreparedFileStatus.READY:
        return  # expired meanwhile, or built by an earlier run
    kind = export_kind(prepared.kind)
    filename, content_type, content = kind.builder(
        owner=prepared.owner, params=prepared.params
    )
    prepared.filename, prepared.size = filename, len(content)
    prepared.file.save(filename, ContentFile(content), save=False)
    marked = False
    try:
        marked = _ready_mark(
            prepared_id=prepared_id, stored=prepared, content_type=content_type
        )
    finally:
        if not marked:
            prepared.file.delete(save=False)


def _failed(prepared_id: int, error: Exception) -> None:
    """Mark the file failed, with a message its owner may read."""
    if isinstance(error, PreparedFileError):
        message = str(error)
    else:
        logger.exception("Prepared file %s not built", prepared_id)
        message = _(
            "The file could not be prepared. Try again; if it fails again, "
            "tell the school."
        )
    PreparedFile.objects.filter(pk=prepared_id).exclude(
        status=PreparedFileStatus.READY
    ).update(
        status=PreparedFileStatus.FAILED,
        error=message,
        finished_at=timezone.now(),
    )


@task(queue_name=QUEUE_REPORTS)
def prepared_file_build(prepared_id: int) -> None:
    """Build one prepared file, once however often the task runs; a failure
    marks it failed (its owner may try again) and is raised again, so RQ runs
    it again per its retry policy."""
    language = (
        PreparedFile.objects.filter(pk=prepared_id)
        .values_list("language", flat=True)
        .first()
    )
    with translation.override(language or settings.LANGUAGE_CODE):
        try:
            _build(prepared_id)
        except Exception as error:
            _failed(prepared_id, error)
            raise


# A failed build (storage full, database restarted) runs again after 1 and
# 10 minutes; the owner sees "failed" meanwhile and may try again at once.
retry_policy_set(prepared_file_build, max_retries=2, intervals=(60, 600))


def _email_key(prepared_id: int) -> str:
    return f"core.prepared_file_email:{prepared_id}"


@task(queue_name=QUEUE_MAIL)
def prepared_file_notify(prepared_id: int) -> None:
    """Email the owner that the file is ready, once."""
    do_once(
        key=_email_key(prepared_id),
        work=lambda: prepared_file_email_send(prepared_id=prepared_id),
    )


# A mail server that refuses or does not answer: as enrolment's emails.
retry_policy_set(
    prepared_file_notify, max_retries=5, intervals=(30, 120, 600, 1800, 3600)
)


def _folder_delete(storage, folder: str) -> None:
    """Every file in the row's folder: its file, and any a run stored before
    its transaction failed to commit."""
    if not storage.exists(folder):
        return
    _dirs, files = storage.listdir(folder)
    for name in files:
        storage.delete(f"{folder}/{name}")
    storage.delete(folder)  # the empty folder (FileSystemStorage removes it)


def _delete(prepared: PreparedFile) -> None:
    """Delete the row and its keys now, its files once that is committed."""
    storage = prepared.file.storage
    folder = prepared_file_path(prepared, "").rstrip("/")
    transaction.on_commit(lambda: _folder_delete(storage, folder))
    DoneOnce.objects.filter(key=_email_key(prepared.pk)).delete()
    prepared.delete()


@transaction.atomic
def prepared_files_delete(*, owner) -> int:
    """Delete every file prepared for `owner` (their account is erased: their
    exports hold their data); returns how many."""
    owned = list(PreparedFile.objects.filter(owner=owner))
    for prepared in owned:
        _delete(prepared)
    return len(owned)


def _public_id(name: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(name)
    except ValueError:
        return None


def _rowless_folders_delete() -> int:
    """Delete the folders of prepared files whose row is gone: left by a
    build that died after storing its file, the row deleted meanwhile (a
    build that lives deletes such a file itself). Returns how many."""
    storage = PreparedFile._meta.get_field("file").storage
    if not storage.exists(PREPARED_ROOT):
        return 0
    folders, _files = storage.listdir(PREPARED_ROOT)
    ids = {name: _public_id(name) for name in folders}
    rows = PreparedFile.objects.filter(public_id__in=[i for i in ids.values() if i])
    kept = set(rows.values_list("public_id", flat=True))
    rowless = [name for name, i in ids.items() if i and i not in kept]
    for name in rowless:
        try:
            _folder_delete(storage, f"{PREPARED_ROOT}/{name}")
        except OSError:  # a build storing into it right now: next time
            logger.warning("Prepared files folder %s not deleted", name)
    return len(rowless)


@task()
def prepared_files_expire() -> int:
    """Delete the prepared files past their expiry, rows and files, and any
    folder with no row; returns how many rows. Registered with the scheduler
    in CoreConfig."""
    deleted = 0
    expired = PreparedFile.objects.filter(expires_at__lte=timezone.now())
    for prepared in list(expired):
        with transaction.atomic():
            _delete(prepared)
        deleted += 1
    if _rowless_folders_delete():
        logger.info("Prepared files: folders with no row deleted")
    return deleted
