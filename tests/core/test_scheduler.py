"""The periodic scheduler (core.scheduler, `manage.py scheduler`): each due job
is enqueued once per slot, however many schedulers run."""

import datetime
import threading
from collections import Counter

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from core.housekeeping import sessions_clear, task_rows_prune
from core.models import ScheduledRun
from core.scheduler import due_enqueue, job_enqueue, periodic_jobs, slot_start
from tests.core import recording_backend

pytestmark = pytest.mark.django_db

RECORDING = {
    "default": {
        "BACKEND": "tests.core.recording_backend.RecordingBackend",
        "QUEUES": settings.MAKERS_TASK_QUEUES,
    }
}
FAILING = {
    "default": {
        "BACKEND": "tests.core.recording_backend.RecordingBackend",
        "QUEUES": settings.MAKERS_TASK_QUEUES,
        "OPTIONS": {"FAIL": True},
    }
}
# 10:02:30 UTC: inside the 10:00 five-minute slot and the 10:02 minute slot.
NOW = datetime.datetime(2026, 6, 10, 10, 2, 30, tzinfo=datetime.UTC)
JOBS = {
    "certificates.retimestamp",
    "core.deferred_tasks_flush",
    "core.prepared_files_expire",
    "core.sessions_clear",
    "core.task_rows_prune",
    "enrolment.changes_record",
    "enrolment.offers_expire",
    "notices.attendance_risks",
    "notices.certificates_expiring",
    "notices.offers_expiring",
    "notices.registers_open",
    "notices.session_reminders",
    "evaluations.send",
}


@pytest.fixture(autouse=True)
def recording():
    recording_backend.ENQUEUED.clear()
    with override_settings(TASKS=RECORDING):
        yield recording_backend.ENQUEUED
    recording_backend.ENQUEUED.clear()


def enqueued_by_job() -> Counter:
    return Counter(ScheduledRun.objects.values_list("job", flat=True))


def test_apps_register_their_periodic_jobs():
    jobs = {job.name: job.every for job in periodic_jobs()}
    assert jobs == {
        "core.sessions_clear": datetime.timedelta(days=1),
        "core.task_rows_prune": datetime.timedelta(days=1),
        "core.prepared_files_expire": datetime.timedelta(hours=1),
        "core.deferred_tasks_flush": datetime.timedelta(minutes=1),
        "certificates.retimestamp": datetime.timedelta(days=1),
        "enrolment.changes_record": datetime.timedelta(minutes=1),
        "enrolment.offers_expire": datetime.timedelta(minutes=5),
        "notices.session_reminders": datetime.timedelta(hours=1),
        "notices.offers_expiring": datetime.timedelta(minutes=15),
        "notices.certificates_expiring": datetime.timedelta(days=1),
        "notices.attendance_risks": datetime.timedelta(hours=1),
        "notices.registers_open": datetime.timedelta(hours=1),
        "evaluations.send": datetime.timedelta(hours=1),
    }


def test_slots_are_aligned_on_the_period():
    five = datetime.timedelta(minutes=5)
    assert slot_start(every=five, now=NOW) == NOW.replace(minute=0, second=0)
    day = datetime.timedelta(days=1)
    assert slot_start(every=day, now=NOW) == NOW.replace(hour=0, minute=0, second=0)


def test_two_schedulers_in_one_slot_enqueue_each_job_once(recording):
    first = due_enqueue(now=NOW, scheduler="node-a")
    second = due_enqueue(now=NOW + datetime.timedelta(seconds=20), scheduler="node-b")
    assert {run.job for run in first} == JOBS
    assert second == []
    assert Counter(recording) == Counter(job.task.name for job in periodic_jobs())
    assert enqueued_by_job() == Counter(JOBS)
    assert set(ScheduledRun.objects.values_list("scheduler", flat=True)) == {"node-a"}


