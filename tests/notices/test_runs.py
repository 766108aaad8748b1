"""How the notices run: registered in the scheduler, from the command, as
tasks that a retry or a second run sends nothing twice, and on PostgreSQL two
runs at once."""

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from core.models import EmailBounce
from core.scheduler import periodic_jobs
from notices import jobs, services, tasks
from notices.models import NoticeOptOut, SentNotice
from people.personal_data import account_erase
from tests.concurrency import run_at_once

from .conftest import sent_to


def test_the_jobs_are_registered_in_the_scheduler():
    names = {job.name: job for job in periodic_jobs()}
    expected = {
        "notices.session_reminders": tasks.session_reminders_task,
        "notices.offers_expiring": tasks.offers_expiring_task,
        "notices.certificates_expiring": tasks.certificates_expiring_task,
        "notices.attendance_risks": tasks.attendance_risks_task,
        "notices.registers_open": tasks.registers_open_task,
    }
    for name, task in expected.items():
        assert names[name].task is task
        assert task.queue_name == "mail"


@pytest.mark.django_db
def test_the_command_runs_every_job_once(tomorrow, capsys):
    call_command("notices_send")
    out = capsys.readouterr().out
    assert "session_reminders: 3 sent" in out
    for name in jobs.JOBS:
        assert f"{name}: " in out
    call_command("notices_send", "session_reminders")
    assert "session_reminders: 0 sent" in capsys.readouterr().out
    with pytest.raises(CommandError):
        call_command("notices_send", "nonsense")


@pytest.mark.django_db
def test_the_bounce_command_marks_and_clears(tomorrow):
    _session, (ada, bea) = tomorrow
    call_command("notices_bounce", ada.email, reason="550")
    assert EmailBounce.objects.get().reason == "550"
    tasks.session_reminders_task.call()
    assert sent_to(ada.email) == []
    call_command("notices_bounce", ada.email, clear=True)
    assert not EmailBounce.objects.exists()
    with pytest.raises(CommandError):
        call_command("notices_bounce", "not-an-address")


class RefusingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("the mail server said no")


@pytest.mark.django_db
def test_a_failed_task_keeps_nothing_and_its_retry_sends_once(tomorrow, settings):
    settings.EMAIL_BACKEND = "tests.notices.test_runs.RefusingBackend"
    with pytest.raises(ConnectionRefusedError):
        tasks.session_reminders_task.call()
    assert not SentNotice.objects.exists()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert tasks.session_reminders_task.call() == 3  # the retry
    assert tasks.session_reminders_task.call() == 0  # and a re-delivery
    assert len(mail.outbox) == 3


@pytest.mark.postgres  # skipped elsewhere (tests/conftest.py)
@pytest.mark.xdist_group("notices_races")
@pytest.mark.django_db(transaction=True)
def test_two_schedulers_at_once_send_each_notice_once(wagtail_root, tomorrow):
    refusals, errors = run_at_once(
        [jobs.session_reminders_send, jobs.session_reminders_send],
        refusal=LookupError,
    )
    assert (refusals, errors) == ([], [])
    assert len(mail.outbox) == 3
    assert SentNotice.objects.count() == 3


@pytest.mark.django_db
def test_erasing_an_account_forgets_its_notices(tomorrow):
    _session, (ada, _bea) = tomorrow
    jobs.session_reminders_send()
    services.preferences_set(user=ada, receive=[])
    services.address_bounce_mark(email=ada.email)
    account_erase(user=ada)
    assert not NoticeOptOut.objects.filter(user=ada).exists()
    assert not SentNotice.objects.filter(recipient=ada).exists()
    assert not EmailBounce.objects.exists()
    assert SentNotice.objects.count() == 2  # Bea's and the instructor's
