"""Issue 23's instructor journey: reminders on the demo.

The instructor (docente) opens "My notices" from /me/, reads that a register
left open is a service notice always sent, and switches the day-before session
reminder off. The next day-before run then emails the trainees of her next
session, with its calendar file, and not her. axe on every page.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from courses.models import Session
from notices.jobs import session_reminders_send
from notices.models import NoticeKind, NoticeOptOut
from notices.selectors import LIVE_EDITIONS
from people.models import User
from tests.e2e.conftest import DESKTOP, axe_check, italian, sign_in_as
from tests.e2e.notices_steps import session_reminder_switched_off

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

INSTRUCTOR = "docente@makers-school.example"


def _check(page, journey, name: str) -> None:
    journey.shot(page, name)
    axe_check(page, journey=journey, name=name)


def _her_next_session(instructor: User) -> Session:
    """Her next session with confirmed trainees, whenever the clock says now."""
    sessions = (
        Session.objects.filter(
            cancelled=False,
            edition__status__in=LIVE_EDITIONS,
            edition__instructors=instructor,
            start__gt=timezone.now() + datetime.timedelta(hours=1),
            edition__enrolments__status="confirmed",
        )
        .distinct()
        .order_by("start")
    )
    session = sessions.first()
    assert session is not None, "the demo gives docente a session to come"
    return session


def test_instructor_switches_off_her_reminders_and_trainees_still_get_theirs(
    new_page, live_server, journey, demo_content, mailoutbox
):
    instructor = User.objects.get(email=INSTRUCTOR)
    page = new_page(viewport=DESKTOP)
    sign_in_as(page, live_server, instructor)
    page.goto(live_server.url + reverse("portal:dashboard"))
    _check(page, journey, "my page")

    page.get_by_role("link", name=italian("My notices")).click()
    expect(page.locator("h1")).to_have_text(italian("My notices"))
    service = page.locator("section", has_text=italian("Service notices"))
    expect(service).to_contain_text(italian(NoticeKind.REGISTER_OPEN.label))
    _check(page, journey, "my notices")
    session_reminder_switched_off(page)
    _check(page, journey, "my notices, saved")
    assert NoticeOptOut.objects.filter(
        user=instructor, kind=NoticeKind.SESSION_REMINDER
    ).exists()

    # The day-before run, 20 hours before her next session.
    session = _her_next_session(instructor)
    mailoutbox.clear()
    session_reminders_send(now=session.start - datetime.timedelta(hours=20))
    reached = {address for message in mailoutbox for address in message.to}
    trainees = set(
        session.edition.enrolments.filter(status="confirmed").values_list(
            "trainee__email", flat=True
        )
    )
    assert trainees and trainees <= reached
    assert INSTRUCTOR not in reached
    calendars = [
        attachment
        for message in mailoutbox
        for attachment in message.attachments
        if attachment[2].startswith("text/calendar")
    ]
    assert len(calendars) >= len(trainees)
    journey.assert_no_server_errors()
