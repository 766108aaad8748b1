"""Passing free seats to the waitlist: offers, their answers and their expiry."""

import datetime
import secrets

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from core import dates
from courses.models import CourseEdition
from courses.selectors import edition_has_started
from people.models import User

from ..exceptions import refuse
from ..models import Enrolment, EnrolmentStatus
from ..selectors import trainee_schedule_clash
from ..tasks import enrolment_changes_record
from ._base import (
    edition_lock,
    seats_sync,
    status_change,
    trainee_lock,
    waitlist_close_gap,
)


def seats_fill(*, edition: CourseEdition, actor: User | None = None) -> list[Enrolment]:
    """Give each free seat of a locked edition to the head of the waitlist.

    The head is confirmed at once where the edition says so, otherwise offered the
    seat for offer_hours. Nobody is promoted once the edition has started.
    """
    promoted: list[Enrolment] = []
    taken = seats_sync(edition=edition)
    if taken >= edition.capacity or edition_has_started(edition=edition):
        return promoted
    while taken < edition.capacity:
        head = (
            Enrolment.objects.select_for_update()
            .filter(edition=edition, status=EnrolmentStatus.WAITLISTED)
            .order_by("waitlist_position")
            .first()
        )
        if head is None:
            break
        head.edition = edition
        position = head.waitlist_position
        head.waitlist_position = None
        if edition.auto_confirm_from_waitlist and _may_confirm(
            enrolment=head, edition=edition
        ):
            status_change(
                enrolment=head,
                new_status=EnrolmentStatus.CONFIRMED,
                actor=actor,
                data={"from_position": position},
            )
        else:
            head.offer_token = secrets.token_urlsafe(32)
            head.offer_expires_at = timezone.now() + datetime.timedelta(
                hours=edition.offer_hours
            )
            status_change(
                enrolment=head,
                new_status=EnrolmentStatus.OFFERED,
                actor=actor,
                data={
                    "from_position": position,
                    "expires_at": head.offer_expires_at.isoformat(),
                },
            )
        waitlist_close_gap(edition=edition, position=position)
        promoted.append(head)
        taken += 1
    seats_sync(edition=edition)
    return promoted


def _may_confirm(*, enrolment: Enrolment, edition: CourseEdition) -> bool:
    """Whether the head of the waitlist may be confirmed without asking.

    Not when they are confirmed meanwhile in an edition that clashes, nor when
    their row is busy in another transaction (it might be confirming them in one):
    they get an offer instead, whose acceptance checks the clash again.
    """
    if not trainee_lock(trainee_id=enrolment.trainee_id, wait=False):
        return False
    trainee = User(pk=enrolment.trainee_id)
    return trainee_schedule_clash(trainee=trainee, edition=edition) is None


def _offer_locked(*, token: str, user: User) -> tuple[CourseEdition, Enrolment]:
    """Find the offer behind a link and lock it; refuse unknown, foreign, used."""
    found = Enrolment.objects.filter(offer_token=token).only(
        "pk", "edition_id", "trainee_id"
    )
    enrolment = found.first() if token else None
    if enrolment is None:
        raise refuse("offer_unknown")
    if enrolment.trainee_id != user.pk:
        raise refuse("offer_not_yours")
    trainee_lock(trainee_id=user.pk)
    edition = edition_lock(edition_id=enrolment.edition_id)
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if enrolment.status != EnrolmentStatus.OFFERED:
        raise refuse("offer_used")
    if enrolment.offer_expires_at <= timezone.now():
        date = dates.date_format(
            timezone.localtime(enrolment.offer_expires_at), "DATETIME_FORMAT"
        )
        raise refuse("offer_expired", date=date)
    return edition, enrolment


@transaction.atomic
def offer_accept(*, token: str, user: User) -> Enrolment:
    """Accept an open offer from its link: the seat becomes a confirmed enrolment.

    Refused while the trainee is confirmed in an edition whose sessions clash:
    the offer then stays open until it expires, so they may cancel the other
    enrolment and accept, or decline and pass the seat on.
    """
    edition, enrolment = _offer_locked(token=token, user=user)
    clash = trainee_schedule_clash(trainee=user, edition=edition)
    if clash is not None:
        date = dates.date_format(
            timezone.localtime(enrolment.offer_expires_at), "DATETIME_FORMAT"
        )
        raise refuse("offer_clash", edition=clash.code, date=date)
    enrolment.offer_expires_at = None
    status_change(enrolment=enrolment, new_status=EnrolmentStatus.CONFIRMED, actor=user)
    seats_sync(edition=edition)
    return enrolment


@transaction.atomic
def offer_decline(*, token: str, user: User) -> Enrolment:
    """Decline an open offer: the enrolment is cancelled and the seat passes on."""
    edition, enrolment = _offer_locked(token=token, user=user)
    enrolment.offer_expires_at = None
    status_change(
        enrolment=enrolment,
        new_status=EnrolmentStatus.CANCELLED,
        actor=user,
        data={"declined_offer": True},
    )
    seats_fill(edition=edition, actor=user)
    return enrolment


def offers_expire(*, now: datetime.datetime | None = None) -> int:
    """Expire offers past their time and pass each seat to the next in line.

    Safe to run twice at once: each edition is handled in its own transaction
    that locks the edition and re-reads its offers, so a second run finds nothing
    left to do. Returns the number of offers expired.
    """
    now = now or timezone.now()
    edition_ids = set(
        Enrolment.objects.filter(
            status=EnrolmentStatus.OFFERED, offer_expires_at__lte=now
        ).values_list("edition_id", flat=True)
    )
    expired = 0
    for edition_id in sorted(edition_ids):
        with transaction.atomic():
            edition = edition_lock(edition_id=edition_id)
            stale = Enrolment.objects.select_for_update().filter(
                edition=edition,
                status=EnrolmentStatus.OFFERED,
                offer_expires_at__lte=now,
            )
            for enrolment in stale:
                expires_at = enrolment.offer_expires_at
                enrolment.offer_expires_at = None
                status_change(
                    enrolment=enrolment,
                    new_status=EnrolmentStatus.EXPIRED,
                    actor=None,
                    data={"expired_at": expires_at.isoformat()},
                )
                expired += 1
            seats_fill(edition=edition)
    return expired


@task()
def offers_expire_task() -> int:
    """Periodic: expire offers past their time and pass the seats on, then
    record the enrolment changes still pending (enrolment_changes_record)."""
    count = offers_expire()
    enrolment_changes_record.call()
    return count
