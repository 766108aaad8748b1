import pytest

from tests.factories import CourseEditionFactory, TraineeFactory

pytestmark = pytest.mark.django_db


def test_anonymous_pages_are_served_from_the_cache(site, client):
    edition = CourseEditionFactory()
    url = edition.course.url
    client.get("/")  # the first request ever creates the site settings row
    first = client.get(url)
    assert first.status_code == 200
    assert first["X-Page-Cache"] == "miss"
    second = client.get(url)
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content


def test_changing_an_edition_shows_at_once(site, client):
    edition = CourseEditionFactory(capacity=12)
    url = edition.course.url
    client.get(url)
    edition.seats_taken = 12
    edition.save(update_fields=["seats_taken"])
    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert response.context["editions"][0].seats_left == 0


def test_publishing_a_page_invalidates_the_cache(site, client):
    home, index = site
    client.get(index.url)
    index.title = "Catalogo dei corsi"
    index.save_revision().publish()
    response = client.get(index.url)
    assert response["X-Page-Cache"] == "miss"
    assert "Catalogo dei corsi" in response.content.decode()


def test_signed_in_people_never_get_or_fill_the_cache(site, client):
    edition = CourseEditionFactory()
    trainee = TraineeFactory(first_name="Chiara")
    client.force_login(trainee)
    response = client.get(edition.course.url)
    assert "X-Page-Cache" not in response
    client.logout()
    anonymous = client.get(edition.course.url)
    assert "Chiara" not in anonymous.content.decode()


def test_pages_that_set_cookies_are_not_cached(site, client):
    response = client.get("/accounts/login/")
    assert "X-Page-Cache" not in response
    assert client.get("/accounts/login/").status_code == 200


def test_public_pages_carry_a_strict_content_security_policy(site, client):
    _, index = site
    policy = client.get(index.url)["Content-Security-Policy"]
    assert "script-src 'self';" in policy
    assert "unsafe-inline" not in policy
