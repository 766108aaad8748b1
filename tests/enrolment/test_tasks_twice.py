"""Every task of enrolment that must happen once, run twice (as RQ may, after
a retry or when a worker died before marking it finished): one audit entry,
one email each. And a failed send is not marked done: its retry sends it."""

import pytest
from wagtail.models import ModelLogEntry

from core.models import DoneOnce
from enrolment import services
from enrolment.selectors import enrolment_history
from enrolment.tasks import (
    enrolment_changes_record,
    enrolment_status_notify,
    invitation_notify,
)
from tests.factories import CompanyMemberFactory

from .helpers import enrol

pytestmark = pytest.mark.django_db


class NoQueue:
    """A task's queue that nobody works off."""

    @staticmethod
    def enqueue(**kwargs):
        return None


@pytest.fixture
def recording_not_queued(monkeypatch):
    """New enrolments' entries stay pending until the test runs the task."""
    monkeypatch.setattr("enrolment.tasks.enrolment_changes_record", NoQueue)


def test_recording_an_enrolment_twice_writes_one_entry_and_one_email(
    edition, trainee, mailoutbox, recording_not_queued
):
    enrolment = enrol(edition, trainee)  # the request leaves its entry pending
    assert enrolment_changes_record.call() == 1
    assert enrolment_changes_record.call() == 0
    assert len(enrolment_history(enrolment=enrolment)) == 1
    assert [message.to for message in mailoutbox] == [[trainee.email]]


def test_the_status_email_task_run_twice_sends_once(edition, trainee, mailoutbox):
    enrolment = enrol(edition, trainee)  # recorded and emailed at once here
    (entry,) = ModelLogEntry.objects.filter(object_id=str(enrolment.pk))
    assert len(mailoutbox) == 1  # sent by the recording run's task
    enrolment_status_notify.call(log_entry_id=entry.pk)
    enrolment_status_notify.call(log_entry_id=entry.pk)
    assert len(mailoutbox) == 1
    assert (
        DoneOnce.objects.filter(key=f"enrolment.status_email:{entry.pk}").count() == 1
    )


def test_a_failed_send_is_not_marked_done_and_its_retry_sends(
    edition, trainee, mailoutbox, monkeypatch, settings, recording_not_queued
):
    enrolment = enrol(edition, trainee)
    monkeypatch.setattr("enrolment.tasks.enrolment_status_notify", NoQueue)
    enrolment_changes_record.call()
    (entry,) = ModelLogEntry.objects.filter(object_id=str(enrolment.pk))
    assert mailoutbox == []
    settings.EMAIL_BACKEND = "tests.enrolment.test_tasks_twice.RefusingBackend"
    with pytest.raises(ConnectionRefusedError):
        enrolment_status_notify.call(log_entry_id=entry.pk)
    assert not DoneOnce.objects.exists()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    enrolment_status_notify.call(log_entry_id=entry.pk)  # the retry
    enrolment_status_notify.call(log_entry_id=entry.pk)  # and a re-delivery
    assert [message.to for message in mailoutbox] == [[trainee.email]]


def test_the_invitation_email_task_run_twice_sends_once(
    edition, run_on_commit, mailoutbox
):
    manager = CompanyMemberFactory(is_manager=True)
    with run_on_commit():
        invitation = services.invitation_create(
            company=manager.company,
            manager=manager.user,
            email="someone@example.com",
            edition=edition,
        )
    assert len(mailoutbox) == 1
    invitation_notify.call(invitation_id=invitation.pk)
    invitation_notify.call(invitation_id=invitation.pk)
    assert len(mailoutbox) == 1


class RefusingBackend:
    """An email backend whose mail server refuses the connection."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")
