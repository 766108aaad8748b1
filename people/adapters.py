import time

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.authentication import get_authentication_records
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.emails import email_bounce_clear, email_skipped

from .models import Role

# allauth's emails the person is asking for right now, to an address they are
# (re)confirming: sent even to an address marked as bouncing (core.emails), or
# nobody could ever prove a fixed mailbox. Every other one (security notices,
# "an account already exists", ...) respects the mark.
ASKED_FOR_EMAILS = frozenset(
    {
        "account/email/email_confirmation",
        "account/email/email_confirmation_signup",
        "account/email/password_reset_key",
        "account/email/password_reset_code",
        "account/email/login_code",
    }
)

# RFC 5321: a path holds at most 254 characters, a local part at most 64.
EMAIL_MAX_LENGTH = 254
EMAIL_LOCAL_PART_MAX_LENGTH = 64


def user_display(user) -> str:
    """How allauth names a person in its pages and emails: their address.

    Never the name they typed: the sign-up confirmation goes to an address the
    person has not proven yet, so a name like "URGENT: update your card at
    https://..." would reach a stranger inside the school's own email.
    """
    return user.email


def signed_in_recently(request) -> bool:
    """Whether the signed-in person authenticated in this session (signed in,
    or re-authenticated) within ACCOUNT_REAUTHENTICATION_TIMEOUT.

    allauth keeps every authentication step of the session in its records
    (allauth.account.authentication); a sign-in with the password is one.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    records = get_authentication_records(request, user)
    if not records:
        return False
    authenticated_at = max(record.get("at", 0) for record in records)
    return time.time() - authenticated_at < account_settings.REAUTHENTICATION_TIMEOUT


class AccountAdapter(DefaultAccountAdapter):
    """Everyone who signs up on the public site starts as a trainee."""

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        # allauth 65 counts only a re-authentication as recent, so staff who
        # must set up TOTP (MAKERS_REQUIRE_STAFF_MFA) typed their password twice
        # within seconds. Signing in a moment ago is as recent as that.
        if self.request is not None and signed_in_recently(self.request):
            return False
        return super().is_reauthentication_required(app=app, **kwargs)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        if template_prefix not in ASKED_FOR_EMAILS and email_skipped(
            to=email, what=template_prefix
        ):
            return
        super().send_mail(template_prefix, email, context)

    def confirm_email(self, request, email_address) -> bool:
        # A confirmed address receives mail: its bounce mark goes.
        confirmed = super().confirm_email(request, email_address)
        if confirmed:
            email_bounce_clear(email=email_address.email)
        return confirmed

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            group, _ = Group.objects.get_or_create(name=Role.TRAINEE.value)
            user.groups.add(group)
        return user

    def clean_email(self, email: str) -> str:
        # allauth cuts a value to the model field's length when it stores it: an
        # overlong address would be saved cut short, without its domain.
        email = super().clean_email(email)
        local_part = email.rpartition("@")[0]
        if (
            len(email) > EMAIL_MAX_LENGTH
            or len(local_part) > EMAIL_LOCAL_PART_MAX_LENGTH
        ):
            raise ValidationError(
                _(
                    "This email address is too long: at most %(max)d characters, "
                    "and at most %(local)d before the @."
                ),
                code="email_too_long",
                params={"max": EMAIL_MAX_LENGTH, "local": EMAIL_LOCAL_PART_MAX_LENGTH},
            )
        return email

    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        # The per-account limit on failed logins counts per account *and* client
        # IP (settings.ACCOUNT_RATE_LIMITS["login_failed"]): someone guessing a
        # person's password from their own address locks only themselves out,
        # never the person signing in from elsewhere. allauth uses this key for
        # the limit and to clear it after a password reset.
        key = super()._get_login_attempts_cache_key(request, **credentials)
        return f"{key}:{self.get_client_ip(request)}"

    def get_login_redirect_url(self, request):
        # Stay in the visitor's language: /me/ in Italian, /en/me/ in English.
        return resolve_url(settings.LOGIN_REDIRECT_URL)

    def get_logout_redirect_url(self, request):
        return reverse("wagtail_serve", args=[""])
