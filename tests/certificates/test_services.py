import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from certificates import services
from certificates.exceptions import CertificateError
from certificates.models import (
    Certificate,
    CertificateStatus,
    IssueRun,
    ItemStatus,
    RunStatus,
)
from certificates.selectors import edition_eligibility, run_progress
from core.audit import audit_entries
from courses.models import EditionStatus
from tests.factories import (
    StaffFactory,
    edition_completed,
    rome_at,
)

pytestmark = pytest.mark.django_db


def test_serials_follow_each_other_and_codes_are_random(site):
    edition, _, enrolments = edition_completed(trainees=3)
    issued = [services.certificate_issue(enrolment=e, actor=None) for e in enrolments]
    numbers = [int(c.serial.rsplit("-", 1)[1]) for c in issued]
    assert all(re.fullmatch(r"MS-20\d\d-\d{6}", c.serial) for c in issued)
    assert numbers == [numbers[0], numbers[0] + 1, numbers[0] + 2]
    codes = {c.verification_code for c in issued}
    assert len(codes) == 3 and all(len(code) >= 32 for code in codes)


def test_issuing_twice_returns_the_same_certificate(site):
    _, _, enrolments = edition_completed(trainees=1)
    first = services.certificate_issue(enrolment=enrolments[0], actor=None)
    again = services.certificate_issue(enrolment=enrolments[0], actor=None)
    assert again.pk == first.pk
    assert Certificate.objects.count() == 1
    entries = audit_entries(instance=first, prefix="makers.certificate.")
    assert [e.action for e in entries] == ["makers.certificate.issued"]


def test_eligibility_gives_every_reason(site):
    edition, sessions, enrolments = edition_completed(trainees=4, mandatory=True)
    low, mandatory, competency, fine = enrolments
    # 4 of 8 hours: 50 % against 80 %.
    low.attendance_records.filter(session=sessions[0]).update(
        status="absent", minutes_present=0
    )
    mandatory.attendance_records.filter(session=sessions[1]).update(
        status="excused", minutes_present=0
    )
    competency.assessments.update(achieved=False)
    rows = {row.enrolment.pk: row for row in edition_eligibility(edition=edition)}
    assert rows[fine.pk].eligible and rows[fine.pk].reasons == []
    assert not rows[low.pk].eligible
    assert "below the minimum of 80 % by 30.0 points" in rows[low.pk].reasons[0]
    assert any("Mandatory session missed" in r for r in rows[mandatory.pk].reasons)
    assert any("Competency not achieved" in r for r in rows[competency.pk].reasons)
    with pytest.raises(CertificateError, match="by 30.0 points"):
        services.certificate_issue(enrolment=low, actor=None)


def test_edition_not_completed_is_not_eligible(site):
    edition, _, enrolments = edition_completed(trainees=1)
    edition.status = EditionStatus.IN_PROGRESS
    edition.save()
    (row,) = edition_eligibility(edition=edition)
    assert not row.eligible
    assert row.reasons == ["The edition is not completed yet."]


def test_eligibility_runs_a_fixed_number_of_queries(site):
    edition, _, _ = edition_completed(trainees=2)
    with CaptureQueriesContext(connection) as few:
        edition_eligibility(edition=edition)
    edition_more, sessions, _ = edition_completed(trainees=6, competencies=4)
    with CaptureQueriesContext(connection) as many:
        edition_eligibility(edition=edition_more)
    assert len(many) == len(few)


def test_snapshot_survives_renaming_the_course_and_the_trainee(certificate):
    course = certificate.enrolment.edition.course
    course.title = "Un altro titolo"
    course.save()
    trainee = certificate.holder
    trainee.first_name = "Mario"
    trainee.save()
    certificate.refresh_from_db()
    assert certificate.course_title != "Un altro titolo"
    assert certificate.holder_full_name == "Niccolò Dell'Àcqua"
    assert certificate.competencies[0]["esco_uri"].startswith(
        "http://data.europa.eu/esco/skill/"
    )
    assert certificate.competencies[0]["eqf_level"] == 4


def test_revoke_needs_a_reason_and_is_audited(certificate):
    staff = StaffFactory()
    with pytest.raises(CertificateError):
        services.certificate_revoke(certificate=certificate, actor=staff, reason=" ")
    revoked = services.certificate_revoke(
        certificate=certificate, actor=staff, reason="Issued by mistake"
    )
    assert revoked.status == CertificateStatus.REVOKED
    assert revoked.revoked_at and revoked.revoked_reason == "Issued by mistake"
    with pytest.raises(CertificateError, match="already revoked"):
        services.certificate_revoke(certificate=revoked, actor=staff, reason="again")
    actions = [
        e.action for e in audit_entries(instance=revoked, prefix="makers.certificate.")
    ]
    assert actions == ["makers.certificate.issued", "makers.certificate.revoked"]


def test_reissue_gives_a_new_serial_that_replaces_the_old(certificate):
    staff = StaffFactory()
    trainee = certificate.holder
    trainee.last_name = "Dell'Acqua"
    trainee.save()
    new = services.certificate_reissue(
        certificate=certificate, actor=staff, reason="Surname corrected"
    )
    certificate.refresh_from_db()
    assert new.serial != certificate.serial
    assert new.replaces == certificate
    assert certificate.status == CertificateStatus.SUPERSEDED
    assert new.holder_family_name == "Dell'Acqua"
    with pytest.raises(CertificateError):
        services.certificate_reissue(certificate=certificate, actor=staff, reason="x")


