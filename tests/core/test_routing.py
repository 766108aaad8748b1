"""The site root finds pages by their url_path (core.routing) with the answers
Wagtail's walk down the tree gives."""

import pytest
from django.http import Http404
from django.test import RequestFactory
from wagtail.models import Page

from cms.models import StandardPage
from core import routing
from tests.factories import CourseEditionFactory

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
