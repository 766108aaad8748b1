"""Eligibility, two ways: the edition's table (the staff page) and one
enrolment's (what issuing reads). They must give the same answer, reason for
reason, and the one-enrolment read must not grow with the edition."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from certificates import services
from certificates.selectors import edition_eligibility, enrolment_eligibility
from courses.models import EditionStatus
from enrolment.models import Enrolment, EnrolmentStatus
from tests.factories import edition_completed

pytestmark = pytest.mark.django_db


def _loaded(enrolment):
    """The enrolment as certificate_issue reads it (edition and course joined)."""
    return Enrolment.objects.select_related(
        "trainee", "edition__course", "edition__venue"
    ).get(pk=enrolment.pk)


def _same(row, one):
    assert one.enrolment.pk == row.enrolment.pk
    assert one.eligible == row.eligible
    assert one.reasons == row.reasons
    assert one.attendance_percent == row.attendance_percent
    assert [c.pk for c in one.competencies] == [c.pk for c in row.competencies]
    assert (one.certificate and one.certificate.pk) == (
        row.certificate and row.certificate.pk
    )


def test_one_enrolment_and_the_edition_agree_on_every_case(site):
    edition, sessions, enrolments = edition_completed(
        trainees=8, competencies=3, mandatory=True
    )
    fine, low, mandatory, failed, unassessed, unrecorded, issued, partial = enrolments
    low.attendance_records.filter(session=sessions[0]).update(
        status="absent", minutes_present=0
    )
    mandatory.attendance_records.filter(session=sessions[1]).update(
        status="excused", minutes_present=0
    )
    failed.assessments.update(achieved=False)
    unassessed.assessments.all().delete()
    unrecorded.attendance_records.filter(session=sessions[0]).delete()
    services.certificate_issue(enrolment=issued, actor=None)
    # Late by an hour at the first session: 7 of 8 hours, 87.5 %.
    partial.attendance_records.filter(session=sessions[0]).update(
        status="late", minutes_present=180
    )
    rows = {row.enrolment.pk: row for row in edition_eligibility(edition=edition)}
    assert len(rows) == 8
    for enrolment in enrolments:
        _same(rows[enrolment.pk], enrolment_eligibility(enrolment=_loaded(enrolment)))
    # The cases are the ones meant: each fails for its own reason.
    assert rows[fine.pk].eligible and rows[partial.pk].eligible
    assert rows[partial.pk].attendance_percent == pytest.approx(87.5)
    assert rows[issued.pk].certificate is not None
    assert "below the minimum" in rows[low.pk].reasons[0]
    assert any("Mandatory session missed" in r for r in rows[mandatory.pk].reasons)
    assert sum("Competency not achieved" in r for r in rows[failed.pk].reasons) == 3
    assert sum("Competency not achieved" in r for r in rows[unassessed.pk].reasons) == 3
    assert not rows[unrecorded.pk].eligible


def test_they_agree_on_an_edition_not_completed_and_a_cancelled_session(site):
    edition, sessions, enrolments = edition_completed(trainees=2)
    sessions[0].cancelled = True
    sessions[0].save()
    enrolments[1].attendance_records.filter(session=sessions[1]).delete()
    edition.status = EditionStatus.IN_PROGRESS
    edition.save()
    rows = {row.enrolment.pk: row for row in edition_eligibility(edition=edition)}
    for enrolment in enrolments:
        _same(rows[enrolment.pk], enrolment_eligibility(enrolment=_loaded(enrolment)))
    assert rows[enrolments[0].pk].reasons == ["The edition is not completed yet."]
    assert rows[enrolments[0].pk].attendance_percent == 100


def test_an_enrolment_not_confirmed_is_never_eligible_and_keeps_its_certificate(
    site,
):
    edition, _, enrolments = edition_completed(trainees=2)
    certificate = services.certificate_issue(enrolment=enrolments[0], actor=None)
    Enrolment.objects.filter(pk__in=[e.pk for e in enrolments]).update(
        status=EnrolmentStatus.CANCELLED
    )
    assert edition_eligibility(edition=edition) == []
    issued = enrolment_eligibility(enrolment=_loaded(enrolments[0]))
    other = enrolment_eligibility(enrolment=_loaded(enrolments[1]))
    assert not issued.eligible and issued.certificate.pk == certificate.pk
    assert not other.eligible and other.reasons == ["The enrolment is not confirmed."]
    # Issuing again returns the certificate it has; the other is refused.
    again = services.certificate_issue(enrolment=enrolments[0], actor=None)
    assert again.pk == certificate.pk


def test_one_enrolment_is_read_in_queries_that_do_not_grow_with_the_edition(site):
    _, _, small = edition_completed(trainees=2, competencies=1)
    _, _, large = edition_completed(trainees=12, competencies=5)
    few_enrolment, many_enrolment = _loaded(small[0]), _loaded(large[0])
    with CaptureQueriesContext(connection) as few:
        enrolment_eligibility(enrolment=few_enrolment)
    with CaptureQueriesContext(connection) as many:
        enrolment_eligibility(enrolment=many_enrolment)
    # The certificate, attendance, assessments, and whether the certificate
    # waits for the course questionnaire (evaluations.selectors).
    assert len(few) == len(many) == 4
    # Nothing of the other trainees is read: every query names this enrolment
    # or its edition/course.
    for query in many.captured_queries:
        assert "enrolment_enrolment" not in query["sql"]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("it", None),
        ("en", "Attendance 16.7 % is below the minimum of 80 % by 63.3 points."),
    ],
)
def test_reasons_write_numbers_in_the_active_language(site, language, expected):
    """Issue 14: "16.7 %" beside "16,7 %" on the Italian pages."""
    from django.utils import translation

    edition, sessions, enrolments = edition_completed(trainees=1)
    # 80 of 480 minutes: 16.666... %.
    enrolments[0].attendance_records.filter(session=sessions[0]).update(
        status="left_early", minutes_present=80
    )
    enrolments[0].attendance_records.filter(session=sessions[1]).update(
        status="absent", minutes_present=0
    )
    with translation.override(language):
        reasons = edition_eligibility(edition=edition)[0].reasons
    if language == "it":
        # The message is translated too; its numbers are what this checks.
        assert "16,7" in reasons[0] and "63,3" in reasons[0]
        assert "16.7" not in reasons[0] and "63.3" not in reasons[0]
    else:
        assert reasons[0] == expected
