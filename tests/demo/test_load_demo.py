from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum.it import iva
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, Revision, Site

from cms.models import HomePage, NewsPage, SiteSettings, StandardPage
from courses.models import Competency, CourseEdition, CoursePage, Session, Venue
from makers_school.demo.catalogue import DEMO_PASSWORD
from people.models import Company, CompanyMember, Role, User

pytestmark = pytest.mark.django_db

DEMO_EMAILS = {
    "staff@makers-school.example": Role.STAFF,
    "docente@makers-school.example": Role.INSTRUCTOR,
    "allievo@makers-school.example": Role.TRAINEE,
    "azienda@makers-school.example": Role.COMPANY_MEMBER,
}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def load() -> str:
    """Run the command; its output is in the active language, as a user sees it."""
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (
            Page,
            Revision,
            CourseEdition,
            Session,
            User,
            EmailAddress,
            Competency,
            Venue,
            Company,
            CompanyMember,
            get_image_model(),
        )
    }


def test_load_demo_builds_the_site_and_a_second_run_changes_nothing():
    output = load()
    assert DEMO_PASSWORD in output

    italian, english = (
        Locale.objects.get(language_code="it"),
        Locale.objects.get(language_code="en"),
    )
    site = Site.objects.get(is_default_site=True)
    home = site.root_page.specific
    assert isinstance(home, HomePage)
    assert (site.hostname, site.port, site.site_name) == (
        "localhost",
        80,
        "Makers' School",
    )
    assert home.locale == italian and home.live
    assert home.hero_title == "Competenze per la manifattura avanzata"
    assert not Page.objects.filter(title="Welcome to your new Wagtail site!").exists()
    assert home.featured_courses.count() == 3
    assert home.hero_cta_page.specific.__class__.__name__ == "CourseIndexPage"

    home_en = home.get_translation(english)
    assert home_en.live and home_en.hero_title == "Skills for advanced manufacturing"
    # English featured courses and button point at English pages.
    assert {f.page.locale_id for f in home_en.featured_courses.all()} == {english.pk}
    assert home_en.hero_cta_page.locale_id == english.pk

    courses_it = CoursePage.objects.live().filter(locale=italian)
    courses_en = CoursePage.objects.live().filter(locale=english)
    assert courses_it.count() == courses_en.count() == 12
    assert NewsPage.objects.live().filter(locale=italian).count() == 4
    assert StandardPage.objects.filter(locale=english, live=True).count() == 5
    assert not Page.objects.filter(depth__gt=1, live=False).exists()
    assert courses_it.filter(teaching_language="en").exists()
    assert courses_it.filter(voucher_eligible=True).count() >= 3
    advanced = courses_it.get(code="AM-301")
    assert [c.code for c in advanced.prerequisite_courses.all()] == ["AM-201"]
    advanced_en = advanced.get_translation(english)
    assert advanced_en.prerequisite_courses.get().locale_id == english.pk
    assert advanced_en.summary.startswith("L-PBF")
    assert CoursePage.objects.live().search("robot").count() >= 2

    assert Competency.objects.count() >= 20
    assert Venue.objects.count() == 3
    editions = CourseEdition.objects.all()
    assert editions.count() >= 12
    assert all(e.course.locale_id == italian.pk for e in editions)
    statuses = set(editions.values_list("status", flat=True))
    assert statuses == {"open", "in_progress", "completed", "cancelled"}
    now = timezone.now()
    for edition in editions.filter(status="open"):
        first = edition.sessions.order_by("start").first()
        assert edition.enrolment_opens_at < now < edition.enrolment_closes_at
        assert edition.enrolment_closes_at < first.start
    assert editions.filter(capacity=2).exists()
    assert editions.filter(requires_approval=True).exists()
    in_progress = editions.filter(status="in_progress").first()
    assert in_progress.sessions.filter(start__lt=now).exists()
    assert in_progress.sessions.filter(start__gt=now).exists()
    session = Session.objects.first()
    rome = timezone.localtime(session.start)  # TIME_ZONE is Europe/Rome
    assert rome.hour in (9, 14) and rome.weekday() < 5

    settings = SiteSettings.load()
    assert settings.phone and settings.privacy_page.slug == "privacy"

    company = Company.objects.get()
    assert iva.is_valid(company.partita_iva) and company.is_verified
    assert CompanyMember.objects.get().is_manager

    for email, role in DEMO_EMAILS.items():
        user = User.objects.get(email=email)
        assert user.groups.filter(name=role.value).exists()
        assert EmailAddress.objects.get(user=user).verified
    assert User.objects.get(email="staff@makers-school.example").is_superuser
    assert User.objects.filter(groups__name=Role.TRAINEE.value).count() == 4
    assert User.objects.filter(groups__name=Role.INSTRUCTOR.value).count() == 2

    before = counts()
    output = load()
    assert counts() == before
    assert _("Demo content already present: nothing to do.") in output


def test_pages_render_in_both_languages_and_demo_users_log_in(client):
    """One load for every HTTP check: loading the demo takes a while."""
    load()
    italian = client.get("/")
    assert italian.status_code == 200
    assert "Competenze per la manifattura avanzata" in italian.content.decode()
    english = client.get("/en/")
    assert english.status_code == 200
    assert "Skills for advanced manufacturing" in english.content.decode()
    for path in ("/corsi/", "/en/courses/", "/notizie/", "/la-scuola/"):
        assert client.get(path).status_code == 200, path
    for email in DEMO_EMAILS:
        assert client.login(email=email, password=DEMO_PASSWORD), email
        client.logout()
