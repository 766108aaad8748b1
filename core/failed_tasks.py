"""Failed tasks (RQ's failed job registries): what staff see and run again.

A task lands here when it raised and had no retries left, or when its worker
died while running it and it had no retries left (RQ's AbandonedJobError).
Nothing here exists under the immediate backend (`make run`, the tests): tasks
run inside the request there, and their errors are the request's.
"""

import datetime
from dataclasses import dataclass

import django_rq
from django.conf import settings
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django_tasks import task_backends
from django_tasks_rq import RQBackend
from rq.exceptions import InvalidJobOperation, NoSuchJobError
from rq.registry import FailedJobRegistry

from .tasks import Job

# How much of a task's arguments and of its error a row shows.
ARGUMENTS_CHARS = 120
ERROR_CHARS = 300


class FailedTaskError(Exception):
    """A failed task that cannot be run again (gone, or already run again)."""


@dataclass(frozen=True)
class FailedTask:
    queue: str
    job_id: str
    name: str
    arguments: str
    failed_at: datetime.datetime | None
    error: str


def failed_tasks_kept() -> bool:
    """Whether the task backend keeps failed tasks (RQ) or runs them at once."""
    return isinstance(task_backends["default"], RQBackend)


def _queue_names() -> list[str]:
    return [name for name in settings.MAKERS_TASK_QUEUES if name in settings.RQ_QUEUES]


def _arguments(job: Job) -> str:
    parts = [repr(value) for value in job.args]
    parts += [f"{key}={value!r}" for key, value in job.kwargs.items()]
    return Truncator(", ".join(parts)).chars(ARGUMENTS_CHARS)


def _error(job: Job) -> str:
    """The last line of the traceback: the exception and its message."""
    result = job.latest_result()
    text = (result.exc_string if result else None) or ""
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return Truncator(lines[-1] if lines else _("No error recorded.")).chars(ERROR_CHARS)


def _failed_task(queue: str, job: Job) -> FailedTask:
    return FailedTask(
        queue=queue,
        job_id=job.id,
        name=job.func_name.rsplit(".", 1)[-1],
        arguments=_arguments(job),
        failed_at=job.ended_at,
        error=_error(job),
    )


def failed_tasks_by_queue() -> dict[str, list[FailedTask]]:
    """Each queue's failed tasks, the latest failure first."""
    by_queue = {}
    for name in _queue_names():
        queue = django_rq.get_queue(name, job_class=Job)
        registry = FailedJobRegistry(queue=queue)
        ids = registry.get_job_ids(desc=True)
        jobs = Job.fetch_many(ids, connection=queue.connection)
        by_queue[name] = [_failed_task(name, job) for job in jobs if job is not None]
    return by_queue


def failed_task_get(*, queue: str, job_id: str) -> FailedTask:
    """One failed task of `queue`; FailedTaskError if it is not failed there."""
    if queue not in _queue_names():
        raise FailedTaskError(_("There is no such queue."))
    rq_queue = django_rq.get_queue(queue, job_class=Job)
    if job_id not in FailedJobRegistry(queue=rq_queue).get_job_ids():
        raise FailedTaskError(_("This task is no longer among the failed tasks."))
    try:
        job = Job.fetch(job_id, connection=rq_queue.connection)
    except NoSuchJobError as error:
        raise FailedTaskError(_("This task no longer exists.")) from error
    return _failed_task(queue, job)


def failed_task_run_again(*, queue: str, job_id: str) -> FailedTask:
    """Put a failed task back on its queue, with its own arguments."""
    task = failed_task_get(queue=queue, job_id=job_id)
    registry = FailedJobRegistry(queue=django_rq.get_queue(queue, job_class=Job))
    try:
        registry.requeue(job_id)
    except (InvalidJobOperation, NoSuchJobError) as error:
        raise FailedTaskError(
            _("This task is no longer among the failed tasks.")
        ) from error
    return task
