"""Pages and downloads for a signed-in person say Cache-Control: private,
no-store (make security's header crawl checks every page each role reaches)."""

import re

import pytest
from django.test import Client

from tests.factories import TraineeFactory

pytestmark = pytest.mark.django_db


def test_a_signed_in_persons_page_is_private_and_not_stored(site):
    client = Client()
    client.force_login(TraineeFactory())
    for path in ("/me/", "/me/courses/", "/me/data/", "/en/me/profile/"):
        response = client.get(path)
        assert response.status_code == 200, path
        cache = response["Cache-Control"]
        assert "private" in cache and "no-store" in cache, path


def test_the_data_export_download_is_private_and_not_stored(
    site, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MAKERS_PRIVATE_ROOT = tmp_path
    client = Client()
    client.force_login(TraineeFactory())
    with django_capture_on_commit_callbacks(execute=True):
        asked = client.post("/me/data/")
    page = client.get(asked["Location"])
    (link,) = re.findall(r'href="([^"]+/file/)"', page.content.decode())
    for response in (page, client.get(link)):
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
        assert "private" in response["Cache-Control"]


def test_an_anonymous_page_is_left_to_the_page_cache(site):
    response = Client().get("/")
    assert "no-store" not in response.get("Cache-Control", "")


def test_a_views_own_cache_control_is_kept(site):
    """The JSON verification answer says no-store itself; nothing is added."""
    client = Client()
    client.force_login(TraineeFactory())
    response = client.get("/api/certificates/not-a-code/")
    assert response.status_code == 404
    assert response["Cache-Control"] == "no-store"
