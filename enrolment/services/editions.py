"""What an edition's cancellation or new seats mean for its enrolments.

courses.services changes the edition and calls courses.reactions inside its
transaction, with the edition locked; these reactions (registered in
EnrolmentConfig.ready) do the enrolment side in that same transaction.
"""

from courses.models import CourseEdition
from people.models import User

from ..models import ACTIVE_STATUSES, Enrolment, EnrolmentStatus
from ._base import seats_sync, status_change
from .offers import seats_fill


def edition_enrolments_cancel(
    *, edition: CourseEdition, actor: User | None, reason: str
) -> int:
    """Cancel every active enrolment of the (locked, cancelled) edition.

    Confirmed and pending seats, open offers and the whole waitlist: each trainee
    gets the cancellation email with the reason, in their language. Returns how
    many enrolments were cancelled.
    """
    active = Enrolment.objects.select_for_update().filter(
        edition=edition, status__in=ACTIVE_STATUSES
    )
    cancelled = 0
    for enrolment in active.order_by("pk"):
        enrolment.edition = edition
        enrolment.waitlist_position = None
        enrolment.offer_expires_at = None
        status_change(
            enrolment=enrolment,
            new_status=EnrolmentStatus.CANCELLED,
            actor=actor,
            reason=reason,
            data={"edition_cancelled": True},
        )
        cancelled += 1
    seats_sync(edition=edition)
    return cancelled


def edition_seats_fill(*, edition: CourseEdition, actor: User | None) -> None:
    """The (locked) edition's capacity grew or it was reopened: its free seats
    pass to the head of the waitlist (offers.seats_fill)."""
    seats_fill(edition=edition, actor=actor)
