"""Bench data: a big Italian catalogue, generated fast.

Callable from any bench module once Django is set up (bench.environment.prepare()
or any configured Django process). Every function is idempotent and monotonic:
ensure_dataset(courses=5) then ensure_dataset(courses=500) adds the 495 missing
courses, so one database can be measured small first, then big.

Pages go through Wagtail's tree API (index.add_child) because the tree paths,
numchild and locale must be right; editions, sessions and the course <->
competency rows, which are plain rows, go through bulk_create.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import random
import time
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

SEED = 20190328
CODE_PREFIX = "BENCH-"
AREAS = [
    ("additive", "Stampa 3D metallica"),
    ("robotics", "Robotica collaborativa"),
    ("cnc", "Fresatura CNC a 5 assi"),
    ("iot", "IoT industriale"),
    ("metrology", "Metrologia a coordinate"),
    ("cybersecurity", "Sicurezza delle reti OT"),
    ("digital-twin", "Gemelli digitali"),
]
BODY_TEXT = (
    "<p>Il corso alterna lezioni in aula e laboratorio nel Manufacturing Technology "
    "Center di Corso Settembrini 178, Torino. I partecipanti lavorano su macchine e "
    "celle reali, con esercitazioni guidate e un progetto finale valutato.</p>"
)


@contextlib.contextmanager
def _quiet(logger_name: str):
    """Production settings log every page created at INFO: not for 500 pages."""
    logger = logging.getLogger(logger_name)
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)


@dataclass(frozen=True)
class DatasetStats:
    courses: int
    editions: int
    sessions: int
    competencies: int
    seconds: float  # time spent by this call


def build_site():
    """The Italian tree root > home > catalogue as the default site (idempotent).

    Returns (home, catalogue index), built by cms.services.site_tree_ensure (the
    one builder the tests and the demo use too).
    """
    from cms.services import site_tree_ensure

    return site_tree_ensure(
        home={
            "title": "Makers' School",
            "slug": "home-it",
            "hero_title": "Formazione per la manifattura avanzata",
            "hero_text": "La scuola della Camera di commercio di Torino al MTC.",
        },
        index={
            "title": "Corsi",
            "slug": "corsi",
            "intro": "<p>Il catalogo dei corsi.</p>",
        },
    )


def ensure_competencies(count: int = 40) -> list:
    """At least `count` bench competencies (EQF 3-6), in code order."""
    from courses.models import Competency

    existing = set(
        Competency.objects.filter(code__startswith="BC-").values_list("code", flat=True)
    )
    Competency.objects.bulk_create(
        [
            Competency(
                code=f"BC-{n:03d}",
                title=f"Competenza tecnica {n}",
                title_en=f"Technical competency {n}",
                description="Sa applicare la tecnica in un contesto produttivo.",
                eqf_level=3 + n % 4,
                esco_uri=(
                    f"http://data.europa.eu/esco/skill/"
                    f"{n:08x}-0000-4000-8000-000000000000"
                    if n % 2
                    else ""
                ),
            )
            for n in range(count)
            if f"BC-{n:03d}" not in existing
        ]
    )
    return list(Competency.objects.filter(code__startswith="BC-").order_by("code"))


def ensure_venues() -> list:
    from courses.models import Venue

    names = ["Manufacturing Technology Center", "Laboratorio Robotica", "Aula Digitale"]
    venues = []
    for name in names:
        venue, _ = Venue.objects.get_or_create(
            name=name,
            defaults={"address": "Corso Settembrini 178", "postcode": "10135"},
        )
        venues.append(venue)
    return venues


def ensure_news(home, count: int = 6) -> None:
    """A news index with `count` news under the home page (shown on the home)."""
    from cms.models import NewsIndexPage, NewsPage

    news_index = NewsIndexPage.objects.child_of(home).first()
    if news_index is None:
        news_index = home.add_child(
            instance=NewsIndexPage(title="Notizie", slug="notizie")
        )
    have = NewsPage.objects.child_of(news_index).count()
    today = timezone.localdate()
    for n in range(have, count):
        news_index.add_child(
            instance=NewsPage(
                title=f"Notizia {n + 1} della scuola",
                slug=f"notizia-{n + 1}",
                date=today - datetime.timedelta(days=7 * n),
                intro="Aperte le iscrizioni alle nuove edizioni dei corsi.",
            )
        )


def _new_course(number: int, rng: random.Random):
    from courses.models import CoursePage

    area, label = AREAS[number % len(AREAS)]
    return CoursePage(
        title=f"{label} {number + 1:03d}",
        slug=f"corso-bench-{number + 1:04d}",
        code=f"{CODE_PREFIX}{number + 1:04d}",
        summary=f"{label}: dalla teoria alla pratica in laboratorio, livello "
        f"{3 + number % 4}.",
        body=[
            ("heading", {"heading_text": "Programma", "size": "h2"}),
            ("paragraph", BODY_TEXT),
        ],
        hours=rng.choice([16, 24, 32, 40, 80]),
        eqf_level=3 + number % 4,
        area=area,
        teaching_language="en" if number % 10 == 9 else "it",
        prerequisites="<p>Conoscenze di base di disegno tecnico.</p>",
        price=Decimal(rng.choice([0, 350, 450, 900, 1200])),
        voucher_eligible=number % 3 == 0,
        funding_notes="<p>Finanziabile con il voucher della Regione Piemonte.</p>",
    )


def ensure_dataset(
    *,
    courses: int = 500,
    editions_per_course: int = 3,
    sessions_per_edition: int = 10,
    competencies: int = 40,
    competencies_per_course: int = 3,
    featured: int = 3,
) -> DatasetStats:
    """At least `courses` live bench CoursePages in the Italian catalogue.

    Each new course gets `editions_per_course` open editions (enrolment open now,
    sessions in the future) of `sessions_per_edition` sessions each, and
    `competencies_per_course` competencies. The home page features the first
    `featured` courses and shows a few news.
    """
    from cms.models import HomePageFeaturedCourse
    from courses.models import CourseEdition, CoursePage, EditionStatus, Session

    started = time.perf_counter()
    rng = random.Random(SEED)
    with _quiet("wagtail"), transaction.atomic():
        home, index = build_site()
        all_competencies = ensure_competencies(competencies)
        venues = ensure_venues()
        have = CoursePage.objects.filter(code__startswith=CODE_PREFIX).count()
        new_pages = []
        for number in range(have, courses):
            page = _new_course(number, rng)
            index.add_child(instance=page)
            new_pages.append((number, page))

        through = CoursePage.competencies.through
        through.objects.bulk_create(
            [
                through(
                    coursepage_id=page.pk,
                    competency_id=all_competencies[
                        (number * 7 + k) % len(all_competencies)
                    ].pk,
                )
                for number, page in new_pages
                for k in range(competencies_per_course)
            ],
            ignore_conflicts=True,
        )

        now = timezone.now()
        today_9 = timezone.localtime(now).replace(
            hour=9, minute=0, second=0, microsecond=0
        )
        editions = []
        for number, page in new_pages:
            for k in range(editions_per_course):
                capacity = rng.choice([12, 16, 20, 24])
                editions.append(
                    CourseEdition(
                        course_id=page.pk,
                        code=f"{page.code}-E{k + 1}",
                        status=EditionStatus.OPEN,
                        capacity=capacity,
                        seats_taken=rng.randint(0, capacity),
                        enrolment_opens_at=now - datetime.timedelta(days=10),
                        enrolment_closes_at=now + datetime.timedelta(days=20 + 40 * k),
                        venue=venues[(number + k) % len(venues)],
                        requires_approval=k == 2,
                    )
                )
        CourseEdition.objects.bulk_create(editions, batch_size=1000)

        sessions = []
        for edition_number, edition in enumerate(editions):
            k = edition_number % editions_per_course
            first = today_9 + datetime.timedelta(days=30 + 40 * k + edition_number % 21)
            for s in range(sessions_per_edition):
                start = first + datetime.timedelta(days=7 * s)
                sessions.append(
                    Session(
                        edition_id=edition.pk,
                        sort_order=s,
                        start=start,
                        end=start + datetime.timedelta(hours=4),
                        room=f"Aula {1 + s % 4}",
                        topic=f"Modulo {s + 1}",
                        mandatory=s == 0,
                    )
                )
        Session.objects.bulk_create(sessions, batch_size=5000)

        if not home.featured_courses.exists():
            first_pages = CoursePage.objects.filter(
                code__startswith=CODE_PREFIX
            ).order_by("code")[:featured]
            HomePageFeaturedCourse.objects.bulk_create(
                [
                    HomePageFeaturedCourse(home=home, page=page, sort_order=n)
                    for n, page in enumerate(first_pages)
                ]
            )
        ensure_news(home)

    from django.db import connection

    from core.cache import content_changed

    if connection.vendor == "postgresql":
        # Fresh tables have no planner statistics until autovacuum comes by;
        # a live database has them, so the bench measures with them too.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    content_changed()  # bulk_create sends no signals
    return dataset_stats(seconds=time.perf_counter() - started)


def dataset_stats(*, seconds: float = 0.0) -> DatasetStats:
    from courses.models import Competency, CourseEdition, CoursePage, Session

    return DatasetStats(
        courses=CoursePage.objects.live().filter(code__startswith=CODE_PREFIX).count(),
        editions=CourseEdition.objects.filter(code__startswith=CODE_PREFIX).count(),
        sessions=Session.objects.filter(edition__code__startswith=CODE_PREFIX).count(),
        competencies=Competency.objects.filter(code__startswith="BC-").count(),
        seconds=seconds,
    )


def catalogue_url() -> str:
    """The catalogue's path on the default site, e.g. "/corsi/"."""
    _, index = build_site()
    return index.url


