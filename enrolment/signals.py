"""Company invitations become enrolments once the invitee's address is proven."""

from allauth.account.signals import email_confirmed
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from .models import Invitation


def _accept_for(user) -> None:
    from .selectors import trainee_email_is_verified
    from .services import invitations_accept

    if not Invitation.objects.filter(
        email=user.email.lower(), accepted_at__isnull=True
    ).exists():
        return
    if trainee_email_is_verified(trainee=user):
        invitations_accept(user=user)


@receiver(email_confirmed)
def _invitations_on_email_confirmed(sender, request, email_address, **kwargs):
    user = email_address.user
    if user.email.lower() == email_address.email.lower():
        _accept_for(user)


@receiver(user_logged_in)
def _invitations_on_login(sender, request, user, **kwargs):
    _accept_for(user)
