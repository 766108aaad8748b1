"""A small school with known figures for the reports: two courses in two
areas, an edition running (three trainees, one waitlisted, one trainee at
risk) and a completed one (two trainees, two certificates, one revoked),
one funded place, one company sponsoring one trainee."""

from decimal import Decimal

import pytest
from django.utils import timezone

from courses.models import Area
from tests.factories import (
    CompanyFactory,
    CompanyMemberFactory,
    ConfirmedEnrolmentFactory,
    CoursePageFactory,
    FundingLineFactory,
    PlaceFundingFactory,
    StaffFactory,
    attendance_mark,
    certificate_row,
    edition_completed,
    edition_running,
)


@pytest.fixture
def school(site):
    running_course = CoursePageFactory(area=Area.ADDITIVE, eqf_level=4)
    running, sessions, (good, absent, _unrecorded) = edition_running(
        trainees=3, past=2, course=running_course, code="RUN-1"
    )
    ConfirmedEnrolmentFactory(edition=running, status="waitlisted")
    for session in sessions[:2]:
        attendance_mark(enrolment=good, session=session)
        attendance_mark(enrolment=absent, session=session, status="absent")
    done_course = CoursePageFactory(area=Area.ROBOTICS, eqf_level=5)
    done, _, (first, second) = edition_completed(
        trainees=2, competencies=0, course=done_course, code="DONE-1"
    )
    certificate_row(holder=first.trainee, enrolment=first)
    certificate_row(
        holder=second.trainee,
        enrolment=second,
        status="revoked",
        revoked_at=timezone.now(),
        revoked_reason="Error",
    )
    company = CompanyFactory(name="Acme S.r.l.")
    good.sponsor_company = company
    good.save()
    line = FundingLineFactory(edition=running, kind="fondo", funded_hours=16)
    PlaceFundingFactory(line=line, enrolment=good, fund_share=Decimal("450.00"))
    return {
        "running": running,
        "done": done,
        "sessions": sessions,
        "company": company,
        "good": good,
        "absent": absent,
    }


@pytest.fixture
def staff_client(client):
    client.force_login(StaffFactory())
    return client


@pytest.fixture
def manager(school):
    member = CompanyMemberFactory(company=school["company"], is_manager=True)
    return member.user
