"""Enrolling, cancelling, approving and rejecting enrolments (moving one to
another edition: enrolment.services.moves)."""

from django.db import transaction
from django.utils import timezone

from core import dates
from courses.models import CourseEdition, EditionStatus
from courses.selectors import edition_has_ended
from people.models import Company, CompanyMember, User

from ..exceptions import EnrolmentError, refuse
from ..models import Enrolment, EnrolmentStatus
from ..selectors import (
    EnrolmentPrechecks,
    enrolment_prechecks,
    trainee_missing_prerequisites,
    trainee_schedule_clash,
)
from ._base import (
    edition_counts,
    edition_lock,
    edition_lock_for_enrolment,
    seats_store,
    seats_sync,
    status_change,
    trainee_lock,
    waitlist_close_gap,
)
from .offers import seats_fill


def edition_accepts_check(
    *, edition: CourseEdition, by_staff: bool, started: bool
) -> None:
    """started: whether a session has begun (read by the caller, once)."""
    if edition.status == EditionStatus.CANCELLED:
        raise refuse("cancelled_edition")
    if edition.status in (EditionStatus.IN_PROGRESS, EditionStatus.COMPLETED):
        raise refuse("started")
    if edition.status != EditionStatus.OPEN and not by_staff:
        raise refuse("not_open")
    if started:
        raise refuse("started")
    if by_staff:
        return
    now = timezone.now()
    if now < edition.enrolment_opens_at:
        date = dates.date_format(
            timezone.localtime(edition.enrolment_opens_at), "DATETIME_FORMAT"
        )
        raise refuse("not_open_yet", date=date)
    if now >= edition.enrolment_closes_at:
        date = dates.date_format(
            timezone.localtime(edition.enrolment_closes_at), "DATETIME_FORMAT"
        )
        raise refuse("closed", date=date)


def _check_sponsor(*, trainee: User, company: Company, sponsored_by: User) -> None:
    memberships = {
        member.user_id: member
        for member in CompanyMember.objects.filter(
            company=company, user__in=[trainee, sponsored_by]
        )
    }
    manager = memberships.get(sponsored_by.pk)
    if manager is None or not manager.is_manager:
        raise refuse("not_manager", company=company.name)
    if trainee.pk not in memberships:
        raise refuse("not_employee", person=trainee.email, company=company.name)


def already_enrolled_refusal(
    *, trainee: User, edition: CourseEdition, actor: User | None
) -> EnrolmentError:
    """ "You already..." to the trainee; to whoever acts for them (a company's
    manager, the staff), the trainee by name."""
    if actor is None or actor.pk == trainee.pk:
        return refuse("already_enrolled")
    return refuse(
        "employee_already_enrolled",
        person=trainee.get_full_name() or trainee.email,
        edition=edition.code,
    )


def _place(
    *,
    edition: CourseEdition,
    enrolment: Enrolment,
    needs_approval: bool,
    actor: User | None,
) -> int:
    """Give the new enrolment a seat if one is free, else the end of the waitlist.

    Refused when the trainee already holds an active enrolment in the edition
    (read in the same query as the seats). Returns the seats taken once the
    enrolment is saved.
    """
    taken, waiting, last_position, already = edition_counts(
        edition=edition, trainee=enrolment.trainee
    )
    if already:
        raise already_enrolled_refusal(
            trainee=enrolment.trainee, edition=edition, actor=actor
        )
    if taken < edition.capacity and not waiting:
        enrolment.status = (
            EnrolmentStatus.PENDING_APPROVAL
            if needs_approval
            else EnrolmentStatus.CONFIRMED
        )
        enrolment.waitlist_position = None
        return taken + 1
    enrolment.status = EnrolmentStatus.WAITLISTED
    enrolment.waitlist_position = last_position + 1
    return taken


