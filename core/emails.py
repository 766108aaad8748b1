"""Sending the school's emails: one text and one HTML template per message."""

from collections.abc import Sequence

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string


def site_url(path: str) -> str:
    """An absolute URL on the public site, for links in emails."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def email_send(
    *,
    to: str,
    subject: str,
    template: str,
    context: dict,
    attachments: Sequence[tuple[str, bytes, str]] = (),
) -> None:
    """Render `<template>.txt` and `<template>.html` and send them as one email.

    The caller activates the recipient's language; the subject gets the school's
    prefix. `attachments` are (filename, content, MIME type).
    """
    text = render_to_string(f"{template}.txt", context)
    html = render_to_string(f"{template}.html", context)
    prefix = getattr(settings, "ACCOUNT_EMAIL_SUBJECT_PREFIX", "")
    message = EmailMultiAlternatives(subject=f"{prefix}{subject}", body=text, to=[to])
    message.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments:
        message.attach(filename, content, mimetype)
    message.send()
