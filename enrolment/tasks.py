"""Background work of enrolment: emails after commit and the offer expiry sweep."""

from django_tasks import task


@task()
def enrolment_event_notify(event_id: int) -> None:
    """Email the trainee about one change of status, in the trainee's language."""
    from .emails import event_email_send

    event_email_send(event_id=event_id)


@task()
def invitation_notify(invitation_id: int) -> None:
    """Email a company's invitation to someone without an account."""
    from .emails import invitation_email_send

    invitation_email_send(invitation_id=invitation_id)


@task()
def offers_expire_task() -> int:
    """Periodic: expire offers past their time and pass the seats on."""
    from .services import offers_expire

    return offers_expire()
