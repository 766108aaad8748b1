"""Issue 22's substring searches read an index on PostgreSQL: pg_trgm GIN
indexes over UPPER(column) (people migration 0006), the very expression of
Django's `icontains`. On SQLite the migration does nothing and the same
searches still work (tests/enrolment/test_admin_search.py,
tests/directory/test_directory.py run on both)."""

import pytest
from django.db import connection

from people.models import GraduateProfile, User
from tests.factories import GraduateProfileFactory, UserFactory

pytestmark = pytest.mark.django_db

INDEXES = {
    "people_user_first_name_trgm",
    "people_user_last_name_trgm",
    "people_user_email_trgm",
    "people_profile_headline_trgm",
    "people_profile_skills_trgm",
}
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="pg_trgm indexes: PostgreSQL only"
)


def plan(queryset) -> str:
    """EXPLAIN of the queryset with sequential scans priced out, as on a table
    too large to scan (the test tables hold a handful of rows)."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@postgresql_only
def test_the_migration_creates_every_trigram_index():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname LIKE '%_trgm'")
        found = {row[0] for row in cursor.fetchall()}
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        assert cursor.fetchone() is not None
    assert found >= INDEXES


@postgresql_only
def test_a_name_or_email_search_reads_the_trigram_indexes():
    UserFactory(first_name="Ottavia", email="ottavia@example.com")
    query = User.objects.filter(first_name__icontains="ttav") | User.objects.filter(
        email__icontains="avia@"
    )
    shown = plan(query)
    assert "people_user_first_name_trgm" in shown
    assert "people_user_email_trgm" in shown


@postgresql_only
def test_a_directory_text_search_reads_the_trigram_indexes():
    GraduateProfileFactory(headline="Saldatrice robotica", skills="fresatura")
    shown = plan(
        GraduateProfile.objects.filter(headline__icontains="robot")
        | GraduateProfile.objects.filter(skills__icontains="fresa")
    )
    assert "people_profile_headline_trgm" in shown
    assert "people_profile_skills_trgm" in shown


def test_substring_searches_match_the_same_rows_on_every_database():
    person = UserFactory(first_name="Ottavia", last_name="Ruggeri")
    UserFactory(first_name="Marco", last_name="Bianchi")
    assert list(User.objects.filter(last_name__icontains="UGGE")) == [person]
