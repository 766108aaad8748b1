"""Jobs a queue refused, kept in the database and queued again later.

enqueue_on_commit() (core.tasks) runs after the change that made the job has
committed, so a refused job (Redis down) cannot roll anything back; instead of
losing it, deferred_keep() stores the task's path and arguments in
DeferredTask. deferred_tasks_flush, a periodic job of the scheduler, queues the
kept jobs again in the order they were refused and deletes each one queued; it
stops at the first refusal (the queue is still down) and tries again at its
next slot. The scheduler's own enqueue needs the queue, so the flush runs as
soon as Redis is back. A job may be queued twice if the process dies between
queueing it and deleting its row: the jobs kept here are the ones that are
safe to run twice (emails sent once through core.once, certificate runs).
"""

import logging
from typing import Any

from django.db import transaction
from django.utils.module_loading import import_string
from django_tasks import task

from .models import DeferredTask

logger = logging.getLogger(__name__)

# How many kept jobs one flush queues at most; the next slot takes the rest.
FLUSH_BATCH = 500


def deferred_keep(*, task_path: str, kwargs: dict[str, Any], error: str) -> None:
    """Keep a refused job; if even the database refuses it, say so loudly."""
    try:
        DeferredTask.objects.create(
            task_path=task_path, kwargs=kwargs, last_error=error
        )
    except Exception:
        logger.exception(
            "task %s not queued and not kept (arguments %r): run it again by hand",
            task_path,
            kwargs,
        )
        return
    logger.warning("task %s kept to be queued again (%s)", task_path, error)


def _queue_one(row: DeferredTask) -> bool:
    """Queue one kept job and delete its row; False if the queue refused it."""
    try:
        import_string(row.task_path).enqueue(**row.kwargs)
    except Exception as error:
        row.attempts += 1
        row.last_error = f"{type(error).__name__}: {error}"[:2000]
        row.save(update_fields=["attempts", "last_error"])
        return False
    row.delete()
    return True


@task()
def deferred_tasks_flush() -> int:
    """Queue the kept jobs again, oldest first; returns how many were queued."""
    queued = 0
    for pk in DeferredTask.objects.values_list("pk", flat=True)[:FLUSH_BATCH]:
        with transaction.atomic():
            row = (
                DeferredTask.objects.select_for_update(skip_locked=True)
                .filter(pk=pk)
                .first()
            )
            if row is None:  # another flush has it
                continue
            if not _queue_one(row):
                break
        queued += 1
    return queued
