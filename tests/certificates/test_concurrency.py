"""Bulk issue racing itself on PostgreSQL: real threads, each with its own
connection, real commits. Row locks (the edition in run_start, a run's items
skipped when locked, the enrolment while its certificate is made) and the unique
valid certificate per enrolment must leave every eligible enrolment certified
exactly once, whoever wins."""

import time

import pytest

from certificates import services
from certificates.exceptions import CertificateError
from certificates.models import (
    Certificate,
    CertificateStatus,
    IssueRun,
    ItemStatus,
    RunStatus,
)
from tests import concurrency
from tests.factories import edition_completed

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("wagtail_root"),
]

TRAINEES = 12


def run_at_once(jobs, *, timeout: float = 120) -> tuple[list[str], list[str]]:
    """Every job at once; the refusals in English (the messages compared below)."""
    return concurrency.run_at_once(
        jobs, refusal=CertificateError, language="en", timeout=timeout
    )


def _running_run(edition, *, timeout: float = 30) -> IssueRun | None:
    """The edition's run once one has started (None if it is already over)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run = IssueRun.objects.filter(edition=edition).first()
        if run is not None:
            return run
        time.sleep(0.02)
    raise AssertionError("no run started")


def test_two_bulk_runs_started_at_once_certify_each_enrolment_once(settings):
    """Two staff press "issue all" at once while two more workers join the run
    and two others issue certificates one by one, front to back and back to
    front."""
    settings.MAKERS_CERTIFICATE_RUN_TASKS = 2  # immediate backend: in the thread
    edition, _, enrolments = edition_completed(trainees=TRAINEES)

    def start():
        services.run_start(edition=edition, actor=None)

    def join_the_run():
        run = _running_run(edition)
        services.run_work(run_id=run.pk)

    def one_by_one(order):
        def issue():
            for enrolment in order:
                services.certificate_issue(enrolment=enrolment, actor=None)

        return issue

    refusals, errors = run_at_once(
        [
            start,
            start,
            join_the_run,
            join_the_run,
            one_by_one(enrolments),
            one_by_one(enrolments[::-1]),
        ]
    )
    assert errors == []
    # The second "issue all" found the first running, or nothing left to do.
    assert len(refusals) == 1
    assert "already being issued" in refusals[0] or "No enrolment" in refusals[0]
    (run,) = IssueRun.objects.filter(edition=edition)
    assert run.status == RunStatus.DONE
    valid = Certificate.objects.filter(
        enrolment__edition=edition, status=CertificateStatus.VALID
    )
    assert sorted(valid.values_list("enrolment_id", flat=True)) == sorted(
        e.pk for e in enrolments
    )
    assert Certificate.objects.filter(enrolment__edition=edition).count() == TRAINEES
    assert len(set(valid.values_list("serial", flat=True))) == TRAINEES
    # Every item of the run points at its enrolment's one certificate.
    items = list(run.items.select_related("certificate"))
    assert {item.status for item in items} == {ItemStatus.ISSUED}
    assert all(item.certificate.enrolment_id == item.enrolment_id for item in items)


def test_four_workers_of_one_run_issue_each_certificate_once(settings):
    """As after a run resumed while its first workers still lived (slow, not
    dead): old and new workers together issue each certificate once, each with
    the serial its item took when the run started."""
    settings.MAKERS_CERTIFICATE_RUN_TASKS = 0  # the workers are the threads
    edition, _, enrolments = edition_completed(trainees=TRAINEES)
    run = services.run_start(edition=edition, actor=None)

    refusals, errors = run_at_once(
        [lambda: services.run_work(run_id=run.pk) for _ in range(4)]
    )
    assert (refusals, errors) == ([], [])
    run.refresh_from_db()
    assert run.status == RunStatus.DONE
    items = list(run.items.select_related("certificate"))
    assert {item.status for item in items} == {ItemStatus.ISSUED}
    assert sorted(item.certificate.serial for item in items) == sorted(
        item.serial for item in items
    )
    assert Certificate.objects.filter(enrolment__edition=edition).count() == TRAINEES
