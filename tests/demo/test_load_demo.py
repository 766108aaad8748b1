"""The demo loader, at a fixed reference time: no test here reads the wall clock.

The loader takes its reference time as `now`; the enrolment services it calls
read the clock, which the `clock` fixture stops at the same instant.
"""

import datetime as dt
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.test import TestCase
from django.utils.translation import gettext as _
from PIL import Image
from stdnum.it import iva
from wagtail.images import get_image_model
from wagtail.models import Locale, ModelLogEntry, Page, Revision, Site

from cms.models import HomePage, NewsPage, SiteSettings, StandardPage
from courses.models import Competency, CourseEdition, CoursePage, Session, Venue
from demo import reports as demo_reports
from demo.data import DATA_DIR, FILES, IMAGES_DIR, data, password
from demo.loader import demo_load
from enrolment.models import Enrolment, EnrolmentStatus
from enrolment.selectors import enrolment_history
from people.models import Company, CompanyMember, Role, User

ROME = ZoneInfo("Europe/Rome")
# A Wednesday morning; any fixed instant would do.
NOW = dt.datetime(2026, 3, 4, 10, 30, tzinfo=ROME)

DEMO_EMAILS = {
    "staff@makers-school.example": Role.STAFF,
    "docente@makers-school.example": Role.INSTRUCTOR,
    "allievo@makers-school.example": Role.TRAINEE,
    "azienda@makers-school.example": Role.COMPANY_MEMBER,
}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def clock():
    """Stop the clock (which the enrolment services read) at NOW."""
    with time_machine.travel(NOW, tick=False):
        yield NOW


def load() -> str:
    """Run the command; its output is in the active language, as a user sees it.

    Its transaction commits as the command's would outside the test's: what the
    services do after commit (audit entries of new enrolments, emails) runs."""
    out = StringIO()
    with TestCase.captureOnCommitCallbacks(execute=True):
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
            Enrolment,
            ModelLogEntry,
            get_image_model(),
        )
    }


def test_data_files_parse_and_images_exist():
    for name in FILES:
        assert isinstance(data(name), dict), name
    assert {path.stem for path in DATA_DIR.glob("*.yaml")} == set(FILES)
    images = data("images")["images"]
    assert sum(path.stat().st_size for path in IMAGES_DIR.iterdir()) < 2_000_000
    for key, spec in images.items():
        path = IMAGES_DIR / spec["file"]
        with Image.open(path) as image:
            # Pictures are 16:9; the school's logo (site settings) is square.
            assert image.size == ((512, 512) if key == "logo" else (1600, 900)), path
    keys = set(data("images")["images"])
    assert {course["image"] for course in data("courses")["courses"]} <= keys
    assert {news["image"] for news in data("news")["news"]} <= keys
    assert password() == "makers-demo-2026"


@pytest.mark.django_db
def test_load_demo_builds_the_site_and_a_second_run_changes_nothing(clock):
    created = demo_load(now=NOW)
    assert created["pages"] == created["translations"] == 24
    assert created["enrolments"] == len(
        [step for step in data("enrolments")["steps"] if "enrol" in step]
    )

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

    # Every course of courses.yaml is a live page in both languages.
    courses_it = CoursePage.objects.live().filter(locale=italian)
    courses_en = CoursePage.objects.live().filter(locale=english)
    for spec in data("courses")["courses"]:
        course = courses_it.get(code=spec["code"], slug=spec["it"]["slug"])
        assert course.title == spec["it"]["title"]
        translation = courses_en.get(translation_key=course.translation_key)
        assert (translation.slug, translation.title) == (
            spec["en"]["slug"],
            spec["en"]["title"],
        )
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
    assert "Regione Piemonte" in advanced_en.funding_notes
    assert CoursePage.objects.live().search("robot").count() >= 2
    news = NewsPage.objects.get(locale=italian, slug="aperte-iscrizioni-corsi")
    assert news.title == "Aperte le iscrizioni ai corsi 2026"
    assert news.date == dt.date(2026, 3, 1)

    assert Competency.objects.count() >= 20
    assert Venue.objects.count() == 3
    editions = CourseEdition.objects.all()
    assert editions.count() >= 12
    assert all(e.course.locale_id == italian.pk for e in editions)
    statuses = set(editions.values_list("status", flat=True))
    assert statuses == {"open", "in_progress", "completed", "cancelled"}
    for edition in editions.filter(status="open"):
        first = edition.sessions.order_by("start").first()
        assert edition.enrolment_opens_at < NOW < edition.enrolment_closes_at
        assert edition.enrolment_closes_at < first.start
    assert editions.filter(capacity=2).exists()
    assert editions.filter(requires_approval=True).exists()
    in_progress = editions.filter(status="in_progress").first()
    assert in_progress.sessions.filter(start__lt=NOW).exists()
    assert in_progress.sessions.filter(start__gt=NOW).exists()
    for session in Session.objects.all():
        rome = session.start.astimezone(ROME)
        assert rome.hour in (9, 14) and rome.weekday() < 5

    settings = SiteSettings.load()
    assert settings.phone and settings.privacy_page.slug == "privacy"
    assert "Corso Settembrini 178" in settings.address

    company = Company.objects.get(verified_at__isnull=False)
    assert iva.is_valid(company.partita_iva) and company.is_verified
    assert company.verified_at == NOW
    manager = CompanyMember.objects.get(company=company, is_manager=True)
    assert manager.user.email == "azienda@makers-school.example"
    assert CompanyMember.objects.filter(company=company).count() == 3

    for email, role in DEMO_EMAILS.items():
        user = User.objects.get(email=email)
        assert user.groups.filter(name=role.value).exists()
        assert EmailAddress.objects.get(user=user).verified
    # Staff work with their role's permissions; one administrator is a superuser.
    assert not User.objects.get(email="staff@makers-school.example").is_superuser
    assert list(
        User.objects.filter(is_superuser=True).values_list("email", flat=True)
    ) == ["admin@makers-school.example"]
    graduates = len(data("directory")["graduates"])  # their own demo accounts
    history = demo_reports.TRAINEES  # the reports' past editions (demo.reports)
    assert (
        User.objects.filter(groups__name=Role.TRAINEE.value).count()
        == 6 + graduates + history
    )
    assert User.objects.filter(groups__name=Role.INSTRUCTOR.value).count() == 2

    before = counts()
    again = demo_load(now=NOW + dt.timedelta(days=40))
    assert not any(again.values()), again
    assert counts() == before
    output = load()
    assert counts() == before
    assert _("Demo content already present: nothing to do.") in output
    assert password() in output


