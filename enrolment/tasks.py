"""Background work of enrolment: the emails, sent after commit, and the audit
entries of new enrolments (recorded from the rows that owe them).

The periodic offer expiry is a task beside its service
(enrolment.services.offers.offers_expire_task).
"""

import datetime

from django.core.cache import cache
from django.db import transaction
from django_tasks import task

from core.audit import audit_log
from core.once import do_once
from core.tasks import QUEUE_MAIL, retry_policy_set
from people.models import User

from .emails import invitation_email_send, status_email_send
from .models import Enrolment

# A mail server that refuses or does not answer: tried again after 30 s, 2 min,
# 10 min, 30 min and 1 h, then the task is in the failed tasks (admin).
MAIL_RETRIES = 5
MAIL_RETRY_INTERVALS = (30, 120, 600, 1800, 3600)


@task(queue_name=QUEUE_MAIL)
def enrolment_status_notify(log_entry_id: int) -> None:
    """Email the trainee about one change of status, in the trainee's language:
    once per audit entry, however often the task runs."""
    do_once(
        key=f"enrolment.status_email:{log_entry_id}",
        work=lambda: status_email_send(log_entry_id=log_entry_id),
    )


retry_policy_set(
    enrolment_status_notify,
    max_retries=MAIL_RETRIES,
    intervals=MAIL_RETRY_INTERVALS,
)


# Set while a run of enrolment_changes_record is queued and not yet started, so
# a burst of enrolments queues one run, not one per enrolment. It expires on its
# own, in case the queued run is lost.
RECORD_QUEUED_KEY = "enrolment:changes-record-queued"
RECORD_QUEUED_SECONDS = 30
# Rows claimed per transaction: a service waiting for one of them (a cancelled
# seat's waitlist moving up) waits for one batch at most.
RECORD_BATCH = 25


def changes_record_soon() -> None:
    """Queue a run of enrolment_changes_record unless one is queued already.

    Called after the commit of every change that left its entry pending; the
    shared cache's add() (SET NX on Redis) lets one request of a burst queue
    the run. If queueing fails the mark is taken back, so the next change
    queues it; the changes stay pending meanwhile, not lost.
    """
    if not cache.add(RECORD_QUEUED_KEY, 1, RECORD_QUEUED_SECONDS):
        return
    try:
        enrolment_changes_record.enqueue()
    except Exception:
        cache.delete(RECORD_QUEUED_KEY)
        raise


@task()
def enrolment_changes_record() -> int:
    """Write the audit entry of every committed change that left it pending
    (Enrolment.pending_record: a new enrolment's), with the time of the change,
    and queue each trainee's email. Returns how many were recorded.

    Rows a service holds locked are skipped, never waited for (no deadlock with
    a service that holds the edition): a later run records them (a change of
    that very row queues one after its commit; so does any new enrolment, and
    `expire_offers` from cron runs one). Each entry and its email's task commit
    with the row's pending mark cleared, so a change is recorded once even if
    two runs overlap. A failed email is a task of its own, run again without
    writing the entry twice.
    """
    cache.delete(RECORD_QUEUED_KEY)  # changes committed from now on queue a run
    recorded = 0
    while True:
        with transaction.atomic():
            batch = list(
                Enrolment.objects.filter(pending_record__isnull=False)
                .select_related("trainee", "edition")  # the entries' labels
                .select_for_update(skip_locked=True, of=("self",))
                .order_by("pk")[:RECORD_BATCH]
            )
            if not batch:
                return recorded
            actor_ids = {row.pending_record["actor_id"] for row in batch} - {None}
            actors = User.objects.in_bulk(actor_ids)
            for enrolment in batch:
                pending = enrolment.pending_record
                entry = audit_log(
                    instance=enrolment,
                    action=pending["action"],
                    user=actors.get(pending["actor_id"]),
                    data=pending["data"],
                    at=datetime.datetime.fromisoformat(pending["at"]),
                )
                if pending["notify"]:
                    enrolment_status_notify.enqueue(log_entry_id=entry.pk)
            Enrolment.objects.filter(pk__in=[row.pk for row in batch]).update(
                pending_record=None
            )
            recorded += len(batch)


@task(queue_name=QUEUE_MAIL)
def invitation_notify(invitation_id: int) -> None:
    """Email a company's invitation to someone without an account, once."""
    do_once(
        key=f"enrolment.invitation_email:{invitation_id}",
        work=lambda: invitation_email_send(invitation_id=invitation_id),
    )


retry_policy_set(
    invitation_notify, max_retries=MAIL_RETRIES, intervals=MAIL_RETRY_INTERVALS
)
