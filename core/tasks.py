"""The task engine: queues, retry policies and the request id of queued work.

Code queues work through the Django task API only (`@task(queue_name=...)`,
`.enqueue()`); `make run` and the tests run it at once (the immediate backend),
production in RQ workers, one per queue (docs/operations.md, "Task engine").

- Four queues, each with its own workers: QUEUE_MAIL (every email),
  QUEUE_CERTIFICATES (PDF render and sign), QUEUE_REPORTS (exports, ZIPs,
  personal-data exports) and QUEUE_DEFAULT (the rest).
- Work that can fail for outside reasons (the mail server, the timestamp
  authority) declares a retry policy next to its task (retry_policy_set); the
  RQ backend passes it to RQ at enqueue as Retry(max, interval), so a failed or
  abandoned job (its worker died) runs again after the back-off, up to max.
- enqueue_on_commit() queues after the transaction commits, and a queue that
  cannot take the job (Redis down) does not fail the request that made the
  change: the job is kept in the database and queued again once the queue
  answers (core.deferred).
- The request that queues a job names it: its id travels in the job's meta and
  is the current request id (core.request_id) while the job runs, so the
  task's JSON log lines carry it.

RQBackend.enqueue has no hook for Retry or meta, so MakersRQBackend.enqueue
repeats its body with them; tests/core/test_tasks.py fails loudly if
django-tasks-rq's enqueue changes (STYLE 13).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import django_rq
import django_tasks_rq
import rq
from django.conf import settings
from django.db import transaction
from django_tasks.base import TASK_MAX_PRIORITY, Task, TaskResult, TaskResultStatus
from django_tasks.signals import task_enqueued
from django_tasks.utils import get_random_id
from redis.exceptions import RedisError
from rq.job import Callback, JobStatus, Retry

from .deferred import deferred_keep
from .request_id import RequestContext, current

QUEUE_DEFAULT = "default"
QUEUE_MAIL = "mail"
QUEUE_CERTIFICATES = "certificates"
QUEUE_REPORTS = "reports"
QUEUES = (QUEUE_DEFAULT, QUEUE_MAIL, QUEUE_CERTIFICATES, QUEUE_REPORTS)

# Where a job carries the id of the request that queued it.
REQUEST_ID_META = "makers_request_id"
# The "method" a job's log lines show in place of an HTTP method.
TASK_METHOD = "TASK"


logger = logging.getLogger(__name__)

# Libraries' tasks queued by a save or a delete, which a failed enqueue would
# fail (or 500 after its commit): Wagtail's reference index and the search
# index of a page, an edition, a company; the removal of a deleted image's or
# document's file. With Redis down they are skipped (a WARNING line naming
# them); `manage.py rebuild_references_index` and `manage.py update_index`
# catch up, and a skipped file stays on disk.
SKIPPED_WHEN_QUEUE_DOWN = frozenset(
    {
        "wagtail.tasks.update_reference_index_task",
        "wagtail.tasks.delete_file_from_storage_task",
        "modelsearch.tasks.insert_or_update_object_task",
    }
)


def enqueue_on_commit(task: Task, **kwargs: Any) -> None:
    """Queue `task` with `kwargs` once the current transaction commits.

    The change is committed by then: a queue that refuses the job (Redis down)
    is logged with the task and its arguments, never raised into the request.
    """

    def enqueue() -> None:
        try:
            task.enqueue(**kwargs)
        except Exception as error:
            deferred_keep(
                task_path=task.module_path,
                kwargs=kwargs,
                error=f"{type(error).__name__}: {error}",
            )

    transaction.on_commit(enqueue)


@dataclass(frozen=True)
class RetryPolicy:
    """How often a task runs again after failing, and after how many seconds."""

    max_retries: int
    intervals: tuple[int, ...]

    def as_rq(self) -> Retry:
        return Retry(max=self.max_retries, interval=list(self.intervals))


_policies: dict[str, RetryPolicy] = {}


def retry_policy_set(task: Task, *, max_retries: int, intervals: Sequence[int]) -> None:
    """Declare, next to `task`, that it runs again up to `max_retries` times
    after a failure, waiting each of `intervals` seconds in turn (the last one
    repeats). Only for work whose failure may pass (an outside service down);
    the task must be safe to run twice."""
    if max_retries < 1 or any(seconds < 0 for seconds in intervals):
        raise ValueError("A retry policy needs max_retries >= 1, intervals >= 0.")
    _policies[task.module_path] = RetryPolicy(max_retries, tuple(intervals))


def retry_policy(task: Task) -> RetryPolicy | None:
    """The retry policy declared for `task`, if any."""
    return _policies.get(task.module_path)


class Job(django_tasks_rq.Job):
    """A django-tasks-rq job that runs under the request id that queued it."""

    def perform(self) -> Any:
        request_id = self.meta.get(REQUEST_ID_META)
        if not request_id:
            return super().perform()
        token = current.set(RequestContext(request_id, TASK_METHOD, self.func_name))
        try:
            return super().perform()
        finally:
            current.reset(token)


class Worker(rq.Worker):
    """RQ's forking worker with the school's job class and shorter periods: a
    job whose worker died is found abandoned (and retried, or moved to the
    failed jobs) within about a minute, not RQ's 10 (its heartbeat missed by
    MAKERS_RQ_HEARTBEAT_GRACE_SECONDS, then the next maintenance, every
    MAKERS_RQ_MAINTENANCE_SECONDS)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("job_class", Job)
        kwargs.setdefault(
            "maintenance_interval", settings.MAKERS_RQ_MAINTENANCE_SECONDS
        )
        kwargs.setdefault(
            "job_monitoring_interval", settings.MAKERS_RQ_MONITORING_SECONDS
        )
        super().__init__(*args, **kwargs)

    def get_heartbeat_ttl(self, job: rq.job.Job, working_time: float = 0.0) -> int:
        """RQ's own, with our grace for a late heartbeat instead of its 60 s."""
        period = self.job_monitoring_interval
        if job.timeout and job.timeout > 0:
            period = min(job.timeout - working_time, period)
        return int(period) + settings.MAKERS_RQ_HEARTBEAT_GRACE_SECONDS

    @property
    def dequeue_timeout(self) -> int:
        # An idle worker wakes this often to run the maintenance above.
        return max(1, min(super().dequeue_timeout, self.maintenance_interval))


