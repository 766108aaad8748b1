"""The rules' edges, to the microsecond: each test here fails if one comparison
in the enrolment services or selectors is turned into its neighbour (< into <=,
>= into >, a guard dropped), which the tests far from the edges let pass.

- The enrolment window is [opens_at, closes_at): open at its opening instant,
  closed at its closing instant (DESIGN.md, "refused outside the window").
- Sessions are [start, end): one ending exactly when another starts is back to
  back, not a clash (as for instructors, tests/courses/test_session_clashes.py);
  a microsecond of overlap is a clash.
- An offer is open until its expiry instant, excluded: at that instant it can no
  longer be accepted and offers_expire() expires it.
- A free seat goes to a newcomer only when nobody is waiting for it.
"""

import datetime

import pytest
import time_machine

from enrolment import services
from enrolment.exceptions import EnrolmentError
from enrolment.models import Enrolment, EnrolmentStatus
from enrolment.selectors import trainee_schedule_clash
from tests.factories import (
    ConfirmedEnrolmentFactory,
    CourseEditionFactory,
    SessionFactory,
    rome_at,
)

from .helpers import enrol

pytestmark = pytest.mark.django_db

MICROSECOND = datetime.timedelta(microseconds=1)


def _frozen(instant: datetime.datetime):
    return time_machine.travel(instant, tick=False)


# --- the enrolment window ----------------------------------------------------


@pytest.fixture
def window():
    """The window of the edition the tests build: opens and closes on the hour,
    both well before the edition's first session (30 days on)."""
    return rome_at(1, hour=9), rome_at(5, hour=18)


def _edition_with(window):
    opens, closes = window
    return CourseEditionFactory(enrolment_opens_at=opens, enrolment_closes_at=closes)


@pytest.mark.parametrize(
    ("offset", "allowed"),
    [(-MICROSECOND, False), (datetime.timedelta(0), True), (MICROSECOND, True)],
    ids=["a microsecond before", "at the instant", "a microsecond after"],
)
def test_the_window_opens_at_its_opening_instant(window, trainee, offset, allowed):
    edition = _edition_with(window)
    with _frozen(window[0] + offset):
        if allowed:
            assert enrol(edition, trainee).status == EnrolmentStatus.CONFIRMED
        else:
            with pytest.raises(EnrolmentError) as refused:
                enrol(edition, trainee)
            assert refused.value.code == "not_open_yet"
            assert not Enrolment.objects.filter(edition=edition).exists()


@pytest.mark.parametrize(
    ("offset", "allowed"),
    [(-MICROSECOND, True), (datetime.timedelta(0), False), (MICROSECOND, False)],
    ids=["a microsecond before", "at the instant", "a microsecond after"],
)
def test_the_window_closes_at_its_closing_instant(window, trainee, offset, allowed):
    edition = _edition_with(window)
    with _frozen(window[1] + offset):
        if allowed:
            assert enrol(edition, trainee).status == EnrolmentStatus.CONFIRMED
        else:
            with pytest.raises(EnrolmentError) as refused:
                enrol(edition, trainee)
            assert refused.value.code == "closed"
            assert not Enrolment.objects.filter(edition=edition).exists()


def test_staff_enrol_outside_the_window(window, trainee):
    """The window binds trainees and companies, not the staff."""
    edition = _edition_with(window)
    with _frozen(window[1]):
        enrolment = enrol(edition, trainee, by_staff=True)
    assert enrolment.status == EnrolmentStatus.CONFIRMED


# --- back-to-back sessions ---------------------------------------------------


@pytest.fixture
def confirmed_morning(trainee):
    """The trainee is confirmed in an edition with one session, 09:00-13:00
    in 40 days' time."""
    busy = CourseEditionFactory(sessions=0)
    SessionFactory(edition=busy, start=rome_at(40, hour=9), end=rome_at(40, hour=13))
    ConfirmedEnrolmentFactory(trainee=trainee, edition=busy)
    return busy


def _edition_from(start, end):
    edition = CourseEditionFactory(sessions=0)
    SessionFactory(edition=edition, start=start, end=end)
    return edition


HOUR = datetime.timedelta(hours=1)


