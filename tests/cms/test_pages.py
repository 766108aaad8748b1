"""The school's own pages: the tree staff may build, what each page shows."""

import datetime

import pytest
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from cms.models import (
    HomePage,
    HomePageFeaturedCourse,
    NewsIndexPage,
    NewsPage,
    StandardPage,
)
from courses.models import CourseIndexPage, CoursePage
from tests.factories import CourseEditionFactory, StaffFactory, site_tree


class PageTreeTests(WagtailPageTestCase):
    """Where each page may live (bakerydemo style)."""

    @classmethod
    def setUpTestData(cls):
        cls.home, cls.index = site_tree()

    def setUp(self):
        self.client.force_login(StaffFactory())

    def test_the_tree_staff_may_build(self):
        self.assertAllowedSubpageTypes(NewsIndexPage, {NewsPage})
        self.assertAllowedParentPageTypes(NewsPage, {NewsIndexPage})
        self.assertAllowedParentPageTypes(CourseIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(CourseIndexPage, {CoursePage})

    def test_staff_create_a_standard_page_with_a_streamfield_body(self):
        self.assertCanCreate(
            self.home,
            StandardPage,
            nested_form_data(
                {
                    "title": "Chi siamo",
                    "slug": "chi-siamo",
                    "intro": "La scuola della Camera di commercio di Torino.",
                    "body": streamfield(
                        [("paragraph", rich_text("<p>Corso Settembrini 178</p>"))]
                    ),
                }
            ),
        )
        page = StandardPage.objects.get(slug="chi-siamo")
        response = self.client.get(page.url)
        self.assertContains(response, "Corso Settembrini 178")

    def test_news_index_lists_news_newest_first(self):
        news = self.home.add_child(
            instance=NewsIndexPage(title="Notizie", slug="notizie")
        )
        for day, title in [(1, "Open day"), (20, "Nuovo laboratorio cobot")]:
            news.add_child(
                instance=NewsPage(
                    title=title,
                    slug=f"n-{day}",
                    date=datetime.date(2026, 5, day),
                    intro="Novità dalla scuola.",
                )
            )
        response = self.client.get(news.url)
        content = response.content.decode()
        assert content.index("Nuovo laboratorio cobot") < content.index("Open day")


@pytest.mark.django_db
def test_home_page_shows_its_featured_courses_in_their_order(client, site):
    home, _ = site
    first = CourseEditionFactory(course__title="Stampa 3D metallo").course
    second = CourseEditionFactory(course__title="Cobot in sicurezza").course
    for order, course in enumerate([second, first]):
        HomePageFeaturedCourse.objects.create(home=home, page=course, sort_order=order)
    content = client.get(home.url).content.decode()
    assert content.index("Cobot in sicurezza") < content.index("Stampa 3D metallo")


@pytest.mark.django_db
def test_a_featured_course_must_be_a_course_page(site):
    home, _ = site
    field = HomePageFeaturedCourse._meta.get_field("page")
    assert field.related_model is CoursePage
    assert not CoursePage.objects.filter(pk=home.pk).exists()
