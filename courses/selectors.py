"""Reads of the catalogue. Every function runs a fixed number of queries."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import (
    Count,
    Exists,
    F,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone
from wagtail.models import Locale

from core.i18n import active_language
from people.models import User

from .models import (
    Competency,
    CourseEdition,
    CoursePage,
    EditionStatus,
    Session,
)

PUBLIC_EDITION_STATUSES = (EditionStatus.OPEN, EditionStatus.IN_PROGRESS)


@dataclass(frozen=True)
class CatalogueFilters:
    area: str | None = None
    competency: Competency | None = None
    eqf_level: int | None = None
    month: date | None = None
    language: str | None = None
    seats_left: bool = False
    query: str = ""


def _session_bound(field: str, order: str):
    return Subquery(
        Session.objects.filter(edition=OuterRef("pk"), cancelled=False)
        .order_by(order)
        .values(field)[:1]
    )


def editions_started_q(*, now: datetime | None = None) -> Q:
    """The one definition of "the edition has started", as a filter.

    Started = in progress or completed, or a session that is not cancelled has
    begun. Nobody enrols in, is promoted in or moves into a started edition.
    """
    begun = _sessions_begun(now=now).filter(edition_id=OuterRef("pk"))
    return Q(status__in=[EditionStatus.IN_PROGRESS, EditionStatus.COMPLETED]) | Q(
        Exists(begun)
    )


def _sessions_begun(*, now: datetime | None = None) -> QuerySet[Session]:
    return Session.objects.filter(cancelled=False, start__lte=now or timezone.now())


def edition_has_started(*, edition: CourseEdition) -> bool:
    """editions_started_q() for one edition: its status, else one query."""
    if edition.status in (EditionStatus.IN_PROGRESS, EditionStatus.COMPLETED):
        return True
    return _sessions_begun().filter(edition_id=edition.pk).exists()


def editions_ended_q(*, now: datetime | None = None) -> Q:
    """The one definition of "the edition has ended", as a filter.

    Ended = completed, or it has sessions that are not cancelled and the last of
    them is over. What an ended edition records (attendance, certificates)
    stands: nobody cancels an enrolment in it any more.
    """
    live = Session.objects.filter(cancelled=False, edition_id=OuterRef("pk"))
    running = live.filter(end__gt=now or timezone.now())
    return Q(status=EditionStatus.COMPLETED) | (Q(Exists(live)) & ~Q(Exists(running)))


def edition_has_ended(*, edition: CourseEdition) -> bool:
    """editions_ended_q() for one edition: its status, else one query."""
    if edition.status == EditionStatus.COMPLETED:
        return True
    return (
        CourseEdition.objects.filter(pk=edition.pk).filter(editions_ended_q()).exists()
    )


def edition_last_session_end(*, edition: CourseEdition) -> datetime | None:
    """When the edition's last session that is not cancelled ends."""
    last = (
        edition.sessions.filter(cancelled=False).order_by("-end").values("end").first()
    )
    return last["end"] if last else None


def editions_public() -> QuerySet[CourseEdition]:
    """Editions a visitor may see, with their first session's start annotated."""
    return (
        CourseEdition.objects.filter(status__in=PUBLIC_EDITION_STATUSES)
        .annotate(
            starts_at=_session_bound("start", "start"),
            ends_at=_session_bound("end", "-end"),
        )
        .select_related("venue")
    )


def _upcoming_editions() -> QuerySet[CourseEdition]:
    """Public editions whose last lesson is still to come."""
    return editions_public().filter(ends_at__gte=timezone.now())


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
        editions = _upcoming_editions()
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
        _upcoming_editions()
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
        _upcoming_editions()
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
            _upcoming_editions().filter(course__translation_key=course.translation_key)
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
        _upcoming_editions()
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
    return list(_upcoming_editions().filter(pk__in=list(ids)).order_by("pk"))


