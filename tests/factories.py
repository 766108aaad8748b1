"""factory_boy factories shared by every test package.

What they build is not recorded in Wagtail's reference index (the admin's
"usage" of a page or snippet): no test reads the index of its own test data,
and recording it is a task run after every save of a tracked model (pages,
editions, sessions, companies), about a fifth of the time a test spends
building its data. The code under test still records what it saves.
"""

import contextlib
import datetime
import functools
import threading
import zoneinfo
from collections.abc import Iterator
from decimal import Decimal

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.models import Locale
from wagtail.signal_handlers import disable_reference_index_auto_update

from cms.models import HomePage
from cms.services import site_tree_ensure
from courses.models import (
    Area,
    Competency,
    CourseEdition,
    CourseIndexPage,
    CoursePage,
    EditionStatus,
    Session,
    Venue,
)
from people.models import Company, CompanyMember, Role, User

PASSWORD = "a-strong-test-password-1"
ROME = zoneinfo.ZoneInfo("Europe/Rome")

_unindexed = threading.local()


@contextlib.contextmanager
def references_unindexed() -> Iterator[None]:
    """Wagtail's disable_reference_index_auto_update, safe to nest (a factory
    calls others; Wagtail's own turns it back on when the inner one ends)."""
    if getattr(_unindexed, "on", False):
        yield
        return
    _unindexed.on = True
    try:
        with disable_reference_index_auto_update():
            yield
    finally:
        _unindexed.on = False


