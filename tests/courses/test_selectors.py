import datetime

import pytest
from django.utils import timezone
from wagtail.models import Locale

from courses.models import Area, EditionStatus
from courses.selectors import (
    CatalogueFilters,
    catalogue_months,
    course_card_rows,
    course_card_stamps,
    course_cards,
    course_catalogue,
    course_editions_upcoming,
)
from tests.factories import (
    CompetencyFactory,
    CourseEditionFactory,
    CoursePageFactory,
    SessionFactory,
    rome_at,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def italian(site):
    return Locale.objects.get(language_code="it")


def titles(locale, **filters):
    return [
        c.title
        for c in course_catalogue(locale=locale, filters=CatalogueFilters(**filters))
    ]


def test_filters_by_area_competency_eqf_and_language(italian):
    welding = CompetencyFactory(code="SALD")
    CoursePageFactory(title="Stampa 3D", area=Area.ADDITIVE, eqf_level=4)
    CoursePageFactory(
        title="Cobot", area=Area.ROBOTICS, eqf_level=5, competencies=[welding]
    )
    CoursePageFactory(
        title="OT security", area=Area.CYBERSECURITY, teaching_language="en"
    )

    assert titles(italian, area=Area.ROBOTICS) == ["Cobot"]
    assert titles(italian, competency=welding) == ["Cobot"]
    assert titles(italian, eqf_level=5) == ["Cobot"]
    assert titles(italian, language="en") == ["OT security"]
    assert titles(italian) == ["Cobot", "OT security", "Stampa 3D"]


def test_filters_by_month_of_first_session_and_seats_left(italian):
    full = CourseEditionFactory(course__title="Pieno", capacity=2, sessions=0)
    full.seats_taken = 2
    full.save()
    start = timezone.now() + datetime.timedelta(days=40)
    SessionFactory(edition=full, start=start)
    free = CourseEditionFactory(course__title="Libero", sessions=0)
    later = start + datetime.timedelta(days=62)
    SessionFactory(edition=free, start=later)

    assert titles(italian, seats_left=True) == ["Libero"]
    month = timezone.localtime(start).date().replace(day=1)
    assert titles(italian, month=month) == ["Pieno"]
    assert month in catalogue_months(locale=italian)


def test_hidden_editions_are_not_listed(italian):
    draft = CourseEditionFactory(status=EditionStatus.DRAFT)
    cancelled = CourseEditionFactory(status=EditionStatus.CANCELLED)
    past = CourseEditionFactory(sessions=0)
    SessionFactory(
        edition=past,
        start=timezone.now() - datetime.timedelta(days=3),
    )
    for edition in (draft, cancelled, past):
        assert course_editions_upcoming(course=edition.course) == []


def test_full_text_search_finds_courses_by_summary(italian):
    CoursePageFactory(title="Robotica collaborativa", summary="Programmare i cobot")
    CoursePageFactory(title="Metrologia", summary="Misure a coordinate")
    assert titles(italian, query="cobot") == ["Robotica collaborativa"]


def test_course_cards_attach_next_edition_and_competencies(
    italian, django_assert_num_queries
):
    competency = CompetencyFactory()
    edition = CourseEditionFactory(course__competencies=[competency])
    courses = list(course_catalogue(locale=italian, filters=CatalogueFilters()))
    with django_assert_num_queries(2):
        cards = course_cards(courses=courses)
    assert cards[0].next_edition == edition
    assert cards[0].competency_list == [competency]


def test_card_stamps_read_what_a_card_shows_that_changes_in_two_queries(
    italian, django_assert_num_queries
):
    first, second = CompetencyFactory(), CompetencyFactory()
    later = CourseEditionFactory(course__competencies=[second, first])
    course = later.course
    sooner = CourseEditionFactory(course=course, capacity=7, seats_taken=2, sessions=0)
    SessionFactory(edition=sooner, start=rome_at(2))
    bare = CoursePageFactory(title="Senza date")
    rows = list(
        course_card_rows(course_catalogue(locale=italian, filters=CatalogueFilters()))
    )
    assert [row.title for row in rows] == sorted([course.title, bare.title])
    with django_assert_num_queries(2):
        stamps = {stamp.course_id: stamp for stamp in course_card_stamps(rows=rows)}
    assert stamps[course.pk].next_edition == (sooner.pk, sooner.status, 7, 2)
    assert stamps[course.pk].competency_ids == tuple(sorted([first.pk, second.pk]))
    assert stamps[course.pk].published == course.last_published_at
    assert stamps[bare.pk].next_edition is None
    assert stamps[bare.pk].competency_ids == ()


def test_english_translation_shares_the_editions(italian):
    edition = CourseEditionFactory()
    english = Locale.objects.get_or_create(language_code="en")[0]
    translated = edition.course.copy_for_translation(english, copy_parents=True)
    translated.save_revision().publish()
    assert course_editions_upcoming(course=translated) == [edition]


def test_editions_localize_gives_the_page_of_the_reader_language(
    site, django_assert_num_queries
):
    """Issue 4: an edition names the Italian page; an English reader gets its
    English translation (one query), an Italian one the page itself (none)."""
    from django.utils import translation

    from courses.models import CourseEdition
    from courses.selectors import editions_localize
    from tests.factories import english_locale

    edition = CourseEditionFactory(course__title="Saldatura robotica")
    course_en = edition.course.copy_for_translation(english_locale(), copy_parents=True)
    course_en.title = "Robotic welding"
    course_en.save_revision().publish()
    loaded = CourseEdition.objects.select_related("course__locale").get(pk=edition.pk)
    with translation.override("it"), django_assert_num_queries(0):
        editions_localize(editions=[loaded])
    assert loaded.localized_course.title == "Saldatura robotica"
    with translation.override("en"), django_assert_num_queries(1):
        editions_localize(editions=[loaded])
    assert loaded.localized_course.title == "Robotic welding"
    assert loaded.localized_course.url.startswith("/en/")
    assert loaded.course_id == edition.course_id  # the edition itself is unchanged
