"""A real `manage.py db_worker` (django-tasks-db, production's engine before
RQ: decision 0012) killed in the middle of a bulk run, on PostgreSQL. The
backend leaves the killed worker's task marked running for ever (upstream
django-tasks issue #46): the run itself must show as stalled once it has been
silent for the stall threshold, resume through run_resume (what the staff
page's "resume" calls), and finish with every eligible certificate
issued exactly once, with the serial numbers taken when the run started.

Every wait is bounded; the child processes are always killed at the end.
"""

import datetime
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from time_machine import escape_hatch

from certificates import services
from certificates.models import (
    Certificate,
    CertificateStatus,
    IssueRun,
    ItemStatus,
    RunStatus,
)
from certificates.selectors import run_progress
from tests.factories import edition_completed

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("wagtail_root"),
]

TRAINEES = 40
STALL_SECONDS = 3
BASE_DIR = Path(__file__).resolve().parents[2]
TASK_PATH = "certificates.services.certificates_issue_task"


def _database_url() -> str:
    db = connection.settings_dict
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def _worker(log: Path, *options: str) -> subprocess.Popen:
    """A db_worker on the test database, on the test's clock."""
    handover = {
        "clock_offset": timezone.now().timestamp() - escape_hatch.time.time(),
        "settings": {
            "TASKS": django_settings.TASKS,
            "MAKERS_SIGNING_P12": str(django_settings.MAKERS_SIGNING_P12),
            "MAKERS_SIGNING_PASSPHRASE_FILE": str(
                django_settings.MAKERS_SIGNING_PASSPHRASE_FILE
            ),
            "MAKERS_PRIVATE_ROOT": str(django_settings.MAKERS_PRIVATE_ROOT),
            "MAKERS_CERTIFICATE_RUN_STALL_SECONDS": STALL_SECONDS,
        },
    }
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "DJANGO_SETTINGS_MODULE": "makers_school.settings.test",
        "MAKERS_TEST_WORKER": json.dumps(handover),
        "PYTHONUNBUFFERED": "1",
    }
    with open(log, "ab") as out:
        return subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.certificates.db_worker",
                "--interval",
                "0.1",
                "--no-startup-delay",
                "--queue-name",
                "certificates",
                *options,
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )


def _wait_for(condition, *, timeout: float, what: str, worker=None, log=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        if worker is not None and worker.poll() is not None:
            raise AssertionError(
                f"the worker exited ({worker.returncode}) before {what}:\n"
                + log.read_text()[-2000:]
            )
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


@pytest.fixture
def workers():
    """The child processes started by the test, killed whatever happens."""
    started: list[subprocess.Popen] = []
    yield started
    for process in started:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=30)


def test_a_killed_db_worker_leaves_a_stalled_run_that_resumes_and_finishes(
    settings, tmp_path, time_machine, workers
):
    edition, _, enrolments = edition_completed(trainees=TRAINEES)
    # After the factories: their pages' search-index tasks stay immediate, and
    # the workers find only the run's.
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks_db.DatabaseBackend",
            "QUEUES": django_settings.MAKERS_TASK_QUEUES,
        }
    }
    settings.MAKERS_CERTIFICATE_RUN_TASKS = 1
    settings.MAKERS_CERTIFICATE_RUN_STALL_SECONDS = STALL_SECONDS
    run = services.run_start(edition=edition, actor=None)  # enqueued on commit
    assert DBTaskResult.objects.filter(task_path=TASK_PATH).count() == 1
    log = tmp_path / "db_worker.log"

    def issued() -> int:
        return run.items.filter(status=ItemStatus.ISSUED).count()

    first = _worker(log)
    workers.append(first)
    _wait_for(
        lambda: issued() >= 3,
        timeout=120,
        what="the first certificates",
        worker=first,
        log=log,
    )
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=30)
    done_before = issued()
    assert 3 <= done_before < TRAINEES, "the run ended before the worker was killed"

    # The backend still says the task is running; the run says it is running...
    (task,) = DBTaskResult.objects.filter(task_path=TASK_PATH)
    assert task.status == "RUNNING"
    run.refresh_from_db()
    assert run.status == RunStatus.RUNNING
    # ...and, silent for longer than the threshold, stalled.
    time_machine.move_to(
        timezone.now() + datetime.timedelta(seconds=STALL_SECONDS + 1), tick=True
    )
    progress = run_progress(run=run)
    assert progress.stalled and progress.issued == done_before

    services.run_resume(run=run, actor=None)  # enqueues a new task on commit
    assert DBTaskResult.objects.filter(task_path=TASK_PATH, status="READY").exists()
    second = _worker(log, "--batch")  # every outstanding task, then exit
    workers.append(second)
    try:
        second.wait(timeout=240)
    except subprocess.TimeoutExpired:
        pytest.fail("the resumed worker did not finish:\n" + log.read_text()[-2000:])
    assert second.returncode == 0, log.read_text()[-2000:]

    run = IssueRun.objects.get(pk=run.pk)
    assert run.status == RunStatus.DONE and run.resumed == 1
    items = list(run.items.select_related("certificate"))
    assert {item.status for item in items} == {ItemStatus.ISSUED}
    assert len(items) == TRAINEES
    # Exactly once per enrolment, and the serials taken when the run started.
    certificates = Certificate.objects.filter(enrolment__edition=edition)
    assert certificates.count() == TRAINEES
    assert sorted(
        certificates.filter(status=CertificateStatus.VALID).values_list(
            "enrolment_id", flat=True
        )
    ) == sorted(e.pk for e in enrolments)
    assert all(item.certificate.serial == item.serial for item in items)
    assert all(item.certificate.enrolment_id == item.enrolment_id for item in items)
