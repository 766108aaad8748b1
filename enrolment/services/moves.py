"""Moving an enrolment to another edition of the same course."""

from django.db import transaction

from courses.models import CourseEdition
from courses.selectors import edition_has_started
from people.models import User

from ..exceptions import refuse
from ..models import ACTIVE_STATUSES, Enrolment, EnrolmentStatus
from ..selectors import trainee_schedule_clash
from ._base import editions_lock, seats_store, status_change, trainee_lock
from .enrolments import (
    already_enrolled_refusal,
    edition_accepts_check,
    enrolment_leave,
    enrolment_placed,
)


def _check_move(
    *,
    enrolment: Enrolment,
    source: CourseEdition,
    target: CourseEdition,
    actor: User,
) -> None:
    """An active enrolment, to another edition of the same course that accepts
    enrolments (as staff enrol), where the trainee holds no active enrolment."""
    if not enrolment.is_active:
        raise refuse("not_active")
    if source.pk == target.pk:
        raise refuse("move_same_edition")
    if source.course.translation_key != target.course.translation_key:
        raise refuse("move_other_course")
    edition_accepts_check(
        edition=target, by_staff=True, started=edition_has_started(edition=target)
    )
    if Enrolment.objects.filter(
        trainee=enrolment.trainee_id, edition=target, status__in=ACTIVE_STATUSES
    ).exists():
        raise already_enrolled_refusal(
            trainee=enrolment.trainee, edition=target, actor=actor
        )


def _check_no_clash(*, moved: Enrolment, source: CourseEdition) -> None:
    """A confirmed seat in the new edition clashes with no other confirmed
    edition of the trainee (the one being left aside)."""
    if moved.status != EnrolmentStatus.CONFIRMED:
        return
    clash = trainee_schedule_clash(
        trainee=moved.trainee, edition=moved.edition, leaving=source
    )
    if clash is not None:
        raise refuse("approve_clash", person=moved.trainee.email, edition=clash.code)


@transaction.atomic
def enrolment_move(
    *, enrolment: Enrolment, to_edition: CourseEdition, actor: User, reason: str = ""
) -> Enrolment:
    """Move an active enrolment to another edition of the same course.

    The old enrolment ends as "moved" and points at the new one, so both keep
    their history. In the new edition the trainee gets a confirmed seat if one is
    free (staff moved them, so no approval), else the end of the waitlist.
    """
    trainee_lock(trainee_id=enrolment.trainee_id)
    editions = editions_lock(edition_ids=[enrolment.edition_id, to_edition.pk])
    source = editions[enrolment.edition_id]
    target = editions[to_edition.pk]
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    _check_move(enrolment=enrolment, source=source, target=target, actor=actor)
    moved, taken = enrolment_placed(
        trainee=enrolment.trainee,
        edition=target,
        sponsor_company=enrolment.sponsor_company,
        sponsored_by=enrolment.sponsored_by,
        needs_approval=False,
        actor=actor,
    )
    _check_no_clash(moved=moved, source=source)
    status_change(
        enrolment=moved,
        new_status=moved.status,
        old_status="",
        actor=actor,
        reason=reason,
        data={"moved_from": enrolment.pk, "position": moved.waitlist_position},
        notify=False,
    )
    seats_store(edition=target, taken=taken)
    enrolment.moved_to = moved
    enrolment_leave(
        enrolment=enrolment,
        edition=source,
        new_status=EnrolmentStatus.MOVED,
        actor=actor,
        reason=reason,
        data={"moved_to": moved.pk, "to_edition": target.code},
    )
    return moved