def enrolment_placed(
    *,
    trainee: User,
    edition: CourseEdition,
    sponsor_company: Company | None,
    sponsored_by: User | None,
    needs_approval: bool,
    actor: User | None,
) -> tuple[Enrolment, int]:
    """A new (unsaved) enrolment placed in the edition by _place(), and the
    seats taken once it is saved."""
    enrolment = Enrolment(
        trainee=trainee,
        edition=edition,
        sponsor_company=sponsor_company,
        sponsored_by=sponsored_by,
    )
    taken = _place(
        edition=edition, enrolment=enrolment, needs_approval=needs_approval, actor=actor
    )
    return enrolment, taken


def _check_before_lock(
    *,
    trainee: User,
    edition: CourseEdition,
    checks: EnrolmentPrechecks,
    by_staff: bool,
    sponsor_company: Company | None,
    sponsored_by: User | None,
) -> None:
    """What is checked before any lock, so the edition's lock is held as briefly
    as possible: the edition's own state (checked again under the lock), then
    what depends only on the trainee: a verified address, a sponsor who manages
    the trainee's company, the prerequisites."""
    edition_accepts_check(edition=edition, by_staff=by_staff, started=checks.started)
    if not by_staff and not checks.email_verified:
        raise refuse("unverified_email")
    if sponsor_company is not None:
        _check_sponsor(
            trainee=trainee, company=sponsor_company, sponsored_by=sponsored_by
        )
    if not by_staff and checks.has_prerequisites:
        missing = trainee_missing_prerequisites(trainee=trainee, edition=edition)
        if missing:
            raise refuse(
                "missing_prerequisite",
                courses=", ".join(course.title for course in missing),
            )


def _lock_and_recheck(
    *, trainee: User, edition: CourseEdition, by_staff: bool
) -> CourseEdition:
    """Lock the trainee's row, then the edition's (returned as read under the
    lock); refuse a clash with the sessions of another confirmed edition, and
    check the edition's own state again.

    The trainee's row is locked (always before any edition) so that two
    enrolments of one person in clashing editions cannot both pass the check,
    which reads what was committed once that lock was granted. A session that
    began while this request waited is not seen here: the check before the lock
    read the clock a few milliseconds ago.
    """
    trainee_lock(trainee_id=trainee.pk)
    edition, elsewhere = edition_lock_for_enrolment(
        edition_id=edition.pk, trainee_id=trainee.pk
    )
    if elsewhere:
        clash = trainee_schedule_clash(trainee=trainee, edition=edition)
        if clash is not None:
            raise refuse("schedule_clash", edition=clash.code)
    edition_accepts_check(edition=edition, by_staff=by_staff, started=False)
    return edition


@transaction.atomic
def enrolment_create(
    *,
    trainee: User,
    edition: CourseEdition,
    actor: User | None = None,
    sponsor_company: Company | None = None,
    sponsored_by: User | None = None,
    by_staff: bool = False,
    prechecks: EnrolmentPrechecks | None = None,
) -> Enrolment:
    """Enrol a trainee: a seat if one is free, else the end of the waitlist.

    The edition row is locked while seats are counted and the row inserted, so
    concurrent requests never confirm more than the capacity. Refused for a
    cancelled, started or not-open edition, outside the enrolment window, for an
    unverified email, an active enrolment already there, a missing prerequisite
    (see trainee_missing_prerequisites), a clash with the sessions of another
    confirmed edition, and a sponsor who does not manage the trainee's company.
    Staff (by_staff) skip the window, prerequisites and approval. `prechecks`:
    enrolment_prechecks() of this trainee and edition when the caller has just
    read them with the edition (selectors.edition_for_enrolment), else read here.
    """
    checks = prechecks or enrolment_prechecks(trainee=trainee, edition=edition)
    _check_before_lock(
        trainee=trainee,
        edition=edition,
        checks=checks,
        by_staff=by_staff,
        sponsor_company=sponsor_company,
        sponsored_by=sponsored_by,
    )
    edition = _lock_and_recheck(trainee=trainee, edition=edition, by_staff=by_staff)
    enrolment, taken = enrolment_placed(
        trainee=trainee,
        edition=edition,
        sponsor_company=sponsor_company,
        sponsored_by=sponsored_by if sponsor_company else None,
        needs_approval=edition.requires_approval and not by_staff,
        actor=actor,
    )
    status_change(
        enrolment=enrolment,
        new_status=enrolment.status,
        old_status="",
        actor=actor or trainee,
        data={"by_staff": by_staff, "position": enrolment.waitlist_position},
        audit_after_commit=True,
    )
    seats_store(edition=edition, taken=taken)
    return enrolment


