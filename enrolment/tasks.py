"""Background work of enrolment: the emails, sent after commit, and the audit
entry of a new enrolment.

The periodic offer expiry is a task beside its service
(enrolment.services.offers.offers_expire_task).
"""

import datetime

from django.db import transaction
from django_tasks import task

from core.audit import audit_log
from people.models import User

from .emails import invitation_email_send, status_email_send
from .models import Enrolment


@task()
def enrolment_status_notify(log_entry_id: int) -> None:
    """Email the trainee about one change of status, in the trainee's language."""
    status_email_send(log_entry_id=log_entry_id)


@task()
def enrolment_change_record(
    *,
    enrolment_id: int,
    action: str,
    actor_id: int | None,
    data: dict,
    at: str,
    notify: bool = True,
) -> None:
    """Write the audit entry of a committed change of status (at: when it
    happened, ISO 8601) and queue the trainee's email about it.

    A new enrolment leaves both to the worker: its request then writes one row
    after its commit (this task) instead of opening a second transaction for the
    entry and the email's task; the worker opens it. An enrolment erased before
    the task runs is not audited (its entries would be erased with it).
    """
    enrolment = Enrolment.objects.filter(pk=enrolment_id).first()
    if enrolment is None:
        return
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    # The entry and its email's task in one commit: a failed email is its own
    # task (run again without writing the entry twice).
    with transaction.atomic():
        entry = audit_log(
            instance=enrolment,
            action=action,
            user=actor,
            data=data,
            at=datetime.datetime.fromisoformat(at),
        )
        if notify:
            enrolment_status_notify.enqueue(log_entry_id=entry.pk)


@task()
def invitation_notify(invitation_id: int) -> None:
    """Email a company's invitation to someone without an account."""
    invitation_email_send(invitation_id=invitation_id)
