"""Files prepared on the reports queue (core.prepared_files): request, build
once, the owner's download page and download, failure and retry, expiry."""

import datetime
import re

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from core.exports import prepared_file_page, register_export
from core.models import DoneOnce, PreparedFile, PreparedFileStatus
from core.prepared_files import (
    PREPARED_FILE_KEEP,
    download_request,
    prepared_file_build,
    prepared_files_delete,
    prepared_files_expire,
)
from core.scheduler import periodic_jobs
from core.tasks import QUEUE_REPORTS
from tests.core.prepared_kinds import CONTENT, builds, failing
from tests.factories import UserFactory
from tests.text import italian

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.MAKERS_PRIVATE_ROOT = tmp_path / "private"
    builds.clear()
    failing["how"] = None
    return settings.MAKERS_PRIVATE_ROOT


@pytest.fixture
def owner():
    return UserFactory()


def _asked(owner, kind="test_site", params=None) -> PreparedFile:
    """A request whose build is not run yet (its on_commit is not run)."""
    return download_request(owner=owner, kind=kind, params=params or {"n": 1})


def _built(owner, django_capture_on_commit_callbacks, **kwargs) -> PreparedFile:
    with django_capture_on_commit_callbacks(execute=True):
        prepared = _asked(owner, **kwargs)
    prepared.refresh_from_db()
    return prepared


def _download_link(html: str) -> str:
    (link,) = re.findall(r'href="([^"]+/file/)"', html)
    return link


def test_request_builds_on_the_reports_queue_then_owner_downloads(
    client,
    owner,
    private_root,
    django_capture_on_commit_callbacks,
    django_assert_max_num_queries,
):
    assert prepared_file_build.queue_name == QUEUE_REPORTS
    prepared = _built(owner, django_capture_on_commit_callbacks)
    assert prepared.status == PreparedFileStatus.READY
    assert prepared.size == len(CONTENT) and prepared.filename == "hello.json"
    assert prepared.expires_at == prepared.finished_at + PREPARED_FILE_KEEP
    stored = private_root / prepared.file.name
    assert stored.read_bytes() == CONTENT
    client.force_login(owner)
    page_url = prepared_file_page(prepared)
    client.get(page_url)
    # Session, user, the file; the rest is base.html's (settings, menu, perms).
    with django_assert_max_num_queries(8):
        page = client.get(page_url)
    html = page.content.decode()
    assert page.status_code == 200 and 'http-equiv="refresh"' not in html
    response = client.get(_download_link(html))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == CONTENT
    assert response["Content-Disposition"] == 'attachment; filename="hello.json"'
    assert "no-store" in response["Cache-Control"]


def test_file_is_private_and_never_under_media(owner, settings):
    prepared = _asked(owner)
    prepared_file_build.enqueue(prepared_id=prepared.pk)
    prepared.refresh_from_db()
    path = prepared.file.path
    assert path.startswith(str(settings.MAKERS_PRIVATE_ROOT))
    assert not path.startswith(str(settings.MEDIA_ROOT))
    with pytest.raises(ValueError):
        prepared.file.url  # noqa: B018


def test_queued_page_is_polite_and_refreshes_itself(client, owner):
    prepared = _asked(owner)
    client.force_login(owner)
    html = client.get(prepared_file_page(prepared)).content.decode()
    being = italian(
        "Your file is being prepared. This page refreshes itself: you"
        " can also leave it and come back later.",
        html=True,
    )
    assert 'http-equiv="refresh"' in html and being in html
    download = reverse("downloads:prepared_file_download", args=[prepared.public_id])
    assert client.get(download).status_code == 404  # nothing to download yet
    assert _asked(owner) == prepared  # a second click queues nothing


def test_a_queue_out_of_reach_fails_the_file_at_once(
    client, owner, django_capture_on_commit_callbacks
):
    failing_queue = {
        "default": {
            "BACKEND": "tests.core.recording_backend.RecordingBackend",
            "QUEUES": settings.MAKERS_TASK_QUEUES,
            "OPTIONS": {"FAIL": True},
        }
    }
    with (
        override_settings(TASKS=failing_queue),
        django_capture_on_commit_callbacks(execute=True),
    ):
        prepared = _asked(owner)
    prepared.refresh_from_db()
    assert prepared.status == PreparedFileStatus.FAILED
    assert prepared.error == italian(
        "The file could not be queued. Try again in a few minutes."
    )
    client.force_login(owner)
    page = client.get(prepared_file_page(prepared)).content.decode()
    assert italian("Try again") in page


def test_a_request_long_queued_is_not_reused(owner):
    stuck = _asked(owner)
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=1)):
        assert _asked(owner) != stuck


