"""Background work of enrolment: the emails, sent after commit.

The periodic offer expiry is a task beside its service
(enrolment.services.offers.offers_expire_task).
"""

from django_tasks import task

from .emails import invitation_email_send, status_email_send


@task()
def enrolment_status_notify(log_entry_id: int) -> None:
    """Email the trainee about one change of status, in the trainee's language."""
    status_email_send(log_entry_id=log_entry_id)


@task()
def invitation_notify(invitation_id: int) -> None:
    """Email a company's invitation to someone without an account."""
    invitation_email_send(invitation_id=invitation_id)
