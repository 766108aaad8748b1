"""Demo accounts with their role groups and verified addresses, and the company."""

import datetime as dt
from collections import Counter

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from stdnum import luhn
from stdnum.it import iva

from people.models import Company, CompanyMember, Role, User
from people.services import roles_sync

from .data import data, password


def load_users(*, created: Counter) -> dict[str, User]:
    """Each demo account once, keyed as in people.yaml, with a verified address."""
    roles_sync()
    users: dict[str, User] = {}
    for spec in data("people")["users"]:
        user = User.objects.filter(email__iexact=spec["email"]).first()
        if user is None:
            # Staff enter the admin with their role's permissions; only the
            # administrator's account is a superuser.
            is_staff = spec["role"] == Role.STAFF
            user = User.objects.create_user(
                email=spec["email"],
                password=password(),
                first_name=spec["first_name"],
                last_name=spec["last_name"],
                language=spec["language"],
                is_staff=is_staff,
                is_superuser=bool(spec.get("superuser")),
            )
            created["users"] += 1
        user.groups.add(Group.objects.get(name=spec["role"]))
        _, address_created = EmailAddress.objects.get_or_create(
            user=user,
            email=user.email,
            defaults={"verified": True, "primary": True},
        )
        created["email addresses"] += address_created
        users[spec["key"]] = user
    return users


def demo_partita_iva() -> str:
    base = data("people")["company"]["partita_iva_base"]
    number = base + luhn.calc_check_digit(base)
    assert iva.is_valid(number), number  # nosec B101 - demo data check; never run with -O
    return number


def load_company(
    *, users: dict[str, User], now: dt.datetime, created: Counter
) -> Company:
    """The verified demo company: its manager and its employees as members."""
    spec = data("people")["company"]
    company, was_created = Company.objects.get_or_create(
        partita_iva=demo_partita_iva(),
        defaults={
            "name": spec["name"],
            "city": spec["city"],
            "province": spec["province"],
            "website": spec["website"],
            "verified_at": now,
            "verified_by": users["staff"],
        },
    )
    created["companies"] += was_created
    members = [(spec["manager"], True)] + [(key, False) for key in spec["employees"]]
    for key, is_manager in members:
        _, member_created = CompanyMember.objects.get_or_create(
            company=company,
            user=users[key],
            # The manager has the graduate directory; employees only if granted.
            defaults={"is_manager": is_manager, "can_use_directory": is_manager},
        )
        created["company members"] += member_created
    return company