def test_others_get_404_and_anonymous_the_sign_in(
    client, owner, django_capture_on_commit_callbacks
):
    prepared = _built(owner, django_capture_on_commit_callbacks)
    page = prepared_file_page(prepared)
    download = reverse("downloads:prepared_file_download", args=[prepared.public_id])
    client.force_login(UserFactory())
    assert client.get(page).status_code == 404
    assert client.get(download).status_code == 404
    assert client.post(page).status_code == 404
    client.logout()
    for url in (page, download):
        response = client.get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_staff_exports_have_their_page_in_the_admin(
    client, django_capture_on_commit_callbacks
):
    staff = UserFactory(is_superuser=True, is_staff=True)
    prepared = _built(staff, django_capture_on_commit_callbacks, kind="test_admin")
    page = prepared_file_page(prepared)
    assert page.startswith("/admin/downloads/")
    client.force_login(staff)
    html = client.get(page).content.decode()
    assert "Test staff export" in html
    assert client.get(_download_link(html)).status_code == 200
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert client.get(page).status_code == 404


def test_running_the_task_twice_builds_once(owner):
    prepared = _asked(owner)
    prepared_file_build.enqueue(prepared_id=prepared.pk)
    first = PreparedFile.objects.get(pk=prepared.pk)
    prepared_file_build.enqueue(prepared_id=prepared.pk)
    again = PreparedFile.objects.get(pk=prepared.pk)
    assert len(builds) == 1
    assert (again.file.name, again.finished_at) == (first.file.name, first.finished_at)


@pytest.mark.parametrize(
    "how, message",
    [
        ("refuse", "The edition no longer exists."),
        (
            "crash",
            "The file could not be prepared. Try again; if it fails again, "
            "tell the school.",
        ),
    ],
)
def test_failure_shows_the_message_and_try_again_builds_it(
    client, owner, how, message, django_capture_on_commit_callbacks
):
    failing["how"] = how
    prepared = _built(owner, django_capture_on_commit_callbacks)
    assert prepared.status == PreparedFileStatus.FAILED
    # The kind refuses with its own words; a crash gets the school's message.
    shown = message if how == "refuse" else italian(message)
    assert prepared.error == shown and not prepared.file
    assert not DoneOnce.objects.exists()  # the failed run kept no claim
    client.force_login(owner)
    page = prepared_file_page(prepared)
    html = client.get(page).content.decode()
    assert escape(shown) in html and italian("Try again") in html
    failing["how"] = None
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(page)
    assert response.status_code == 302 and response["Location"] == page
    prepared.refresh_from_db()
    assert prepared.status == PreparedFileStatus.READY and prepared.error == ""
    assert len(builds) == 2


def test_owner_is_emailed_the_link_once(
    owner, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        prepared = _asked(owner)
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [owner.email]
    assert prepared_file_page(prepared) in mailoutbox[0].body
    prepared_file_build.enqueue(prepared_id=prepared.pk)
    assert len(mailoutbox) == 1


def test_expiry_job_deletes_file_and_row(
    owner, private_root, django_capture_on_commit_callbacks
):
    prepared = _built(owner, django_capture_on_commit_callbacks)
    kept = _built(owner, django_capture_on_commit_callbacks, params={"n": 2})
    stored = private_root / prepared.file.name
    orphan = stored.parent / "hello_Ab12Cd3.json"  # a run's whose commit failed
    orphan.write_bytes(CONTENT)
    PreparedFile.objects.filter(pk=kept.pk).update(
        expires_at=timezone.now() + datetime.timedelta(days=30)
    )
    assert "core.prepared_files_expire" in {job.name for job in periodic_jobs()}
    with django_capture_on_commit_callbacks(execute=True):
        assert prepared_files_expire.call() == 0
    later = timezone.now() + PREPARED_FILE_KEEP + datetime.timedelta(minutes=1)
    with (
        time_machine.travel(later, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert prepared_files_expire.call() == 1
    assert not stored.parent.exists()  # the file, the orphan, their folder
    assert (private_root / kept.file.name).exists()
    assert list(PreparedFile.objects.values_list("pk", flat=True)) == [kept.pk]
    assert not DoneOnce.objects.filter(key__endswith=f":{prepared.pk}").exists()


def test_erased_owner_loses_every_prepared_file(
    owner, private_root, django_capture_on_commit_callbacks
):
    prepared = _built(owner, django_capture_on_commit_callbacks)
    stored = private_root / prepared.file.name
    with django_capture_on_commit_callbacks(execute=True):
        assert prepared_files_delete(owner=owner) == 1
    assert not stored.exists() and not PreparedFile.objects.exists()


def test_unknown_kind_is_refused(owner):
    with pytest.raises(ImproperlyConfigured):
        download_request(owner=owner, kind="nobody_registered", params={})
    with pytest.raises(ImproperlyConfigured):
        register_export(
            "test_site", lambda **kw: None, title="Another", audit=lambda **kw: None
        )
