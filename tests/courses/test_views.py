import pytest
from wagtail.models import Locale
from wagtail.test.utils import WagtailPageTestCase

from courses.models import Area, CourseIndexPage, CoursePage
from tests.factories import (
    CompetencyFactory,
    CourseEditionFactory,
    CoursePageFactory,
    site_tree,
)

pytestmark = pytest.mark.django_db


def make_catalogue(count: int) -> None:
    competency = CompetencyFactory()
    for number in range(count):
        CourseEditionFactory(
            course__title=f"Corso {number:03d}", course__competencies=[competency]
        )


def catalogue_queries(client, django_assert_max_num_queries, url, limit=25):
    with django_assert_max_num_queries(limit) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


QUERY_COUNTS: dict[int, tuple[int, int]] = {}


@pytest.mark.parametrize("count", [5, 200])
def test_catalogue_runs_a_bounded_number_of_queries(
    site, client, django_assert_max_num_queries, count
):
    """Wagtail's routing, menu and settings are ~15 queries; courses add none."""
    make_catalogue(count)
    _, index = site
    plain = catalogue_queries(client, django_assert_max_num_queries, index.url)
    filtered = catalogue_queries(
        client,
        django_assert_max_num_queries,
        index.url + "?area=additive&eqf=4&seats=on&q=corso",
    )
    QUERY_COUNTS[count] = (plain, filtered)
    if len(QUERY_COUNTS) == 2:
        assert QUERY_COUNTS[5] == QUERY_COUNTS[200]


def test_catalogue_query_count_does_not_grow_with_courses(
    site, client, django_assert_max_num_queries
):
    _, index = site
    make_catalogue(5)
    client.get(index.url + "?warm=1")  # creates the site settings row once
    client.get(index.url + "?warm=1b")  # and keeps the fragments it shows
    few = catalogue_queries(client, django_assert_max_num_queries, index.url + "?p=1")
    make_catalogue(40)
    # New content makes the fragments (menu, settings, choices) be read once again.
    client.get(index.url + "?warm=2")
    many = catalogue_queries(client, django_assert_max_num_queries, index.url + "?p=2")
    assert few == many


def test_catalogue_lists_filtered_courses(site, client):
    _, index = site
    CourseEditionFactory(course__title="Stampa 3D metallo", course__area=Area.ADDITIVE)
    CourseEditionFactory(course__title="Cobot in linea", course__area=Area.ROBOTICS)
    response = client.get(index.url, {"area": Area.ROBOTICS})
    content = response.content.decode()
    assert "Cobot in linea" in content
    assert "Stampa 3D metallo" not in content


@pytest.mark.parametrize(
    "query",
    [
        "?area=nonsense",
        "?eqf=12",
        "?eqf=abc",
        "?month=2027-13",
        "?month=junk",
        "?competency=NOPE",
        "?language=xx",
        "?page=abc",
        "?page=9999",
        "?seats=maybe&area=robotics&q=" + "x" * 300,
    ],
)
def test_invalid_filters_show_a_message_and_never_fail(site, client, query):
    _, index = site
    CourseEditionFactory(course__title="Cobot in linea", course__area=Area.ROBOTICS)
    response = client.get(index.url + query)
    assert response.status_code == 200
    assert response.context["filter_warnings"]


def test_invalid_filter_is_ignored_and_the_rest_applies(site, client):
    _, index = site
    CourseEditionFactory(course__title="Cobot in linea", course__area=Area.ROBOTICS)
    CourseEditionFactory(course__title="Stampa 3D", course__area=Area.ADDITIVE)
    response = client.get(index.url, {"area": "robotics", "eqf": "99"})
    titles = [course.title for course in response.context["courses"]]
    assert titles == ["Cobot in linea"]


def test_catalogue_paginates(site, client, settings):
    settings.CATALOGUE_PAGE_SIZE = 2
    _, index = site
    for number in range(5):
        CoursePageFactory(title=f"Corso {number}")
    response = client.get(index.url, {"page": 3})
    assert [c.title for c in response.context["courses"]] == ["Corso 4"]
    assert response.context["paginator"].num_pages == 3


