"""Row locks with a bounded wait, in the way pretix's locking service does it.

A lock is taken only inside a transaction, on the rows that are about to be
counted or changed. On PostgreSQL the wait is bounded (lock_timeout): during a
burst a request queues for at most MAKERS_LOCK_TIMEOUT_MS and then gets a clear
"busy, try again" instead of hanging until the proxy gives up.
"""

from contextlib import contextmanager
from typing import TypeVar

from django.conf import settings
from django.db import OperationalError, connection, transaction
from django.db.models import CharField, Func, Model, QuerySet, Value

M = TypeVar("M", bound=Model)


class LockTimeout(Exception):
    """The rows stayed locked by others for longer than the lock timeout."""


def rows_lock(
    queryset: QuerySet[M],
    *,
    no_key: bool = False,
    nowait: bool = False,
    of: tuple[str, ...] = (),
) -> list[M]:
    """Lock and return the rows of `queryset` for the rest of the transaction.

    The rows are what the queryset yields: model instances, or the tuples of a
    values_list() (a hot path's lock reads just the columns it needs). no_key
    takes FOR NO KEY UPDATE (does not block foreign-key checks of other
    transactions); nowait fails at once instead of waiting; of=("self",) locks
    only the queryset's own rows, not those its select_related() joins in.
    """
    with _locking(bounded=not nowait):
        return list(queryset.select_for_update(no_key=no_key, nowait=nowait, of=of))


@contextmanager
def _locking(*, bounded: bool):
    if not connection.in_atomic_block:
        raise RuntimeError("Rows are locked only inside a transaction.")
    if connection.vendor == "postgresql" and bounded:
        _bound_lock_wait()
    try:
        yield
    except OperationalError as error:
        if "lock" in str(error).lower():
            raise LockTimeout(str(error)) from error
        raise


def rows_lock_setting_timeout(
    queryset: QuerySet[M], *, no_key: bool = False
) -> list[object]:
    """rows_lock() for a transaction's first lock: the primary keys of the
    locked rows, read by a statement that also sets the transaction's
    lock_timeout (a lock_timeout_column(), evaluated before PostgreSQL waits
    for a row: its own wait is bounded too). One round trip less than setting
    it first; the transaction's later locks then send nothing."""
    locking = queryset.select_for_update(no_key=no_key)
    with _locking(bounded=False):
        if connection.vendor != "postgresql":
            return list(locking.values_list("pk", flat=True))
        timeout = lock_timeout_column(lock_timeout_value())
        rows = list(locking.values_list("pk", timeout))
    _lock_wait_mark()
    return [pk for pk, _ in rows]


def lock_timeout_column(timeout: str) -> Func:
    """A column for a locking read: SET LOCAL lock_timeout = `timeout` (a value
    of lock_timeout_value()) as the statement runs."""
    return Func(
        Value("lock_timeout"),
        Value(timeout),
        Value(True),
        function="set_config",
        output_field=CharField(),
    )


def lock_timeout_value() -> str:
    return f"{settings.MAKERS_LOCK_TIMEOUT_MS}ms"


def _lock_wait_marked() -> bool:
    return any(hook is _lock_wait_bounded for _, hook, _ in connection.run_on_commit)


def _lock_wait_mark() -> None:
    if not _lock_wait_marked():
        transaction.on_commit(_lock_wait_bounded)


def _lock_wait_bounded() -> None:
    """Marks, in the transaction's on-commit hooks, that its lock_timeout is set."""


def _bound_lock_wait() -> None:
    """SET LOCAL lock_timeout, once per transaction: it lasts until the end of the
    transaction, so the second lock of a service (the trainee's, then the
    edition's) does not send it again. Whether it was sent is read from the
    transaction's on-commit hooks, which are dropped exactly when the setting is:
    at commit, at rollback, and with a savepoint rolled back."""
    if _lock_wait_marked():
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('lock_timeout', %s, true)", [lock_timeout_value()]
        )
    _lock_wait_mark()


def row_lock(queryset: QuerySet[M], **kwargs) -> M:
    """Lock exactly one row (DoesNotExist if there is none)."""
    rows = rows_lock(queryset, **kwargs)
    if not rows:
        raise queryset.model.DoesNotExist
    return rows[0]
