"""courses.admin_views.EditionMixin: the one way an admin view about one
edition (roster, register, certificates) finds its edition."""

import pytest
from django.http import Http404, HttpResponse
from django.test import RequestFactory
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
