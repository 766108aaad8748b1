"""Background work of course evaluation: the hourly sending job and one mail
task per email, each sent once (core.once), however often its task runs."""

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from core.once import do_once
from core.tasks import QUEUE_MAIL, retry_policy_set

from .emails import request_email_send
from .services import evaluations_plan

MAIL_RETRIES = 5
MAIL_RETRY_INTERVALS = (30, 120, 600, 1800, 3600)


@task(queue_name=QUEUE_MAIL)
def evaluation_email_task(request_id: int, round: int) -> None:
    """The request (round 0) or a reminder (1, 2): once per request and round."""
    do_once(
        key=f"evaluations.email:{request_id}:{round}",
        work=lambda: request_email_send(request_id=request_id, round=round),
    )


retry_policy_set(
    evaluation_email_task, max_retries=MAIL_RETRIES, intervals=MAIL_RETRY_INTERVALS
)


@task()
def evaluations_send_task() -> int:
    """Create the requests of editions just completed and queue the emails due
    (requests and reminders), after the commit. Returns how many were queued."""
    plan = evaluations_plan(now=timezone.now())
    for request_id, round in plan.emails:
        transaction.on_commit(
            lambda r=request_id, n=round: evaluation_email_task.enqueue(
                request_id=r, round=n
            )
        )
    return len(plan.emails)