def test_course_page_shows_editions_sessions_and_competencies(
    site, client, django_assert_max_num_queries
):
    competency = CompetencyFactory(
        title="Programmazione cobot",
        esco_uri="http://data.europa.eu/esco/skill/0c6b8c84-1234-4c9b-9a1e-0123456789ab",
    )
    edition = CourseEditionFactory(
        course__title="Cobot in linea",
        course__competencies=[competency],
        capacity=12,
        code="COB-2027-1",
    )
    edition.seats_taken = 5
    edition.save()
    with django_assert_max_num_queries(25):
        response = client.get(edition.course.url)
    content = response.content.decode()
    assert response.status_code == 200
    assert "COB-2027-1" in content
    assert "Programmazione cobot" in content
    assert competency.esco_uri in content
    assert edition.sessions.first().topic in content
    assert response.context["editions"][0].seats_left == 7


def test_course_page_queries_do_not_grow_with_editions_and_sessions(
    site, client, django_assert_max_num_queries
):
    edition = CourseEditionFactory(sessions=2)
    client.get(edition.course.url + "?warm=1")  # creates the site settings row once
    with django_assert_max_num_queries(40) as few:
        response = client.get(edition.course.url + "?a=1")
    assert response.status_code == 200
    assert edition.code in response.content.decode()
    for _ in range(4):
        CourseEditionFactory(course=edition.course, sessions=6)
    # New content makes the fragments (menu, settings) be read once again.
    client.get(edition.course.url + "?warm=2")
    with django_assert_max_num_queries(40) as many:
        response = client.get(edition.course.url + "?a=2")
    assert response.status_code == 200
    assert edition.course.editions.count() == 5
    for code in edition.course.editions.values_list("code", flat=True):
        assert code in response.content.decode()
    assert len(few.captured_queries) == len(many.captured_queries)


def test_unknown_page_is_a_styled_404(site, client):
    response = client.get("/questa-pagina-non-esiste/")
    assert response.status_code == 404
    assert "Makers" in response.content.decode()


def test_english_catalogue_lists_english_courses(site, client):
    edition = CourseEditionFactory(course__title="Cobot in linea")
    english = Locale.objects.get_or_create(language_code="en")[0]
    course_en = edition.course.copy_for_translation(english, copy_parents=True)
    course_en.title = "Cobots on the line"
    course_en.save_revision().publish()
    index_en = CourseIndexPage.objects.get(locale=english)  # an alias, live
    response = client.get(index_en.url)
    assert response.status_code == 200
    assert [c.title for c in response.context["courses"]] == ["Cobots on the line"]
    # The English card shows the (shared) edition's free seats.
    (card,) = response.context["course_cards_html"]
    assert f"{edition.capacity - edition.seats_taken} seats left" in card


class CoursePageTreeTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home, cls.index = site_tree()

    def test_courses_live_only_in_the_catalogue(self):
        self.assertAllowedParentPageTypes(CoursePage, {CourseIndexPage})
        self.assertAllowedSubpageTypes(CourseIndexPage, {CoursePage})

    def test_staff_can_create_a_course_in_the_admin(self):
        self.login()
        competency = CompetencyFactory()
        self.assertCanCreate(
            self.index,
            CoursePage,
            {
                "title": "Saldatura robotizzata",
                "slug": "saldatura-robotizzata",
                "code": "ROB-301",
                "area": "robotics",
                "summary": "Celle di saldatura con robot industriali.",
                "body-count": "0",
                "hours": "40",
                "eqf_level": "5",
                "teaching_language": "it",
                "price": "900.00",
                "competencies": [str(competency.pk)],
            },
        )


def test_the_kept_filter_form_shows_an_edit_at_once_and_a_filter_its_own(site, client):
    _, index = site
    first = CompetencyFactory(title="Saldatura laser")
    CourseEditionFactory(course__competencies=[first])
    client.get(index.url)  # the first request ever creates the site settings row
    page = client.get(index.url, HTTP_COOKIE="messages=x")  # rendered, not a hit
    assert "Saldatura laser" in page.content.decode()
    CompetencyFactory(title="Metrologia ottica")
    again = client.get(index.url, HTTP_COOKIE="messages=x").content.decode()
    assert "Metrologia ottica" in again
    # A filter set renders the form for that request: its option is selected.
    filtered = client.get(index.url, {"competency": first.code}).content.decode()
    assert f'<option value="{first.code}" selected>' in filtered
    plain = client.get(index.url, HTTP_COOKIE="messages=x").content.decode()
    assert f'<option value="{first.code}">' in plain
    assert f'<option value="{first.code}" selected>' not in plain
