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
    # A graduate with a published profile of their own, and the member of the
    # demo's second company, which staff have not verified (demo/data/directory.yaml).
    "graduate": "diplomato01" + DEMO,
    "unverified_member": "azienda2" + DEMO,
    "staff_without_mfa": "staff-no-mfa" + DEMO,
    # A throwaway account for the erasure rows: nothing else reads it.
    "erasure": "da-cancellare" + DEMO,
}
MFA_ROLES = ("instructor", "staff")


def _first_pk(queryset) -> int:
    obj = queryset.order_by("pk").first()
    return obj.pk if obj is not None else 0


def _directory_world(*, owner) -> dict:
    """The owner's profile and the contact request waiting for them; a profile
    that is off (allievo2's); the two demo companies."""
    from directory.models import ContactRequest
    from people.models import Company, GraduateProfile

    request = (
        ContactRequest.objects.filter(graduate=owner).order_by("created_at").first()
    )
    hidden = GraduateProfile.objects.filter(
        user__email=ACCOUNTS["offer_owner"], is_published=False
    ).first()
    members = Company.objects.filter(members__user__email=ACCOUNTS["manager"])
    unverified = Company.objects.filter(
        members__user__email=ACCOUNTS["unverified_member"], verified_at__isnull=True
    )
    profile = GraduateProfile.objects.filter(user=owner, is_published=True).first()
    return {
        "profile": profile.public_id if profile else "",
        "hidden_profile": hidden.public_id if hidden else "",
        "contact_request": str(request.public_id) if request else "",
        "company": _first_pk(members),
        "unverified_company": _first_pk(unverified),
    }


def _teaching_world(*, instructor: str) -> dict:
    """A session with a register that the demo instructor teaches, its edition."""
    from attendance import selectors as attendance_selectors
    from people.models import User

    user = User.objects.get(email=instructor)
    session = (
        attendance_selectors.sessions_with_register()
        .filter(edition__instructors=user)
        .order_by("start", "pk")
        .first()
    )
    return {
        "session": session.pk if session else 0,
        "teaching_edition": session.edition_id if session else 0,
    }


def _prepared_file_world(*, owner) -> dict:
    """A ready prepared file of the owner's (their data export), stored
    directly: no task queue needs to run for the matrix to open it."""
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from core.models import PreparedFile, PreparedFileStatus
    from core.prepared_files import PREPARED_FILE_KEEP
    from people.personal_data import PERSONAL_DATA_KIND

    prepared = PreparedFile(
        owner=owner,
        kind=PERSONAL_DATA_KIND,
        status=PreparedFileStatus.READY,
        filename="world.json",
        content_type="application/json",
        size=2,
        finished_at=timezone.now(),
        expires_at=timezone.now() + PREPARED_FILE_KEEP,
    )
    prepared.file.save("world.json", ContentFile(b"{}"), save=False)
    prepared.save()
    return {"prepared_file": str(prepared.public_id)}


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
    result.update(_directory_world(owner=owner))
    result.update(_teaching_world(instructor=ACCOUNTS["instructor"]))
    result.update(_prepared_file_world(owner=owner))
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
    throwaway, created = User.objects.get_or_create(
        email=ACCOUNTS["erasure"],
        defaults={"first_name": "Da", "last_name": "Cancellare"},
    )
    if created:
        throwaway.set_password(DEMO_PASSWORD)
        throwaway.save()
        throwaway.groups.add(Group.objects.get(name=Role.TRAINEE.value))
        EmailAddress.objects.create(
            user=throwaway, email=throwaway.email, verified=True, primary=True
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
    from .routes import routes

    print(json.dumps({**world(mfa=True), "id_routes": routes()}))
