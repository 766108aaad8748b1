"""The proof of issue 25: a real RQ worker (`manage.py rqworker`, forking, as
production runs it) SIGKILLed, with its work horse, in the middle of a bulk
run of 100 certificates on PostgreSQL. A new worker is started and nobody
touches the database: within 2 minutes every eligible certificate exists
exactly once, and every PDF's signature is genuine.

How it recovers (docs/decisions/0012-rq-task-engine.md): PostgreSQL rolls back
the killed horse's transaction, so the certificate it was making is still
pending; the job's execution stops being renewed, and once its heartbeat is
missed (core.tasks.Worker) the new worker's maintenance finds the job
abandoned and, since certificates_issue_task has retries left, puts it back on
its queue at once; the rerun issues what is pending.

One task for the run (MAKERS_CERTIFICATE_RUN_TASKS = 1), so nothing but RQ's
recovery can finish it. Needs PostgreSQL and Redis (database 11); every wait is
bounded and the child processes are always killed.
"""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import django_rq
import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.utils import timezone
from time_machine import escape_hatch

from certificates import services
from certificates.models import Certificate, IssueRun, ItemStatus, RunStatus
from certificates.signing import pdf_signature_check
from tests.certificates.test_worker_kill import _database_url, _wait_for
from tests.factories import edition_completed
from tests.redis_dbs import worker_db

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("wagtail_root"),
    # Redis database 11 with tests/core/test_tasks.py and test_metrics.py.
    pytest.mark.xdist_group("redis_db_11"),
]

TRAINEES = 100
RECOVERY_SECONDS = 120
BASE_DIR = Path(__file__).resolve().parents[2]
RQ_TASKS = {
    "default": {
        "BACKEND": "core.tasks.MakersRQBackend",
        "QUEUES": ["default", "mail", "certificates", "reports"],
    }
}


def _worker(log: Path) -> subprocess.Popen:
    """`rqworker certificates --with-scheduler` on the test database and Redis
    database 11, in a session of its own (so the kill takes its horse too)."""
    handover = {
        "clock_offset": timezone.now().timestamp() - escape_hatch.time.time(),
        "settings": {
            "TASKS": RQ_TASKS,
            "MAKERS_SIGNING_P12": str(django_settings.MAKERS_SIGNING_P12),
            "MAKERS_SIGNING_PASSPHRASE_FILE": str(
                django_settings.MAKERS_SIGNING_PASSPHRASE_FILE
            ),
            "MAKERS_PRIVATE_ROOT": str(django_settings.MAKERS_PRIVATE_ROOT),
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
                "tests.certificates.rq_worker",
                "certificates",
                "--with-scheduler",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )


@pytest.fixture
def redis_db_11():
    connection = django_rq.get_connection("certificates")
    assert connection.connection_pool.connection_kwargs["db"] == worker_db(11)
    try:
        connection.ping()
    except Exception as error:  # noqa: BLE001
        pytest.skip(f"Redis at 127.0.0.1:6379 is not reachable: {error}")
    connection.flushdb()
    yield connection
    connection.flushdb()


@pytest.fixture
def workers():
    started: list[subprocess.Popen] = []
    yield started
    for process in started:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)


def test_a_killed_rq_worker_finishes_its_run_by_itself_exactly_once(
    settings, tmp_path, redis_db_11, workers
):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (the killed transaction rolled back)")
    edition, _, enrolments = edition_completed(trainees=TRAINEES)
    settings.TASKS = RQ_TASKS  # after the factories: their tasks stay immediate
    settings.MAKERS_CERTIFICATE_RUN_TASKS = 1
    run = services.run_start(edition=edition, actor=None)  # enqueued on commit
    assert django_rq.get_queue("certificates").count == 1
    log = tmp_path / "rqworker.log"

    def issued() -> int:
        return run.items.filter(status=ItemStatus.ISSUED).count()

    first = _worker(log)
    workers.append(first)
    _wait_for(
        lambda: issued() >= 5,
        timeout=180,
        what="the first certificates",
        worker=first,
        log=log,
    )
    os.killpg(first.pid, signal.SIGKILL)  # the worker and its work horse
    first.wait(timeout=30)
    done_before = issued()
    assert done_before < TRAINEES, "the run ended before the worker was killed"

    restarted = time.monotonic()
    second = _worker(log)
    workers.append(second)
    _wait_for(
        lambda: IssueRun.objects.get(pk=run.pk).status == RunStatus.DONE,
        timeout=RECOVERY_SECONDS,
        what="the run to finish after the restart",
        worker=second,
        log=log,
    )
    took = time.monotonic() - restarted
    assert took < RECOVERY_SECONDS

    run = IssueRun.objects.get(pk=run.pk)
    assert run.resumed == 0  # nobody resumed it
    items = list(run.items.select_related("certificate"))
    assert len(items) == TRAINEES
    assert {item.status for item in items} == {ItemStatus.ISSUED}
    certificates = list(Certificate.objects.filter(enrolment__edition=edition))
    assert len(certificates) == TRAINEES
    assert sorted(c.enrolment_id for c in certificates) == sorted(
        e.pk for e in enrolments
    )
    assert all(item.certificate.serial == item.serial for item in items)
    for certificate in certificates:
        with certificate.pdf.open("rb") as pdf:
            report = pdf_signature_check(pdf=pdf.read())
        assert report.genuine, (certificate.serial, report)
    print(f"recovered {TRAINEES - done_before} certificates in {took:.1f} s")
