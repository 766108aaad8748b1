"""Trigram indexes for the staff's and companies' substring searches (issue 22).

Django's `icontains` on PostgreSQL is `UPPER(col::text) LIKE UPPER(%s)`: a GIN
index of pg_trgm over that very expression serves it, so finding a person by
a piece of their name or email (the staff enrolment listing) or a profile by
a word of its headline or skills (the graduate directory) reads the index,
not every row. PostgreSQL only: SQLite (development, tests) has no such index
and keeps its plain scan; TrigramExtension does nothing there either.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEXES = [
    ("people_user_first_name_trgm", "people_user", "first_name"),
    ("people_user_last_name_trgm", "people_user", "last_name"),
    ("people_user_email_trgm", "people_user", "email"),
    ("people_profile_headline_trgm", "people_graduateprofile", "headline"),
    ("people_profile_skills_trgm", "people_graduateprofile", "skills"),
]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table, column in INDEXES:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" '
            f'USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0005_refuse_markup_in_company_names"),
    ]

    operations = [
        TrigramExtension(),
        migrations.RunPython(create_indexes, drop_indexes),
    ]