# The registers demo's edition in progress (demo/data/attendance.yaml) and the
# completed edition (attendance.yaml, certificates.yaml): their trainees are
# confirmed directly, as the past they are, not by the enrolment steps.
REGISTER_DEMO_EDITION = data("attendance")["live"]["code"]


def statuses_of(email: str) -> dict[str, str]:
    """The demo account's enrolments as {course code: status}."""
    return {
        enrolment.edition.course.code: enrolment.status
        for enrolment in Enrolment.objects.filter(trainee__email=email)
        .exclude(edition__code=REGISTER_DEMO_EDITION)
        .exclude(edition__status="completed")
    }


@pytest.mark.django_db
def test_each_demo_account_has_enrolments_in_several_states(clock):
    output = load()
    assert _("Demo content loaded.") in output
    s = EnrolmentStatus
    assert statuses_of("allievo@makers-school.example") == {
        "AM-101": s.CONFIRMED,
        "MET-101": s.CONFIRMED,  # the calendar demo (demo/data/calendar.yaml)
        "ROB-101": s.WAITLISTED,
    }
    assert statuses_of("allievo2@makers-school.example") == {"ROB-101": s.OFFERED}
    assert statuses_of("allievo3@makers-school.example") == {
        "ROB-101": s.CONFIRMED,
        "DT-101": s.PENDING_APPROVAL,
    }
    assert statuses_of("allievo4@makers-school.example") == {
        "ROB-101": s.CANCELLED,
        "CYB-101": s.CONFIRMED,
    }
    assert statuses_of("dipendente@makers-school.example") == {"CNC-101": s.CONFIRMED}
    assert statuses_of("dipendente2@makers-school.example") == {
        "CNC-101": s.CONFIRMED,
        "CYB-101": s.PENDING_APPROVAL,
    }

    # The full edition: two seats held, one of them as an open offer.
    full = CourseEdition.objects.get(capacity=2, status="open")
    offer = full.enrolments.get(status=s.OFFERED)
    assert offer.offer_token and offer.offer_expires_at == NOW + dt.timedelta(hours=48)
    assert full.seats_taken == 2 == full.capacity
    waiting = full.enrolments.get(status=s.WAITLISTED)
    assert waiting.waitlist_position == 1
    assert not full.auto_confirm_from_waitlist

    # The company's employees were enrolled by its manager.
    sponsored = Enrolment.objects.filter(trainee__email__startswith="dipendente")
    assert {e.sponsored_by.email for e in sponsored} == {
        "azienda@makers-school.example"
    }
    assert {e.sponsor_company.name for e in sponsored} == {
        data("people")["company"]["name"]
    }
    # Each change went through the services: one audit entry per status change.
    assert len(enrolment_history(enrolment=offer)) == 2

    before = counts()
    assert _("Demo content already present: nothing to do.") in load()
    assert counts() == before
    assert statuses_of("allievo2@makers-school.example") == {"ROB-101": s.OFFERED}


@pytest.mark.django_db
def test_pages_render_in_both_languages_and_demo_users_log_in(client, clock):
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
        assert client.login(email=email, password=password()), email
        client.logout()


@pytest.mark.django_db
def test_enrolments_the_services_refuse_are_left_out():
    """Editions of an earlier load whose windows have closed: the rest loads."""
    with time_machine.travel(NOW + dt.timedelta(days=120), tick=False):
        created = demo_load(now=NOW)
    assert created["enrolments"] == 0
    # Only the enrolment steps are refused; the registers demo writes its
    # editions' trainees directly (an edition in progress, a completed one).
    assert created["pages"] == 24
    assert (
        not Enrolment.objects.exclude(edition__code=REGISTER_DEMO_EDITION)
        .exclude(edition__status="completed")
        .exists()
    )


@pytest.mark.django_db
def test_the_live_register_holds_a_self_check_in_to_confirm(client, clock):
    """Finding 34's demo: docente's register of today shows allievo3's self
    check-in awaiting confirmation, and closing it is refused until then."""
    from django.urls import reverse

    from attendance.models import AttendanceRecord

    load()
    record = AttendanceRecord.objects.get(
        session__edition__code=REGISTER_DEMO_EDITION,
        enrolment__trainee__email="allievo3@makers-school.example",
        source="check_in",
    )
    assert record.awaits_confirmation
    assert record.session.start <= NOW < record.session.end
    docente = User.objects.get(email="docente@makers-school.example")
    client.force_login(docente)
    page = client.get(reverse("portal:register", args=[record.session_id]))
    assert page.status_code == 200
    assert page.content.decode().count("register-confirm") == 1
