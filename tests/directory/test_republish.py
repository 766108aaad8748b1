"""Turning a profile on again (finding 37): the graduate chooses whether the
companies keep the shortlists and contact access they had before, or whether
the profile starts afresh."""

import pytest
from django.urls import reverse

from core.audit import audit_entries
from directory import services
from directory.exceptions import DirectoryError
from directory.models import ContactRequest, ShortlistEntry
from people.models import GraduateConsent
from people.services import graduate_profile_unpublish
from tests.factories import CompanyFactory, CompanyMemberFactory, GraduateProfileFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def earlier(site):
    """A profile that company A saved and company B may reach (accepted), then
    turned off."""
    profile = GraduateProfileFactory()
    saver = CompanyMemberFactory(company=CompanyFactory(), can_use_directory=True)
    reacher = CompanyMemberFactory(company=CompanyFactory(), can_use_directory=True)
    services.shortlist_add(company=saver.company, profile=profile, by=saver.user)
    request = services.contact_request_create(
        company=reacher.company, profile=profile, by=reacher.user, message="Ciao"
    )
    services.contact_request_answer(request=request, user=profile.user, accept=True)
    graduate_profile_unpublish(profile=profile)
    return {"profile": profile, "saver": saver.user, "reacher": reacher.user}


def _company_sees(client, user, profile) -> tuple[bool, bool]:
    """(in the shortlist, email shown on the profile page)"""
    client.force_login(user)
    shortlist = client.get(reverse("directory:shortlist")).content.decode()
    page = client.get(reverse("directory:profile", args=[profile.public_id]))
    return profile.headline in shortlist, profile.user.email in page.content.decode()


def test_republishing_asks_the_choice_first(earlier):
    profile = earlier["profile"]
    with pytest.raises(DirectoryError):
        services.profile_publish(profile=profile, agreed=True, language="it")
    profile.refresh_from_db()
    assert not profile.is_published
    # Only the consent given and withdrawn before: the refused one left no row.
    assert GraduateConsent.objects.filter(user=profile.user).count() == 1
    assert ShortlistEntry.objects.filter(profile=profile).count() == 1


def test_keeping_restores_shortlists_and_contact(client, earlier):
    profile = earlier["profile"]
    services.profile_publish(
        profile=profile, agreed=True, language="it", keep_earlier=True
    )
    assert _company_sees(client, earlier["saver"], profile)[0]
    assert _company_sees(client, earlier["reacher"], profile)[1]
    actions = [e.action for e in audit_entries(instance=profile)]
    assert "makers.graduate_profile.keep_earlier" in actions


def test_starting_afresh_removes_shortlists_and_withdraws_contact(client, earlier):
    profile = earlier["profile"]
    services.profile_publish(
        profile=profile, agreed=True, language="it", keep_earlier=False
    )
    profile.refresh_from_db()
    assert profile.is_published
    assert not ShortlistEntry.objects.filter(profile=profile).exists()
    assert ContactRequest.objects.get().status == "withdrawn"
    assert _company_sees(client, earlier["saver"], profile) == (False, False)
    assert _company_sees(client, earlier["reacher"], profile) == (False, False)
    sent = client.get(reverse("directory:requests")).content.decode()
    assert profile.user.email not in sent
    actions = [e.action for e in audit_entries(instance=profile)]
    assert "makers.graduate_profile.start_afresh" in actions


def test_first_publication_asks_nothing(site):
    profile = GraduateProfileFactory(is_published=False, published_at=None)
    services.profile_publish(profile=profile, agreed=True, language="it")
    profile.refresh_from_db()
    assert profile.is_published


@pytest.mark.parametrize("choice", ["keep", "fresh"])
def test_the_profile_page_offers_the_choice(client, earlier, choice):
    profile = earlier["profile"]
    client.force_login(profile.user)
    page = client.get(reverse("portal:profile")).content.decode()
    assert 'name="earlier" value="keep"' in page
    assert 'name="earlier" value="fresh"' in page
    refused = client.post(
        reverse("portal:profile"), {"action": "publish", "agree": "on"}
    )
    assert refused.status_code == 200
    profile.refresh_from_db()
    assert not profile.is_published
    client.post(
        reverse("portal:profile"),
        {"action": "publish", "agree": "on", "earlier": choice},
    )
    profile.refresh_from_db()
    assert profile.is_published
    kept = ShortlistEntry.objects.filter(profile=profile).exists()
    assert kept is (choice == "keep")
    status = ContactRequest.objects.get().status
    assert status == ("accepted" if choice == "keep" else "withdrawn")
