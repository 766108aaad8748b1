"""Reads of editions: which are public, started, ended, upcoming, and who
teaches when. Every function runs a fixed number of queries."""

from collections.abc import Iterable
from datetime import datetime

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from ..models import CourseEdition, EditionStatus, Session

PUBLIC_EDITION_STATUSES = (EditionStatus.OPEN, EditionStatus.IN_PROGRESS)


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


def editions_upcoming() -> QuerySet[CourseEdition]:
    """Public editions whose last lesson is still to come."""
    return editions_public().filter(ends_at__gte=timezone.now())


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


def editions_matching(*, q: str, limit: int = 20) -> list[CourseEdition]:
    """Editions whose code or course title holds `q`, newest enrolment window
    first, at most `limit` of them (the staff's edition filter suggests these
    as the code is typed; never every edition). One query."""
    q = (q or "").strip()[:50]
    if not q:
        return []
    return list(
        CourseEdition.objects.filter(
            Q(code__icontains=q) | Q(course__title__icontains=q)
        )
        .select_related("course")
        .order_by("-enrolment_opens_at", "code")[:limit]
    )
