"""The shared admin pieces (core.admin_ui)."""

import re

import pytest
from django.urls import reverse
from wagtail.users.models import UserProfile

from tests.factories import CompanyFactory, CourseEditionFactory, StaffFactory

pytestmark = pytest.mark.django_db


def _spoken(html: str, text: str) -> bool:
    """Whether a screen reader's text (Wagtail's w-sr-only) says `text`."""
    return re.search(rf'class="w-sr-only">\s*{re.escape(text)}\s*<', html) is not None


@pytest.mark.parametrize(
    ("language", "yes", "no"), [("en", "Yes", "No"), ("it", "Sì", "No")]
)
def test_boolean_columns_name_their_values_in_the_admin_language(
    client, site, language, yes, no
):
    """Issue 16: screen readers heard an untranslated "True"/"False"."""
    staff = StaffFactory()
    profile = UserProfile.get_for_user(staff)
    profile.preferred_language = language
    profile.save()
    client.force_login(staff)
    CompanyFactory(name="Verificata S.r.l.")
    CompanyFactory(name="Da verificare S.r.l.", verified_at=None)
    html = client.get(reverse("wagtailsnippets_people_company:list")).content.decode()
    assert _spoken(html, yes) and _spoken(html, no)
    assert not _spoken(html, "True") and not _spoken(html, "False")
    CourseEditionFactory(requires_approval=True)
    html = client.get(
        reverse("wagtailsnippets_courses_courseedition:list")
    ).content.decode()
    assert _spoken(html, yes) and not _spoken(html, "True")
