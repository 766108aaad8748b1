"""Attendance rows (issue 7): a 40-trainee session's register page and saving
one mark (queries, server time), the summary of an edition at 10 and at 40
trainees x 30 sessions (queries, time), the 40 x 30 PDF register (ms, bytes).

In-process with Django's test client (production settings, the bench database);
times are medians of REPEATS runs.
"""

from __future__ import annotations

import datetime as dt

from .data import ensure_dataset
from .report import Row
from .timing import median_ms, query_count

NAME = "attendance"
REPEATS = 30
HOST = "127.0.0.1"


def _median_ms(fn, repeats: int = REPEATS) -> float:
    return median_ms(fn, repeats=repeats, digits=2)


def _edition(*, trainees: int, sessions: int, label: str):
    """An edition in progress: `sessions` daily 4-hour sessions ending with one
    running now, `trainees` confirmed trainees, every past session marked."""
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from attendance.models import AttendanceRecord
    from courses.models import (
        CourseEdition,
        CoursePage,
        EditionStatus,
        Session,
        Venue,
    )
    from enrolment.models import Enrolment
    from people.models import Role, User

    code = f"BENCH-ATT-{label}"
    existing = CourseEdition.objects.filter(code=code).first()
    if existing:
        return existing
    now = timezone.now()
    course = CoursePage.objects.live().first()
    if course is None:  # run alone (--only attendance) on a fresh database
        ensure_dataset(courses=1, editions_per_course=1, sessions_per_edition=1)
        course = CoursePage.objects.live().first()
    venue = Venue.objects.first() or Venue.objects.create(
        name="MTC", address="Corso Settembrini 178", postcode="10135", city="Torino"
    )
    instructor, _ = User.objects.get_or_create(email=f"bench-att-{label}@example.com")
    instructor.groups.add(Group.objects.get_or_create(name=Role.INSTRUCTOR.value)[0])
    edition = CourseEdition(
        course=course,
        code=code,
        status=EditionStatus.IN_PROGRESS,
        capacity=trainees,
        seats_taken=trainees,
        enrolment_opens_at=now - dt.timedelta(days=90),
        enrolment_closes_at=now - dt.timedelta(days=60),
        venue=venue,
    )
    edition.instructors = [instructor]
    edition.save()
    rows = []
    start = now - dt.timedelta(hours=1)
    for number in range(sessions):
        begins = start - dt.timedelta(days=sessions - 1 - number)
        rows.append(
            Session(
                edition=edition,
                start=begins,
                end=begins + dt.timedelta(hours=4),
                topic=f"Bench {number}",
                sort_order=number,
                mandatory=number == 0,
            )
        )
    Session.objects.bulk_create(rows)
    people = User.objects.bulk_create(
        [
            User(
                email=f"bench-att-{label}-{n}@example.com",
                first_name="T",
                last_name=f"N{n:03d}",
            )
            for n in range(trainees)
        ]
    )
    enrolments = Enrolment.objects.bulk_create(
        [Enrolment(trainee=p, edition=edition, status="confirmed") for p in people]
    )
    saved = list(edition.sessions.order_by("start"))
    AttendanceRecord.objects.bulk_create(
        [
            AttendanceRecord(
                enrolment=e,
                session=s,
                status="present" if (i + j) % 7 else "absent",
                minutes_present=240 if (i + j) % 7 else 0,
                recorded_at=s.end,
            )
            for i, e in enumerate(enrolments)
            for j, s in enumerate(saved[:-1])
        ]
    )
    return edition


