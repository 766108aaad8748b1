"""core.sql.prepared_read: the rows of its queryset for every set of arguments
(on SQLite and on PostgreSQL), and on PostgreSQL a prepared statement of the
connection once psycopg's prepare_threshold is passed (database OPTIONS)."""

import datetime

import pytest
from django.conf import settings
from django.db import connection
from django.db.models import Count

from core.sql import prepared_read
from courses.models import Session
from tests.factories import CourseEditionFactory, SessionFactory, rome_at

pytestmark = pytest.mark.django_db

SAMPLE_TIME = datetime.datetime(1901, 1, 1, tzinfo=datetime.UTC)


def _sessions(*, edition_id, after):
    return (
        Session.objects.filter(edition_id=edition_id, start__gte=after)
        .order_by("start")
        .values_list("start", "topic", "cancelled")
    )


read = prepared_read(edition_id=-1_000_001, after=SAMPLE_TIME)(_sessions)


def test_rows_are_the_querysets_for_every_argument():
    edition = CourseEditionFactory(sessions=0)
    other = CourseEditionFactory(sessions=0)
    for days in (10, 20, 30):
        SessionFactory(edition=edition, start=rome_at(days, hour=9), topic="Saldatura")
    SessionFactory(edition=other, start=rome_at(15), cancelled=True)
    for edition_id, after in (
        (edition.pk, rome_at(0)),
        (edition.pk, rome_at(15)),
        (other.pk, rome_at(0)),
        (edition.pk, rome_at(40)),
    ):
        expected = list(_sessions(edition_id=edition_id, after=after))
        assert read.rows(edition_id=edition_id, after=after) == expected
    # Converted as the queryset converts: aware datetimes and booleans.
    start, _, cancelled = read.rows(edition_id=other.pk, after=rome_at(0))[0]
    assert start == rome_at(15) and start.tzinfo is not None
    assert cancelled is True


def test_aggregates_read_the_same_as_the_queryset():
    @prepared_read(edition_id=-1_000_001)
    def counts(*, edition_id):
        return (
            Session.objects.filter(edition_id=edition_id)
            .order_by()
            .values("edition_id")
            .annotate(sessions=Count("pk"))
            .values_list("sessions")
        )

    edition = CourseEditionFactory(sessions=3)
    assert counts.rows(edition_id=edition.pk) == [(3,)]
    assert counts.rows(edition_id=-5) == []


def test_unknown_arguments_are_refused():
    with pytest.raises(TypeError):
        read.rows(edition_id=1)


def _prepared_statements() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="prepared statements: PostgreSQL"
)
def test_on_postgresql_the_read_is_prepared_after_the_threshold():
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["server_side_binding"] is True
    threshold = options["prepare_threshold"]
    if threshold is None:
        pytest.skip("MAKERS_DB_PREPARE_THRESHOLD=off: nothing is prepared")
    assert connection.connection.prepare_threshold == threshold
    edition = CourseEditionFactory(sessions=2)
    expected = list(_sessions(edition_id=edition.pk, after=rome_at(0)))
    table = Session._meta.db_table

    def ours() -> list[str]:
        return [sql for sql in _prepared_statements() if f'"{table}"."topic"' in sql]

    # The queryset above ran once: `threshold` runs in all, none prepared yet.
    for _ in range(threshold - 1):
        assert read.rows(edition_id=edition.pk, after=rome_at(0)) == expected
    assert ours() == []
    # One run more than the threshold: psycopg prepares it, and it stays right.
    assert read.rows(edition_id=edition.pk, after=rome_at(0)) == expected
    (statement,) = ours()
    assert "$1" in statement and "$2" in statement  # bound by the server
    assert read.rows(edition_id=edition.pk, after=rome_at(40)) == list(
        _sessions(edition_id=edition.pk, after=rome_at(40))
    )