def unindexed(function):
    """`function` builds test data out of Wagtail's reference index."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        with references_unindexed():
            return function(*args, **kwargs)

    return wrapper


class ModelFactory(factory.django.DjangoModelFactory):
    """A DjangoModelFactory whose rows stay out of the reference index."""

    class Meta:
        abstract = True

    @classmethod
    def _generate(cls, strategy, params):
        with references_unindexed():
            return super()._generate(strategy, params)


def rome_at(days: int, *, hour: int = 9, minute: int = 0) -> datetime.datetime:
    """The wall-clock time in Rome `days` after today, as an aware datetime.

    Built from today's date, not from now + a timedelta, so a session's time of day
    never depends on when the test runs, and a DST change in between is right.
    """
    day = timezone.localdate() + datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=ROME)


class UserFactory(ModelFactory):
    email = factory.Sequence(lambda n: f"person{n}@example.com")
    first_name = factory.Faker("first_name", locale="it_IT")
    last_name = factory.Faker("last_name", locale="it_IT")
    password = factory.django.Password(PASSWORD)
    language = "it"

    class Meta:
        model = User
        skip_postgeneration_save = True

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        """Users have a verified primary address unless verified=False."""
        if create and extracted is not False:
            EmailAddress.objects.create(
                user=self, email=self.email, verified=True, primary=True
            )

    role = factory.PostGeneration(
        lambda user, create, role, **kw: _add_role(user, create, role)
    )


def _add_role(user: User, create: bool, role: str | None) -> None:
    if create and role:
        group, _ = Group.objects.get_or_create(name=Role(role).value)
        user.groups.add(group)


def _with_role(default: Role):
    return factory.PostGeneration(
        lambda user, create, role, **kw: _add_role(user, create, role or default)
    )


class TraineeFactory(UserFactory):
    role = _with_role(Role.TRAINEE)


class InstructorFactory(UserFactory):
    role = _with_role(Role.INSTRUCTOR)


class StaffFactory(UserFactory):
    is_staff = True
    is_superuser = False
    role = _with_role(Role.STAFF)


class CompanyFactory(ModelFactory):
    name = factory.Sequence(lambda n: f"Officina {n} S.r.l.")
    # Valid partite IVA (check digit computed by stdnum).
    partita_iva = factory.Sequence(lambda n: _valid_partita_iva(n))
    city = "Torino"
    province = "TO"
    verified_at = factory.LazyFunction(timezone.now)

    class Meta:
        model = Company


def _valid_partita_iva(n: int) -> str:
    from stdnum import luhn

    base = f"{n + 1:07d}001"
    return base + luhn.calc_check_digit(base)


class CompanyMemberFactory(ModelFactory):
    company = factory.SubFactory(CompanyFactory)
    user = factory.SubFactory(UserFactory, role=Role.COMPANY_MEMBER)
    is_manager = False
    # As the model's rule: managers always, others once a manager grants it.
    can_use_directory = factory.LazyAttribute(lambda member: member.is_manager)

    class Meta:
        model = CompanyMember


class CompetencyFactory(ModelFactory):
    code = factory.Sequence(lambda n: f"CMP-{n:03d}")
    title = factory.Sequence(lambda n: f"Competenza {n}")
    title_en = factory.Sequence(lambda n: f"Competency {n}")
    eqf_level = 4

    class Meta:
        model = Competency


class VenueFactory(ModelFactory):
    name = "Manufacturing Technology Center"
    address = "Corso Settembrini 178"
    postcode = "10135"
    city = "Torino"

    class Meta:
        model = Venue


@unindexed
def site_tree() -> tuple[HomePage, CourseIndexPage]:
    """The minimal Italian tree: root > home > catalogue, as the default site."""
    return site_tree_ensure(
        home={"title": "Makers' School", "slug": "home-it", "hero_title": "Benvenuti"},
        index={"title": "Corsi", "slug": "corsi"},
    )


class CoursePageFactory(factory.Factory):
    """Creates a live CoursePage under the catalogue of the default site."""

    title = factory.Sequence(lambda n: f"Corso {n}")
    slug = factory.Sequence(lambda n: f"corso-{n}")
    code = factory.Sequence(lambda n: f"C-{n:03d}")
    summary = "Un corso pratico di manifattura avanzata."
    hours = 40
    eqf_level = 4
    area = Area.ADDITIVE
    teaching_language = "it"
    price = Decimal("450.00")

    class Meta:
        model = CoursePage

    @classmethod
    @unindexed
    def _create(cls, model_class, *args, competencies=(), **kwargs):
        _, index = site_tree()
        page = model_class(*args, **kwargs)
        index.add_child(instance=page)
        if competencies:
            page.competencies.set(competencies)
            page.save()
        return page


class CourseEditionFactory(ModelFactory):
    course = factory.SubFactory(CoursePageFactory)
    code = factory.Sequence(lambda n: f"ED-{n:04d}")
    status = EditionStatus.OPEN
    capacity = 10
    enrolment_opens_at = factory.LazyFunction(
        lambda: timezone.now() - datetime.timedelta(days=10)
    )
    enrolment_closes_at = factory.LazyFunction(
        lambda: timezone.now() + datetime.timedelta(days=20)
    )
    venue = factory.SubFactory(VenueFactory)

    class Meta:
        model = CourseEdition
        skip_postgeneration_save = True

    @factory.post_generation
    def sessions(self, create, extracted, **kwargs):
        """Two sessions a week apart, 08:00-12:00 from 30 days on, unless sessions=0."""
        if not create:
            return
        count = 2 if extracted is None else extracted
        for number in range(count):
            start = rome_at(30 + 7 * number, hour=8)
            SessionFactory(
                edition=self, start=start, end=start + datetime.timedelta(hours=4)
            )


class SessionFactory(ModelFactory):
    edition = factory.SubFactory(CourseEditionFactory, sessions=0)
    start = factory.LazyFunction(lambda: rome_at(30, hour=14))
    end = factory.LazyAttribute(lambda o: o.start + datetime.timedelta(hours=4))
    topic = factory.Sequence(lambda n: f"Lezione {n}")
    room = "Aula 1"

    class Meta:
        model = Session


def english_locale() -> Locale:
    return Locale.objects.get_or_create(language_code="en")[0]


class CalendarFeedFactory(ModelFactory):
    """A person's calendar feed secret (people.CalendarFeed)."""

    user = factory.SubFactory(TraineeFactory)

    class Meta:
        model = "people.CalendarFeed"


