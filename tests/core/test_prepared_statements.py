"""Prepared statements come from the database settings alone (decision 0007):
on PostgreSQL psycopg binds parameters on the server and prepares a query once
it has run MAKERS_DB_PREPARE_THRESHOLD times on a connection. The hot reads are
plain querysets; this proves one of them, the enrol view's edition with its
prechecks, becomes a prepared statement and still reads right."""

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import connection

from enrolment.selectors import edition_for_enrolment
from makers_school.settings.base import prepare_threshold
from tests.factories import CourseEditionFactory, TraineeFactory


@pytest.mark.parametrize(
    ("value", "threshold"),
    [(None, 5), ("0", 0), ("2", 2), (" 7 ", 7), ("off", None), ("OFF", None)],
)
def test_the_threshold_comes_from_the_environment(monkeypatch, value, threshold):
    if value is None:
        monkeypatch.delenv("MAKERS_DB_PREPARE_THRESHOLD", raising=False)
    else:
        monkeypatch.setenv("MAKERS_DB_PREPARE_THRESHOLD", value)
    assert prepare_threshold() == threshold


def _prechecks_prepared() -> list[str]:
    """This connection's prepared statements that read the enrolment prechecks."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall() if '"email_verified"' in row[0]]


def _read(trainee, edition) -> tuple:
    edition_read, prechecks = edition_for_enrolment(
        trainee=trainee, edition_id=edition.pk
    )
    return edition_read.pk, edition_read.code, prechecks


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="prepared statements: PostgreSQL"
)
# Real transactions: the test starts on a connection of its own, so earlier
# tests' runs of the same read count for nothing.
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("wagtail_root")
def test_on_postgresql_the_prechecks_are_prepared_after_the_threshold():
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["server_side_binding"] is True
    threshold = options["prepare_threshold"]
    if threshold is None:
        pytest.skip("MAKERS_DB_PREPARE_THRESHOLD=off: nothing is prepared")
    edition, other = CourseEditionFactory(sessions=0), CourseEditionFactory(sessions=0)
    trainee, unverified = TraineeFactory(), TraineeFactory()
    EmailAddress.objects.filter(user=unverified).update(verified=False)
    connection.close()
    connection.ensure_connection()
    assert connection.connection.prepare_threshold == threshold
    expected = (edition.pk, edition.code, (False, True, False))
    # `threshold` runs: none prepared yet.
    for _ in range(threshold):
        assert _read(trainee, edition) == expected
    assert _prechecks_prepared() == []
    # One run more: psycopg prepares it, and it stays right for other arguments.
    assert _read(trainee, edition) == expected
    (statement,) = _prechecks_prepared()
    assert "$1" in statement and "$2" in statement  # bound by the server
    assert _read(trainee, other) == (other.pk, other.code, (False, True, False))
    assert _read(unverified, other) == (other.pk, other.code, (False, False, False))
    assert _prechecks_prepared() == [statement]
    assert edition_for_enrolment(trainee=trainee, edition_id=-5) is None