def test_nothing_is_issued_without_the_signing_key(site, settings):
    _, _, enrolments = edition_completed(trainees=1)
    settings.MAKERS_SIGNING_P12 = None
    with pytest.raises(CertificateError, match="signing key is not configured"):
        services.certificate_issue(enrolment=enrolments[0], actor=None)
    assert not Certificate.objects.exists()


def test_a_bulk_run_issues_every_eligible_once(
    site, django_capture_on_commit_callbacks
):
    edition, _, enrolments = edition_completed(trainees=3)
    services.certificate_issue(enrolment=enrolments[0], actor=None)
    with django_capture_on_commit_callbacks(execute=True):
        run = services.run_start(edition=edition, actor=None)
    run.refresh_from_db()
    assert run.status == RunStatus.DONE
    assert run.items.count() == 2
    assert set(run.items.values_list("status", flat=True)) == {ItemStatus.ISSUED}
    assert Certificate.objects.filter(enrolment__edition=edition).count() == 3
    with pytest.raises(CertificateError, match="No enrolment"):
        services.run_start(edition=edition, actor=None)


def test_the_bulk_issue_task_run_twice_issues_nothing_twice(
    site, django_capture_on_commit_callbacks
):
    """RQ may run it again (a retry, a worker that died after the work): the
    rerun finds nothing pending and issues nothing."""
    edition, _, enrolments = edition_completed(trainees=3)
    with django_capture_on_commit_callbacks(execute=True):
        run = services.run_start(edition=edition, actor=None)
    assert services.certificates_issue_task.call(run_id=run.pk) == 0
    assert services.certificates_issue_task.call(run_id=run.pk) == 0
    assert Certificate.objects.filter(enrolment__edition=edition).count() == 3
    assert run.items.filter(status=ItemStatus.ISSUED).count() == 3


def test_a_stalled_run_is_resumed_and_finishes(site, settings, time_machine):
    edition, _, enrolments = edition_completed(trainees=3)
    run = IssueRun.objects.create(edition=edition, heartbeat_at=rome_at(-1))
    for enrolment in enrolments:
        run.items.create(enrolment=enrolment)
    # A worker died after one certificate.
    services.run_work(run_id=run.pk, limit=1)
    run.refresh_from_db()
    assert run.status == RunStatus.RUNNING
    with pytest.raises(CertificateError, match="not stalled"):
        services.run_resume(run=run, actor=None)
    IssueRun.objects.filter(pk=run.pk).update(heartbeat_at=rome_at(-1))
    services.run_resume(run=run, actor=None)
    services.run_work(run_id=run.pk)
    services.run_work(run_id=run.pk)  # a second worker finds nothing left
    run.refresh_from_db()
    assert run.status == RunStatus.DONE
    assert Certificate.objects.filter(enrolment__edition=edition).count() == 3


def test_a_run_takes_its_serials_at_the_start_and_a_resumed_run_prints_them(
    site, settings, django_capture_on_commit_callbacks
):
    """The workers of a run never wait on the year's counter: each item has its
    serial from run_start, and a worker that dies leaves it to the resume."""
    settings.MAKERS_CERTIFICATE_RUN_TASKS = 0  # the workers are called below
    edition, _, enrolments = edition_completed(trainees=3)
    with django_capture_on_commit_callbacks(execute=True):
        run = services.run_start(edition=edition, actor=None)
    serials = list(run.items.order_by("pk").values_list("serial", flat=True))
    numbers = [int(serial.rsplit("-", 1)[1]) for serial in serials]
    assert numbers == [numbers[0], numbers[0] + 1, numbers[0] + 2]
    # A certificate issued meanwhile takes the next number after the run's.
    _, _, others = edition_completed(trainees=1)
    single = services.certificate_issue(enrolment=others[0], actor=None)
    assert int(single.serial.rsplit("-", 1)[1]) == numbers[-1] + 1

    services.run_work(run_id=run.pk, limit=1)  # then the worker died
    IssueRun.objects.filter(pk=run.pk).update(heartbeat_at=rome_at(-1))
    services.run_resume(run=run, actor=None)
    services.run_work(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == RunStatus.DONE
    issued = dict(run.items.values_list("serial", "certificate__serial"))
    assert issued == {serial: serial for serial in serials}


def test_a_run_beats_its_heartbeat_without_a_write_per_certificate(
    site, settings, django_capture_on_commit_callbacks, monkeypatch
):
    settings.MAKERS_CERTIFICATE_RUN_TASKS = 0
    # However slow the machine, the three certificates fit in one interval.
    monkeypatch.setattr(services, "_heartbeat_seconds", lambda: 3600.0)
    edition, _, _ = edition_completed(trainees=3)
    with django_capture_on_commit_callbacks(execute=True):
        run = services.run_start(edition=edition, actor=None)
    with CaptureQueriesContext(connection) as queries:
        assert services.run_work(run_id=run.pk) == 3
    beats = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith('UPDATE "certificates_issuerun"')
        and "heartbeat_at" in q["sql"]
        and '"status"' not in q["sql"]
    ]
    assert len(beats) == 1  # the first certificate's; the run then finished
    run.refresh_from_db()
    assert run.status == RunStatus.DONE and not run_progress(run=run).stalled
