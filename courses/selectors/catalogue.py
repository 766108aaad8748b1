"""Reads of the catalogue: the course listing and its filters, the course
cards, a course page's editions. Every function runs a fixed number of queries."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import F, Prefetch, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone
from wagtail.models import Locale

from ..models import Competency, CourseEdition, CoursePage, EditionStatus, Session
from .editions import editions_public, editions_upcoming


@dataclass(frozen=True)
class CatalogueFilters:
    area: str | None = None
    competency: Competency | None = None
    eqf_level: int | None = None
    month: date | None = None
    language: str | None = None
    seats_left: bool = False
    query: str = ""


def course_catalogue(
    *, locale: Locale, filters: CatalogueFilters
) -> QuerySet[CoursePage]:
    """Live courses of one language tree that match the filters, ordered by title."""
    courses = CoursePage.objects.live().filter(locale=locale)
    if filters.area:
        courses = courses.filter(area=filters.area)
    if filters.competency is not None:
        courses = courses.filter(competencies=filters.competency)
    if filters.eqf_level:
        courses = courses.filter(eqf_level=filters.eqf_level)
    if filters.language:
        courses = courses.filter(teaching_language=filters.language)
    if filters.month or filters.seats_left:
        editions = editions_upcoming()
        if filters.month:
            editions = editions.filter(
                starts_at__year=filters.month.year,
                starts_at__month=filters.month.month,
            )
        if filters.seats_left:
            editions = editions.filter(
                status=EditionStatus.OPEN, capacity__gt=F("seats_taken")
            )
        keys = editions.values("course__translation_key")
        courses = courses.filter(translation_key__in=keys)
    if filters.query:
        matching = (
            CoursePage.objects.live()
            .filter(locale=locale)
            .search(filters.query, operator="and")
        )
        courses = courses.filter(pk__in=[page.pk for page in matching])
    return courses.order_by("title")


def course_cards(*, courses: Iterable[CoursePage]) -> list[CoursePage]:
    """Attach next_edition and competencies to one page of courses: two queries."""
    courses = list(courses)
    keys = [course.translation_key for course in courses]
    by_key: dict = defaultdict(list)
    for edition in (
        editions_upcoming()
        .filter(course__translation_key__in=keys)
        .annotate(course_key=F("course__translation_key"))
        .order_by("starts_at")
    ):
        by_key[edition.course_key].append(edition)
    competencies = defaultdict(list)
    through = CoursePage.competencies.through.objects.filter(
        coursepage__in=courses
    ).select_related("competency")
    for row in through:
        competencies[row.coursepage_id].append(row.competency)
    for course in courses:
        course.upcoming_editions = by_key.get(course.translation_key, [])
        course.next_edition = (
            course.upcoming_editions[0] if course.upcoming_editions else None
        )
        course.competency_list = sorted(
            competencies.get(course.pk, []), key=lambda c: c.code
        )
    return courses


@dataclass(frozen=True)
class CardStamp:
    """What a course card shows that can change, for its fragment key: read for a
    page of cards without loading the pages (course_card_stamps)."""

    course_id: int
    published: datetime | None
    image_id: int | None
    next_edition: tuple | None  # (pk, status, capacity, seats taken)
    competency_ids: tuple[int, ...]


def course_card_rows(courses: QuerySet[CoursePage]) -> QuerySet:
    """The catalogue's courses as the rows course_card_stamps reads, with their
    titles (for paging: no page objects are built)."""
    return courses.values_list(
        "pk", "title", "translation_key", "last_published_at", "image_id", named=True
    )


def course_card_stamps(*, rows: Iterable) -> list[CardStamp]:
    """A CardStamp per row of course_card_rows(): two queries for a page of cards
    (the next upcoming edition of each course, and their competencies)."""
    rows = list(rows)
    keys = [row.translation_key for row in rows]
    next_edition: dict = {}
    for key, *edition in (
        editions_upcoming()
        .filter(course__translation_key__in=keys)
        .order_by("starts_at")
        .values_list(
            "course__translation_key", "pk", "status", "capacity", "seats_taken"
        )
    ):
        next_edition.setdefault(key, tuple(edition))
    competencies = defaultdict(list)
    for course_id, competency_id in (
        CoursePage.competencies.through.objects.filter(
            coursepage_id__in=[row.pk for row in rows]
        )
        .order_by("competency_id")
        .values_list("coursepage_id", "competency_id")
    ):
        competencies[course_id].append(competency_id)
    return [
        CardStamp(
            course_id=row.pk,
            published=row.last_published_at,
            image_id=row.image_id,
            next_edition=next_edition.get(row.translation_key),
            competency_ids=tuple(competencies[row.pk]),
        )
        for row in rows
    ]


def _with_sessions(editions: QuerySet[CourseEdition]) -> QuerySet[CourseEdition]:
    sessions = Session.objects.select_related("instructor").order_by("start")
    return editions.prefetch_related(
        Prefetch("sessions", queryset=sessions), "instructors"
    )


def course_editions_upcoming(*, course: CoursePage) -> list[CourseEdition]:
    """Upcoming public editions of a course (any translation), sessions included."""
    return list(
        _with_sessions(
            editions_upcoming().filter(course__translation_key=course.translation_key)
        ).order_by("starts_at", "pk")
    )


# What an edition's block on its course page shows that changes without a content
# save (the seats) or with the clock (whether enrolment is open), and its code.
EDITION_STAMP_FIELDS = (
    "code",
    "status",
    "capacity",
    "seats_taken",
    "enrolment_opens_at",
    "enrolment_closes_at",
)


def course_edition_stamps(*, course: CoursePage) -> list[CourseEdition]:
    """The course's upcoming public editions in course_editions_upcoming()'s order,
    with only EDITION_STAMP_FIELDS loaded: one query, no sessions, instructors or
    venue (for the fragment keys of the course page's edition blocks)."""
    return list(
        editions_upcoming()
        .filter(course__translation_key=course.translation_key)
        .select_related(None)
        .only(*EDITION_STAMP_FIELDS)
        .order_by("starts_at", "pk")
    )


def editions_with_sessions(*, ids: Iterable[int]) -> dict[int, CourseEdition]:
    """Public editions by id with venue, sessions and instructors: three queries
    (for the blocks missing from the fragment cache)."""
    return {
        edition.pk: edition
        for edition in _with_sessions(editions_public().filter(pk__in=list(ids)))
    }


def upcoming_editions_by_ids(*, ids: Iterable[int]) -> list[CourseEdition]:
    """The upcoming public editions among `ids` (unknown or draft ones left out).

    For the signed-in person's part of a course page (portal's fragments): one
    query, whatever the number of ids.
    """
    return list(editions_upcoming().filter(pk__in=list(ids)).order_by("pk"))


def catalogue_months(*, locale: Locale) -> list[date]:
    """Months in which at least one upcoming edition starts, for the month filter."""
    keys = CoursePage.objects.live().filter(locale=locale).values("translation_key")
    months = (
        editions_upcoming()
        .filter(course__translation_key__in=keys)
        .annotate(month=TruncMonth("starts_at", tzinfo=timezone.get_current_timezone()))
        .order_by()
        .values_list("month", flat=True)
        .distinct()
    )
    return sorted(
        {
            timezone.localtime(month).date() if hasattr(month, "hour") else month
            for month in months
            if month
        }
    )
