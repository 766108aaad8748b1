"""Writes of notices: one notice sent once, a person's choices, bounced
addresses, and the attendance risks found.

Every notice has a key. notice_send() inserts the SentNotice of the key in the
transaction that sends the email (as core.once.do_once does): a second run, a
retried task or a second scheduler finds the key taken and sends nothing; two
runs at once wait on the key's unique index and the first to commit wins; a
send that fails rolls the key back, so the retry sends it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from core.emails import email_bounce_clear, email_bounce_mark, email_send, site_url
from core.links import page_link
from core.models import EmailBounce
from people.models import User

from .exceptions import NoticeError
from .models import OPTIONAL_KINDS, AttendanceRisk, NoticeOptOut, SentNotice
from .selectors import RiskFound


@dataclass(frozen=True)
class Message:
    """An email to build in the recipient's language."""

    subject: str
    template: str
    context: dict
    attachments: tuple = field(default=())


def preferences_url() -> str:
    """The absolute URL of the page where each person chooses their notices."""
    return site_url(page_link("notice_preferences"))


def keys_sent(keys: Iterable[str]) -> set[str]:
    """Which of these keys have their notice sent already. One query."""
    return set(
        SentNotice.objects.filter(key__in=set(keys)).values_list("key", flat=True)
    )


def notice_send(
    *, key: str, kind: str, user: User, build: Callable[[], Message], about: str = ""
) -> bool:
    """Email `user` a notice of `kind` unless the notice of `key` was sent
    already; True if it was sent now. `build` runs in the recipient's language.
    The caller has checked that the person may be written to
    (selectors.users_reachable)."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                SentNotice.objects.create(
                    key=key, kind=kind, recipient=user, about=about[:200]
                )
        except IntegrityError:
            return False
        with translation.override(user.language):
            message = build()
            email_send(
                to=user.email,
                subject=str(message.subject),
                template=message.template,
                context={
                    **message.context,
                    "recipient": user,
                    "preferences_url": preferences_url(),
                    "LANGUAGE_CODE": user.language,
                },
                attachments=message.attachments,
            )
    return True


def preferences_set(*, user: User, receive: Iterable[str]) -> None:
    """Keep the optional notices in `receive` and switch the other optional ones
    off. Service notices are not a choice; an unknown kind changes nothing."""
    wanted = set(receive)
    unknown = wanted - set(OPTIONAL_KINDS)
    if unknown:
        raise NoticeError(
            _("Unknown notice: %(kind)s.") % {"kind": ", ".join(sorted(unknown))}
        )
    with transaction.atomic():
        NoticeOptOut.objects.filter(user=user, kind__in=wanted).delete()
        NoticeOptOut.objects.bulk_create(
            [
                NoticeOptOut(user=user, kind=kind)
                for kind in OPTIONAL_KINDS
                if kind not in wanted
            ],
            ignore_conflicts=True,
        )


def address_bounce_mark(*, email: str, reason: str = "") -> EmailBounce:
    """Mark an address as bouncing (from the mail relay's bounce report): no
    email of the school is written to it again (core.emails)."""
    email = email.strip().lower()
    if not email or "@" not in email:
        raise NoticeError(_("Not an email address: %(email)s.") % {"email": email})
    return email_bounce_mark(email=email, reason=reason)


def address_bounce_clear(*, email: str) -> int:
    """Write to the address again (the person fixed their mailbox)."""
    return email_bounce_clear(email=email)


def attendance_risks_record(*, found: list[RiskFound]) -> dict[str, AttendanceRisk]:
    """The page notices of these causes of attendance at risk, each written
    once, by key; each carries its enrolment as found. Two queries."""
    AttendanceRisk.objects.bulk_create(
        [
            AttendanceRisk(
                key=item.key,
                enrolment=item.enrolment,
                cause=item.cause,
                session_id=item.session.pk if item.session else None,
            )
            for item in found
        ],
        ignore_conflicts=True,
    )
    enrolments = {item.key: item.enrolment for item in found}
    risks = {
        risk.key: risk
        for risk in AttendanceRisk.objects.filter(key__in=set(enrolments))
    }
    for key, risk in risks.items():
        risk.enrolment = enrolments[key]
    return risks
