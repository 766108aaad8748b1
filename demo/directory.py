"""Demo graduate profiles (people.yaml's trainees and the graduates' own demo
accounts), the company's shortlist, a contact request waiting for an answer and
a second, unverified company (demo/data/directory.yaml). Creates only what is
missing; dates are relative to the load's reference time."""

import datetime as dt
from collections import Counter

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.utils import timezone
from stdnum import luhn

from directory.models import ContactRequest, ShortlistEntry
from people.consent import CONSENT_VERSION, consent_text
from people.models import (
    GRADUATE_VISIBLE_FIELDS,
    Company,
    CompanyMember,
    GraduateConsent,
    GraduateProfile,
    Role,
    User,
)

from .data import data, password

DEMO_DOMAIN = "makers-school.example"


def _account(
    *,
    email: str,
    first_name: str,
    last_name: str,
    language: str,
    role: str,
    hashed: str,
    created: Counter,
) -> User:
    """A demo account with the demo password (hashed once per load), its role and
    a verified address."""
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(
            email=email,
            password=None,
            first_name=first_name,
            last_name=last_name,
            language=language,
        )
        user.password = hashed
        user.save(update_fields=["password"])
        created["users"] += 1
    user.groups.add(Group.objects.get(name=role))
    _, made = EmailAddress.objects.get_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    created["email addresses"] += made
    return user


def _profile(*, user: User, item: dict, now: dt.datetime, created: Counter):
    published = bool(item.get("published", True))
    published_at = now - dt.timedelta(days=item.get("published_days_ago", 1))
    shown = set(item.get("show", []))
    profile, was_created = GraduateProfile.objects.get_or_create(
        user=user,
        defaults={
            "is_published": published,
            "published_at": published_at if published else None,
            "created_at": published_at,
            "headline": item.get("headline", ""),
            "bio": item.get("bio", ""),
            "province": item.get("province", ""),
            "availability": item.get("availability", "open_to_offers"),
            "languages": item.get("languages", ""),
            "skills": item.get("skills", ""),
            "phone": item.get("phone", ""),
            **{f"show_{name}": name in shown for name in GRADUATE_VISIBLE_FIELDS},
        },
    )
    created["graduate profiles"] += was_created
    if was_created and published:
        GraduateConsent.objects.create(
            user=user,
            action="given",
            text=f"[{CONSENT_VERSION}] {consent_text(user.language)}",
            language=user.language,
            at=published_at,
        )
    return profile


def _unverified_company(*, spec: dict, hashed: str, created: Counter) -> Company:
    """Registered by its member (the company's admin), never verified."""
    base = spec["partita_iva_base"]
    company, was_created = Company.objects.get_or_create(
        partita_iva=base + luhn.calc_check_digit(base),
        defaults={
            "name": spec["name"],
            "ateco": spec.get("ateco", ""),
            "address": spec.get("address", ""),
            "city": spec.get("city", ""),
            "province": spec.get("province", ""),
            "verified_at": None,
        },
    )
    created["companies"] += was_created
    member = spec["member"]
    user = _account(
        email=member["email"],
        first_name=member["first_name"],
        last_name=member["last_name"],
        language=member.get("language", "it"),
        role=Role.COMPANY_MEMBER.value,
        hashed=hashed,
        created=created,
    )
    _, made = CompanyMember.objects.get_or_create(
        company=company,
        user=user,
        defaults={"is_manager": True, "can_use_directory": True},
    )
    created["company members"] += made
    return company


def load_directory(
    *,
    users: dict[str, User],
    company: Company,
    created: Counter,
    now: dt.datetime | None = None,
):
    """The graduates, their profiles, the company's shortlist and contact requests,
    and the unverified company."""
    now = now or timezone.now()
    spec = data("directory")
    hashed = make_password(password())
    people = {
        **users,
        **_graduate_accounts(spec=spec, hashed=hashed, created=created),
    }
    items = [*spec["profiles"], *({**g, "user": g["key"]} for g in spec["graduates"])]
    profiles = {
        item["user"]: _profile(
            user=people[item["user"]], item=item, now=now, created=created
        )
        for item in items
    }
    for key in spec.get("shortlist", []):
        _, was_created = ShortlistEntry.objects.get_or_create(
            company=company, profile=profiles[key]
        )
        created["shortlist entries"] += was_created
    _contact_requests(
        spec=spec, people=people, company=company, now=now, created=created
    )
    if "unverified_company" in spec:
        _unverified_company(
            spec=spec["unverified_company"], hashed=hashed, created=created
        )


def _graduate_accounts(*, spec: dict, hashed: str, created: Counter) -> dict:
    """The graduates' own demo accounts, by key."""
    accounts = {}
    for item in spec.get("graduates", []):
        first_name, last_name = item["name"]
        accounts[item["key"]] = _account(
            email=f"{item['key']}@{DEMO_DOMAIN}",
            first_name=first_name,
            last_name=last_name,
            language=item.get("language", "it"),
            role=Role.TRAINEE.value,
            hashed=hashed,
            created=created,
        )
    return accounts


def _contact_requests(
    *,
    spec: dict,
    people: dict[str, User],
    company: Company,
    now: dt.datetime,
    created: Counter,
) -> None:
    """The company's contact requests, each sent once, hours before the load."""
    for item in spec.get("contact_requests", []):
        graduate = people[item["to"]]
        if not ContactRequest.objects.filter(
            company=company, graduate=graduate
        ).exists():
            ContactRequest.objects.create(
                company=company,
                graduate=graduate,
                sent_by=people[item["by"]],
                message=item["message"],
                created_at=now - dt.timedelta(hours=item.get("hours_ago", 3)),
            )
            created["contact requests"] += 1
