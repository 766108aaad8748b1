"""The directory demo (demo/data/directory.yaml): at least 30 published profiles
of varied provinces and availability, some with verified competencies from the
demo certificates, a contact request waiting for allievo, the verified company's
member searching at once and the unverified company's member seeing nothing;
dates relative to the load's reference time; a second load creates nothing."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from demo.loader import demo_load
from directory import selectors
from directory.models import ContactRequest, ContactStatus
from people.models import Company, GraduateConsent, GraduateProfile, User

NOW = dt.datetime(2026, 3, 4, 10, 30, tzinfo=ZoneInfo("Europe/Rome"))

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_directory_demo(client):
    with time_machine.travel(NOW, tick=False):
        created = demo_load(now=NOW)
        again = demo_load(now=NOW + dt.timedelta(days=3))
    assert created["graduate profiles"] >= 31
    assert not +again, again

    verified = Company.objects.get(verified_at__isnull=False)
    unverified = Company.objects.get(verified_at__isnull=True)
    with time_machine.travel(NOW, tick=False):
        found = list(selectors.directory_search(company=verified))
        cards = selectors.profile_cards(profiles=found, company=verified)
        assert selectors.directory_search(company=unverified).count() == 0
    assert len(found) >= 30
    assert len({p.province for p in found if p.show_province}) >= 8
    assert {p.availability for p in found} == {
        "open_to_work",
        "open_to_offers",
        "not_looking",
    }
    assert all(p.province == p.province.upper() and len(p.province) == 2 for p in found)
    with_competencies = [c for c in cards if c.get("competencies")]
    assert with_competencies, "no verified competency from the demo certificates"
    assert sum(1 for c in cards if c.get("skills")) >= 25
    for profile in found:
        assert NOW - dt.timedelta(days=60) <= profile.published_at < NOW
        consent = GraduateConsent.objects.get(user=profile.user)
        assert consent.at == profile.published_at and consent.action == "given"

    waiting = ContactRequest.objects.get(
        graduate__email="allievo@makers-school.example"
    )
    assert waiting.status == ContactStatus.PENDING and waiting.created_at < NOW
    assert not GraduateProfile.objects.get(
        user__email="allievo2@makers-school.example"
    ).is_published

    # The unverified company's member is told so and sees no profile.
    member = User.objects.get(email="azienda2@makers-school.example")
    assert member.company_memberships.get().company == unverified
    client.force_login(member)
    response = client.get(reverse("directory:search"))
    assert response.status_code == 403
    assert not any(p.user.get_full_name() in response.text for p in found)
    # Told it awaits verification, not invited to register again (finding 11).
    assert unverified.name in response.text
    assert reverse("portal:company_register") not in response.text
    # The manager has the directory; an employee not until it is granted (36).
    client.force_login(User.objects.get(email="dipendente@makers-school.example"))
    assert client.get(reverse("directory:search")).status_code == 403
    client.force_login(User.objects.get(email="azienda@makers-school.example"))
    response = client.get(reverse("directory:search"), {"province": "TO"})
    assert response.status_code == 200 and "Luca Gallo" in response.text
