"""Periodic work: jobs declared in code with their period, enqueued by
`manage.py scheduler` once per slot, however many schedulers run.

Each app registers its jobs in its AppConfig.ready() with periodic_register()
(core names no app). Time is cut into slots of each job's period, aligned on
the Unix epoch (UTC): a job every 5 minutes has the slots 10:00, 10:05, ...; a
daily one starts at midnight UTC. A scheduler's tick claims the current slot
of each job by inserting a ScheduledRun row: the unique (job, slot_start)
constraint lets one insert win when two schedulers (two nodes, or an old and
a new copy during an upgrade) reach the slot together, and only the winner
enqueues the task. A slot missed while no scheduler ran is not caught up: the
current one runs at the next tick, which is what periodic clean-up needs.

If the enqueue fails (the queue's Redis is down), the claim is taken back and
the next tick tries again. A scheduler killed between its claim and the
enqueue loses that slot; the next slot runs as usual (every job here is safe
to run late or again).
"""

import dataclasses
import datetime
import logging

from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks.base import Task

from .models import ScheduledRun

logger = logging.getLogger("makers.scheduler")

# Shorter periods would be cut finer than the scheduler's tick.
MIN_PERIOD = datetime.timedelta(minutes=1)


@dataclasses.dataclass(frozen=True)
class PeriodicJob:
    name: str
    task: Task
    every: datetime.timedelta


_jobs: dict[str, PeriodicJob] = {}


def periodic_register(*, name: str, task: Task, every: datetime.timedelta) -> None:
    """Declare a job: `task` (a django-tasks task taking no arguments) is
    enqueued once every `every`, in the task's own queue."""
    if every < MIN_PERIOD or every.total_seconds() % 60:
        raise ImproperlyConfigured(f"{name}: a period of whole minutes, >= 1")
    job = PeriodicJob(name=name, task=task, every=every)
    if _jobs.get(name, job) != job:
        raise ImproperlyConfigured(f"Periodic job {name} is registered twice.")
    _jobs[name] = job


def periodic_jobs() -> list[PeriodicJob]:
    return sorted(_jobs.values(), key=lambda job: job.name)


def slot_start(*, every: datetime.timedelta, now: datetime.datetime):
    """The start of the slot of length `every` that holds `now` (UTC)."""
    seconds = int(every.total_seconds())
    stamp = int(now.timestamp())
    return datetime.datetime.fromtimestamp(stamp - stamp % seconds, tz=datetime.UTC)


def job_enqueue(*, job: PeriodicJob, start: datetime.datetime, scheduler: str):
    """Claim the slot and enqueue the job; None if another scheduler has it."""
    try:
        with transaction.atomic():
            run = ScheduledRun.objects.create(
                job=job.name, slot_start=start, scheduler=scheduler[:200]
            )
    except IntegrityError:
        return None
    try:
        result = job.task.enqueue()
    except Exception:
        # The queue is unreachable: give the slot back for the next tick.
        ScheduledRun.objects.filter(pk=run.pk).delete()
        logger.exception("Periodic job %s not enqueued", job.name)
        return None
    run.task_id = str(result.id)[:64]
    ScheduledRun.objects.filter(pk=run.pk).update(task_id=run.task_id)
    logger.info(
        "Periodic job %s enqueued for the slot %s (task %s)",
        job.name,
        start.isoformat(),
        run.task_id,
    )
    return run


def due_enqueue(
    *, now: datetime.datetime | None = None, scheduler: str = ""
) -> list[ScheduledRun]:
    """One tick: enqueue every job whose current slot nobody claimed yet."""
    now = now or timezone.now()
    due = {
        job.name: (job, slot_start(every=job.every, now=now)) for job in _jobs.values()
    }
    if not due:
        return []
    claimed = set(
        ScheduledRun.objects.filter(
            job__in=due, slot_start__in={start for _job, start in due.values()}
        ).values_list("job", "slot_start")
    )
    runs = []
    for name, (job, start) in sorted(due.items()):
        if (name, start) in claimed:
            continue
        run = job_enqueue(job=job, start=start, scheduler=scheduler)
        if run is not None:
            runs.append(run)
    return runs


def runs_prune(*, older_than: datetime.timedelta) -> int:
    """Delete the claims of slots long past (they only serve as history)."""
    cutoff = timezone.now() - older_than
    deleted, _ = ScheduledRun.objects.filter(slot_start__lt=cutoff).delete()
    return deleted
