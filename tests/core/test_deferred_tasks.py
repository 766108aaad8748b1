"""A job its queue refuses after commit (Redis down) is kept in the database
and queued again by the scheduler's flush once the queue answers: an outage
delays the work, it loses none (core.deferred)."""

import logging

import pytest
from django.db import transaction
from redis.exceptions import ConnectionError as RedisConnectionError

from core.deferred import deferred_tasks_flush
from core.models import DeferredTask
from core.scheduler import periodic_jobs
from core.tasks import enqueue_on_commit

pytestmark = pytest.mark.django_db

# What the flush queued, by the tests' stand-in task (tests.core.test_deferred_tasks).
QUEUED: list[dict] = []


class Queue:
    """A task stand-in whose queue is up or down; import_string finds it here."""

    module_path = "tests.core.test_deferred_tasks.STAND_IN"
    down = False

    def enqueue(self, **kwargs):
        if Queue.down:
            raise RedisConnectionError("Error 111 connecting to 127.0.0.1:6379.")
        QUEUED.append(kwargs)


STAND_IN = Queue()


@pytest.fixture(autouse=True)
def _queue():
    QUEUED.clear()
    Queue.down = False
    yield
    Queue.down = False


def _refused(caplog, django_capture_on_commit_callbacks, **kwargs) -> None:
    Queue.down = True
    caplog.set_level(logging.WARNING, logger="core.deferred")
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        enqueue_on_commit(STAND_IN, **kwargs)


def test_a_refused_job_is_kept_not_lost(caplog, django_capture_on_commit_callbacks):
    _refused(caplog, django_capture_on_commit_callbacks, log_entry_id=7)
    kept = DeferredTask.objects.get()
    assert (kept.task_path, kept.kwargs) == (Queue.module_path, {"log_entry_id": 7})
    assert "RedisConnectionError" in kept.last_error or "Error 111" in kept.last_error
    assert "kept to be queued again" in caplog.text
    assert QUEUED == []


def test_the_flush_queues_kept_jobs_in_order_once_the_queue_answers(
    caplog, django_capture_on_commit_callbacks
):
    for entry in (1, 2, 3):
        _refused(caplog, django_capture_on_commit_callbacks, log_entry_id=entry)
    # Still down: nothing queued, the first row counts an attempt, all kept.
    assert deferred_tasks_flush.call() == 0
    assert DeferredTask.objects.count() == 3
    assert list(DeferredTask.objects.values_list("attempts", flat=True)) == [1, 0, 0]
    Queue.down = False
    assert deferred_tasks_flush.call() == 3
    assert QUEUED == [{"log_entry_id": 1}, {"log_entry_id": 2}, {"log_entry_id": 3}]
    assert not DeferredTask.objects.exists()
    # A second flush has nothing to queue twice.
    assert deferred_tasks_flush.call() == 0
    assert len(QUEUED) == 3


def test_a_job_the_queue_takes_is_not_kept(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        enqueue_on_commit(STAND_IN, log_entry_id=9)
    assert QUEUED == [{"log_entry_id": 9}]
    assert not DeferredTask.objects.exists()


def test_the_flush_is_a_periodic_job_every_minute():
    jobs = {job.name: job for job in periodic_jobs()}
    assert jobs["core.deferred_tasks_flush"].every.total_seconds() == 60
