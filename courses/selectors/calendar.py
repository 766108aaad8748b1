"""Reads of the calendar feeds (courses.calendar, courses.feeds,
enrolment.feeds): the sessions a feed lists and their fingerprint, which
conditional requests compare without building the calendar."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import (
    Count,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.utils import timezone

from people.models import User

from ..models import CourseEdition, CoursePage, EditionStatus, Session


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


def _feed_pages_aggregate(sessions: QuerySet[Session], **aggregate) -> Subquery:
    """One aggregate over the pages (every translation) of the courses of
    `sessions`: a subquery run once, not once per session."""
    pages = CoursePage.objects.filter(
        translation_key__in=sessions.order_by().values(SESSION_COURSE_KEY)
    )
    (name,) = aggregate
    return Subquery(
        pages.order_by()
        .annotate(feed=Value(1))
        .values("feed")
        .annotate(**aggregate)
        .values(name)[:1]
    )


def fingerprint_aggregates(sessions: QuerySet[Session] | None = None) -> dict:
    """The aggregates of a fingerprint, in SessionsFingerprint's row order.

    With `sessions` (the fingerprinted sessions), the courses' publication and
    live translations are read once for all the courses of the sessions
    (issue 22: per session, a 1,000-session feed's 304 ran 2,000 subqueries);
    without, per session (the names only are read then)."""
    if sessions is None:
        published = Max(course_translations_published())
        live = Sum(course_translations_live())
    else:
        published = Max(
            _feed_pages_aggregate(sessions, newest=Max("last_published_at"))
        )
        live = Max(
            _feed_pages_aggregate(sessions, live_pages=Count("pk", filter=Q(live=True)))
        )
    return {
        "count": Count("pk"),
        "ids": Sum("pk"),
        "sequences": Sum("sequence"),
        "edition_cancelled": Count(
            "pk", filter=Q(edition__status=EditionStatus.CANCELLED)
        ),
        "newest": Max("updated_at"),
        "published": published,
        "edition_changed": Max("edition__updated_at"),
        "venue_changed": Max("edition__venue__updated_at"),
        "live_translations": live,
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
    return fingerprint_from_row(listed.aggregate(**fingerprint_aggregates(listed)))


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
