"""The objects the permission matrix opens, found in a database the demo loaded.

Run as `python -m security.world` (with the environment of the server under
test) it gives the two accounts that sign in with a second factor a TOTP device
with a known secret, adds a Staff member without one, and prints the world as
JSON for security.live. The pytest matrix (tests/security) calls world() with
mfa=False in its own test database.
"""

from __future__ import annotations

import json
import secrets

DEMO_PASSWORD = "makers-demo-2026"  # noqa: S105  # nosec B105 - the demo's, README
DEMO = "@makers-school.example"

# role of the matrix -> demo account (the owner depends on the row: see matrix.py)
ACCOUNTS = {
    "owner": "allievo" + DEMO,
    "offer_owner": "allievo2" + DEMO,
    "other_trainee": "allievo3" + DEMO,
    "instructor": "docente" + DEMO,
    "manager": "azienda" + DEMO,
    "staff": "staff" + DEMO,
    "staff_without_mfa": "staff-no-mfa" + DEMO,
}
MFA_ROLES = ("instructor", "staff")


def _first_pk(queryset) -> int:
    obj = queryset.order_by("pk").first()
    return obj.pk if obj is not None else 0


def world(*, mfa: bool) -> dict:
    """Ids, tokens and TOTP secrets the matrix rows need (0 or '' when absent)."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth.models import Group

    from enrolment.models import Enrolment
    from people.models import Role, User

    owner = User.objects.get(email=ACCOUNTS["owner"])
    offer = (
        Enrolment.objects.filter(
            trainee__email=ACCOUNTS["offer_owner"], offer_token__isnull=False
        )
        .order_by("pk")
        .first()
    )
    own = Enrolment.objects.filter(trainee=owner, status="confirmed")
    result = {
        "accounts": dict(ACCOUNTS),
        "password": DEMO_PASSWORD,
        "enrolment": _first_pk(own),
        "edition": own.order_by("pk").first().edition_id if own.exists() else 0,
        "offer_token": offer.offer_token if offer else "",
        "certificate": 0,
        "feed_token": "",
        "totp": {},
    }
    try:
        from certificates.models import Certificate

        result["certificate"] = _first_pk(
            Certificate.objects.filter(enrolment__trainee=owner, status="valid")
        )
    except (ImportError, LookupError):  # pragma: no cover - before certificates
        pass
    try:
        from people.services import calendar_feed_ensure

        result["feed_token"] = calendar_feed_ensure(user=owner).token
    except ImportError:  # pragma: no cover - before calendar feeds
        pass

    # A Staff member who has not set up TOTP (production sends them to do it).
    extra, created = User.objects.get_or_create(
        email=ACCOUNTS["staff_without_mfa"],
        defaults={"first_name": "Senza", "last_name": "MFA"},
    )
    if created:
        extra.set_password(DEMO_PASSWORD)
        extra.save()
        extra.groups.add(Group.objects.get(name=Role.STAFF.value))
        EmailAddress.objects.create(
            user=extra, email=extra.email, verified=True, primary=True
        )
    if mfa:
        from allauth.mfa.models import Authenticator
        from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

        for role in MFA_ROLES:
            user = User.objects.get(email=ACCOUNTS[role])
            Authenticator.objects.filter(user=user, type="totp").delete()
            secret = generate_totp_secret()
            TOTP.activate(user, secret)
            result["totp"][role] = secret
    result["nonce"] = secrets.token_hex(4)
    return result


if __name__ == "__main__":  # pragma: no cover - run by security.__main__
    import django

    django.setup()
    print(json.dumps(world(mfa=True)))