# --- Attendance and assessment (issue 7) -----------------------------------


class ConfirmedEnrolmentFactory(ModelFactory):
    """A confirmed enrolment written directly (seats are not counted): for
    register tests, where how the trainee got the seat does not matter."""

    trainee = factory.SubFactory(TraineeFactory)
    edition = factory.SubFactory(CourseEditionFactory)
    status = "confirmed"

    class Meta:
        model = "enrolment.Enrolment"


@unindexed
def edition_running(
    *, trainees: int = 3, past: int = 2, instructor=None, **edition_kwargs
):
    """An edition in progress: `past` sessions a week apart before today, one
    today 09:00-13:00 (running at the suite's 10:00) and one next week, each
    four hours; `trainees` confirmed trainees. Returns (edition, sessions,
    enrolments); sessions in time order."""
    edition = CourseEditionFactory(
        sessions=0, status=EditionStatus.IN_PROGRESS, **edition_kwargs
    )
    if instructor is not None:
        # A ParentalManyToManyField is written on save().
        edition.instructors.add(instructor)
        edition.save()
    sessions = [
        SessionFactory(
            edition=edition,
            start=rome_at(days, hour=9),
            end=rome_at(days, hour=13),
        )
        for days in [*(-7 * n for n in range(past, 0, -1)), 0, 7]
    ]
    enrolments = [ConfirmedEnrolmentFactory(edition=edition) for _ in range(trainees)]
    return edition, sessions, enrolments


# --- Certificates (issue 9) -------------------------------------------------


def attendance_mark(*, enrolment, session, status="present", minutes=None):
    """An attendance record written directly (not through the register)."""
    from attendance.models import AttendanceRecord

    if minutes is None:
        minutes = session.duration_minutes if status != "absent" else 0
    return AttendanceRecord.objects.create(
        enrolment=enrolment,
        session=session,
        status=status,
        minutes_present=minutes,
        recorded_at=session.end,
    )


def assessment_mark(*, enrolment, competency, achieved=True):
    from attendance.models import Assessment

    return Assessment.objects.create(
        enrolment=enrolment,
        competency=competency,
        achieved=achieved,
        assessed_at=timezone.now(),
    )


@unindexed
def edition_completed(
    *, trainees: int = 2, competencies: int = 2, mandatory: bool = False, **kwargs
):
    """A completed edition ready for certificates: two four-hour sessions 14 and 7
    days ago (the second mandatory if asked), a course certifying `competencies`
    competencies (with ESCO URIs), and `trainees` confirmed trainees present in
    full at both and achieving every competency. Returns (edition, sessions,
    enrolments)."""
    skills = [
        CompetencyFactory(
            esco_uri=f"http://data.europa.eu/esco/skill/{n:08d}-0000-4000-8000-{n:012d}"
        )
        for n in range(competencies)
    ]
    course = kwargs.pop("course", None) or CoursePageFactory(competencies=skills)
    edition = CourseEditionFactory(
        course=course,
        sessions=0,
        status=EditionStatus.COMPLETED,
        enrolment_opens_at=rome_at(-40),
        enrolment_closes_at=rome_at(-20),
        **kwargs,
    )
    sessions = [
        SessionFactory(
            edition=edition,
            start=rome_at(days, hour=9),
            end=rome_at(days, hour=13),
            mandatory=mandatory and days == -7,
        )
        for days in (-14, -7)
    ]
    enrolments = [ConfirmedEnrolmentFactory(edition=edition) for _ in range(trainees)]
    for enrolment in enrolments:
        for session in sessions:
            attendance_mark(enrolment=enrolment, session=session)
        for skill in skills:
            assessment_mark(enrolment=enrolment, competency=skill)
    return edition, sessions, enrolments


