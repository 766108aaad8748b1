"""Prepared files through a real RQ worker (Redis database 9, flushed by each
test): the build is a job on the reports queue, with its retry policy; a
worker builds it; a crash marks it failed and leaves a retry scheduled.
Skipped, with the reason, without Redis."""

import django_rq
import pytest
from rq import SimpleWorker

from core import tasks as engine
from core.models import PreparedFile, PreparedFileStatus
from core.prepared_files import download_request
from makers_school.settings.tasks import rq_queues
from tests.core import prepared_kinds as kinds
from tests.factories import UserFactory
from tests.redis_dbs import worker_db

# Both tests flush and read Redis database 9: one xdist worker runs them, in
# turn (make test: --dist loadgroup), never at once.
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("redis_db_9")]

REDIS_DB = worker_db(9)
RQ_TASKS = {
    "default": {
        "BACKEND": "core.tasks.MakersRQBackend",
        "QUEUES": ["default", "mail", "certificates", "reports"],
    }
}


@pytest.fixture
def rq_redis(settings, tmp_path):
    settings.MAKERS_PRIVATE_ROOT = tmp_path / "private"
    settings.RQ_QUEUES = rq_queues("redis://127.0.0.1:6379/0", REDIS_DB)
    connection = django_rq.get_connection("reports")
    assert connection.connection_pool.connection_kwargs["db"] == REDIS_DB
    try:
        connection.ping()
    except Exception as error:  # noqa: BLE001
        pytest.skip(f"Redis at 127.0.0.1:6379 is not reachable: {error}")
    connection.flushdb()
    settings.TASKS = RQ_TASKS
    kinds.builds.clear()
    kinds.failing["how"] = None
    yield connection
    connection.flushdb()


def _queued_jobs(name: str) -> list:
    return django_rq.get_queue(name, job_class=engine.Job).get_jobs()


def _work_off(name: str) -> None:
    """A real RQ worker, in this process (the test's database transaction)."""
    queue = django_rq.get_queue(name, job_class=engine.Job)
    SimpleWorker([queue], connection=queue.connection, job_class=engine.Job).work(
        burst=True
    )


def _requested(django_capture_on_commit_callbacks) -> PreparedFile:
    with django_capture_on_commit_callbacks(execute=True):
        return download_request(
            owner=UserFactory(), kind="test_site", params={"rq": True}
        )


def test_the_build_is_a_reports_job_that_a_worker_runs(
    rq_redis, django_capture_on_commit_callbacks
):
    prepared = _requested(django_capture_on_commit_callbacks)
    (job,) = _queued_jobs("reports")
    assert job.retries_left == 2 and job.retry_intervals == [60, 600]
    assert _queued_jobs("default") == []
    with django_capture_on_commit_callbacks(execute=True):
        _work_off("reports")
    prepared.refresh_from_db()
    assert prepared.status == PreparedFileStatus.READY
    assert prepared.file.read() == kinds.CONTENT
    (email,) = _queued_jobs("mail")  # the owner's "your file is ready"
    assert email.func_name.endswith("prepared_file_notify")


def test_a_crash_marks_it_failed_and_rq_retries_later(
    rq_redis, django_capture_on_commit_callbacks
):
    kinds.failing["how"] = "crash"
    prepared = _requested(django_capture_on_commit_callbacks)
    (job,) = _queued_jobs("reports")
    _work_off("reports")
    prepared.refresh_from_db()
    assert prepared.status == PreparedFileStatus.FAILED
    job.refresh()
    assert job.retries_left == 1  # scheduled again after its back-off