def home_url() -> str:
    home, _ = build_site()
    return home.url


def course_url(number: int = 1) -> str:
    """Path of bench course `number` (1-based)."""
    from courses.models import CoursePage

    page = CoursePage.objects.get(code=f"{CODE_PREFIX}{number:04d}")
    return page.url


def news_url() -> str:
    """Path of the newest bench news page."""
    from cms.models import NewsPage

    return NewsPage.objects.live().order_by("-date", "-pk").first().url


# The directory's graduates (issue 10): people with published profiles and the
# certificates their verified competencies come from.
GRADUATE_EMAIL = "bench-graduate-{:05d}@makers-school.example"
GRADUATE_PREFIX = "bench-graduate-"
DIRECTORY_EDITION_PREFIX = "BENCH-DIR-"
DIRECTORY_COURSES = 40
PROVINCES = ("TO", "CN", "AT", "AL", "NO", "VC", "BI", "MI", "GE", "AO")
PROVINCE_WEIGHTS = (30, 10, 6, 8, 6, 4, 4, 18, 10, 4)
AVAILABILITY = ("open_to_work", "open_to_offers", "not_looking")
SKILLS = ("robot", "cobot", "CNC", "PLC", "stampa 3D", "CAD", "saldatura", "SQL")


@dataclass(frozen=True)
class DirectoryStats:
    profiles: int  # published bench graduate profiles
    certificates: int  # valid ones
    revoked: int
    verified_competencies: int  # distinct (graduate, competency) of valid ones
    seconds: float  # time spent by this call


