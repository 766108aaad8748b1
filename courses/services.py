"""Every change of an edition's status or capacity: open, cancel, complete, reopen.

Each service locks the edition row, checks the rule it enforces, saves, writes
an audit entry (core.audit, makers.edition.<what>) and tells the higher apps
through courses.signals, inside the same transaction. Certificates depend on an
edition being completed through edition_complete.
"""

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from core import dates
from core.audit import audit_log
from core.cache import page_cache_invalidate
from core.locking import row_lock
from people.models import User

from .cache import CATALOGUE_TAG, course_tag
from .exceptions import refuse
from .models import CourseEdition, EditionStatus, Session
from .selectors import (
    edition_has_started,
    edition_last_session_end,
    instructor_sessions_between,
)
from .signals import edition_cancelled, edition_seats_changed


def edition_seats_invalidate(*, edition_id: int) -> None:
    """After commit: refresh what shows this edition's seats (one query, then).

    Its course page (and the home page, where the course is featured) at once;
    the catalogue within MAKERS_PAGE_CACHE_SOFT_SECONDS (a soft tag, core.cache).
    """

    def invalidate() -> None:
        keys = CourseEdition.objects.filter(pk=edition_id).values_list(
            "course__translation_key", flat=True
        )
        page_cache_invalidate([CATALOGUE_TAG, *(course_tag(key) for key in keys)])

    transaction.on_commit(invalidate)


def _locked(edition: CourseEdition) -> CourseEdition:
    return row_lock(CourseEdition.objects.filter(pk=edition.pk))


def _sessions_revise(*, edition: CourseEdition) -> None:
    """The edition's own sessions show as cancelled or not with it: each is one
    more revision of its calendar event, whose SEQUENCE only grows (RFC 5545
    3.8.7.4). Sessions cancelled on their own show no change."""
    Session.objects.filter(edition=edition, cancelled=False).update(
        sequence=F("sequence") + 1, updated_at=timezone.now()
    )


def _set_status(
    *, edition: CourseEdition, status: str, actor: User | None, action: str, **data
) -> CourseEdition:
    old = edition.status
    edition.status = status
    edition.full_clean(validate_constraints=False)
    edition.save(update_fields=["status"])
    audit_log(
        instance=edition,
        action=f"makers.edition.{action}",
        user=actor,
        data={"old_status": old, "new_status": status, **data},
    )
    return edition


@transaction.atomic
def edition_open(*, edition: CourseEdition, actor: User | None) -> CourseEdition:
    """Publish a draft edition: it shows in the catalogue and takes enrolments in
    its window."""
    edition = _locked(edition)
    if edition.status != EditionStatus.DRAFT:
        raise refuse("not_draft")
    return _set_status(
        edition=edition, status=EditionStatus.OPEN, actor=actor, action="opened"
    )


@transaction.atomic
def edition_cancel(
    *, edition: CourseEdition, actor: User | None, reason: str
) -> CourseEdition:
    """Cancel an edition: its active enrolments are cancelled and told why, its
    waitlist closed and its open offers withdrawn (by enrolment's receiver)."""
    reason = reason.strip()
    if not reason:
        raise refuse("reason_required")
    edition = _locked(edition)
    if edition.status == EditionStatus.CANCELLED:
        raise refuse("already_cancelled")
    if edition.status == EditionStatus.COMPLETED:
        raise refuse("completed")
    _set_status(
        edition=edition,
        status=EditionStatus.CANCELLED,
        actor=actor,
        action="cancelled",
        reason=reason,
    )
    _sessions_revise(edition=edition)
    edition_cancelled.send(
        sender=CourseEdition, edition=edition, actor=actor, reason=reason
    )
    return edition


@transaction.atomic
def edition_complete(*, edition: CourseEdition, actor: User | None) -> CourseEdition:
    """Mark an edition completed once its last session has ended."""
    edition = _locked(edition)
    if edition.status not in (EditionStatus.IN_PROGRESS, EditionStatus.OPEN):
        raise refuse("not_completable")
    last_end = edition_last_session_end(edition=edition)
    if last_end is None or last_end > timezone.now():
        raise refuse("not_finished")
    return _set_status(
        edition=edition, status=EditionStatus.COMPLETED, actor=actor, action="completed"
    )


@transaction.atomic
def edition_reopen(
    *, edition: CourseEdition, actor: User | None, reason: str
) -> CourseEdition:
    """Reopen a completed or cancelled edition, with a reason.

    It goes back to "in progress" if its sessions have begun, else to "open";
    enrolments cancelled with it stay cancelled (people were told), and the free
    seats pass to whoever enrols or waits from now on. Refused when one of its
    instructors teaches elsewhere at the time of one of its sessions.
    """
    reason = reason.strip()
    if not reason:
        raise refuse("reason_required")
    edition = _locked(edition)
    if edition.status not in (EditionStatus.COMPLETED, EditionStatus.CANCELLED):
        raise refuse("not_reopenable")
    was_cancelled = edition.status == EditionStatus.CANCELLED
    edition.status = EditionStatus.OPEN  # so "started" reads the sessions only
    status = (
        EditionStatus.IN_PROGRESS
        if edition_has_started(edition=edition)
        else EditionStatus.OPEN
    )
    if was_cancelled:
        # Its instructors may have been booked elsewhere since it was cancelled.
        sessions_instructors_check(
            edition=edition, sessions=edition.sessions.filter(cancelled=False)
        )
    edition.refresh_from_db(fields=["status"])
    _set_status(
        edition=edition, status=status, actor=actor, action="reopened", reason=reason
    )
    if was_cancelled:
        _sessions_revise(edition=edition)
    edition_seats_changed.send(sender=CourseEdition, edition=edition, actor=actor)
    return edition