def _lock_enrolment(*, enrolment: Enrolment) -> tuple[CourseEdition, Enrolment]:
    trainee_lock(trainee_id=enrolment.trainee_id)
    edition = edition_lock(edition_id=enrolment.edition_id)
    locked = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    locked.edition = edition  # the locked row (its code labels the audit entry)
    return edition, locked


def _release(*, edition: CourseEdition, enrolment: Enrolment, old_status: str) -> None:
    """After an enrolment left its place: close the gap or pass the seat on."""
    if old_status == EnrolmentStatus.WAITLISTED:
        return
    seats_sync(edition=edition)
    seats_fill(edition=edition)


def enrolment_leave(
    *,
    enrolment: Enrolment,
    edition: CourseEdition,
    new_status: str,
    actor: User | None,
    reason: str = "",
    data: dict | None = None,
    notify: bool = True,
) -> None:
    old_status = enrolment.status
    position = enrolment.waitlist_position
    enrolment.waitlist_position = None
    enrolment.offer_expires_at = None
    status_change(
        enrolment=enrolment,
        new_status=new_status,
        actor=actor,
        reason=reason,
        data=data,
        notify=notify,
    )
    if old_status == EnrolmentStatus.WAITLISTED:
        waitlist_close_gap(edition=edition, position=position)
    _release(edition=edition, enrolment=enrolment, old_status=old_status)


@transaction.atomic
def enrolment_cancel(
    *, enrolment: Enrolment, actor: User | None, reason: str = ""
) -> Enrolment:
    """Cancel an active enrolment; its seat or waitlist place passes on.

    Refused once the edition has ended (courses.selectors.editions_ended_q), for
    the trainee, the company and the staff alike: what it recorded (attendance,
    a certificate) stands. After it started, cancelling is leaving: nobody is
    promoted into the seat (seats_fill).
    """
    edition, enrolment = _lock_enrolment(enrolment=enrolment)
    if not enrolment.is_active:
        raise refuse("not_active")
    if edition_has_ended(edition=edition):
        raise refuse("ended", edition=edition.code)
    enrolment_leave(
        enrolment=enrolment,
        edition=edition,
        new_status=EnrolmentStatus.CANCELLED,
        actor=actor,
        reason=reason,
    )
    return enrolment


@transaction.atomic
def enrolment_approve(*, enrolment: Enrolment, actor: User) -> Enrolment:
    """Confirm a request awaiting approval; it already holds its seat.

    Refused while the trainee is confirmed in an edition whose sessions clash (the
    request stays pending: staff reject it or cancel the other enrolment first).
    """
    edition, enrolment = _lock_enrolment(enrolment=enrolment)
    if enrolment.status != EnrolmentStatus.PENDING_APPROVAL:
        raise refuse("not_pending")
    clash = trainee_schedule_clash(trainee=enrolment.trainee, edition=edition)
    if clash is not None:
        raise refuse(
            "approve_clash", person=enrolment.trainee.email, edition=clash.code
        )
    status_change(
        enrolment=enrolment, new_status=EnrolmentStatus.CONFIRMED, actor=actor
    )
    seats_sync(edition=edition)
    return enrolment


@transaction.atomic
def enrolment_reject(*, enrolment: Enrolment, actor: User, reason: str) -> Enrolment:
    """Reject a request awaiting approval, with a reason the trainee will read."""
    if not reason.strip():
        raise refuse("reason_required")
    edition, enrolment = _lock_enrolment(enrolment=enrolment)
    if enrolment.status != EnrolmentStatus.PENDING_APPROVAL:
        raise refuse("not_pending")
    enrolment_leave(
        enrolment=enrolment,
        edition=edition,
        new_status=EnrolmentStatus.REJECTED,
        actor=actor,
        reason=reason.strip(),
    )
    return enrolment
