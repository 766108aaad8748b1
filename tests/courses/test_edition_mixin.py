"""courses.admin_views.EditionMixin: the one way an admin view about one
edition (roster, register, certificates) finds its edition."""

import pytest
from django.http import Http404, HttpResponse
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver
from django.views import View

from courses.admin_views import EditionMixin
from tests.factories import CourseEditionFactory

pytestmark = pytest.mark.django_db


class EditionCode(EditionMixin, View):
    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.seen_in_setup = self.edition  # set before the view's own setup

    def get(self, request, *args, **kwargs):
        return HttpResponse(f"{self.seen_in_setup.code} {self.edition.venue.name}")


def test_the_edition_named_by_the_url_with_course_and_venue(django_assert_num_queries):
    edition = CourseEditionFactory()
    request = RequestFactory().get("/")
    with django_assert_num_queries(1):
        response = EditionCode.as_view()(request, edition_pk=edition.pk)
    assert response.content.decode() == f"{edition.code} {edition.venue.name}"


def test_an_unknown_edition_is_a_404():
    with pytest.raises(Http404):
        EditionCode.as_view()(RequestFactory().get("/"), edition_pk=999_999)


def edition_views(patterns=None):
    """Every admin view class the URLconf routes that uses EditionMixin."""
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            yield from edition_views(entry.url_patterns)
        elif isinstance(entry, URLPattern):
            view_class = getattr(entry.callback, "view_class", None)
            if view_class and issubclass(view_class, EditionMixin):
                yield view_class(**entry.callback.view_initkwargs)


def test_every_edition_view_is_checked_by_a_permission_policy():
    # Wagtail's PermissionCheckedMixin lets everyone in when a view has no
    # policy: a view that forgets its `model` would be open to every admin user.
    views = list(edition_views())
    # Roster and export, register, correction and export, certificates (3).
    assert len(views) >= 8
    for view in views:
        assert view.permission_policy, type(view).__name__