def directory_stats(*, seconds: float = 0.0) -> DirectoryStats:
    """Counts what the directory reads: verified competencies as the selector
    derives them, valid certificate -> enrolment -> edition -> course ->
    competency, one per graduate and competency."""
    from certificates.models import Certificate, CertificateStatus
    from people.models import GraduateProfile

    certificates = Certificate.objects.filter(
        edition_code__startswith=DIRECTORY_EDITION_PREFIX
    )
    valid = certificates.filter(status=CertificateStatus.VALID)
    verified = (
        valid.values("holder_id", "enrolment__edition__course__competencies")
        .distinct()
        .count()
    )
    return DirectoryStats(
        profiles=GraduateProfile.objects.filter(
            user__email__startswith=GRADUATE_PREFIX, is_published=True
        ).count(),
        certificates=valid.count(),
        revoked=certificates.filter(status=CertificateStatus.REVOKED).count(),
        verified_competencies=verified,
        seconds=seconds,
    )


def _directory_courses():
    """DIRECTORY_COURSES bench courses, each with one completed edition
    BENCH-DIR-<nn>; returns [(course, edition, [competency, ...])]."""
    from courses.models import CourseEdition, CoursePage, EditionStatus

    ensure_dataset(
        courses=DIRECTORY_COURSES, editions_per_course=1, sessions_per_edition=1
    )
    courses = list(
        CoursePage.objects.filter(code__startswith=CODE_PREFIX)
        .order_by("code")
        .prefetch_related("competencies")[:DIRECTORY_COURSES]
    )
    venue = ensure_venues()[0]
    now = timezone.now()
    existing = {
        e.code: e
        for e in CourseEdition.objects.filter(code__startswith=DIRECTORY_EDITION_PREFIX)
    }
    missing = []
    for n, course in enumerate(courses):
        code = f"{DIRECTORY_EDITION_PREFIX}{n + 1:02d}"
        if code not in existing:
            missing.append(
                CourseEdition(
                    course_id=course.pk,
                    code=code,
                    status=EditionStatus.COMPLETED,
                    capacity=20_000,
                    seats_taken=0,
                    enrolment_opens_at=now - datetime.timedelta(days=400),
                    enrolment_closes_at=now - datetime.timedelta(days=370 - n),
                    venue=venue,
                )
            )
    for edition in CourseEdition.objects.bulk_create(missing):
        existing[edition.code] = edition
    return [
        (
            course,
            existing[f"{DIRECTORY_EDITION_PREFIX}{n + 1:02d}"],
            sorted(course.competencies.all(), key=lambda c: c.code),
        )
        for n, course in enumerate(courses)
    ]