def test_a_claim_lost_to_a_race_enqueues_nothing(recording):
    """The other scheduler inserted between this one's look and its insert."""
    job = next(job for job in periodic_jobs() if job.name == "enrolment.offers_expire")
    start = slot_start(every=job.every, now=NOW)
    assert job_enqueue(job=job, start=start, scheduler="node-a") is not None
    assert job_enqueue(job=job, start=start, scheduler="node-b") is None
    assert recording == [job.task.name]


def test_the_next_slot_enqueues_only_the_jobs_due_again(recording):
    due_enqueue(now=NOW, scheduler="node-a")
    recording.clear()
    later = due_enqueue(now=NOW + datetime.timedelta(minutes=3), scheduler="node-b")
    assert {run.job for run in later} == {
        "core.deferred_tasks_flush",
        "enrolment.changes_record",
        "enrolment.offers_expire",
    }
    assert enqueued_by_job()["enrolment.offers_expire"] == 2
    assert enqueued_by_job()["core.sessions_clear"] == 1


def test_a_failed_enqueue_gives_the_slot_back():
    with override_settings(TASKS=FAILING):
        assert due_enqueue(now=NOW, scheduler="node-a") == []
    assert not ScheduledRun.objects.exists()
    # The queue is back: the next tick, in the same slot, enqueues every job.
    assert {run.job for run in due_enqueue(now=NOW, scheduler="node-a")} == JOBS


def test_the_command_runs_one_tick(recording, capsys):
    with time_machine.travel(NOW, tick=False):
        call_command("scheduler", "--once")
        call_command("scheduler", "--once")
    out = capsys.readouterr().out
    assert out.count("Enqueued enrolment.offers_expire") == 1
    assert len(recording) == len(JOBS)


def test_task_rows_prune_keeps_recent_claims():
    old = ScheduledRun.objects.create(
        job="x", slot_start=timezone.now() - datetime.timedelta(days=31)
    )
    recent = ScheduledRun.objects.create(
        job="x", slot_start=timezone.now() - datetime.timedelta(days=29)
    )
    assert task_rows_prune.call() == 1
    assert list(ScheduledRun.objects.all()) == [recent]
    assert old.pk != recent.pk


def test_sessions_clear_deletes_only_expired_sessions():
    now = timezone.now()
    Session.objects.create(
        session_key="old", session_data="", expire_date=now - datetime.timedelta(1)
    )
    Session.objects.create(
        session_key="new", session_data="", expire_date=now + datetime.timedelta(1)
    )
    sessions_clear.call()
    assert list(Session.objects.values_list("session_key", flat=True)) == ["new"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_schedulers_racing_on_postgresql_enqueue_each_job_once(recording):
    """Two schedulers, each on its own connection, tick at the same instant
    many times over: every (job, slot) is enqueued exactly once."""
    instants = [NOW + datetime.timedelta(minutes=minute) for minute in range(10)]
    barrier = threading.Barrier(2)
    errors = []

    def scheduler(name: str) -> None:
        try:
            for instant in instants:
                barrier.wait(timeout=30)
                due_enqueue(now=instant, scheduler=name)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=scheduler, args=(n,)) for n in "ab"]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    # 10:02:30 to 10:11:30: ten one-minute slots, three five-minute ones
    # (10:00, 10:05, 10:10), one fifteen-minute one and one hour (10:00), one
    # day (four daily jobs).
    assert enqueued_by_job() == {
        "enrolment.changes_record": 10,
        "core.deferred_tasks_flush": 10,
        "enrolment.offers_expire": 3,
        "core.prepared_files_expire": 1,
        "core.sessions_clear": 1,
        "core.task_rows_prune": 1,
        "certificates.retimestamp": 1,
        "notices.offers_expiring": 1,
        "notices.session_reminders": 1,
        "notices.attendance_risks": 1,
        "notices.registers_open": 1,
        "notices.certificates_expiring": 1,
        "evaluations.send": 1,
    }
    assert len(recording) == 33
    pairs = ScheduledRun.objects.values_list("job", "slot_start")
    assert len(set(pairs)) == len(pairs)
