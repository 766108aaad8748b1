"""Sessions: every path that creates or moves one (the edition editor's inline
sessions, these services, the demo loader) checks its instructors here, so an
instructor never teaches two sessions at once."""

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from core import dates
from people.models import User

from ..exceptions import EditionError, refuse
from ..models import CourseEdition, EditionStatus, Session
from ..selectors import instructor_sessions_between

# A session about to be saved, with the ids of whoever teaches it.
Planned = tuple[Session, set[int]]


def _teachers(session: Session, edition_instructor_ids: set[int]) -> set[int]:
    """Who teaches a session: its own instructor, else the edition's."""
    if session.instructor_id is not None:
        return {session.instructor_id}
    return edition_instructor_ids


def _instructor_busy(
    *, instructor_id: int, other: Session, edition: CourseEdition
) -> EditionError:
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


def _overlap(one: Session, other: Session) -> bool:
    return one.start < other.end and other.start < one.end


def _planned(sessions: list[Session], edition_ids: set[int]) -> list[Planned]:
    """The sessions that take someone's time: not cancelled, dated, taught."""
    planned = [
        (session, _teachers(session, edition_ids))
        for session in sessions
        if not session.cancelled and session.start and session.end
    ]
    return [(session, who) for session, who in planned if who]


def _check_among(planned: list[Planned], *, edition: CourseEdition) -> None:
    """No instructor in two of the sessions being saved at once."""
    for number, (session, who) in enumerate(planned):
        for other, other_who in planned[number + 1 :]:
            common = who & other_who
            if common and _overlap(session, other):
                raise _instructor_busy(
                    instructor_id=min(common), other=other, edition=edition
                )


def _check_stored(planned: list[Planned], *, exclude_ids: set[int]) -> None:
    """No instructor of the sessions being saved teaching a stored one then."""
    stored = instructor_sessions_between(
        instructor_ids=set().union(*(who for _, who in planned)),
        start=min(session.start for session, _ in planned),
        end=max(session.end for session, _ in planned),
        exclude_ids=exclude_ids,
    )
    for session, who in planned:
        for instructor_id, other in stored:
            if instructor_id in who and _overlap(other, session):
                raise _instructor_busy(
                    instructor_id=instructor_id, other=other, edition=other.edition
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
    sessions = list(sessions)
    planned = _planned(sessions, set(instructor_ids))
    if not planned:
        return
    _check_among(planned, edition=edition)
    # Their stored rows are replaced by what is being saved (a session being
    # cancelled, too).
    saved_ids = {session.pk for session in sessions if session.pk}
    _check_stored(planned, exclude_ids={*replaced_ids, *saved_ids})


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
