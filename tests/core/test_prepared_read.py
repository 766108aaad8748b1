"""core.sql.PreparedRead: compiled once per connection, the same rows as its
queryset for every set of arguments (on SQLite and on PostgreSQL)."""

import datetime

import pytest
from django.db import connection, connections
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from core.sql import PreparedRead, _numbered, prepared_read
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


@pytest.fixture
def read():
    return PreparedRead(_sessions, edition_id=-1_000_001, after=SAMPLE_TIME)


def test_rows_are_the_querysets_for_every_argument(read):
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


def test_it_compiles_once_per_connection(read, monkeypatch):
    edition = CourseEditionFactory(sessions=2)
    read.rows(edition_id=edition.pk, after=rome_at(0))
    compiled = read._compiled[connections["default"]]

    def no_second_build(**kwargs):
        raise AssertionError("built again")

    monkeypatch.setattr(read, "build", no_second_build)
    with CaptureQueriesContext(connection) as captured:
        rows = read.rows(edition_id=edition.pk, after=rome_at(31))
    assert len(rows) == 1
    assert len(captured) == 1
    assert read._compiled[connections["default"]] is compiled


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="prepared statements: PostgreSQL"
)
@pytest.mark.django_db(transaction=True)
def test_on_postgresql_it_is_a_prepared_statement_again_after_a_reconnection(
    read, wagtail_root
):
    edition = CourseEditionFactory(sessions=2)
    expected = list(_sessions(edition_id=edition.pk, after=rome_at(0)))
    for _ in range(2):
        with CaptureQueriesContext(connection) as captured:
            assert read.rows(edition_id=edition.pk, after=rome_at(0)) == expected
        assert captured[-1]["sql"].startswith(f"EXECUTE {read.statement}(")
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_prepared_statements WHERE name = %s",
                [read.statement],
            )
            assert cursor.fetchone() == (1,)
        # A new database session has no prepared statements: prepared again.
        connection.close()


def test_placeholders_are_numbered_and_escaped_percents_kept():
    assert _numbered("SELECT %s, '50%%', x LIKE %s") == (
        "SELECT $1, '50%', x LIKE $2",
        2,
    )


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


def test_a_sample_that_does_not_reach_the_parameters_is_refused():
    read = PreparedRead(
        lambda *, topic: Session.objects.filter(topic__contains=topic).values_list(
            "pk"
        ),
        topic="lezione",
    )
    with pytest.raises(ValueError, match="topic's sample"):
        read.rows(topic="saldatura")


def test_arguments_must_be_the_samples_and_samples_distinct(read):
    with pytest.raises(TypeError):
        read.rows(edition_id=1)
    with pytest.raises(ValueError, match="sample of its own"):
        PreparedRead(_sessions, edition_id=7, after=7)
