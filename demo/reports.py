"""Six months of past editions for the staff reports (issue 23): two
editions a month of the demo's courses, each with an instructor, confirmed
and waitlisted trainees (some sponsored by the demo company), their
attendance, a funding line and funded places, and the course questionnaire
answered by most of its trainees (demo/data/evaluations.yaml, history), so
every report's chart has something to read. No
certificates: a certificate is only ever made by the issuing service, signed,
with its PDF (the certificates report reads the demo's real ones). The trainees
are history-only accounts nobody signs in with. Only adds what is missing."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal

from django.contrib.auth.models import Group
from wagtail.models import Locale

from attendance.models import AttendanceRecord
from courses.models import CourseEdition, CoursePage, EditionStatus, Session, Venue
from enrolment.models import Enrolment, EnrolmentStatus
from funding.models import FundingLine, PlaceFunding
from people.models import Company, Role, User

from .data import data
from .history_evaluations import history_evaluate, history_instructor
from .timetable import ROME, is_school_day

EDITIONS = 12  # two a month, over six months
TRAINEES = 14
CODE = "STORICO-"
KINDS = ("fondo", "company", "free")


def _trainees() -> list[User]:
    group = Group.objects.get(name=Role.TRAINEE.value)
    people = []
    for n in range(TRAINEES):
        user = User.objects.filter(email=f"storico{n}@makers-school.example").first()
        if user is None:
            user = User.objects.create_user(
                email=f"storico{n}@makers-school.example",
                password=None,
                first_name=f"Allievo {n}",
                last_name="Storico",
            )
        user.groups.add(group)
        people.append(user)
    return people


def _school_days(first: dt.date, count: int) -> list[dt.datetime]:
    """`count` school days from `first` on, each at 09:00 in Rome."""
    days, day = [], first
    while len(days) < count:
        if is_school_day(day):
            days.append(dt.datetime.combine(day, dt.time(9), tzinfo=ROME))
        day += dt.timedelta(days=1)
    return days


def _edition(k: int, *, course: CoursePage, venue: Venue, now) -> CourseEdition:
    days = _school_days((now - dt.timedelta(days=12 + 15 * k)).date(), 3)
    edition = CourseEdition.objects.create(
        course=course,
        code=f"{CODE}{k + 1:02d}",
        status=EditionStatus.COMPLETED,
        capacity=10 + 2 * (k % 3),
        enrolment_opens_at=days[0] - dt.timedelta(days=60),
        enrolment_closes_at=days[0] - dt.timedelta(days=2),
        venue=venue,
    )
    for number, begins in enumerate(days):
        Session.objects.create(
            edition=edition,
            start=begins,
            end=begins + dt.timedelta(hours=4),
            topic=f"Modulo {number + 1}",
            sort_order=number,
            mandatory=number == 0,
        )
    return edition


def _enrol(edition, k: int, *, people, company, created: Counter) -> list[Enrolment]:
    confirmed = 6 + k % 5
    enrolments = []
    for n in range(confirmed + k % 3):
        waitlisted = n >= confirmed
        enrolments.append(
            Enrolment.objects.create(
                trainee=people[(k + n) % len(people)],
                edition=edition,
                status=EnrolmentStatus.WAITLISTED
                if waitlisted
                else EnrolmentStatus.CONFIRMED,
                waitlist_position=n - confirmed + 1 if waitlisted else None,
                sponsor_company=company if n % 3 == 0 else None,
            )
        )
    created["history enrolments"] += len(enrolments)
    edition.seats_taken = confirmed
    edition.save(update_fields=["seats_taken"])
    return [e for e in enrolments if e.status == EnrolmentStatus.CONFIRMED]


def _attendance(edition, enrolments, k: int) -> list[Enrolment]:
    """Records for every session; returns those who attended all of them."""
    complete = []
    for n, enrolment in enumerate(enrolments):
        missed = (n + k) % 4 == 0
        for number, session in enumerate(edition.sessions.order_by("start")):
            absent = missed and number == 2
            AttendanceRecord.objects.create(
                enrolment=enrolment,
                session=session,
                status="absent" if absent else "present",
                minutes_present=0 if absent else 240,
                recorded_at=session.end,
            )
        if not missed:
            complete.append(enrolment)
    return complete


def _funding(edition, enrolments, k: int) -> None:
    kind = KINDS[k % len(KINDS)]
    line = FundingLine.objects.create(
        edition=edition,
        kind=kind,
        funder="Fondimpresa" if kind == "fondo" else "",
        funded_hours=12,
        amount=Decimal(450 * len(enrolments)),
    )
    for enrolment in enrolments:
        PlaceFunding.objects.create(
            enrolment=enrolment,
            line=line,
            fund_share=Decimal(450) if kind == "fondo" else Decimal(0),
            company_share=Decimal(450) if kind == "company" else Decimal(0),
        )


def _english_title(course: CoursePage) -> str:
    """The English page's title (the English area shows it), if there is one."""
    english = course.get_translation_or_none(Locale.objects.get(language_code="en"))
    return english.title if english else ""


def load_report_history(
    *,
    courses: dict,
    venues: dict,
    users: dict[str, User],
    company: Company,
    now,
    created: Counter,
) -> None:
    spec = data("evaluations")["history"]
    if not CourseEdition.objects.filter(code__startswith=CODE).exists():
        people = _trainees()
        course_list = list(courses.values())
        venue = next(iter(venues.values()))
        teachers = [users[key] for key in spec["instructors"]]
        for k in range(EDITIONS):
            course = course_list[(k * 5) % len(course_list)]
            edition = _edition(k, course=course, venue=venue, now=now)
            history_instructor(edition, teachers[k % len(teachers) :] + teachers)
            created["history editions"] += 1
            enrolments = _enrol(
                edition, k, people=people, company=company, created=created
            )
            _attendance(edition, enrolments, k)
            _funding(edition, enrolments, k)
    editions = CourseEdition.objects.filter(code__startswith=CODE).order_by("code")
    for k, edition in enumerate(editions):
        history_evaluate(edition, k, spec=spec, created=created)
