"""Registration numbers under concurrent issues, on PostgreSQL: real threads,
each with its own connection. Each issue takes the year's next number in its
own transaction (the year's counter row is locked), so numbers never repeat
and leave no gap, whichever kind of certificate is issued."""

import pytest

from certificates import services
from certificates.exceptions import CertificateError
from certificates.models import Certificate, CertificateKind
from tests import concurrency
from tests.factories import edition_completed

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("wagtail_root"),
]


def test_issues_at_once_take_distinct_consecutive_numbers():
    _, _, enrolments = edition_completed(trainees=3)

    def issue(enrolment, kind):
        def job():
            services.certificate_issue(enrolment=enrolment, actor=None, kind=kind)

        return job

    jobs = [issue(e, CertificateKind.COMPETENCY) for e in enrolments] + [
        issue(e, CertificateKind.ATTENDANCE) for e in enrolments
    ]
    refusals, errors = concurrency.run_at_once(
        jobs, refusal=CertificateError, language="en", timeout=120
    )
    assert errors == [] and refusals == []
    serials = list(Certificate.objects.values_list("serial", flat=True))
    assert len(serials) == len(set(serials)) == 6
    numbers = sorted(int(serial.rsplit("-", 1)[1]) for serial in serials)
    assert numbers == list(range(numbers[0], numbers[0] + 6))