def catalogue_months(*, locale: Locale) -> list[date]:
    """Months in which at least one upcoming edition starts, for the month filter."""
    keys = CoursePage.objects.live().filter(locale=locale).values("translation_key")
    months = (
        _upcoming_editions()
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


def editions_taught(*, instructor) -> list[CourseEdition]:
    """Editions an instructor teaches (as edition instructor or in a session),
    not cancelled or completed, soonest first."""
    taught = (
        editions_public()
        .filter(Q(instructors=instructor) | Q(sessions__instructor=instructor))
        .select_related("course__locale")
        .distinct()
    )
    return sorted(
        taught, key=lambda e: (e.starts_at is None, e.starts_at or timezone.now())
    )


# Calendar feeds (courses.calendar, courses.feeds, enrolment.feeds).


@dataclass(frozen=True)
class SessionsFingerprint:
    """What changes whenever a feed of these sessions would change.

    One aggregate query: how many sessions, the sum of their ids and revisions,
    how many belong to a cancelled edition, the newest session change, the
    newest publication of their courses in any language (a feed shows the
    title and link of the course in its own) and how many of those pages are
    live. Conditional requests compare it (as an ETag and a Last-Modified)
    without building the calendar.
    """

    count: int
    ids: int
    sequences: int
    edition_cancelled: int
    newest: datetime | None
    live_translations: int = 0

    def as_key(self) -> str:
        newest = self.newest.isoformat() if self.newest else "-"
        return (
            f"{self.count}:{self.ids}:{self.sequences}:{self.edition_cancelled}:"
            f"{newest}:{self.live_translations}"
        )


def _cancelled_q() -> Q:
    return Q(cancelled=True) | Q(edition__status=EditionStatus.CANCELLED)


# What an event shows (courses.calendar.session_event_data), and nothing more:
# a feed loads hundreds of sessions, and the course page's and the users' other
# columns (a rich-text body, a password hash) cost more to load than the event.
CALENDAR_SESSION_FIELDS = (
    "edition_id",
    "start",
    "end",
    "room",
    "topic",
    "topic_en",
    "instructor_id",
    "mandatory",
    "cancelled",
    "uuid",
    "sequence",
    "updated_at",
    "instructor__first_name",
    "instructor__last_name",
    "instructor__email",
)
CALENDAR_EDITION_FIELDS = (
    "code",
    "status",
    "notes",
    "course_id",
    "venue_id",
    "updated_at",
    "course__title",
    "venue__name",
    "venue__name_en",
    "venue__address",
    "venue__postcode",
    "venue__city",
    "venue__updated_at",
)
PERSON_NAME_FIELDS = ("first_name", "last_name", "email")


def calendar_sessions(sessions: QuerySet[Session]) -> QuerySet[Session]:
    """Sessions as a feed lists them: cancelled ones only until they are over,
    soonest first, with everything an event shows loaded (three queries).

    The editions come in a query of their own, one instance each however many
    sessions share it (a joined edition and course page would be built again
    for every session: modelcluster's models are slow to build)."""
    instructors = User.objects.only(*PERSON_NAME_FIELDS)
    editions = (
        CourseEdition.objects.select_related("course", "venue")
        .only(*CALENDAR_EDITION_FIELDS)
        .prefetch_related(Prefetch("instructors", queryset=instructors))
    )
    return (
        calendar_listed(sessions, now=timezone.now())
        .select_related("instructor")
        .only(*CALENDAR_SESSION_FIELDS)
        .prefetch_related(Prefetch("edition", queryset=editions))
        .order_by("start", "pk")
    )


def calendar_listed(sessions: QuerySet[Session], *, now: datetime) -> QuerySet[Session]:
    """The sessions a feed lists at `now`: all but cancelled ones already over."""
    return sessions.exclude(_cancelled_q() & Q(end__lt=now))


# The outer query's path to its course's translation key (a Session query's).
SESSION_COURSE_KEY = "edition__course__translation_key"


def _course_pages(outer: str) -> QuerySet[CoursePage]:
    """A course page and its translations, one group (a subquery of the outer
    query, whose course's translation key is at `outer`)."""
    return (
        CoursePage.objects.filter(translation_key=OuterRef(outer))
        .order_by()
        .values("translation_key")
    )


def course_translations_published(outer: str = SESSION_COURSE_KEY) -> Subquery:
    """When the course was last published in any language."""
    return Subquery(
        _course_pages(outer).annotate(newest=Max("last_published_at")).values("newest")
    )


def course_translations_live(outer: str = SESSION_COURSE_KEY) -> Subquery:
    """How many pages of the course are live (a translation taken down sends
    the feed back to the course's own title and link)."""
    return Subquery(
        _course_pages(outer)
        .annotate(live_pages=Count("pk", filter=Q(live=True)))
        .values("live_pages")
    )


def fingerprint_aggregates() -> dict:
    """The aggregates of a fingerprint, in SessionsFingerprint's row order."""
    return {
        "count": Count("pk"),
        "ids": Sum("pk"),
        "sequences": Sum("sequence"),
        "edition_cancelled": Count(
            "pk", filter=Q(edition__status=EditionStatus.CANCELLED)
        ),
        "newest": Max("updated_at"),
        "published": Max(course_translations_published()),
        "edition_changed": Max("edition__updated_at"),
        "venue_changed": Max("edition__venue__updated_at"),
        "live_translations": Sum(course_translations_live()),
    }


def fingerprint_from_row(row: dict) -> SessionsFingerprint:
    stamps = [
        row[name]
        for name in ("newest", "published", "edition_changed", "venue_changed")
        if row[name]
    ]
    return SessionsFingerprint(
        count=row["count"] or 0,
        ids=row["ids"] or 0,
        sequences=row["sequences"] or 0,
        edition_cancelled=row["edition_cancelled"] or 0,
        newest=max(stamps) if stamps else None,
        live_translations=row["live_translations"] or 0,
    )


def sessions_fingerprint(sessions: QuerySet[Session]) -> SessionsFingerprint:
    """The fingerprint of calendar_sessions(sessions): one query."""
    listed = calendar_listed(sessions, now=timezone.now()).order_by()
    return fingerprint_from_row(listed.aggregate(**fingerprint_aggregates()))


def edition_for_calendar(*, code: str) -> CourseEdition | None:
    """An edition whose feed is public: any but a draft; with when its course
    was last published, in any language, and how many of its pages are live
    (course_published, course_live_pages: the feed's name shows its title)."""
    return (
        CourseEdition.objects.exclude(status=EditionStatus.DRAFT)
        .filter(code=code)
        .annotate(
            course_published=course_translations_published("course__translation_key"),
            course_live_pages=course_translations_live("course__translation_key"),
        )
        .select_related("course")
        .first()
    )


def session_for_calendar(*, uuid) -> Session | None:
    """A session of an edition whose feed is public, with what its event shows
    and when its course was last published, in any language, and how many of
    its pages are live (course_published, course_live_pages)."""
    return (
        Session.objects.exclude(edition__status=EditionStatus.DRAFT)
        .filter(uuid=uuid)
        .annotate(
            course_published=course_translations_published(),
            course_live_pages=course_translations_live(),
        )
        .select_related("edition__course", "edition__venue", "instructor")
        .prefetch_related("edition__instructors")
        .first()
    )


def courses_in_language(
    *, course_ids: Iterable[int], language: str
) -> dict[int, CoursePage]:
    """For each course page id, its live page in `language` (itself when it has no
    translation there). One query, whatever the number of courses."""
    course_ids = set(course_ids)
    if not course_ids:
        return {}
    originals = CoursePage.objects.filter(pk__in=course_ids).values(
        "pk", "translation_key"
    )
    pages = (
        CoursePage.objects.live()
        .filter(
            Q(pk__in=course_ids)
            | Q(
                translation_key__in=Subquery(originals.values("translation_key")),
                locale__language_code=language,
            )
        )
        .select_related("locale")
    )
    by_key: dict = {}
    mine: dict[int, CoursePage] = {}
    for page in pages:
        if page.pk in course_ids:
            mine[page.pk] = page
        if page.locale.language_code == language:
            by_key[page.translation_key] = page
    return {pk: by_key.get(page.translation_key, page) for pk, page in mine.items()}


def instructor_sessions_between(
    *,
    instructor_ids: Iterable[int],
    start: datetime,
    end: datetime,
    exclude_ids: Iterable[int] = (),
) -> list[tuple[int, Session]]:
    """(instructor id, session) for every session that one of the instructors
    teaches (as its own instructor, or as an instructor of its edition when it
    names none) and that overlaps [start, end): not cancelled, nor of a
    cancelled edition; `exclude_ids` left out. One query."""
    instructor_ids = set(instructor_ids)
    rows = (
        Session.objects.filter(start__lt=end, end__gt=start, cancelled=False)
        .exclude(edition__status=EditionStatus.CANCELLED)
        .exclude(pk__in=set(exclude_ids))
        .filter(
            Q(instructor_id__in=instructor_ids)
            | Q(instructor__isnull=True, edition__instructors__in=instructor_ids)
        )
        .select_related("edition")
        .annotate(edition_instructor=F("edition__instructors"))
        .order_by("start", "pk")
    )
    return [
        (session.instructor_id or session.edition_instructor, session)
        for session in rows
        if (session.instructor_id or session.edition_instructor) in instructor_ids
    ]


def _course_in(edition: CourseEdition, language: str) -> bool:
    """Whether the edition's loaded course page is in `language` (False when
    the page or its locale is not loaded: that would cost a query)."""
    if not CourseEdition.course.is_cached(edition):
        return False
    course = edition.course
    return (
        CoursePage.locale.is_cached(course) and course.locale.language_code == language
    )


def editions_localize(
    *, editions: Iterable[CourseEdition], language: str | None = None
) -> None:
    """Give each edition its course page in `language` (the active one by
    default) as `localized_course`, for its title and link: one query for all.

    An edition names one page of its course (the Italian one, usually); a
    reader of another language sees that page's live translation, or the page
    itself where there is none.
    """
    language = language or active_language()
    # A course page loaded with its locale (select_related("course__locale"))
    # and already in the language is shown as it is, without a query.
    editions = [
        edition
        for edition in editions
        if edition is not None and not _course_in(edition, language)
    ]
    if not editions:
        return
    pages = courses_in_language(
        course_ids={edition.course_id for edition in editions}, language=language
    )
    for edition in editions:
        page = pages.get(edition.course_id)
        if page is not None:
            edition.localized_course = page


def localized_course_title(*, path: str = "course", language: str | None = None):
    """An expression for a query's annotate(): the title of the course page at
    `path` (a relation, "edition__course") in `language` (the active one by
    default), its own title where it has no live translation. No extra query:
    for lists that show titles without links (form choices, directory cards).
    """
    translated = CoursePage.objects.live().filter(
        translation_key=OuterRef(f"{path}__translation_key"),
        locale__language_code=language or active_language(),
    )
    return Coalesce(Subquery(translated.values("title")[:1]), F(f"{path}__title"))