class MakersRQBackend(django_tasks_rq.RQBackend):
    """django-tasks-rq's backend, plus each task's retry policy and the id of
    the request that queued it."""

    def enqueue(self, task: Task, args: Any, kwargs: Any) -> TaskResult:
        self.validate_task(task)
        task_result = TaskResult(
            task=task,
            id=get_random_id(),
            status=TaskResultStatus.READY,
            enqueued_at=None,
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=args,
            kwargs=kwargs,
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )
        meta: dict[str, Any] = {"backend_name": self.alias}
        context = current.get()
        if context is not None:
            meta[REQUEST_ID_META] = context.request_id
        policy = retry_policy(task)
        queue = django_rq.get_queue(task.queue_name, job_class=Job)
        job = queue.create_job(
            task.module_path,
            args=args,
            kwargs=kwargs,
            job_id=task_result.id,
            status=JobStatus.SCHEDULED if task.run_after else JobStatus.QUEUED,
            on_failure=Callback(django_tasks_rq.backend.failed_callback),
            on_success=Callback(django_tasks_rq.backend.success_callback),
            meta=meta,
            retry=policy.as_rq() if policy else None,
        )
        job = self._put(queue, job, task)
        if job is None:
            return task_result  # skipped: the queue is down
        object.__setattr__(task_result, "enqueued_at", job.enqueued_at)
        task_enqueued.send(type(self), task_result=task_result)
        return task_result

    @staticmethod
    def _put(queue: rq.Queue, job: Job, task: Task) -> Job | None:
        """Put the job on its queue (or schedule it); None when Redis is down
        and the task is one of SKIPPED_WHEN_QUEUE_DOWN."""
        try:
            if task.run_after is None:
                at_front = task.priority == TASK_MAX_PRIORITY
                return queue.enqueue_job(job, at_front=at_front)
            return queue.schedule_job(job, task.run_after)
        except RedisError:
            if task.module_path not in SKIPPED_WHEN_QUEUE_DOWN:
                raise
            logger.warning(
                "queue down: %s skipped (arguments %r %r)",
                task.module_path,
                job.args,
                job.kwargs,
                exc_info=True,
            )
            return None

    def _get_queues(self) -> list:
        return django_rq.queues.get_queues(*self.queues, job_class=Job)

    def _get_job(self, result_id: str) -> Job | None:
        try:
            return Job.fetch(result_id, connection=django_rq.get_connection())
        except rq.exceptions.NoSuchJobError:
            return None
