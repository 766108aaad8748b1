"""A bounced address gets no email of any kind (core.emails.email_send and the
allauth adapter), except the ones its owner asks for to prove the mailbox
works; clearing the mark sends again."""

import logging

import pytest
from allauth.account.adapter import get_adapter
from allauth.core import context
from django.core import mail
from django.test import RequestFactory
from django.urls import reverse

from core.emails import email_bounce_clear, email_bounce_mark, email_suppressed
from core.models import EmailBounce
from enrolment import services as enrolment_services
from notices import jobs
from tests.factories import (
    CompanyMemberFactory,
    CourseEditionFactory,
    TraineeFactory,
)

from .conftest import sent_to

pytestmark = pytest.mark.django_db


def test_the_mark_is_kept_lower_cased_once():
    email_bounce_mark(email=" Ada@Example.COM ", reason="550")
    email_bounce_mark(email="ada@example.com", reason="again")
    assert EmailBounce.objects.get().email == "ada@example.com"
    assert EmailBounce.objects.get().reason == "550"
    assert email_suppressed(email="ADA@example.com")


def test_an_enrolment_status_email_is_not_sent_until_cleared(
    site, django_capture_on_commit_callbacks, caplog
):
    trainee = TraineeFactory(language="it")
    email_bounce_mark(email=trainee.email.upper())
    with (
        caplog.at_level(logging.INFO, logger="core.emails"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        enrolment = enrolment_services.enrolment_create(
            trainee=trainee, edition=CourseEditionFactory(capacity=2)
        )
    assert sent_to(trainee.email) == []
    assert "not sent: its address is marked as bouncing" in caplog.text
    assert trainee.email not in caplog.text
    email_bounce_clear(email=trainee.email)
    with django_capture_on_commit_callbacks(execute=True):
        enrolment_services.enrolment_cancel(enrolment=enrolment, actor=trainee)
    assert len(sent_to(trainee.email)) == 1


def test_an_invitation_is_not_sent_until_cleared(
    site, django_capture_on_commit_callbacks
):
    manager = CompanyMemberFactory(is_manager=True)
    edition = CourseEditionFactory(capacity=2)
    email_bounce_mark(email="nuova@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        enrolment_services.invitation_create(
            company=manager.company,
            manager=manager.user,
            email="Nuova@example.com",
            edition=edition,
        )
    assert mail.outbox == []
    email_bounce_clear(email="NUOVA@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        enrolment_services.invitation_create(
            company=manager.company,
            manager=manager.user,
            email="altra@example.com",
            edition=edition,
        )
    assert [message.to for message in mail.outbox] == [["altra@example.com"]]


def test_a_notice_is_not_sent_until_cleared(tomorrow):
    _session, (ada, bea) = tomorrow
    email_bounce_mark(email=ada.email)
    jobs.session_reminders_send()
    assert sent_to(ada.email) == []
    assert len(sent_to(bea.email)) == 1
    email_bounce_clear(email=ada.email)
    jobs.session_reminders_send()
    assert len(sent_to(ada.email)) == 1


def _allauth_send(template_prefix: str, email: str) -> None:
    request = RequestFactory().get("/")
    with context.request_context(request):
        get_adapter(request).send_mail(template_prefix, email, {"user": None})


def test_allauth_notifications_respect_the_mark(site):
    email_bounce_mark(email="ada@example.com")
    _allauth_send("account/email/unknown_account", "ada@example.com")
    assert mail.outbox == []
    email_bounce_clear(email="ada@example.com")
    _allauth_send("account/email/unknown_account", "ada@example.com")
    assert len(mail.outbox) == 1


def test_a_password_reset_the_person_asks_for_still_goes(client, site):
    user = TraineeFactory(email="ada@example.com")
    email_bounce_mark(email=user.email)
    client.post(reverse("account_reset_password"), {"email": user.email})
    assert len(sent_to(user.email)) == 1
