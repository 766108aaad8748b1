"""What a company may email to people outside it (issue 26): every invitation,
to join the company (people.services) or to one of its courses (enrolment
services), asks invitation_refusal() first.

A company the school has not verified emails nobody outside it: its name is
only what someone typed. A verified one is rate-limited per company and per
address (django-ratelimit, in the shared cache), so the school's mail never
becomes a spammer's.
"""

from django.conf import settings
from django_ratelimit.core import is_ratelimited

from .models import Company

HOUR = 60 * 60
DAY = 24 * HOUR


def _limit(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def _counted_past(*, group: str, value: str, limit: int, period: int) -> bool:
    """Count one invitation for `value` in the current `period` seconds; True
    past `limit`. No request: the key is the value itself (hashed in the key)."""
    return is_ratelimited(
        None,
        group=group,
        key=lambda group, request: value,
        rate=(limit, period),
        increment=True,
    )


def invitation_refusal(*, company: Company, email: str) -> str | None:
    """None when the company may send this invitation now (counted), else why
    not: "unverified", "company_rate" or "address_rate"."""
    if not company.is_verified:
        return "unverified"
    if _counted_past(
        group="invitations-company",
        value=str(company.pk),
        limit=_limit("MAKERS_INVITATIONS_PER_COMPANY_HOUR", 20),
        period=HOUR,
    ):
        return "company_rate"
    if _counted_past(
        group="invitations-address",
        value=email.strip().lower(),
        limit=_limit("MAKERS_INVITATIONS_PER_ADDRESS_DAY", 3),
        period=DAY,
    ):
        return "address_rate"
    return None
