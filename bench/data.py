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
