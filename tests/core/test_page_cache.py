import pytest
from django.utils import timezone, translation
from django.utils.translation import ngettext

from enrolment.services import enrolment_create
from tests.factories import CourseEditionFactory, TraineeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def still_clock(time_machine):
    """The suite's clock, stopped: the test moves it by hand (shift())."""
    time_machine.move_to(timezone.now(), tick=False)
    return time_machine


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


def test_signed_in_people_get_the_shared_page_with_nothing_of_theirs(site, client):
    edition = CourseEditionFactory()
    trainee = TraineeFactory(first_name="Chiara")
    enrolment_create(trainee=trainee, edition=edition)
    client.force_login(trainee)
    first = client.get(edition.course.url)
    body = first.content.decode()
    # Rendered as for a visitor: no name, no enrolment, no CSRF token.
    assert "Chiara" not in body
    assert "csrfmiddlewaretoken" not in body
    assert 'data-island="account"' in body
    assert f'data-island-edition="{edition.pk}"' in body
    # The first answer also set the signed-in hint cookie, so it was not kept.
    assert client.get(edition.course.url)["X-Page-Cache"] == "miss"
    assert client.get(edition.course.url)["X-Page-Cache"] == "hit"
    client.logout()
    anonymous = client.get(edition.course.url)
    assert anonymous["X-Page-Cache"] == "hit"
    assert "Chiara" not in anonymous.content.decode()


def test_a_page_behind_a_view_restriction_is_never_kept(site, client):
    from wagtail.models import PageViewRestriction

    _, index = site
    PageViewRestriction.objects.create(
        page=index, restriction_type=PageViewRestriction.LOGIN
    )
    client.force_login(TraineeFactory(first_name="Chiara"))
    response = client.get(index.url)
    assert response.status_code == 200
    assert "X-Page-Cache" not in response
    assert client.get(index.url).get("X-Page-Cache") is None
    client.logout()
    # The visitor is sent to sign in, not served what the trainee saw.
    assert client.get(index.url).status_code == 302


def test_the_signed_in_hint_cookie_follows_the_session(site, client):
    from core.middleware import SIGNED_IN_COOKIE

    trainee = TraineeFactory()
    client.force_login(trainee)
    response = client.get("/me/")
    assert response.cookies[SIGNED_IN_COOKIE].value == "1"
    assert not response.cookies[SIGNED_IN_COOKIE]["httponly"]
    client.post("/accounts/logout/")
    response = client.get("/accounts/login/")
    assert response.cookies[SIGNED_IN_COOKIE].value == ""  # deleted


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
    site, client, django_capture_on_commit_callbacks, settings, still_clock
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
        "catalogue": "hit",  # its seat figures may be late, by a bounded interval
        "news": "hit",
        "standard": "hit",
        "home": "hit",  # the course is not featured
    }
    assert client.get(urls["course"])["X-Page-Cache"] == "hit"

    # The bound: once MAKERS_PAGE_CACHE_SOFT_SECONDS have passed since the
    # catalogue was kept, it shows the seat taken.
    still_clock.shift(settings.MAKERS_PAGE_CACHE_SOFT_SECONDS + 1)
    catalogue = client.get(urls["catalogue"])
    assert catalogue["X-Page-Cache"] == "miss"
    assert client.get(urls["catalogue"])["X-Page-Cache"] == "hit"
    assert client.get(urls["news"])["X-Page-Cache"] == "hit"


def test_the_catalogue_shows_a_seat_change_within_the_soft_bound_only(
    site, client, django_capture_on_commit_callbacks, settings, still_clock
):
    _, index = site
    edition = CourseEditionFactory(capacity=3)
    client.get("/")
    client.get(index.url)
    still_clock.shift(settings.MAKERS_PAGE_CACHE_SOFT_SECONDS - 1)
    with django_capture_on_commit_callbacks(execute=True):
        enrolment_create(trainee=TraineeFactory(), edition=edition)
    # Kept SOFT - 1 s ago: still served, for at most one more second.
    assert client.get(index.url)["X-Page-Cache"] == "hit"
    still_clock.shift(2)
    response = client.get(index.url)
    assert response["X-Page-Cache"] == "miss"
    assert "2 seats left" in response.content.decode() or "2 posti" in (
        response.content.decode()
    )


def test_a_content_edit_refreshes_the_catalogue_at_once(site, client):
    _, index = site
    edition = CourseEditionFactory()
    client.get("/")
    client.get(index.url)
    assert client.get(index.url)["X-Page-Cache"] == "hit"
    course = edition.course
    course.title = "Saldatura robotizzata avanzata"
    course.save_revision().publish()
    response = client.get(index.url)
    assert response["X-Page-Cache"] == "miss"
    assert "Saldatura robotizzata avanzata" in response.content.decode()


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
    (card,) = response.context["featured_cards_html"]
    with translation.override(home.locale.language_code):
        two_left = ngettext("%(seats)s seat left", "%(seats)s seats left", 2) % {
            "seats": 2
        }
    assert two_left in card


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


def test_view_restrictions_are_read_only_once_one_exists(site, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from wagtail.models import PageViewRestriction

    from core.cache import page_cache_invalidate

    _, index = site
    client.get("/")
    client.get(index.url)
    page_cache_invalidate()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(index.url).status_code == 200
    assert not any("pageviewrestriction" in q["sql"] for q in captured)
    # A restriction saved (in the admin's privacy dialog, say) applies at once.
    PageViewRestriction.objects.create(
        page=index, restriction_type=PageViewRestriction.LOGIN
    )
    assert client.get(index.url).status_code == 302
    PageViewRestriction.objects.all().delete()
    assert client.get(index.url).status_code == 200


def test_a_request_reads_each_tag_generation_once_until_it_bumps_one(monkeypatch):
    from django.core.cache import cache
    from django.core.signals import request_finished, request_started

    from core.cache import page_cache_generations, page_cache_invalidate

    reads = []
    real_get_many = cache.get_many
    monkeypatch.setattr(
        cache, "get_many", lambda keys: reads.append(keys) or real_get_many(keys)
    )
    request_started.send(sender=None)
    try:
        first = page_cache_generations(["content", "site"])
        assert page_cache_generations(["content"]) == {"content": first["content"]}
        assert len(reads) == 1
        page_cache_invalidate(["content"])  # this request's own edit
        assert page_cache_generations(["content"])["content"] == first["content"] + 1
        assert len(reads) == 2
    finally:
        request_finished.send(sender=None)
    # Outside a request every call reads the shared cache.
    page_cache_generations(["content"])
    page_cache_generations(["content"])
    assert len(reads) == 4
