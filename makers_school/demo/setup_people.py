"""Demo accounts, their role groups and verified addresses, and the demo company."""

from collections import Counter

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.utils import timezone
from stdnum import luhn
from stdnum.it import iva

from people.models import Company, CompanyMember, User
from people.services import roles_sync

from .catalogue import COMPANY, DEMO_PASSWORD, USERS


def load_users(*, created: Counter) -> dict[str, User]:
    """Create each demo account once, keyed by email, with a verified address."""
    roles_sync()
    users: dict[str, User] = {}
    for key, email, first_name, last_name, role, language in USERS:
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            is_staff = role == "Staff"
            user = User.objects.create_user(
                email=email,
                password=DEMO_PASSWORD,
                first_name=first_name,
                last_name=last_name,
                language=language,
                is_staff=is_staff,
                is_superuser=is_staff,
            )
            created["users"] += 1
        user.groups.add(Group.objects.get(name=role))
        _, address_created = EmailAddress.objects.get_or_create(
            user=user,
            email=user.email,
            defaults={"verified": True, "primary": True},
        )
        created["email addresses"] += address_created
        users[key] = user
    return users


def demo_partita_iva() -> str:
    base = COMPANY["partita_iva_base"]
    number = base + luhn.calc_check_digit(base)
    assert iva.is_valid(number), number
    return number


def load_company(*, users: dict[str, User], created: Counter) -> Company:
    """The verified demo company, with the company member as its manager."""
    company, was_created = Company.objects.get_or_create(
        partita_iva=demo_partita_iva(),
        defaults={
            "name": COMPANY["name"],
            "city": COMPANY["city"],
            "province": COMPANY["province"],
            "website": COMPANY["website"],
            "verified_at": timezone.now(),
            "verified_by": users["staff"],
        },
    )
    created["companies"] += was_created
    _, member_created = CompanyMember.objects.get_or_create(
        company=company,
        user=users[COMPANY["manager"]],
        defaults={"is_manager": True},
    )
    created["company members"] += member_created
    return company