def _remove_directory_dataset() -> None:
    """An incomplete or older bench directory goes before a new one is built."""
    from certificates.models import Certificate
    from enrolment.models import Enrolment
    from people.models import User

    Certificate.objects.filter(
        edition_code__startswith=DIRECTORY_EDITION_PREFIX
    ).delete()
    Enrolment.objects.filter(
        edition__code__startswith=DIRECTORY_EDITION_PREFIX
    ).delete()
    User.objects.filter(email__startswith=GRADUATE_PREFIX).delete()


def ensure_directory_dataset(
    *,
    profiles: int = 20_000,
    verified_competencies: int = 100_000,
    revoked: int = 2_000,
) -> DirectoryStats:
    """`profiles` published graduate profiles with, in all, exactly
    `verified_competencies` verified competencies (distinct graduate and
    competency of a valid certificate), plus `revoked` revoked certificates
    whose competencies the directory must not show.

    Each certificate belongs to a confirmed enrolment in a completed bench
    edition (BENCH-DIR-<nn>) of one of DIRECTORY_COURSES courses of 3
    competencies, and snapshots those competencies, as certificate_issue does.
    Graduates hold 0 to 4 certificates; provinces, availability and skills are
    varied. Idempotent: a complete dataset is kept, anything else is rebuilt.
    All plain rows through bulk_create; ANALYZE at the end (PostgreSQL).
    """
    import hashlib

    from django.contrib.auth.hashers import make_password

    from certificates.models import Certificate, CertificateStatus
    from enrolment.models import Enrolment, EnrolmentStatus
    from people.models import GraduateProfile, User

    started = time.perf_counter()
    unusable = make_password(None)
    stats = directory_stats()
    if (
        stats.profiles == profiles
        and stats.verified_competencies == verified_competencies
        and stats.revoked == revoked
    ):
        return stats
    rng = random.Random(SEED + 10)
    with _quiet("wagtail"), transaction.atomic():
        _remove_directory_dataset()
        courses = _directory_courses()
        now = timezone.now()
        users = User.objects.bulk_create(
            [
                User(
                    email=GRADUATE_EMAIL.format(n),
                    first_name=rng.choice(["Giulia", "Marco", "Sara", "Luca", "Anna"]),
                    last_name=f"Diplomato {n}",
                    password=unusable,  # nobody signs in as a bench graduate
                )
                for n in range(profiles)
            ],
            batch_size=5000,
        )
        GraduateProfile.objects.bulk_create(
            [
                GraduateProfile(
                    user_id=user.pk,
                    public_id=f"bench{n:05d}{rng.getrandbits(40):010x}",
                    is_published=True,
                    published_at=now - datetime.timedelta(minutes=n),
                    headline=f"Tecnico {rng.choice(SKILLS)} {n}",
                    province=rng.choices(PROVINCES, PROVINCE_WEIGHTS)[0],
                    availability=rng.choice(AVAILABILITY),
                    skills=", ".join(rng.sample(SKILLS, 3)),
                    languages="italiano, inglese",
                    show_competencies=n % 20 != 0,  # 1 in 20 hides them
                    show_courses=n % 25 != 0,
                )
                for n, user in enumerate(users)
            ],
            batch_size=5000,
        )

        # Which graduate holds which course's certificate: 0-4 per graduate,
        # then single certificates to random graduates until the count of
        # distinct (graduate, competency) reaches the target exactly.
        held: list[list[int]] = [[] for _ in users]
        known: list[set] = [set() for _ in users]
        total = 0

        def give(person: int, course_index: int) -> None:
            nonlocal total
            held[person].append(course_index)
            added = {c.pk for c in courses[course_index][2]} - known[person]
            known[person] |= added
            total += len(added)

        def gain(person: int, course_index: int) -> int:
            return len({c.pk for c in courses[course_index][2]} - known[person])

        for person in range(len(users)):
            for course_index in rng.sample(
                range(len(courses)), rng.choices((0, 1, 2, 3, 4), (2, 4, 5, 3, 1))[0]
            ):
                if total + gain(person, course_index) <= verified_competencies:
                    give(person, course_index)
        while total < verified_competencies:
            person = rng.randrange(len(users))
            wanted = verified_competencies - total
            choices = [
                i
                for i in range(len(courses))
                if i not in held[person] and 0 < gain(person, i) <= wanted
            ]
            if choices:
                give(person, rng.choice(choices))
        # Revoked certificates: courses the graduate holds no valid one of.
        revoked_of: list[tuple[int, int]] = []
        while len(revoked_of) < revoked:
            person = rng.randrange(len(users))
            course_index = rng.randrange(len(courses))
            if course_index not in held[person] and gain(person, course_index) == 3:
                held[person].append(course_index)
                revoked_of.append((person, course_index))
        revoked_set = set(revoked_of)

        pairs = [(p, c) for p, indexes in enumerate(held) for c in indexes]
        enrolments = Enrolment.objects.bulk_create(
            [
                Enrolment(
                    trainee_id=users[p].pk,
                    edition_id=courses[c][1].pk,
                    status=EnrolmentStatus.CONFIRMED,
                )
                for p, c in pairs
            ],
            batch_size=5000,
        )
        certificates = []
        for number, ((p, c), enrolment) in enumerate(
            zip(pairs, enrolments, strict=True), start=1
        ):
            course, edition, competencies = courses[c]
            user = users[p]
            issued = now - datetime.timedelta(days=rng.randrange(700), minutes=number)
            is_revoked = (p, c) in revoked_set
            certificates.append(
                Certificate(
                    enrolment_id=enrolment.pk,
                    holder_id=user.pk,
                    serial=f"BNCHDR-2000-{number:06d}",
                    verification_code=hashlib.sha256(
                        f"bench-directory-code-{number}".encode()
                    ).hexdigest()[:40],
                    status=(
                        CertificateStatus.REVOKED
                        if is_revoked
                        else CertificateStatus.VALID
                    ),
                    revoked_at=issued if is_revoked else None,
                    revoked_reason="Rilasciato per errore." if is_revoked else "",
                    holder_given_name=user.first_name,
                    holder_family_name=user.last_name,
                    course_code=course.code,
                    course_title=course.title,
                    course_eqf_level=course.eqf_level,
                    teaching_language=course.teaching_language,
                    edition_code=edition.code,
                    edition_start=(issued - datetime.timedelta(days=60)).date(),
                    edition_end=(issued - datetime.timedelta(days=7)).date(),
                    hours=course.hours,
                    attendance_percent=Decimal(rng.randint(80, 100)),
                    competencies=[
                        {
                            "code": comp.code,
                            "title": comp.title,
                            "title_en": comp.title_en,
                            "description": comp.description,
                            "description_en": "",
                            "eqf_level": comp.eqf_level,
                            "esco_uri": comp.esco_uri,
                        }
                        for comp in competencies
                    ],
                    issuer_name="Makers' School",
                    issuer_address="Corso Settembrini 178, 10135 Torino",
                    place_of_issue="Torino",
                    issued_on=issued.date(),
                    issued_at=issued,
                    pdf_sha256=hashlib.sha256(
                        f"bench-directory-pdf-{number}".encode()
                    ).hexdigest(),
                )
            )
        Certificate.objects.bulk_create(certificates, batch_size=2000)

    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return directory_stats(seconds=time.perf_counter() - started)
