"""Building blocks every enrolment service shares: the edition lock, the seat
count, the waitlist and the audit entry with its email after commit."""

from typing import NamedTuple

from django.db import DatabaseError, transaction
from django.db.models import Count, Exists, F, Max, Q
from django.utils import timezone

from core.audit import audit_log
from core.locking import (
    LockTimeout,
    rows_lock,
    rows_lock_setting_timeout,
)
from core.tasks import enqueue_on_commit
from courses.models import CourseEdition, Session
from courses.services import edition_seats_invalidate
from people.models import User

from ..exceptions import refuse
from ..models import (
    ACTIVE_STATUSES,
    SEAT_STATUSES,
    Enrolment,
    EnrolmentStatus,
    status_action,
)
from ..selectors import EDITION_COLUMNS, edition_from_row
from ..tasks import changes_record_soon, enrolment_status_notify

# Waitlist renumbering moves rows out of the way first, so the partial unique
# index on (edition, waitlist_position) never sees two rows at one position.
_RENUMBER_OFFSET = 1_000_000
_FOREIGN_KEYS = [
    field.name for field in Enrolment._meta.concrete_fields if field.is_relation
]


def edition_lock(*, edition_id: int) -> CourseEdition:
    """Lock the edition row for the rest of the transaction and return it fresh.

    Waits at most MAKERS_LOCK_TIMEOUT_MS (core.locking), then refuses as busy.
    Every enrolment takes it: its columns only, a prepared statement on
    PostgreSQL (docs/decisions/0007).
    """
    edition = CourseEdition.objects.filter(pk=edition_id)
    try:
        rows = rows_lock(edition.values_list(*EDITION_COLUMNS))
    except LockTimeout as error:
        raise refuse("busy") from error
    if not rows:
        raise CourseEdition.DoesNotExist
    return edition_from_row(rows[0])


def edition_lock_for_enrolment(
    *, edition_id: int, trainee_id: int
) -> tuple[CourseEdition, bool]:
    """edition_lock(), with whether the (locked) trainee is confirmed in another
    edition that has sessions, in the same statement: when not, no schedule can
    clash and the clash check costs nothing more (every enrolment of opening
    day). Taken after trainee_lock()."""
    # trainee_schedule_clash's first read, as a yes/no, read in the lock's
    # statement, whose snapshot is taken after the trainee's lock was granted.
    elsewhere = Session.objects.filter(
        cancelled=False,
        edition__enrolments__trainee_id=trainee_id,
        edition__enrolments__status=EnrolmentStatus.CONFIRMED,
    ).exclude(edition_id=edition_id)
    edition = CourseEdition.objects.filter(pk=edition_id).annotate(
        elsewhere=Exists(elsewhere)
    )
    try:
        rows = rows_lock(edition.values_list(*EDITION_COLUMNS, "elsewhere"))
    except LockTimeout as error:
        raise refuse("busy") from error
    if not rows:
        raise CourseEdition.DoesNotExist
    *values, elsewhere_confirmed = rows[0]
    return edition_from_row(values), bool(elsewhere_confirmed)


def trainee_lock(*, trainee_id: int, wait: bool = True) -> bool:
    """Lock a trainee's row, so two confirmations of one person cannot both pass
    the schedule-clash check.

    Taken before any edition lock, by a statement that also sets the
    transaction's lock_timeout (core.locking). Where an edition is already
    locked (passing a seat on), wait=False gives up at once rather than risk a
    deadlock with a service that holds the trainee and waits for the edition;
    returns False then. FOR NO KEY UPDATE: a plain FOR UPDATE would also block
    the foreign-key checks (FOR KEY SHARE, deferred to COMMIT) of any
    transaction that renumbers this trainee's waitlist rows, and deadlock with it.
    """
    trainee = User.objects.filter(pk=trainee_id).order_by()
    if wait:
        try:
            rows_lock_setting_timeout(trainee, no_key=True)
        except LockTimeout as error:
            raise refuse("busy") from error
        return True
    try:
        with transaction.atomic():
            rows_lock(trainee.values_list("pk", flat=True), no_key=True, nowait=True)
    except (LockTimeout, DatabaseError):
        return False
    return True


def editions_lock(*, edition_ids: list[int]) -> dict[int, CourseEdition]:
    """Lock several editions in id order, so two movers never deadlock."""
    return {pk: edition_lock(edition_id=pk) for pk in sorted(set(edition_ids))}


def seats_store(*, edition: CourseEdition, taken: int) -> int:
    """Store the seats taken on the (locked) edition and refresh pages after commit.

    An UPDATE rather than save(): save() would also reindex the edition for search
    while the lock is held. Public pages are invalidated once the new figure is
    committed, so no page renders the old one into the new cache generation.
    """
    if taken != edition.seats_taken:
        CourseEdition.objects.filter(pk=edition.pk).update(seats_taken=taken)
        edition.seats_taken = taken
        edition_seats_invalidate(edition_id=edition.pk)
    return taken


def seats_sync(*, edition: CourseEdition) -> int:
    """Recount the seats held and store them on the (locked) edition."""
    taken = Enrolment.objects.filter(edition=edition, status__in=SEAT_STATUSES).count()
    return seats_store(edition=edition, taken=taken)