@transaction.atomic
def edition_capacity_set(
    *, edition: CourseEdition, capacity: int, actor: User | None
) -> CourseEdition:
    """Change the number of seats; never below the seats already taken. New seats
    pass to the waitlist at once."""
    edition = _locked(edition)
    if capacity < 1:
        raise refuse("capacity_positive")
    if capacity < edition.seats_taken:
        raise refuse("capacity_below_taken", taken=edition.seats_taken)
    old = edition.capacity
    if capacity == old:
        return edition
    edition.capacity = capacity
    edition.save(update_fields=["capacity"])
    audit_log(
        instance=edition,
        action="makers.edition.capacity_changed",
        user=actor,
        data={"old_capacity": old, "new_capacity": capacity},
    )
    edition_seats_changed.send(sender=CourseEdition, edition=edition, actor=actor)
    return edition


# Sessions: every path that creates or moves one (the edition editor's inline
# sessions, these services, the demo loader) checks its instructors here.


def _teachers(session: Session, edition_instructor_ids: set[int]) -> set[int]:
    """Who teaches a session: its own instructor, else the edition's."""
    if session.instructor_id is not None:
        return {session.instructor_id}
    return edition_instructor_ids


def _instructor_busy(
    *, instructor_id: int, other: Session, edition: CourseEdition
) -> Exception:
    instructor = User.objects.get(pk=instructor_id)
    start, end = timezone.localtime(other.start), timezone.localtime(other.end)
    return refuse(
        "instructor_busy",
        instructor=instructor.get_full_name() or instructor.email,
        topic=other.localized_topic,
        edition=edition.code,
        date=dates.date_format(start, "l j F Y"),
        start=dates.date_format(start, "H:i"),
        end=dates.date_format(end, "H:i"),
    )


def sessions_instructors_check(
    *,
    edition: CourseEdition,
    sessions: Iterable[Session],
    instructor_ids: Iterable[int] | None = None,
    replaced_ids: Iterable[int] = (),
) -> None:
    """An instructor teaches one session at a time.

    `sessions` are sessions of `edition` as they are about to be saved (new or
    moved); each is taught by its own instructor, else by the edition's
    (`instructor_ids`, by default the stored ones). Refused (EditionError,
    naming the instructor and the other session) when one of them teaches
    another session at an overlapping time: one of `sessions`, or a stored
    session of any edition but those being saved and `replaced_ids` (deleted).
    Cancelled sessions and sessions of a cancelled edition take nobody's time.
    """
    if edition.status == EditionStatus.CANCELLED:
        return
    if instructor_ids is None:
        instructor_ids = [user.pk for user in edition.instructors.all()]
    edition_ids = set(instructor_ids)
    sessions = list(sessions)
    # Their stored rows are replaced by what is being saved (a session being
    # cancelled, too).
    saved_ids = {session.pk for session in sessions if session.pk}
    planned = [
        (session, _teachers(session, edition_ids))
        for session in sessions
        if not session.cancelled and session.start and session.end
    ]
    planned = [(session, who) for session, who in planned if who]
    if not planned:
        return
    for number, (session, who) in enumerate(planned):
        for other, other_who in planned[number + 1 :]:
            common = who & other_who
            if common and session.start < other.end and other.start < session.end:
                raise _instructor_busy(
                    instructor_id=min(common), other=other, edition=edition
                )
    stored = instructor_sessions_between(
        instructor_ids=set().union(*(who for _, who in planned)),
        start=min(session.start for session, _ in planned),
        end=max(session.end for session, _ in planned),
        exclude_ids={*replaced_ids, *saved_ids},
    )
    for session, who in planned:
        for instructor_id, other in stored:
            if (
                instructor_id in who
                and other.start < session.end
                and session.start < other.end
            ):
                raise _instructor_busy(
                    instructor_id=instructor_id, other=other, edition=other.edition
                )


@transaction.atomic
def session_create(
    *,
    edition: CourseEdition,
    start: dt.datetime,
    end: dt.datetime,
    topic: str,
    topic_en: str = "",
    room: str = "",
    instructor: User | None = None,
    mandatory: bool = False,
    sort_order: int | None = None,
) -> Session:
    """Add a session to an edition; refused when its instructor (its own, else
    the edition's) teaches another session at that time."""
    session = Session(
        edition=edition,
        start=start,
        end=end,
        topic=topic,
        topic_en=topic_en,
        room=room,
        instructor=instructor,
        mandatory=mandatory,
        sort_order=sort_order,
    )
    session.full_clean()
    sessions_instructors_check(edition=edition, sessions=[session])
    session.save()
    return session


@transaction.atomic
def session_move(*, session: Session, start: dt.datetime, end: dt.datetime) -> Session:
    """Move a session (a new revision of its calendar event); refused when its
    instructor teaches another session at the new time."""
    session.start, session.end = start, end
    session.full_clean()
    sessions_instructors_check(edition=session.edition, sessions=[session])
    session.save()
    return session
