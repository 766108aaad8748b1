"""Every change of an edition's status: open, cancel, complete, reopen.

Each service locks the edition row, checks the rule it enforces, saves, writes
an audit entry (core.audit, makers.edition.<what>) and then calls the higher
apps' reactions (courses.reactions) by name, inside the same transaction.
Certificates depend on an edition being completed through edition_complete.
"""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from core.audit import audit_log
from core.cache import page_cache_invalidate
from core.locking import row_lock
from people.models import User

from .. import reactions
from ..cache import CATALOGUE_TAG, course_tag
from ..exceptions import refuse
from ..models import CourseEdition, EditionStatus, Session
from ..selectors import edition_has_started, edition_last_session_end
from .sessions import sessions_instructors_check


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


def edition_lock(*, edition: CourseEdition) -> CourseEdition:
    """Lock the edition's row for the rest of the transaction; return it fresh."""
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
    edition = edition_lock(edition=edition)
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
    waitlist closed and its open offers withdrawn (reactions.edition_cancelled,
    registered by the enrolment app, once the edition is saved as cancelled)."""
    reason = reason.strip()
    if not reason:
        raise refuse("reason_required")
    edition = edition_lock(edition=edition)
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
    reactions.edition_cancelled(edition=edition, actor=actor, reason=reason)
    return edition


@transaction.atomic
def edition_complete(*, edition: CourseEdition, actor: User | None) -> CourseEdition:
    """Mark an edition completed once its last session has ended."""
    edition = edition_lock(edition=edition)
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
    edition = edition_lock(edition=edition)
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
    # Seats freed meanwhile pass to the waitlist (nobody once it has started).
    reactions.edition_seats_changed(edition=edition, actor=actor)
    return edition