@pytest.mark.parametrize(
    ("start", "end", "clash"),
    [
        # Ends exactly when the morning starts / starts exactly when it ends.
        (-2 * HOUR, 0 * HOUR, False),
        (4 * HOUR, 8 * HOUR, False),
        # A microsecond of overlap, at either end.
        (-2 * HOUR, MICROSECOND, True),
        (4 * HOUR - MICROSECOND, 8 * HOUR, True),
        # A microsecond apart.
        (-2 * HOUR, -MICROSECOND, False),
        (4 * HOUR + MICROSECOND, 8 * HOUR, False),
    ],
    ids=[
        "ends as it starts",
        "starts as it ends",
        "overlaps its start",
        "overlaps its end",
        "ends just before",
        "starts just after",
    ],
)
def test_back_to_back_sessions_do_not_clash(
    confirmed_morning, trainee, start, end, clash
):
    """start and end: from the morning session's start (09:00, four hours)."""
    nine = rome_at(40, hour=9)
    edition = _edition_from(nine + start, nine + end)
    found = trainee_schedule_clash(trainee=trainee, edition=edition)
    assert found == (confirmed_morning if clash else None)


def test_enrolling_in_the_afternoon_after_a_confirmed_morning(
    confirmed_morning, trainee
):
    """The service agrees with the selector: back to back is a confirmed seat,
    a microsecond of overlap a refusal naming the other edition."""
    afternoon = _edition_from(rome_at(40, hour=13), rome_at(40, hour=17))
    assert enrol(afternoon, trainee).status == EnrolmentStatus.CONFIRMED
    early = _edition_from(rome_at(40, hour=7), rome_at(40, hour=9) + MICROSECOND)
    with pytest.raises(EnrolmentError) as refused:
        enrol(early, trainee)
    assert refused.value.code == "schedule_clash"
    assert refused.value.params["edition"] == confirmed_morning.code


# --- offer expiry --------------------------------------------------------------


@pytest.fixture
def offer(trainee):
    """An open offer of the one seat of an edition, made at the suite's clock."""
    edition = CourseEditionFactory(capacity=1, auto_confirm_from_waitlist=False)
    first = enrol(edition)
    waiting = enrol(edition, trainee)
    assert waiting.status == EnrolmentStatus.WAITLISTED
    services.enrolment_cancel(enrolment=first, actor=first.trainee)
    waiting.refresh_from_db()
    assert waiting.status == EnrolmentStatus.OFFERED
    return waiting


def test_an_offer_is_accepted_a_microsecond_before_it_expires(offer, trainee):
    with _frozen(offer.offer_expires_at - MICROSECOND):
        accepted = services.offer_accept(token=offer.offer_token, user=trainee)
    assert accepted.status == EnrolmentStatus.CONFIRMED


def test_an_offer_is_refused_at_its_expiry_instant(offer, trainee):
    with _frozen(offer.offer_expires_at), pytest.raises(EnrolmentError) as refused:
        services.offer_accept(token=offer.offer_token, user=trainee)
    assert refused.value.code == "offer_expired"
    offer.refresh_from_db()
    assert offer.status == EnrolmentStatus.OFFERED


def test_offers_expire_at_their_instant_not_before(offer):
    expires_at = offer.offer_expires_at
    assert services.offers_expire(now=expires_at - MICROSECOND) == 0
    offer.refresh_from_db()
    assert offer.status == EnrolmentStatus.OFFERED
    assert services.offers_expire(now=expires_at) == 1
    offer.refresh_from_db()
    assert offer.status == EnrolmentStatus.EXPIRED
    assert offer.offer_expires_at is None


# --- nobody jumps the queue --------------------------------------------------


def test_a_newcomer_queues_behind_the_waitlist_even_with_a_seat_free(trainee):
    """A free seat with people waiting for it (an offer is about to go out, or
    the capacity was raised a moment ago) is theirs: the newcomer is waitlisted
    behind them, never confirmed past them."""
    edition = CourseEditionFactory(capacity=2)
    ConfirmedEnrolmentFactory(edition=edition)
    ConfirmedEnrolmentFactory(
        edition=edition, status=EnrolmentStatus.WAITLISTED, waitlist_position=1
    )
    edition.seats_taken = 1
    edition.save(update_fields=["seats_taken"])
    enrolment = enrol(edition, trainee)
    assert enrolment.status == EnrolmentStatus.WAITLISTED
    assert enrolment.waitlist_position == 2
    edition.refresh_from_db()
    assert edition.seats_taken == 1


def test_a_newcomer_takes_a_free_seat_when_nobody_waits(trainee):
    edition = CourseEditionFactory(capacity=2)
    ConfirmedEnrolmentFactory(edition=edition)
    edition.seats_taken = 1
    edition.save(update_fields=["seats_taken"])
    enrolment = enrol(edition, trainee)
    assert enrolment.status == EnrolmentStatus.CONFIRMED
    assert enrolment.waitlist_position is None
    edition.refresh_from_db()
    assert edition.seats_taken == 2
