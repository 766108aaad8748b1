"""The notice jobs as tasks on the mail queue, enqueued by the scheduler
(notices.apps). A failed send is retried like the enrolment emails; a retry
sends only what the failed run did not (notices.services.notice_send)."""

from django_tasks import task

from core.tasks import QUEUE_MAIL, retry_policy_set
from enrolment.tasks import MAIL_RETRIES, MAIL_RETRY_INTERVALS

from . import jobs


@task(queue_name=QUEUE_MAIL)
def session_reminders_task() -> int:
    return jobs.session_reminders_send()


@task(queue_name=QUEUE_MAIL)
def offers_expiring_task() -> int:
    return jobs.offers_expiring_send()


@task(queue_name=QUEUE_MAIL)
def certificates_expiring_task() -> int:
    return jobs.certificates_expiring_send()


@task(queue_name=QUEUE_MAIL)
def attendance_risks_task() -> int:
    return jobs.attendance_risks_send()


@task(queue_name=QUEUE_MAIL)
def registers_open_task() -> int:
    return jobs.registers_open_send()


for _task in (
    session_reminders_task,
    offers_expiring_task,
    certificates_expiring_task,
    attendance_risks_task,
    registers_open_task,
):
    retry_policy_set(_task, max_retries=MAIL_RETRIES, intervals=MAIL_RETRY_INTERVALS)
