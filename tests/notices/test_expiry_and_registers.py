"""Offers about to lapse, certificates about to expire (with the refresher
editions), registers left open: each to the right person, once."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from attendance.models import SessionRegister
from notices import jobs, services
from notices.selectors import certificate_warning_days
from tests.factories import (
    ConfirmedEnrolmentFactory,
    CourseEditionFactory,
    SessionFactory,
    TraineeFactory,
    attendance_mark,
    certificate_row,
    rome_at,
)

from .conftest import html_of, sent_to

pytestmark = pytest.mark.django_db


def _offer(edition, hours: float):
    return ConfirmedEnrolmentFactory(
        edition=edition,
        status="offered",
        offer_expires_at=timezone.now() + datetime.timedelta(hours=hours),
        offer_token=f"token-{hours}",
    )


def test_an_offer_lapsing_within_six_hours_is_recalled_once(site):
    edition = CourseEditionFactory()
    soon, later = _offer(edition, 3), _offer(edition, 10)
    assert jobs.offers_expiring_send() == 1
    assert jobs.offers_expiring_send() == 0
    (message,) = mail.outbox
    assert message.to == [soon.trainee.email]
    assert edition.course.title in message.subject
    assert "/me/offers/token-3/" in message.body
    assert sent_to(later.trainee.email) == []


def test_an_offer_notice_respects_the_opt_out(site):
    enrolment = _offer(CourseEditionFactory(), 3)
    services.preferences_set(user=enrolment.trainee, receive=["session_reminder"])
    assert jobs.offers_expiring_send() == 0


@pytest.mark.parametrize(
    ("left", "due"), [(61, None), (60, 60), (15, 60), (14, 14), (0, 14), (-1, None)]
)
def test_which_certificate_warning_is_due(left, due):
    today = datetime.date(2026, 6, 10)
    until = today + datetime.timedelta(days=left)
    assert certificate_warning_days(valid_until=until, today=today) == due


@pytest.fixture
def certificate(site):
    """A certificate valid for 50 more days, and an edition of its course open
    for enrolment (the refresher)."""
    past = CourseEditionFactory(sessions=0, status="completed")
    holder = TraineeFactory(first_name="Ada")
    enrolment = ConfirmedEnrolmentFactory(edition=past, trainee=holder)
    refresher = CourseEditionFactory(course=past.course)
    row = certificate_row(
        holder=holder,
        enrolment=enrolment,
        valid_until=timezone.localdate() + datetime.timedelta(days=50),
    )
    return row, refresher


def test_certificate_expiring_lists_the_refresher_editions(certificate):
    row, refresher = certificate
    assert jobs.certificates_expiring_send() == 1
    (message,) = mail.outbox
    assert message.to == [row.holder.email]
    assert row.serial in message.body
    assert refresher.code in message.body
    assert refresher.code in html_of(message)
    assert jobs.certificates_expiring_send() == 0


def test_certificate_gets_the_14_day_notice_later_too(certificate):
    row, _refresher = certificate
    jobs.certificates_expiring_send()
    later = timezone.now() + datetime.timedelta(days=40)
    assert jobs.certificates_expiring_send(now=later) == 1
    assert jobs.certificates_expiring_send(now=later) == 0
    assert len(sent_to(row.holder.email)) == 2


@pytest.fixture
def left_open(site, instructor):
    """Yesterday's session (over for more than 12 hours, not locked yet) with
    one trainee marked and one not."""
    edition = CourseEditionFactory(sessions=0, status="in_progress")
    session = SessionFactory(
        edition=edition,
        start=rome_at(-1, hour=9),
        end=rome_at(-1, hour=13),
        instructor=instructor,
    )
    marked, unmarked = (ConfirmedEnrolmentFactory(edition=edition) for _ in range(2))
    attendance_mark(enrolment=marked, session=session)
    return session, unmarked


def test_the_instructor_is_told_once_of_a_register_left_open(left_open, instructor):
    session, _unmarked = left_open
    assert jobs.registers_open_send() == 1
    assert jobs.registers_open_send() == 0
    (message,) = mail.outbox
    assert message.to == [instructor.email]
    assert f"/me/teaching/sessions/{session.pk}/" in message.body


def test_no_reminder_when_everyone_is_marked(left_open):
    session, unmarked = left_open
    attendance_mark(enrolment=unmarked, session=session)
    assert jobs.registers_open_send() == 0


def test_no_reminder_once_the_register_is_closed(left_open, instructor):
    session, _unmarked = left_open
    SessionRegister.objects.create(
        session=session, closed_at=timezone.now(), closed_by=instructor
    )
    assert jobs.registers_open_send() == 0


def test_register_reminder_is_a_service_notice(left_open, instructor):
    services.preferences_set(user=instructor, receive=[])
    assert jobs.registers_open_send() == 1
