"""Every request for a prepared file and every download of it reaches its
kind's audit (core.exports), in the request's transaction; a second click,
or a download of a file not ready, writes nothing."""

import pytest
from django.urls import reverse

from core.exports import EXPORT_DOWNLOADED, EXPORT_REQUESTED, prepared_file_page
from core.models import PreparedFile, PreparedFileStatus
from core.prepared_files import download_request, prepared_file_build
from tests.core import prepared_kinds as kinds
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.MAKERS_PRIVATE_ROOT = tmp_path / "private"
    kinds.builds.clear()
    kinds.audited.clear()
    kinds.failing["how"] = None


def test_requests_retries_and_downloads_are_audited(
    client, django_capture_on_commit_callbacks
):
    owner = UserFactory()
    prepared = download_request(owner=owner, kind="test_site", params={})
    assert download_request(owner=owner, kind="test_site", params={}) == prepared
    assert kinds.audited == [(EXPORT_REQUESTED, prepared.pk, owner, None)]
    kinds.failing["how"] = "crash"
    prepared_file_build.enqueue(prepared_id=prepared.pk)
    client.force_login(owner)
    download = reverse("downloads:prepared_file_download", args=[prepared.public_id])
    assert client.get(download).status_code == 404  # failed: nothing to log
    kinds.failing["how"] = None
    page = prepared_file_page(prepared)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(page)  # try again: asked again
    prepared.refresh_from_db()
    assert prepared.status == PreparedFileStatus.READY
    assert client.get(download).status_code == 200
    assert kinds.audited[1:] == [
        (EXPORT_REQUESTED, prepared.pk, owner, page),
        (EXPORT_DOWNLOADED, prepared.pk, owner, download),
    ]


def test_a_failing_audit_leaves_no_request(monkeypatch):
    """No entry, no file: the request is refused whole."""

    monkeypatch.setattr(kinds, "audited", None)  # appending raises
    with pytest.raises(AttributeError):
        download_request(owner=UserFactory(), kind="test_site", params={})
    assert not PreparedFile.objects.exists()
