"""The schedule-clash check runs before every confirmation, not only at enrolment.

Waitlisted in A, confirmed in B whose sessions overlap A's: whatever path would
confirm the trainee in A (an offer accepted, automatic confirmation from the
waitlist, a staff approval, a staff move) must not leave them confirmed in both.
"""

import pytest
from django.utils import translation

from enrolment import services
from enrolment.exceptions import EnrolmentError
from enrolment.models import Enrolment, EnrolmentStatus
from tests.enrolment.helpers import assert_invariants
from tests.factories import (
    CourseEditionFactory,
    SessionFactory,
    StaffFactory,
    TraineeFactory,
)

pytestmark = pytest.mark.django_db
S = EnrolmentStatus


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def clashing_with(edition, **kwargs):
    """Another edition with one session at the same hours as `edition`'s first."""
    other = CourseEditionFactory(sessions=0, **kwargs)
    first = edition.sessions.order_by("start").first()
    SessionFactory(edition=other, start=first.start, end=first.end)
    return other


def confirmed_count(trainee):
    return Enrolment.objects.filter(trainee=trainee, status=S.CONFIRMED).count()


@pytest.fixture
def waitlisted_in_a(trainee):
    """The trainee waits in full edition A and is then confirmed in B, clashing."""
    a = CourseEditionFactory(capacity=1)
    holder = services.enrolment_create(trainee=TraineeFactory(), edition=a)
    waiting = services.enrolment_create(trainee=trainee, edition=a)
    assert waiting.status == S.WAITLISTED
    b = clashing_with(a)
    confirmed_b = services.enrolment_create(trainee=trainee, edition=b)
    assert confirmed_b.status == S.CONFIRMED
    return a, holder, waiting, confirmed_b


def test_accepting_an_offer_that_clashes_is_refused_and_the_offer_stays_open(
    waitlisted_in_a, trainee
):
    a, holder, waiting, confirmed_b = waitlisted_in_a
    services.enrolment_cancel(enrolment=holder, actor=holder.trainee)
    waiting.refresh_from_db()
    assert waiting.status == S.OFFERED

    with pytest.raises(
        EnrolmentError, match=f"clashes with edition {confirmed_b.edition.code}"
    ):
        services.offer_accept(token=waiting.offer_token, user=trainee)
    waiting.refresh_from_db()
    assert waiting.status == S.OFFERED  # still theirs until it expires
    assert confirmed_count(trainee) == 1

    # Once the clashing enrolment is cancelled, the same offer can be accepted.
    services.enrolment_cancel(enrolment=confirmed_b, actor=trainee)
    accepted = services.offer_accept(token=waiting.offer_token, user=trainee)
    assert accepted.status == S.CONFIRMED
    assert confirmed_count(trainee) == 1
    assert_invariants(a)


def test_automatic_confirmation_from_the_waitlist_becomes_an_offer_on_a_clash(
    trainee,
):
    a = CourseEditionFactory(capacity=1, auto_confirm_from_waitlist=True)
    holder = services.enrolment_create(trainee=TraineeFactory(), edition=a)
    services.enrolment_create(trainee=trainee, edition=a)
    services.enrolment_create(trainee=trainee, edition=clashing_with(a))

    services.enrolment_cancel(enrolment=holder, actor=holder.trainee)
    promoted = Enrolment.objects.get(trainee=trainee, edition=a)
    assert promoted.status == S.OFFERED
    assert confirmed_count(trainee) == 1
    assert_invariants(a)


def test_automatic_confirmation_without_a_clash_still_confirms(trainee):
    a = CourseEditionFactory(capacity=1, auto_confirm_from_waitlist=True)
    holder = services.enrolment_create(trainee=TraineeFactory(), edition=a)
    services.enrolment_create(trainee=trainee, edition=a)
    services.enrolment_cancel(enrolment=holder, actor=holder.trainee)
    assert Enrolment.objects.get(trainee=trainee, edition=a).status == S.CONFIRMED


def test_approving_a_request_that_clashes_is_refused_and_it_stays_pending(trainee):
    a = CourseEditionFactory(requires_approval=True)
    pending = services.enrolment_create(trainee=trainee, edition=a)
    assert pending.status == S.PENDING_APPROVAL
    b = clashing_with(a)
    services.enrolment_create(trainee=trainee, edition=b)

    with pytest.raises(EnrolmentError, match="clash with this one"):
        services.enrolment_approve(enrolment=pending, actor=StaffFactory())
    pending.refresh_from_db()
    assert pending.status == S.PENDING_APPROVAL
    assert confirmed_count(trainee) == 1


def test_moving_into_an_edition_that_clashes_with_a_third_is_refused(trainee):
    source = CourseEditionFactory()
    enrolment = services.enrolment_create(trainee=trainee, edition=source)
    target = CourseEditionFactory(course=source.course, sessions=0)
    SessionFactory(edition=target)
    services.enrolment_create(trainee=trainee, edition=clashing_with(target))

    with pytest.raises(EnrolmentError, match="clash"):
        services.enrolment_move(
            enrolment=enrolment, to_edition=target, actor=StaffFactory()
        )
    enrolment.refresh_from_db()
    assert enrolment.status == S.CONFIRMED
    assert not Enrolment.objects.filter(edition=target).exists()


def test_moving_between_overlapping_editions_of_one_course_is_not_a_clash(trainee):
    source = CourseEditionFactory()
    enrolment = services.enrolment_create(trainee=trainee, edition=source)
    target = clashing_with(source, course=source.course)
    moved = services.enrolment_move(
        enrolment=enrolment, to_edition=target, actor=StaffFactory()
    )
    assert moved.status == S.CONFIRMED
