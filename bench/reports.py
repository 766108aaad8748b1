"""Reports rows (issue 23): every staff report over 100,000 enrolments.

The dataset (ensure_reports_dataset, idempotent): EDITIONS editions of the
bench courses spread over the last twelve months, PER_EDITION trainees each
(100,000 enrolments, a few waitlisted, a third sponsored by a company), their
sessions, attendance records of the last two months' editions, a certificate
for each trainee of the completed ones (some revoked, some expiring), and a
funding line and funded places for every other edition, and the course
questionnaire answered by most trainees of the completed editions (a few
editions under five answers) with instructors to group them by
(ensure_evaluations, idempotent on its own, so a kept database gains
them); all through bulk_create.

Rows: each report's uncached render as staff (the admin page over the test
client, production settings, the bench database), median of REPEATS runs with
the host's load; target <= 500 ms (issue 23), missed rows fail --strict.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from decimal import Decimal

from .report import Row
from .timing import median_ms, query_count

NAME = "reports"
REPEATS = 7
HOST = "127.0.0.1"
EDITIONS = 2_000
PER_EDITION = 50  # 100,000 enrolments
TRAINEES = 5_000
SESSIONS = 6
TARGET_MS = 500
CODE = "BENCH-REP-"
REPORTS = [
    ("fill-rate", {}),
    ("fill-rate", {"by": "month"}),
    ("attendance", {}),
    ("attendance", {"by": "session"}),
    ("certificates", {}),
    ("funding", {}),
    ("funding", {"by": "company"}),
    ("satisfaction", {}),
    ("satisfaction", {"by": "instructor"}),
    ("satisfaction", {"by": "month"}),
    ("directory", {}),
]
# Of each completed edition's confirmed trainees, this many answer; every
# FEW_EVERY-th edition gets FEW answers only (left out of the figures).
ANSWERS = 40
FEW, FEW_EVERY = 3, 25
INSTRUCTORS = 12


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f}"


def _trainees():
    from people.models import User

    have = User.objects.filter(email__startswith="bench-rep-").count()
    User.objects.bulk_create(
        [
            User(
                email=f"bench-rep-{n}@makers-school.example",
                first_name="Bench",
                last_name=f"Trainee {n}",
                password="!",  # noqa: S106 - an unusable password
            )
            for n in range(have, TRAINEES)
        ],
        batch_size=5000,
    )
    return list(
        User.objects.filter(email__startswith="bench-rep-")
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _companies() -> list[int]:
    from stdnum import luhn

    from people.models import Company

    ids = []
    for n in range(20):
        base = f"0998{n:06d}"
        company, _ = Company.objects.get_or_create(
            partita_iva=base + luhn.calc_check_digit(base),
            defaults={"name": f"Bench Reports {n} S.r.l."},
        )
        ids.append(company.pk)
    return ids


def _editions(now: dt.datetime) -> list:
    from courses.models import CourseEdition, CoursePage, EditionStatus, Session, Venue

    from .data import ensure_dataset

    if CoursePage.objects.live().count() < 7:
        ensure_dataset(courses=7, editions_per_course=1, sessions_per_edition=1)
    courses = list(CoursePage.objects.live().values_list("pk", flat=True)[:50])
    venue = Venue.objects.first()
    editions = []
    for n in range(EDITIONS):
        first = now - dt.timedelta(days=365 * n / EDITIONS)
        running = (now - first).days < 30
        editions.append(
            CourseEdition(
                course_id=courses[n % len(courses)],
                code=f"{CODE}{n:05d}",
                status=EditionStatus.IN_PROGRESS
                if running
                else EditionStatus.COMPLETED,
                capacity=PER_EDITION + 5,
                seats_taken=PER_EDITION - 2,
                enrolment_opens_at=first - dt.timedelta(days=40),
                enrolment_closes_at=first - dt.timedelta(days=5),
                venue=venue,
            )
        )
    CourseEdition.objects.bulk_create(editions, batch_size=1000)
    sessions = [
        Session(
            edition_id=edition.pk,
            sort_order=s,
            start=now - dt.timedelta(days=365 * n / EDITIONS) + dt.timedelta(days=s),
            end=now
            - dt.timedelta(days=365 * n / EDITIONS)
            + dt.timedelta(days=s, hours=4),
            topic=f"Modulo {s + 1}",
            mandatory=s == 0,
        )
        for n, edition in enumerate(editions)
        for s in range(SESSIONS)
    ]
    Session.objects.bulk_create(sessions, batch_size=5000)
    return editions


def _enrolments(editions, trainees, companies) -> None:
    from enrolment.models import Enrolment

    rows = []
    for n, edition in enumerate(editions):
        for k in range(PER_EDITION):
            waitlisted = k >= PER_EDITION - 2
            rows.append(
                Enrolment(
                    trainee_id=trainees[(n * PER_EDITION + k) % len(trainees)],
                    edition_id=edition.pk,
                    status="waitlisted" if waitlisted else "confirmed",
                    waitlist_position=k - PER_EDITION + 3 if waitlisted else None,
                    sponsor_company_id=companies[k % len(companies)]
                    if k % 3 == 0
                    else None,
                )
            )
    Enrolment.objects.bulk_create(rows, batch_size=5000)


def _records(now: dt.datetime) -> None:
    from attendance.models import AttendanceRecord
    from courses.models import Session
    from enrolment.models import Enrolment

    recent = now - dt.timedelta(days=60)
    sessions = list(
        Session.objects.filter(
            edition__code__startswith=CODE, start__gte=recent, end__lte=now
        ).values_list("pk", "edition_id", "start", "end")
    )
    by_edition: dict[int, list[int]] = {row[1]: [] for row in sessions}
    for pk, edition_id in Enrolment.objects.filter(
        edition_id__in=list(by_edition), status="confirmed"
    ).values_list("pk", "edition_id"):
        by_edition[edition_id].append(pk)
    records = []
    for pk, edition_id, start, end in sessions:
        for i, enrolment in enumerate(by_edition[edition_id]):
            absent = (i + pk) % 9 == 0
            records.append(
                AttendanceRecord(
                    enrolment_id=enrolment,
                    session_id=pk,
                    status="absent" if absent else "present",
                    minutes_present=0 if absent else int((end - start).seconds / 60),
                    recorded_at=end,
                )
            )
    AttendanceRecord.objects.bulk_create(records, batch_size=5000)


def _funding_and_certificates(editions, now: dt.datetime) -> None:
    import secrets

    from certificates.models import Certificate
    from enrolment.models import Enrolment
    from funding.models import FundingLine, PlaceFunding

    lines = [
        FundingLine(
            edition_id=e.pk, kind="fondo", funder="Fondimpresa", funded_hours=24
        )
        for e in editions[::2]
    ]
    FundingLine.objects.bulk_create(lines, batch_size=1000)
    line_of = {line.edition_id: line.pk for line in lines}
    enrolments = list(
        Enrolment.objects.filter(
            edition__code__startswith=CODE, status="confirmed"
        ).values_list("pk", "edition_id", "trainee_id", "edition__status")
    )
    PlaceFunding.objects.bulk_create(
        [
            PlaceFunding(enrolment_id=pk, line_id=line_of[ed], fund_share=Decimal(450))
            for pk, ed, _, _ in enrolments
            if ed in line_of
        ],
        batch_size=5000,
    )
    today = now.date()
    certificates = [
        Certificate(
            enrolment_id=pk,
            holder_id=trainee,
            serial=f"BR-{pk}",
            verification_code=secrets.token_urlsafe(24),
            status="revoked" if pk % 50 == 0 else "valid",
            revoked_at=now if pk % 50 == 0 else None,
            revoked_reason="Bench" if pk % 50 == 0 else "",
            holder_given_name="Bench",
            holder_family_name="Trainee",
            course_code="BENCH",
            course_title="Corso",
            course_eqf_level=3 + pk % 3,
            teaching_language="it",
            edition_code="BENCH",
            edition_start=today - dt.timedelta(days=20),
            edition_end=today - dt.timedelta(days=10),
            hours=24,
            attendance_percent=Decimal(100),
            issuer_name="Makers' School",
            issuer_address="Torino",
            place_of_issue="Torino",
            issued_on=today - dt.timedelta(days=pk % 300),
            valid_until=today + dt.timedelta(days=pk % 400),
            pdf_sha256=secrets.token_hex(32),
        )
        for pk, ed, trainee, status in enrolments
        if status == "completed" and pk % 2 == 0
    ]
    Certificate.objects.bulk_create(certificates, batch_size=5000)


def _questionnaire():
    from evaluations.models import Question, Questionnaire

    questionnaire, made = Questionnaire.objects.get_or_create(
        title="Bench questionnaire", defaults={"title_en": "Bench questionnaire"}
    )
    if made:
        Question.objects.bulk_create(
            [
                Question(questionnaire=questionnaire, sort_order=n, kind="rating")
                for n in range(3)
            ]
            + [
                Question(
                    questionnaire=questionnaire,
                    sort_order=3,
                    kind="choice",
                    choices="A\nB\nC",
                ),
                Question(questionnaire=questionnaire, sort_order=4, kind="text"),
            ]
        )
    return questionnaire, list(questionnaire.questions.order_by("sort_order"))


def _instructors(editions: list[int]) -> None:
    from courses.models import CourseEdition
    from people.models import User

    User.objects.bulk_create(
        [
            User(
                email=f"bench-rep-teacher-{n}@makers-school.example",
                first_name="Bench",
                last_name=f"Instructor {n}",
                password="!",  # noqa: S106 - an unusable password
            )
            for n in range(INSTRUCTORS)
        ],
        ignore_conflicts=True,
    )
    teachers = list(
        User.objects.filter(email__startswith="bench-rep-teacher-").values_list(
            "pk", flat=True
        )
    )
    through = CourseEdition.instructors.through
    through.objects.bulk_create(
        [
            through(courseedition_id=pk, user_id=teachers[n % len(teachers)])
            for n, pk in enumerate(editions)
        ],
        batch_size=5000,
        ignore_conflicts=True,
    )


def ensure_evaluations() -> bool:
    """Answers to the bench questionnaire for the completed bench editions,
    if there are none yet (then True)."""
    from courses.models import CourseEdition
    from evaluations.models import Response

    if Response.objects.filter(edition__code__startswith=CODE).exists():
        return False
    questionnaire, questions = _questionnaire()
    rating, choice, text = questions[:3], questions[3], questions[4]
    editions = list(
        CourseEdition.objects.filter(code__startswith=CODE, status="completed")
        .order_by("pk")
        .values_list("pk", "enrolment_closes_at")
    )
    _instructors([pk for pk, _closed in editions])
    responses = []
    for e, (pk, closed) in enumerate(editions):
        for n in range(FEW if e % FEW_EVERY == 0 else ANSWERS):
            answers = {str(q.pk): 1 + (n + e + i) % 5 for i, q in enumerate(rating)}
            answers[str(choice.pk)] = "ABC"[n % 3]
            if n % 4 == 0:
                answers[str(text.pk)] = "Bench comment"
            responses.append(
                Response(
                    questionnaire=questionnaire,
                    edition_id=pk,
                    submitted_on=closed.date() + dt.timedelta(days=30),
                    answers=answers,
                )
            )
    Response.objects.bulk_create(responses, batch_size=5000)
    return True


def ensure_reports_dataset() -> tuple[int, float]:
    """(enrolments of the dataset, seconds spent building it: 0 when kept)."""
    from django.db import connection, transaction
    from django.utils import timezone

    from enrolment.models import Enrolment

    started = time.perf_counter()
    have = Enrolment.objects.filter(edition__code__startswith=CODE).count()
    if have:
        with transaction.atomic():
            made = ensure_evaluations()
        if made and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        return have, 0.0
    now = timezone.now()
    with transaction.atomic():
        trainees = _trainees()
        companies = _companies()
        editions = _editions(now)
        _enrolments(editions, trainees, companies)
        _records(now)
        _funding_and_certificates(editions, now)
        ensure_evaluations()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    count = Enrolment.objects.filter(edition__code__startswith=CODE).count()
    return count, time.perf_counter() - started


def _staff():
    from django.contrib.auth.models import Group

    from people.models import Role, User

    staff, _ = User.objects.get_or_create(
        email="bench-reports-staff@makers-school.example",
        defaults={"first_name": "Bench", "last_name": "Staff"},
    )
    staff.groups.add(Group.objects.get(name=Role.STAFF.value))
    return staff


def _measure(client, scale: str) -> list[Row]:
    from django.core.cache import caches
    from django.urls import reverse

    rows = []
    for slug, query in REPORTS:
        url = reverse("makers_report", args=[slug])

        def get(url=url, query=query):
            for cache in caches.all():  # uncached: every run reads the database
                cache.clear()
            response = client.get(url, query)
            if response.status_code != 200:
                raise RuntimeError(f"GET {url} answered {response.status_code}")

        get()  # warm-up
        median = median_ms(get, repeats=REPEATS, digits=1)
        load = _load()
        queries = query_count(get)
        label = slug + (f" by {query['by']}" if query else "")
        rows.append(
            Row(
                f"reports: {label} page, median ({scale})",
                median,
                "ms",
                f"<= {TARGET_MS}",
                median <= TARGET_MS,
                note=f"{queries} queries; {load}",
            )
        )
    return rows


def run(ctx) -> list[Row]:
    from django.test import Client, override_settings

    enrolments, seconds = ensure_reports_dataset()
    scale = f"{enrolments:,} enrolments"
    rows = [
        Row(
            f"reports: data build ({scale})",
            round(seconds, 1),
            "s",
            note="" if seconds else "kept from the last run",
        )
    ]
    client = Client(HTTP_HOST=HOST)
    client.force_login(_staff())
    # The bench staff member has no TOTP device: production's MFA gate would
    # send every request to its set-up page.
    with override_settings(MAKERS_REQUIRE_STAFF_MFA=False):
        rows += _measure(client, scale)
    return rows