class EditionCounts(NamedTuple):
    taken: int  # seats held
    waiting: int  # people on the waitlist
    last_position: int  # the waitlist's last position (0 when empty)
    trainee_active: int  # the trainee's active enrolments here (0 or 1)


def edition_counts(*, edition: CourseEdition, trainee: User) -> EditionCounts:
    """Seats held, people waiting, the last waitlist position and whether the
    trainee already holds an active enrolment: one query (a prepared statement
    on PostgreSQL), the only read a new enrolment makes under the edition lock."""
    waiting = Q(status=EnrolmentStatus.WAITLISTED)
    mine = Q(trainee_id=trainee.pk, status__in=ACTIVE_STATUSES)
    rows = list(
        Enrolment.objects.filter(edition_id=edition.pk)
        .order_by()
        .values("edition_id")
        .annotate(
            taken=Count("pk", filter=Q(status__in=SEAT_STATUSES)),
            waiting=Count("pk", filter=waiting),
            top=Max("waitlist_position", filter=waiting),
            mine=Count("pk", filter=mine),
        )
        .values_list("taken", "waiting", "top", "mine")
    )
    if not rows:  # nobody enrolled yet
        return EditionCounts(0, 0, 0, 0)
    taken, waiting_count, top, active = rows[0]
    return EditionCounts(taken, waiting_count, top or 0, active)


def waitlist_close_gap(*, edition: CourseEdition, position: int) -> None:
    """Shift everybody behind a vacated position one place forward."""
    behind = Enrolment.objects.filter(
        edition=edition,
        status=EnrolmentStatus.WAITLISTED,
        waitlist_position__gt=position,
    )
    if behind.update(waitlist_position=F("waitlist_position") + _RENUMBER_OFFSET):
        Enrolment.objects.filter(
            edition=edition,
            status=EnrolmentStatus.WAITLISTED,
            waitlist_position__gt=_RENUMBER_OFFSET,
        ).update(waitlist_position=F("waitlist_position") - _RENUMBER_OFFSET - 1)


def _pending_record(
    *, new_status: str, actor: User | None, details: dict, at, notify: bool
) -> dict:
    """The audit entry (and email) a change owes, carried by the row itself.

    Saved with the change (Enrolment.pending_record: an outbox) and, once
    committed, written by the worker's enrolment_changes_record, with the time
    of the change, which then queues the email. A new enrolment uses this: on
    opening day its edition's lock is the one everybody waits for, and its
    request then writes nothing after commit but, at most, one task for a whole
    burst (changes_record_soon). Nothing is lost if queueing fails: the next
    run records every pending change.
    """
    return {
        "action": status_action(new_status),
        "actor_id": actor.pk if actor else None,
        "data": details,
        "at": at.isoformat(),
        "notify": notify,
    }


def _record_now(
    *, enrolment: Enrolment, actor: User | None, details: dict, at, notify: bool
) -> None:
    """Audit the change inside the transaction; email the trainee after commit."""
    if enrolment.pending_record is not None:
        # A recording run skipped this row while it was locked here.
        transaction.on_commit(changes_record_soon, robust=True)
    entry = audit_log(
        instance=enrolment,
        action=status_action(details["new_status"]),
        user=actor,
        data=details,
        at=at,
    )
    if notify:
        enqueue_on_commit(enrolment_status_notify, log_entry_id=entry.pk)


def status_change(
    *,
    enrolment: Enrolment,
    new_status: str,
    actor: User | None,
    reason: str = "",
    data: dict | None = None,
    notify: bool = True,
    old_status: str | None = None,
    audit_after_commit: bool = False,
) -> None:
    """Set the status, validate, save, audit it and email the trainee after commit.

    The caller sets any other fields (position, offer) before calling. The audit
    entry is Wagtail's (core.audit): action makers.enrolment.<new status>, with
    the old status, the reason and the details in its data. It is written in the
    transaction, unless audit_after_commit: then the row carries it until the
    worker writes it (_pending_record).
    """
    if old_status is None:
        old_status = enrolment.status
    enrolment.status = new_status
    if reason:
        enrolment.reason = reason
    at = timezone.now()
    details = {
        "old_status": old_status,
        "new_status": new_status,
        "reason": reason,
        **(data or {}),
    }
    if audit_after_commit:
        enrolment.pending_record = _pending_record(
            new_status=new_status, actor=actor, details=details, at=at, notify=notify
        )
    # Foreign keys are not re-read (two queries under the edition lock): the
    # callers hold the rows and the database enforces them.
    enrolment.full_clean(exclude=_FOREIGN_KEYS, validate_constraints=False)
    enrolment.save()
    if audit_after_commit:
        # robust: the enrolment is committed; a failure here is logged (Django's
        # django.db.backends.base logger) instead of turning its answer into a
        # 500, and the change stays pending for the next run.
        transaction.on_commit(changes_record_soon, robust=True)
        return
    _record_now(enrolment=enrolment, actor=actor, details=details, at=at, notify=notify)
