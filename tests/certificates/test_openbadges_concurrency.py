"""First downloads of Open Badges racing on PostgreSQL: real threads, each
with its own connection. Each certificate ends with one record and one
status-list bit, every build of it names that bit, and no two certificates
share one."""

import pytest

from certificates import services
from certificates.credentials.models import OpenBadgeRecord
from certificates.credentials.openbadge import openbadge_build
from certificates.exceptions import CertificateError
from tests import concurrency
from tests.factories import edition_completed

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("wagtail_root"),
]


def test_first_builds_at_once_assign_one_bit_per_certificate(monkeypatch):
    _edition, _sessions, enrolments = edition_completed(trainees=3)
    certificates = [
        services.certificate_issue(enrolment=enrolment, actor=None)
        for enrolment in enrolments
    ]
    # Every draw collides at first: the certificates race for the same bits.
    draws = iter([7, 7, 7, 7, 7, 7, 8, 8, 8, 8, 8, 8, 9, 9, 9, 9, 10, 11, 12] * 4)
    monkeypatch.setattr(
        "certificates.credentials.services.secrets.randbelow",
        lambda n: next(draws),
    )
    built: dict[int, list[str]] = {c.pk: [] for c in certificates}

    def build(certificate):
        def job():
            credential = openbadge_build(certificate=certificate)
            built[certificate.pk].append(
                credential["credentialStatus"]["statusListIndex"]
            )

        return job

    refusals, errors = concurrency.run_at_once(
        [build(c) for c in certificates for _ in range(3)],
        refusal=CertificateError,
    )
    assert (refusals, errors) == ([], [])
    records = {r.certificate_id: r for r in OpenBadgeRecord.objects.all()}
    assert sorted(records) == sorted(c.pk for c in certificates)
    assert len({r.status_index for r in records.values()}) == len(certificates)
    for pk, indexes in built.items():
        assert indexes == [str(records[pk].status_index)] * 3
