"""Hot-path reads, prepared by PostgreSQL through psycopg's public API.

A read that runs on every enrolment (or every signed-in request) is a plain
queryset built by a function of its keyword arguments. On PostgreSQL the
database OPTIONS (makers_school.settings: "server_side_binding" and psycopg's
"prepare_threshold") make psycopg send the query with its parameters bound by
the server and, once the same SQL has run prepare_threshold times on a
connection, as a prepared statement: PostgreSQL then parses and plans it once
per connection instead of on every run. Prepared statements live in the
database session, so this needs a direct connection or a pool in session
mode, not a transaction-mode pooler (set MAKERS_DB_PREPARE_THRESHOLD=off
there). SQLite is unaffected.

prepared_read() keeps the decorator its callers use
(enrolment/services/_base.py, enrolment/selectors.py, people/selectors.py);
the samples it takes are no longer needed and are ignored. The callers may
call their queryset functions directly instead.
"""

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet


class PreparedRead:
    """A values_list() queryset function, run as a list of row tuples."""

    def __init__(self, build: Callable[..., QuerySet], **samples: Any) -> None:
        self.build = build
        self.__name__ = build.__name__
        self.__doc__ = build.__doc__

    def rows(self, *, using: str = "default", **values: Any) -> list[tuple]:
        """The queryset's rows for these arguments (tuples, converted)."""
        return list(self.build(**values).using(using))


def prepared_read(**samples: Any) -> Callable[[Callable[..., QuerySet]], PreparedRead]:
    """Decorator: @prepared_read(edition_id=-1_000_001) def build(edition_id): ...

    The samples are accepted for the callers written against the former,
    compiled version (they are ignored)."""

    def decorate(build: Callable[..., QuerySet]) -> PreparedRead:
        return PreparedRead(build, **samples)

    return decorate
