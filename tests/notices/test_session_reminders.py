"""The reminder the day before a session: trainees and instructor, with the
session's calendar file; once; opt-out and bounces respected."""

import re

import icalendar
import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from core.emails import site_url
from courses.feeds import calendar_domain
from notices import emails, jobs, services
from notices.models import NoticeKind, SentNotice
from tests.text import italian

from .conftest import html_of, sent_to

pytestmark = pytest.mark.django_db


def test_trainees_and_instructor_get_the_reminder_with_the_ics(tomorrow, instructor):
    session, trainees = tomorrow
    assert jobs.session_reminders_send() == 3
    recipients = sorted(message.to[0] for message in mail.outbox)
    assert recipients == sorted([t.email for t in trainees] + [instructor.email])
    (message,) = sent_to(trainees[0].email)
    assert session.edition.course.title in message.subject
    assert "Ciao Ada," in message.body  # in the trainee's language
    assert session.edition.code in message.body
    (attachment,) = message.attachments
    filename, content, mimetype = attachment
    assert filename.endswith(".ics") and mimetype == "text/calendar"
    calendar = icalendar.Calendar.from_ical(content)
    (event,) = calendar.walk("VEVENT")
    assert str(event["UID"]) == f"{session.uuid}@{calendar_domain()}"
    assert event.decoded("DTSTART") == session.start
    (english,) = sent_to(trainees[1].email)
    assert english.subject.startswith("[Makers' School] Reminder: ")
    assert "Hello Bea," in english.body


def test_the_instructor_reads_a_link_to_the_register(tomorrow, instructor):
    session, _trainees = tomorrow
    jobs.session_reminders_send()
    (message,) = sent_to(instructor.email)
    teach = re.escape(italian("A reminder: you teach %(course)s on %(start)s."))
    pattern = re.sub(r"%\\\(\w+\\\)s", ".+", teach)
    assert re.search(pattern, message.body), message.body
    assert f"/me/teaching/sessions/{session.pk}/" in message.body


def test_every_email_links_to_the_preferences_page(tomorrow, instructor):
    _session, trainees = tomorrow
    jobs.session_reminders_send()
    for person in [*trainees, instructor]:
        with translation.override(person.language):
            link = services.preferences_url()
            assert link == site_url(reverse("portal:notices"))
        (message,) = sent_to(person.email)
        assert link in message.body
        assert f'href="{link}"' in html_of(message)


def test_run_twice_sends_each_reminder_once(tomorrow):
    assert jobs.session_reminders_send() == 3
    assert jobs.session_reminders_send() == 0
    assert len(mail.outbox) == 3
    assert SentNotice.objects.filter(kind=NoticeKind.SESSION_REMINDER).count() == 3


def test_a_cancelled_session_gets_none(tomorrow):
    session, _trainees = tomorrow
    session.cancelled = True
    session.save()
    assert jobs.session_reminders_send() == 0


def test_an_opted_out_trainee_gets_none_the_others_do(tomorrow, instructor):
    _session, (ada, bea) = tomorrow
    services.preferences_set(user=ada, receive=[])
    jobs.session_reminders_send()
    assert sent_to(ada.email) == []
    assert len(sent_to(bea.email)) == 1
    assert len(sent_to(instructor.email)) == 1


def test_a_bounced_address_gets_none(tomorrow):
    _session, (ada, bea) = tomorrow
    services.address_bounce_mark(email=ada.email.upper(), reason="550 no such user")
    jobs.session_reminders_send()
    assert sent_to(ada.email) == []
    assert len(sent_to(bea.email)) == 1


def test_the_calendar_file_is_built_once_per_language(tomorrow, monkeypatch):
    built = []
    original = emails.session_ics

    def counting(*, session, language):
        built.append(language)
        return original(session=session, language=language)

    monkeypatch.setattr(emails, "session_ics", counting)
    assert jobs.session_reminders_send() == 3
    assert sorted(built) == ["en", "it"]  # Ada and Ida read Italian, Bea English
