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


def _news_and_standard_pages(home):
    import datetime

    from cms.models import NewsIndexPage, NewsPage, StandardPage

    news_index = home.add_child(instance=NewsIndexPage(title="Notizie", slug="notizie"))
    news = news_index.add_child(
        instance=NewsPage(
            title="Open day",
            slug="open-day",
            date=datetime.date(2026, 5, 1),
            intro="Novità dalla scuola.",
        )
    )
    standard = home.add_child(instance=StandardPage(title="Chi siamo", slug="chi"))
    return news, standard


def test_a_seat_change_refreshes_only_what_shows_the_seats(
    site, client, django_capture_on_commit_callbacks
):
    home, index = site
    edition = CourseEditionFactory(capacity=3)
    other = CourseEditionFactory(capacity=3)
    news, standard = _news_and_standard_pages(home)
    urls = {
        "course": edition.course.url,
        "other course": other.course.url,
        "catalogue": index.url,
        "news": news.url,
        "standard": standard.url,
        "home": home.url,
    }
    client.get("/")  # the first request ever creates the site settings row
    for url in urls.values():
        client.get(url)
    states = {name: client.get(url)["X-Page-Cache"] for name, url in urls.items()}
    assert states == dict.fromkeys(urls, "hit")

    with django_capture_on_commit_callbacks(execute=True):
        enrolment_create(trainee=TraineeFactory(), edition=edition)

    states = {name: client.get(url)["X-Page-Cache"] for name, url in urls.items()}
    assert states == {
        "course": "miss",
        "other course": "hit",
        "catalogue": "miss",
        "news": "hit",
        "standard": "hit",
        "home": "hit",  # the course is not featured
    }
    assert client.get(urls["course"])["X-Page-Cache"] == "hit"


def test_a_seat_change_of_a_featured_course_refreshes_the_home_page(
    site, client, django_capture_on_commit_callbacks
):
    from cms.models import HomePageFeaturedCourse

    home, _ = site
    edition = CourseEditionFactory(capacity=3)
    HomePageFeaturedCourse.objects.create(home=home, page=edition.course, sort_order=0)
    client.get("/")  # the first request ever creates the site settings row
    client.get(home.url)
    assert client.get(home.url)["X-Page-Cache"] == "hit"

    with django_capture_on_commit_callbacks(execute=True):
        enrolment_create(trainee=TraineeFactory(), edition=edition)

    response = client.get(home.url)
    assert response["X-Page-Cache"] == "miss"
    assert response.context["featured"][0].next_edition.seats_left == 2


def test_no_seat_change_without_commit_callbacks_keeps_the_pages(site, client):
    # Invalidation waits for the commit: inside the (test) transaction nothing moves.
    edition = CourseEditionFactory(capacity=3)
    url = edition.course.url
    client.get("/")
    client.get(url)
    enrolment_create(trainee=TraineeFactory(), edition=edition)
    assert client.get(url)["X-Page-Cache"] == "hit"


def test_editing_a_course_shows_at_once_on_its_page_and_in_the_catalogue(site, client):
    home, index = site
    edition = CourseEditionFactory()
    course = edition.course
    news, _ = _news_and_standard_pages(home)
    client.get("/")
    for url in (course.url, index.url, news.url):
        client.get(url)
        assert client.get(url)["X-Page-Cache"] == "hit"

    course.title = "Saldatura laser collaborativa"
    course.save_revision().publish()

    for url in (course.url, index.url):
        response = client.get(url)
        assert response["X-Page-Cache"] == "miss"
        assert "Saldatura laser collaborativa" in response.content.decode()
    # An edit of content bumps the site's generation: every page refreshes.
    assert client.get(news.url)["X-Page-Cache"] == "miss"


def test_tags_are_plain_strings_with_their_own_generations():
    from core.cache import page_cache_generations, page_cache_invalidate

    assert page_cache_generations(["catalogue", "course:x"]) == {
        "catalogue": 0,
        "course:x": 0,
    }
    page_cache_invalidate(["catalogue"])
    page_cache_invalidate(["catalogue", "course:x"])
    assert page_cache_generations(["catalogue", "course:x", "site"]) == {
        "catalogue": 2,
        "course:x": 1,
        "site": 0,
    }
