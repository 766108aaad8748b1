"""The sessions of a person's own calendar feed and its fingerprint, asked on
every poll of the feed."""

import datetime

from django.db.models import (
    Max,
    Q,
    QuerySet,
    Value,
)
from django.utils import timezone

from courses.models import CourseEdition, EditionStatus, Session
from courses.selectors import (
    SessionsFingerprint,
    calendar_listed,
    fingerprint_aggregates,
    fingerprint_from_row,
)
from people.models import User

from ..models import (
    Enrolment,
    EnrolmentStatus,
)


def _person_sessions(*, user_id: int) -> QuerySet[Session]:
    confirmed = (
        Enrolment.objects.filter(trainee_id=user_id, status=EnrolmentStatus.CONFIRMED)
        .order_by()
        .values("edition_id")
    )
    teaching = (
        CourseEdition.objects.filter(instructors__id=user_id).order_by().values("pk")
    )
    assigned = (
        Session.objects.filter(instructor_id=user_id).order_by().values("edition_id")
    )
    # The editions that can hold such a session first: PostgreSQL then reads
    # their sessions by index, not every session of the school (an OR of
    # subqueries alone is a sequential scan).
    editions = confirmed.union(teaching, assigned)
    return (
        Session.objects.exclude(edition__status=EditionStatus.DRAFT)
        .filter(edition_id__in=editions)
        .filter(
            Q(edition_id__in=confirmed)
            | Q(instructor_id=user_id)
            | Q(instructor__isnull=True, edition_id__in=teaching)
        )
    )


def person_calendar_sessions(*, user: User) -> QuerySet[Session]:
    """The sessions of a person's calendar feed: every session of their confirmed
    enrolments, and the sessions they teach (assigned to them, or with nobody
    assigned in an edition they teach). Draft editions never show."""
    return _person_sessions(user_id=user.pk)


_FINGERPRINT_NAMES = list(fingerprint_aggregates())


def person_calendar_fingerprint(*, user: User) -> SessionsFingerprint:
    """sessions_fingerprint(person_calendar_sessions(user)), as the personal
    feed asks it on every poll: one row, aggregates over all the sessions
    grouped by a constant (a prepared statement on PostgreSQL)."""
    listed = calendar_listed(_person_sessions(user_id=user.pk), now=timezone.now())
    rows = list(
        listed.order_by()
        .annotate(feed=Value(1))
        .values("feed")
        .annotate(**fingerprint_aggregates(listed))
        .values_list(*_FINGERPRINT_NAMES)
    )
    if not rows:
        return fingerprint_from_row(dict.fromkeys(_FINGERPRINT_NAMES))
    return fingerprint_from_row(dict(zip(_FINGERPRINT_NAMES, rows[0], strict=True)))


def person_enrolments_changed_at(*, user: User) -> datetime.datetime | None:
    """When any enrolment of the person last changed (a cancellation removes an
    edition from the feed, and must make the feed's Last-Modified newer)."""
    rows = list(
        Enrolment.objects.filter(trainee_id=user.pk)
        .order_by()
        .values("trainee_id")
        .annotate(newest=Max("updated_at"))
        .values_list("newest")
    )
    return rows[0][0] if rows else None
