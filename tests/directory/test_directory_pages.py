"""What a company member reads on the directory's pages: the course filter in the
active language (finding 9), the intro sentence (finding 16) and the owner's
preview, which is the very block a company sees (finding 16)."""

import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from tests.factories import (
    CompanyFactory,
    CompanyMemberFactory,
    GraduateProfileFactory,
    edition_completed,
    english_locale,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _default_language_after():
    """A request to an /en/ page leaves English active in the test's thread,
    where the next test's reverse() would build /en/ URLs: put Italian back."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def world(site):
    edition, _sessions, enrolments = edition_completed(trainees=1, competencies=1)
    course_en = edition.course.copy_for_translation(english_locale(), copy_parents=True)
    course_en.title = "Cobots on the production line"
    course_en.save_revision().publish()
    profile = GraduateProfileFactory(
        user=enrolments[0].trainee,
        show_bio=True,
        show_languages=True,
        bio="Dieci anni di saldatura robotizzata.",
        languages="italiano, tedesco",
    )
    member = CompanyMemberFactory(
        company=CompanyFactory(name="Robotica Alpina S.r.l."), can_use_directory=True
    )
    return {
        "course": edition.course,
        "course_en": course_en,
        "profile": profile,
        "member": member.user,
    }


def _course_options(body: str) -> list[tuple[str, str]]:
    select = re.search(r'<select[^>]*name="course"[^>]*>(.*?)</select>', body, re.S)
    return [
        (value, label.strip())
        for value, label in re.findall(
            r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select.group(1)
        )
        if value
    ]


def _search(client, language: str, **params):
    with translation.override(language):
        url = reverse("directory:search")
    return client.get(url, params).content.decode()


def test_course_filter_lists_each_course_once_in_the_active_language(client, world):
    client.force_login(world["member"])
    italian = _course_options(_search(client, "it"))
    assert italian == [(str(world["course"].pk), world["course"].title)]
    english = _course_options(_search(client, "en"))
    assert english == [(str(world["course_en"].pk), "Cobots on the production line")]


@pytest.mark.parametrize("language", ["it", "en"])
def test_course_filter_finds_the_graduate_in_either_language(client, world, language):
    client.force_login(world["member"])
    course = world["course"] if language == "it" else world["course_en"]
    body = _search(client, language, course=course.pk)
    assert world["profile"].headline in body
    # The completed course is named in the page's language.
    assert f"{course.title} (" in body
    other = world["course_en"] if language == "it" else world["course"]
    assert f"{other.title} (" not in body


def test_intro_has_no_double_full_stop_after_a_company_name(client, world):
    client.force_login(world["member"])
    for language in ("it", "en"):
        body = _search(client, language)
        assert "Robotica Alpina S.r.l." in body
        assert "S.r.l.." not in body


def _text(html: str) -> str:
    block = re.search(
        r"<!-- graduate-profile -->(.*?)<!-- /graduate-profile -->", html, re.S
    ).group(1)
    block = re.sub(r'(href|src)="[^"]*"', "", block)
    return " ".join(re.sub(r"<[^>]+>", " ", block).split())


def test_owner_preview_shows_exactly_what_a_company_sees(client, world):
    profile = world["profile"]
    client.force_login(world["member"])
    company_view = client.get(
        reverse("directory:profile", args=[profile.public_id])
    ).content.decode()
    client.force_login(profile.user)
    preview = client.get(reverse("portal:profile")).content.decode()
    seen = _text(company_view)
    assert "Dieci anni di saldatura robotizzata." in seen
    assert "italiano, tedesco" in seen
    assert _text(preview) == seen


def test_owner_preview_leaves_out_what_companies_do_not_see(client, world):
    profile = world["profile"]
    profile.show_bio = False
    profile.show_languages = False
    profile.save()
    client.force_login(profile.user)
    preview = _text(client.get(reverse("portal:profile")).content.decode())
    assert "Dieci anni" not in preview and "tedesco" not in preview
