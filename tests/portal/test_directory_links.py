"""The user menu and the dashboard link to the person's graduate profile and
data, and, for members of a verified company only, to the directory and the
shortlist."""

import pytest
from django.urls import reverse

from tests.factories import CompanyFactory, CompanyMemberFactory, TraineeFactory

pytestmark = pytest.mark.django_db

OWN = ("portal:profile", "portal:my_data")
COMPANY = ("directory:search", "directory:shortlist")


def _links(client, user) -> dict[str, int]:
    client.force_login(user)
    html = client.get(reverse("portal:dashboard")).content.decode()
    return {name: html.count(f'href="{reverse(name)}"') for name in OWN + COMPANY}


@pytest.mark.parametrize(
    ("who", "directory"),
    [
        ("trainee", False),
        ("unverified", False),
        ("not_granted", False),
        ("verified", True),
    ],
)
def test_menu_and_dashboard_links(client, site, who, directory):
    if who == "trainee":
        user = TraineeFactory()
    else:
        verified_at = None if who == "unverified" else CompanyFactory().verified_at
        user = CompanyMemberFactory(
            company=CompanyFactory(verified_at=verified_at),
            # Finding 36: a manager's grant opens the directory to a member.
            can_use_directory=who != "not_granted",
        ).user
    links = _links(client, user)
    for name in OWN:  # once in the user menu, once on the dashboard
        assert links[name] == 2, name
    for name in COMPANY:
        assert links[name] == (2 if directory else 0), name
