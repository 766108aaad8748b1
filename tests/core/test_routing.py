"""The site root finds pages by their url_path (core.routing) with the answers
Wagtail's walk down the tree gives."""

import tomllib
from pathlib import Path

import pytest
from django.core.cache import caches
from django.db import connection
from django.http import Http404
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from wagtail.models import Locale, Page, Site

from cms.models import HomePage, StandardPage
from core import routing
from core.cache import FRAGMENTS_CACHE, page_cache_invalidate
from tests.factories import CourseEditionFactory, english_locale

pytestmark = pytest.mark.django_db


def _both(home, path: str):
    """(direct route, Wagtail's route) of path below home: pages or Http404."""
    request = RequestFactory().get("/" + path)
    components = [part for part in path.split("/") if part]
    answers = []
    for route in (home.route, lambda r, c: Page.route(home, r, c)):
        try:
            answers.append(route(request, components).page)
        except Http404:
            answers.append(Http404)
    return answers


def test_pages_at_every_depth_are_found_as_wagtail_finds_them(
    site, django_assert_max_num_queries
):
    home, index = site
    course = CourseEditionFactory().course
    about = home.add_child(instance=StandardPage(title="Chi siamo", slug="chi-siamo"))
    team = about.add_child(instance=StandardPage(title="Il team", slug="team"))
    for page, path in (
        (index, "corsi/"),
        (course, f"corsi/{course.slug}/"),
        (team, "chi-siamo/team/"),
    ):
        direct, walked = _both(home, path)
        assert direct == walked == page
        assert type(direct) is type(page)  # the specific page, ready to serve
    with django_assert_max_num_queries(2):
        home.route(RequestFactory().get("/"), ["chi-siamo", "team"])


@pytest.mark.parametrize(
    "path", ["nessuna/", "corsi/nessuno/", "corsi/corso-x/extra/", "chi-siamo/corsi/"]
)
def test_unknown_paths_are_404_as_in_wagtail(site, path):
    home, _ = site
    CourseEditionFactory(course__slug="corso-x")
    home.add_child(instance=StandardPage(title="Chi siamo", slug="chi-siamo"))
    assert _both(home, path) == [Http404, Http404]


def test_only_the_page_itself_must_be_live(site):
    home, _ = site
    draft = home.add_child(instance=StandardPage(title="Bozza", slug="bozza"))
    child = draft.add_child(instance=StandardPage(title="Pubblica", slug="pubblica"))
    draft.unpublish()
    assert _both(home, "bozza/") == [Http404, Http404]
    direct, walked = _both(home, "bozza/pubblica/")
    assert direct == walked == child


def test_a_page_type_that_routes_on_its_own_gets_wagtails_walk(site, monkeypatch):
    home, index = site
    seen = []

    def own_route(self, request, components):
        seen.append(components)
        return Page.route(self, request, components)

    monkeypatch.setattr(type(index), "route", own_route)
    routing._default_routing_everywhere.cache_clear()
    try:
        course = CourseEditionFactory().course
        assert home.route(RequestFactory().get("/"), ["corsi", course.slug]).page == (
            course
        )
        assert seen == [[course.slug]]  # the catalogue's own route() was asked
    finally:
        monkeypatch.undo()
        routing._default_routing_everywhere.cache_clear()


def _sql(captured) -> str:
    return "\n".join(query["sql"] for query in captured.captured_queries)


def test_a_page_request_reads_the_site_once_and_no_locale_root_or_route(site, client):
    """Wagtail's locale and root-page reads and the route's id lookup come from
    fragments (CachedSiteMiddleware, DirectRouteMixin) after the first render;
    the site is read once (Site.find_for_request, kept on the request by
    Wagtail), the page itself is still read."""
    home, index = site
    course = CourseEditionFactory().course
    client.get("/")  # the first request ever creates the site settings row
    for url in ("/", index.url, course.url):
        assert client.get(url).status_code == 200
        page_cache_invalidate()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        assert response["X-Page-Cache"] == "miss"
        sql = _sql(captured)
        assert sql.count('FROM "wagtailcore_site"') == 1, sql
        assert "wagtailcore_locale" not in sql
        assert '"content_type_id" FROM "wagtailcore_page"' not in sql
        assert 'FROM "cms_homepage"' not in sql, sql  # the kept root page


def test_an_english_page_is_routed_from_the_kept_translation_of_the_root(site, client):
    course = CourseEditionFactory().course
    course_en = course.copy_for_translation(english_locale(), copy_parents=True)
    course_en.title = "Cobots on the line"
    course_en.save_revision().publish()
    client.get("/")  # the first request ever creates the site settings row
    assert client.get(course_en.url).status_code == 200
    page_cache_invalidate()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(course_en.url)
    assert response.status_code == 200
    assert "Cobots on the line" in response.content.decode()
    sql = _sql(captured)
    assert 'FROM "wagtailcore_locale"' not in sql
    assert sql.count('FROM "wagtailcore_site"') == 1, sql
    # The English home is not read: as many queries as the Italian page.
    assert client.get(course.url).status_code == 200
    page_cache_invalidate()
    with CaptureQueriesContext(connection) as italian:
        client.get(course.url)
    assert len(captured) == len(italian)