def run(ctx) -> list[Row]:
    from django.test import override_settings

    from attendance.selectors import sessions_with_register
    from enrolment.models import Enrolment

    big = _edition(trainees=40, sessions=30, label="40")
    small = _edition(trainees=10, sessions=30, label="10")
    instructor = big.instructors.first()
    session = sessions_with_register().filter(edition=big).order_by("-start").first()
    enrolment = Enrolment.objects.filter(edition=big).select_related("trainee").first()

    # The bench instructor has no TOTP device: production's MFA gate would send
    # every request to its set-up page.
    mfa_off = override_settings(MAKERS_REQUIRE_STAFF_MFA=False)
    mfa_off.enable()
    try:
        return _measure(
            big=big,
            small=small,
            instructor=instructor,
            session=session,
            enrolment=enrolment,
        )
    finally:
        mfa_off.disable()


def _measure(*, big, small, instructor, session, enrolment) -> list[Row]:
    from django.conf import settings
    from django.test import Client
    from django.urls import reverse

    from attendance.register_pdf import AttendanceRegisterPDF
    from attendance.selectors import edition_attendance
    from attendance.services import attendance_mark

    rows: list[Row] = []
    client = Client(HTTP_HOST=HOST)
    client.force_login(instructor)
    register_url = reverse("portal:register", args=[session.pk])
    response = client.get(register_url)  # warm-up
    if response.status_code != 200:
        raise RuntimeError(f"GET {register_url} answered {response.status_code}")
    rows.append(
        Row(
            "attendance register page, 40 trainees: queries",
            query_count(lambda: client.get(register_url)),
            "queries",
            "constant",
            None,
        )
    )
    rows.append(
        Row(
            "attendance register page, 40 trainees: server time",
            _median_ms(lambda: client.get(register_url)),
            "ms",
        )
    )

    statuses = iter(["present", "late", "absent", "left_early"] * REPEATS * 3)

    def mark():
        attendance_mark(
            session=session,
            enrolment=enrolment,
            status=next(statuses),
            actor=instructor,
        )

    mark()
    queries = query_count(mark)
    rows.append(
        Row(
            "attendance save one mark (service): queries",
            queries,
            "queries",
            "<= 8",
            queries <= 8,
        )
    )
    ms = _median_ms(mark)
    rows.append(
        Row("attendance save one mark (service): time", ms, "ms", "<= 20", ms <= 20)
    )
    mark_url = reverse("portal:register_mark", args=[session.pk])

    def post():
        response = client.post(
            mark_url,
            {"enrolment": enrolment.pk, "status": next(statuses)},
            headers={"HX-Request": "true"},
        )
        assert response.status_code == 200, response.status_code

    post()
    rows.append(
        Row(
            "attendance save one mark (htmx POST incl. session, user, row): queries",
            query_count(post),
            "queries",
        )
    )
    ms = _median_ms(post)
    rows.append(
        Row(
            "attendance save one mark (htmx POST): server time",
            ms,
            "ms",
            "<= 20",
            ms <= 20,
        )
    )

    q10 = query_count(lambda: edition_attendance(edition=small))
    q40 = query_count(lambda: edition_attendance(edition=big))
    rows.append(
        Row(
            "attendance edition summary 10 x 30: queries",
            q10,
            "queries",
            "= 40 x 30",
            q10 == q40,
        )
    )
    rows.append(
        Row(
            "attendance edition summary 40 x 30: queries",
            q40,
            "queries",
            "= 10 x 30",
            q10 == q40,
        )
    )
    rows.append(
        Row(
            "attendance edition summary 40 x 30: time",
            _median_ms(lambda: edition_attendance(edition=big)),
            "ms",
        )
    )
    summary = edition_attendance(edition=big)
    pdf = AttendanceRegisterPDF(
        summary,
        school_name=settings.MAKERS_SCHOOL_NAME,
        school_address=settings.MAKERS_SCHOOL_ADDRESS,
    )
    _, _, content = pdf.generate()
    ms = _median_ms(pdf.generate, repeats=10)
    rows.append(
        Row(
            "attendance PDF register 40 x 30: time",
            ms,
            "ms per PDF",
            "<= 200",
            ms <= 200,
        )
    )
    rows.append(Row("attendance PDF register 40 x 30: size", len(content), "bytes"))
    return rows
