import pytest

from enrolment.services import enrolment_create
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


def test_a_seat_taken_through_the_enrolment_service_refreshes_the_course_page(
    site, client, django_capture_on_commit_callbacks
):
    edition = CourseEditionFactory(capacity=3)
    url = edition.course.url
    client.get("/")
    assert client.get(url).context["editions"][0].seats_left == 3
    assert client.get(url)["X-Page-Cache"] == "hit"

    with django_capture_on_commit_callbacks(execute=True):
        enrolment_create(trainee=TraineeFactory(), edition=edition)

    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert response.context["editions"][0].seats_left == 2


def test_hits_keep_the_security_headers_of_a_miss(site, client):
    _, index = site
    client.get("/")  # creates the site settings row
    miss = client.get(index.url)
    hit = client.get(index.url)
    assert hit["X-Page-Cache"] == "hit"
    for header in (
        "X-Frame-Options",
        "Content-Security-Policy",
        "X-Content-Type-Options",
    ):
        assert hit[header] == miss[header], header


def test_hits_are_refused_for_a_host_that_is_not_allowed(site, client, settings):
    _, index = site
    settings.ALLOWED_HOSTS = ["makers-school.example"]
    assert client.get(index.url, HTTP_HOST="makers-school.example").status_code == 200
    response = client.get(index.url, HTTP_HOST="attacker.example")
    assert response.status_code == 400


def test_only_views_that_opt_in_are_cached(site, client):
    # An allauth page: anonymous, 200, HTML, but its view never opted in.
    response = client.get("/accounts/password/reset/")
    assert response.status_code == 200
    assert "X-Page-Cache" not in response


def test_a_waiting_message_is_shown_not_a_cached_page(site, client):
    _, index = site
    client.get(index.url)
    user = TraineeFactory()
    client.force_login(user)
    client.post("/accounts/logout/")
    response = client.get("/", follow=True)
    assert "X-Page-Cache" not in response or response["X-Page-Cache"] != "hit"
    assert list(response.context["messages"])