# --- Graduate profiles and the directory (issue 10) ----------------------------


class GraduateProfileFactory(ModelFactory):
    """A published profile showing headline, province, availability, skills,
    courses and verified competencies (the model's defaults)."""

    user = factory.SubFactory(TraineeFactory)
    is_published = True
    published_at = factory.LazyFunction(lambda: rome_at(-3, hour=12))
    headline = factory.Sequence(lambda n: f"Tecnico CNC e robotica {n}")
    bio = "Bio privata del profilo."
    province = "TO"
    availability = "open_to_work"
    languages = "italiano, inglese"
    skills = "saldatura, fresatura"
    phone = "+39 011 000 0000"

    class Meta:
        model = "people.GraduateProfile"


def certificate_row(*, holder, enrolment=None, competencies=(), status="valid", **kw):
    """A Certificate row written directly (no PDF, no signature): for directory
    tests, which read only what it certifies and its status."""
    import secrets

    from certificates.models import Certificate

    edition = enrolment.edition if enrolment is not None else None
    return Certificate.objects.create(
        enrolment=enrolment,
        holder=holder,
        serial=kw.pop("serial", f"MS-2026-{secrets.randbelow(10**6):06d}"),
        verification_code=secrets.token_urlsafe(24),
        status=status,
        holder_given_name=holder.first_name,
        holder_family_name=holder.last_name,
        course_code=edition.course.code if edition else "AM-101",
        course_title=edition.course.title if edition else "Corso",
        course_title_en="Course",
        course_eqf_level=4,
        teaching_language="it",
        edition_code=edition.code if edition else "AM-101-X",
        edition_start=rome_at(-14).date(),
        edition_end=rome_at(-7).date(),
        hours=8,
        attendance_percent=Decimal("100"),
        competencies=[
            {
                "code": c.code,
                "title": c.title,
                "title_en": c.title_en,
                "eqf_level": c.eqf_level,
                "esco_uri": c.esco_uri,
            }
            for c in competencies
        ],
        issuer_name="Makers' School",
        issuer_address="Corso Settembrini 178, Torino",
        place_of_issue="Torino",
        issued_on=kw.pop("issued_on", rome_at(-5).date()),
        pdf_sha256=secrets.token_hex(32),
        **kw,
    )


# --- Funding (issue 26) -----------------------------------------------------


class FundingLineFactory(ModelFactory):
    """A fondo interprofessionale line of a new edition."""

    edition = factory.SubFactory(CourseEditionFactory)
    kind = "fondo"
    funder = "Fondimpresa"
    call_code = "Avviso 1/2026"
    plan_code = factory.Sequence(lambda n: f"AVT/{n:03d}/26")
    funded_hours = 40
    amount = Decimal("6000.00")

    class Meta:
        model = "funding.FundingLine"


class VoucherLineFactory(FundingLineFactory):
    """A Regione Piemonte voucher line (public money: it has its CUP)."""

    kind = "regional_voucher"
    funder = "Regione Piemonte"
    call_code = "Bando voucher formazione individuale 2026"
    cup = "J11B26000380007"


class PlaceFundingFactory(ModelFactory):
    """A place paid by its line (no voucher), of a confirmed enrolment in the
    line's edition; written directly, not through the service."""

    line = factory.SubFactory(FundingLineFactory)
    enrolment = factory.SubFactory(
        ConfirmedEnrolmentFactory,
        edition=factory.SelfAttribute("..line.edition"),
    )
    fund_share = Decimal("450.00")

    class Meta:
        model = "funding.PlaceFunding"


class CompanyVoucherFactory(ModelFactory):
    company = factory.SubFactory(CompanyFactory)
    reference = factory.Sequence(lambda n: f"CCIAA-TO-{n:04d}")
    amount_granted = Decimal("20000.00")
    granted_on = datetime.date(2026, 3, 2)

    class Meta:
        model = "funding.CompanyVoucher"
