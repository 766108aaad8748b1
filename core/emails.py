"""Sending the school's emails: one text and one HTML template per message.

Every email goes through email_send, which skips an address marked as bouncing
(EmailBounce, the suppression list): the relay reported it, so the school
writes to it no more, whatever the email, until staff clear the mark.
"""

import logging
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone

from .models import EmailBounce

logger = logging.getLogger(__name__)


def site_url(path: str) -> str:
    """An absolute URL on the public site, for links in emails."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def emails_suppressed(*, emails: Iterable[str]) -> set[str]:
    """Those of `emails` marked as bouncing, lower-cased. One query."""
    wanted = {email.strip().lower() for email in emails if email}
    if not wanted:
        return set()
    return set(
        EmailBounce.objects.filter(email__in=wanted).values_list("email", flat=True)
    )


def email_suppressed(*, email: str) -> bool:
    return bool(emails_suppressed(emails=[email]))


def email_skipped(*, to: str, what: str) -> bool:
    """True (and one INFO line in the log) if `to` is marked as bouncing."""
    if not email_suppressed(email=to):
        return False
    # The template, not the address: the log keeps no personal data.
    logger.info("Email %s not sent: its address is marked as bouncing", what)
    return True


def email_bounce_mark(*, email: str, reason: str = "") -> EmailBounce:
    """Mark an address as bouncing (from the mail relay's bounce report): no
    email is sent to it again. Marking it twice keeps the first mark."""
    bounce, _created = EmailBounce.objects.get_or_create(
        email=email.strip().lower(),
        defaults={"reason": reason[:500], "marked_at": timezone.now()},
    )
    return bounce


def email_bounce_clear(*, email: str) -> int:
    """Write to the address again (the person fixed their mailbox)."""
    deleted, _rows = EmailBounce.objects.filter(email=email.strip().lower()).delete()
    return deleted


def email_send(
    *,
    to: str,
    subject: str,
    template: str,
    context: dict,
    attachments: Sequence[tuple[str, bytes, str]] = (),
) -> bool:
    """Render `<template>.txt` and `<template>.html` and send them as one email;
    False, and nothing sent, if `to` is marked as bouncing.

    The caller activates the recipient's language; the subject gets the school's
    prefix. `attachments` are (filename, content, MIME type).
    """
    if email_skipped(to=to, what=template):
        return False
    text = render_to_string(f"{template}.txt", context)
    html = render_to_string(f"{template}.html", context)
    prefix = getattr(settings, "ACCOUNT_EMAIL_SUBJECT_PREFIX", "")
    message = EmailMultiAlternatives(subject=f"{prefix}{subject}", body=text, to=[to])
    message.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments:
        message.attach(filename, content, mimetype)
    message.send()
    return True