def test_a_site_saved_with_another_root_routes_there_at_once(site, client):
    home, _ = site
    assert "Benvenuti" in client.get("/").content.decode()
    root = Page.get_first_root_node()
    other = root.add_child(
        instance=HomePage(title="Altra sede", slug="altra", hero_title="Sede di Ivrea")
    )
    default = Site.objects.get(is_default_site=True)
    default.root_page = other
    default.save()
    response = client.get("/")
    assert response.status_code == 200
    assert "Sede di Ivrea" in response.content.decode()


def test_a_moved_or_unpublished_page_is_routed_at_once(site, client):
    home, _ = site
    about = home.add_child(instance=StandardPage(title="Chi siamo", slug="chi-siamo"))
    assert client.get("/chi-siamo/").status_code == 200
    about.slug = "la-scuola"
    about.save_revision().publish()
    assert client.get("/chi-siamo/").status_code == 404
    assert client.get("/la-scuola/").status_code == 200
    about.unpublish()
    assert client.get("/la-scuola/").status_code == 404


def test_a_path_that_is_not_found_is_not_kept(site, client):
    fragments = caches[FRAGMENTS_CACHE]
    client.get("/")
    before = set(fragments._cache)
    for n in range(20):
        assert client.get(f"/nessuna-{n}/").status_code == 404
    assert not [key for key in set(fragments._cache) - before if ":route:" in key]


def test_the_active_locale_falls_back_to_the_default_one(site):
    Locale.objects.get_or_create(language_code="en")

    with translation.override("en"):
        assert routing.active_locale().language_code == "en"
    with translation.override("de"):
        assert routing.active_locale().language_code == "it"
    it = routing.active_locale()
    assert routing.locale_by_id(it.pk) == it


def test_a_page_preview_renders_through_the_middleware(site):
    """Wagtail's preview runs the middleware on a request it builds, without the
    URL resolver (no resolver_match): served, not routed."""
    home, index = site
    index.title = "Catalogo in anteprima"
    response = index.make_preview_request()
    assert response.status_code == 200
    assert "Catalogo in anteprima" in response.content.decode()


def test_wagtail_answers_with_the_site_found_with_its_kept_root(
    site, django_assert_num_queries
):
    """The middleware's site is the one Wagtail keeps on the request: every
    later Site.find_for_request() of the request answers with it, without a
    query, and its root page is the specific page, kept across requests."""
    request = RequestFactory().get("/")
    found = routing.site_for_request(request)
    assert found == Site.objects.get(is_default_site=True)
    assert type(found.root_page) is HomePage  # the specific page, ready to route
    with django_assert_num_queries(0):
        assert Site.find_for_request(request) is found
    request = RequestFactory().get("/")
    with django_assert_num_queries(1):  # the site; its root page is kept
        assert type(routing.site_for_request(request).root_page) is HomePage


# Wagtail's private names the project once used (core.routing): its site kept
# on the request, its raw host and its uncached site lookup.
WAGTAIL_PRIVATE = ("_wagtail_site", "_find_for_request", "_get_raw_host")


def test_no_product_module_uses_wagtails_private_site_lookup():
    """Only Wagtail's public Site.find_for_request(): an upgrade that renames
    what it keeps on the request cannot break routing silently."""
    root = Path(__file__).resolve().parents[2]
    apps = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["tool"][
        "importlinter"
    ]["root_packages"]
    found = [
        f"{path.relative_to(root)}: {name}"
        for app in apps
        for path in (root / app).rglob("*.py")
        for name in WAGTAIL_PRIVATE
        if name in path.read_text()
    ]
    assert not found, found


def test_a_host_outside_allowed_hosts_is_answered_as_before(site, client, settings):
    settings.ALLOWED_HOSTS = ["makers.example"]
    fragments = caches[FRAGMENTS_CACHE]
    before = set(fragments._cache)
    request = RequestFactory().get("/", HTTP_HOST="evil.example")
    # Wagtail's own answer (the default site), never raising; nothing kept
    # per host.
    assert routing.site_for_request(request) == Site.objects.get(is_default_site=True)
    assert not [key for key in set(fragments._cache) - before if ":site:" in key]
    assert client.get("/", HTTP_HOST="evil.example").status_code == 400
    assert client.get("/", HTTP_HOST="makers.example").status_code == 200
