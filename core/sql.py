"""Hot-path reads compiled to SQL once per connection.

Django compiles a queryset to SQL on every run. For a read with conditional
aggregates or subqueries that is 1-3 ms of Python, several times what PostgreSQL
needs to plan and run it (0.1-0.4 ms): on opening day, when 500 people enrol in
seconds on two CPUs, that compilation is most of what an enrolment costs.

A PreparedRead is built from a function that returns a values_list() queryset
for its keyword arguments. The first run on a connection compiles the queryset
built from sample arguments (distinct values nothing else in the query uses),
notes where each argument sits among the SQL parameters, and keeps the SQL.
Later runs send the same SQL with the new values as parameters (bound by the
driver as before: nothing is interpolated) and convert the rows with the
compiler's converters, so the results are those the queryset would give
(datetimes on SQLite, booleans, decimals). Only arguments whose value reaches the
SQL parameters as they are, or as the backend adapts a datetime or a date
(SQLite's strings), may be used: equality and comparisons with fields or with
expressions such as Upper(Value(x)); not lookups that rewrite the value, such as
contains or, on SQLite, iexact. A sample that cannot be found among the
parameters raises at the first run.

On PostgreSQL the SQL is also a prepared statement of the connection (PREPARE,
then EXECUTE name(values)): PostgreSQL parses and plans it once per connection
instead of on every run (planning alone is 0.3-0.9 ms for the reads with
subqueries). Prepared statements live in the database session, so this needs a
direct connection or a pool in session mode, not a transaction-mode pooler.
"""

import datetime
import itertools
import re
from collections.abc import Callable
from typing import Any
from weakref import WeakKeyDictionary

from django.db import connections
from django.db.models import QuerySet

_names = itertools.count(1)
_PLACEHOLDERS = re.compile(r"%%|%s")


def _numbered(sql: str) -> tuple[str, int]:
    """Django's %s placeholders as PostgreSQL's $1, $2...; %% as %."""
    count = 0

    def number(match: re.Match) -> str:
        nonlocal count
        if match.group() == "%%":
            return "%"
        count += 1
        return f"${count}"

    return _PLACEHOLDERS.sub(number, sql), count


def _identity(value: Any) -> Any:
    return value


def _adapters(connection, sample: Any) -> list[Callable]:
    """How a value may reach the parameters: as it is, else as the backend adapts
    a datetime or a date (SQLite turns them into strings)."""
    if isinstance(sample, datetime.datetime):
        return [_identity, connection.ops.adapt_datetimefield_value]
    if isinstance(sample, datetime.date):
        return [_identity, connection.ops.adapt_datefield_value]
    return [_identity]


class PreparedRead:
    def __init__(self, build: Callable[..., QuerySet], **samples: Any) -> None:
        if len({repr(sample) for sample in samples.values()}) != len(samples):
            raise ValueError("PreparedRead: every argument needs a sample of its own")
        self.build = build
        self.samples = samples
        name = re.sub(r"[^a-z0-9_]", "", build.__name__.lower()).strip("_")
        self.statement = f"makers_{next(_names)}_{name}"[:63]
        # Per Django connection, with the driver's connection it was compiled on:
        # a reconnection (a new database session) has no prepared statements.
        self._compiled: WeakKeyDictionary = WeakKeyDictionary()

    def _compile(self, connection):
        queryset = self.build(**self.samples)
        compiler = queryset.query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        params = list(params)
        slots: dict[str, tuple[list[int], Callable]] = {}
        for name, sample in self.samples.items():
            for adapt in _adapters(connection, sample):
                found = [i for i, param in enumerate(params) if param == adapt(sample)]
                if found:
                    slots[name] = (found, adapt)
                    break
            else:
                raise ValueError(f"PreparedRead: {name}'s sample is not a parameter")
        fields = [column[0] for column in compiler.select[0 : compiler.col_count]]
        if compiler.has_composite_fields(fields):
            raise ValueError("PreparedRead: composite fields are not supported")
        # What results_iter() would work out on every run: the converters.
        converters = compiler.get_converters(fields)
        if connection.vendor == "postgresql":
            numbered, count = _numbered(sql)
            with connection.cursor() as cursor:
                cursor.execute(f"PREPARE {self.statement} AS {numbered}")
            sql = f"EXECUTE {self.statement}({', '.join(['%s'] * count)})"
        compiled = (compiler, sql, params, slots, converters)
        self._compiled[connection] = (connection.connection, compiled)
        return compiled

    def rows(self, *, using: str = "default", **values: Any) -> list[tuple]:
        """The queryset's rows for these arguments (tuples, converted)."""
        connection = connections[using]
        connection.ensure_connection()
        session, compiled = self._compiled.get(connection, (None, None))
        if session is not connection.connection:
            compiled = self._compile(connection)
        compiler, sql, template, slots, converters = compiled
        params = list(template)
        if values.keys() != slots.keys():
            raise TypeError(f"PreparedRead: arguments {sorted(slots)} expected")
        for name, value in values.items():
            indexes, adapt = slots[name]
            for index in indexes:
                params[index] = adapt(value)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            fetched = cursor.fetchall()
        if not converters:
            return fetched
        return list(map(tuple, compiler.apply_converters(fetched, converters)))


def prepared_read(**samples: Any) -> Callable[[Callable[..., QuerySet]], PreparedRead]:
    """Decorator: @prepared_read(edition_id=-1_000_001) def build(edition_id): ..."""

    def decorate(build: Callable[..., QuerySet]) -> PreparedRead:
        return PreparedRead(build, **samples)

    return decorate
