"""Each report's figures against the small school of conftest, what the
filters change, and query counts that do not grow with the data."""

from decimal import Decimal

import pytest
from django.utils import timezone

from courses.models import Area
from insights.selectors import (
    ReportFilters,
    attendance_report,
    certificates_report,
    directory_report,
    fill_report,
    funding_report,
    home_figures,
)
from tests.factories import (
    ConfirmedEnrolmentFactory,
    GraduateProfileFactory,
    attendance_mark,
    edition_running,
)

pytestmark = pytest.mark.django_db


def rows_by_label(figures) -> dict:
    return {row[0]: row[1:] for row in figures.rows}


def test_fill_rate_per_edition(school):
    rows = rows_by_label(fill_report(filters=ReportFilters()))
    assert rows == {"RUN-1": [10, 3, 1, 30.0], "DONE-1": [10, 2, 0, 20.0]}


def test_fill_rate_per_area_and_month(school):
    by_area = rows_by_label(fill_report(filters=ReportFilters(by="area")))
    assert by_area == {
        str(Area.ADDITIVE.label): [10, 3, 1, 30.0],
        str(Area.ROBOTICS.label): [10, 2, 0, 20.0],
    }
    by_month = fill_report(filters=ReportFilters(by="month"))
    assert by_month.over_time
    assert sum(row[1] for row in by_month.rows) == 20
    assert sum(row[2] for row in by_month.rows) == 5


def test_fill_rate_filters(school):
    area = rows_by_label(fill_report(filters=ReportFilters(area=Area.ROBOTICS)))
    assert list(area) == ["DONE-1"]
    company = ReportFilters(company=school["company"].pk)
    # Only the editions with the company's employees, and only their places.
    assert rows_by_label(fill_report(filters=company)) == {"RUN-1": [10, 1, 0, 10.0]}
    funded = rows_by_label(fill_report(filters=ReportFilters(kind="fondo")))
    assert list(funded) == ["RUN-1"]
    course = ReportFilters(course=school["running"].course_id)
    assert list(rows_by_label(fill_report(filters=course))) == ["RUN-1"]
    today = timezone.localdate()
    future = ReportFilters(start=today, end=today)
    assert fill_report(filters=future).rows == []


def test_attendance_distribution_and_risk(school):
    rows = rows_by_label(attendance_report(filters=ReportFilters()))
    # Trainees, <50 %, 50 %-minimum, >= minimum, nothing recorded, at risk.
    # Half attended (the rest still to come) is between 50 % and the minimum.
    assert rows["RUN-1"] == [3, 1, 1, 0, 1, 1]
    assert rows["DONE-1"] == [2, 0, 0, 2, 0, 0]


def test_absences_per_session(school):
    figures = attendance_report(filters=ReportFilters(by="session"))
    assert [row[1:] for row in figures.rows] == [[1, 0], [1, 0]]
    assert all(row[0].startswith("RUN-1 ") for row in figures.rows)


def test_certificates_per_area_and_eqf(school):
    by_area = rows_by_label(certificates_report(filters=ReportFilters()))
    # Issued, revoked, expiring: both issued in the period, one revoked.
    assert by_area == {str(Area.ROBOTICS.label): [2, 1, 0]}
    by_eqf = rows_by_label(certificates_report(filters=ReportFilters(by="eqf")))
    assert by_eqf == {"EQF 4": [2, 1, 0]}
    other = ReportFilters(area=Area.ADDITIVE)
    assert certificates_report(filters=other).rows == []


def test_funding_by_kind_and_company(school):
    by_kind = funding_report(filters=ReportFilters()).rows
    assert len(by_kind) == 1
    assert by_kind[0][1:3] == [16, 1]
    assert by_kind[0][5] == Decimal("450.00")
    by_company = rows_by_label(funding_report(filters=ReportFilters(by="company")))
    assert by_company["Acme S.r.l."][0] == 1


def test_directory_per_month(school):
    GraduateProfileFactory()
    rows = directory_report(filters=ReportFilters()).rows
    assert sum(row[1] for row in rows) == 1


def test_home_figures(school):
    figures = {figure.report: figure.value for figure in home_figures()}
    assert figures["attendance"] == "1"
    assert figures["certificates"] == "2"
    assert figures["funding"] == "16"


READS = [
    (fill_report, ""),
    (fill_report, "area"),
    (fill_report, "month"),
    (attendance_report, ""),
    (attendance_report, "session"),
    (certificates_report, "area"),
    (certificates_report, "month"),
    (funding_report, "kind"),
    (funding_report, "company"),
    (funding_report, "voucher"),
    (directory_report, ""),
]


def _grow(school):
    """More editions, trainees and records than before."""
    for _ in range(3):
        edition, sessions, enrolments = edition_running(trainees=4, past=2)
        for enrolment in enrolments:
            attendance_mark(enrolment=enrolment, session=sessions[0], status="absent")
        ConfirmedEnrolmentFactory(edition=edition, status="waitlisted")


@pytest.mark.parametrize(("read", "by"), READS)
def test_query_counts_do_not_grow_with_the_data(
    school, django_assert_max_num_queries, read, by
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    filters = ReportFilters(by=by)
    with CaptureQueriesContext(connection) as small:
        read(filters=filters)
    _grow(school)
    with django_assert_max_num_queries(len(small.captured_queries)):
        read(filters=filters)
    assert len(small.captured_queries) <= 4
