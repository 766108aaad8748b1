"""The task engine (core.tasks) on a real Redis (database 11, flushed by each
test): retry policies reach RQ, a job carries the id of the request that
queued it and its log lines name it, failed jobs are listed for staff with a
permission and can be run again. Skipped, with the reason, without Redis."""

import datetime
import fcntl
import importlib.metadata
import inspect
import io
import json
import logging
import tempfile
from pathlib import Path

import django_rq
import django_tasks_rq
import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import constants
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone, translation
from rq import SimpleWorker
from rq.registry import FailedJobRegistry

from core import health
from core import tasks as engine
from core.logs import JsonFormatter, RequestContextFilter
from core.request_id import RequestContext, RequestIdMiddleware, current
from enrolment.tasks import enrolment_status_notify
from people.models import Role
from people.services import roles_sync
from tests.core import rq_tasks
from tests.factories import InstructorFactory, StaffFactory, UserFactory
from tests.redis_dbs import worker_db

# The tests of Redis database 11 (tests' RQ queues) flush it: one xdist worker
# runs them all, in turn (make test: --dist loadgroup).
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("redis_db_11")]

RQ_TASKS = {
    "default": {
        "BACKEND": "core.tasks.MakersRQBackend",
        "QUEUES": ["default", "mail", "certificates", "reports"],
    }
}
FAILED_TASKS = "/admin/reports/failed-tasks/"
REDIS_LOCK = Path(tempfile.gettempdir()) / "makers-tests-redis-db-11.lock"


@pytest.fixture
def rq_redis(settings):
    """The RQ backend on Redis database 11, empty before and after; one test
    at a time across xdist workers (a file lock), since they share it."""
    connection = django_rq.get_connection("default")
    assert connection.connection_pool.connection_kwargs["db"] == worker_db(11)
    try:
        connection.ping()
    except Exception as error:  # noqa: BLE001
        pytest.skip(f"Redis at 127.0.0.1:6379 is not reachable: {error}")
    with open(REDIS_LOCK, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        connection.flushdb()
        settings.TASKS = RQ_TASKS
        yield connection
        connection.flushdb()


def work_off(*queue_names: str) -> None:
    """A real RQ worker (in this process) runs every queued job, then stops."""
    queues = [django_rq.get_queue(name, job_class=engine.Job) for name in queue_names]
    worker = SimpleWorker(queues, connection=queues[0].connection, job_class=engine.Job)
    worker.work(burst=True)


def test_the_enqueue_copied_from_django_tasks_rq_is_still_its_own():
    """MakersRQBackend.enqueue repeats RQBackend.enqueue (no hook for Retry or
    meta): a new django-tasks-rq must be read again before it is pinned."""
    assert importlib.metadata.version("django-tasks-rq") == "0.12.0"
    source = inspect.getsource(django_tasks_rq.RQBackend.enqueue)
    assert "queue.create_job(" in source
    assert 'meta={"backend_name": self.alias}' in source


def test_a_mail_task_is_queued_on_mail_with_its_retry_policy(rq_redis):
    result = enrolment_status_notify.enqueue(log_entry_id=1)
    job = engine.Job.fetch(result.id, connection=rq_redis)
    assert job.origin == "mail"
    assert job.retries_left == 5
    assert job.retry_intervals == [30, 120, 600, 1800, 3600]


def test_a_task_without_a_policy_is_not_retried(rq_redis):
    result = rq_tasks.task_that_logs.enqueue(message="hello")
    job = engine.Job.fetch(result.id, connection=rq_redis)
    assert job.origin == "default"
    assert job.retries_left is None


def test_a_retry_policy_refuses_nonsense():
    with pytest.raises(ValueError):
        engine.retry_policy_set(rq_tasks.task_that_logs, max_retries=0, intervals=[])


def test_the_request_id_follows_the_request_into_its_task_log_lines(rq_redis):
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestContextFilter())
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("makers.tests.tasks")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.disabled = False  # whatever logging configuration ran before
    token = current.set(RequestContext("req-0123456789abcdef", "POST", "/x/"))
    try:
        result = rq_tasks.task_that_logs.enqueue(message="hello")
    finally:
        current.reset(token)
    # Enqueued outside any request: its lines name no request.
    rq_tasks.task_that_logs.enqueue(message="alone")
    try:
        work_off("default")
    finally:
        logger.removeHandler(handler)
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert len(lines) == 2, stream.getvalue()
    by_message = {line["message"]: line for line in lines}
    assert by_message["task says hello"]["request_id"] == "req-0123456789abcdef"
    assert by_message["task says hello"]["method"] == "TASK"
    assert by_message["task says alone"]["request_id"] is None
    job = engine.Job.fetch(result.id, connection=rq_redis)
    assert job.meta[engine.REQUEST_ID_META] == "req-0123456789abcdef"
    assert current.get() is None


def test_a_request_queues_its_tasks_under_its_own_id(rq_redis):
    """Through the middleware: the id the proxy sent is in the job's meta."""
    queued = []

    def view(request):
        queued.append(rq_tasks.task_that_logs.enqueue(message="from a view"))
        return HttpResponse("ok")

    request = RequestFactory().get("/", HTTP_X_REQUEST_ID="abcdef0123456789")
    response = RequestIdMiddleware(view)(request)
    assert response["X-Request-ID"] == "abcdef0123456789"
    job = engine.Job.fetch(queued[0].id, connection=rq_redis)
    assert job.meta[engine.REQUEST_ID_META] == "abcdef0123456789"


def fail_one(reason: str = "SMTP server said 451") -> str:
    result = rq_tasks.task_that_fails.enqueue(reason=reason)
    work_off("mail")
    return result.id


@pytest.fixture
def staff(db):
    roles_sync()
    return StaffFactory()


def test_staff_see_a_real_failed_task_what_when_and_why(client, rq_redis, staff):
    job_id = fail_one()
    assert job_id in FailedJobRegistry(queue=django_rq.get_queue("mail")).get_job_ids()
    client.force_login(staff)
    response = client.get(FAILED_TASKS)
    assert response.status_code == 200
    page = response.content.decode()
    assert "task_that_fails" in page
    assert "reason=&#x27;SMTP server said 451&#x27;" in page
    assert "RuntimeError: SMTP server said 451" in page
    assert reverse("makers_failed_task_run_again", args=["mail", job_id]) in page


def test_run_again_asks_then_queues_the_task_again(client, rq_redis, staff):
    job_id = fail_one()
    client.force_login(staff)
    url = reverse("makers_failed_task_run_again", args=["mail", job_id])
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert 'method="post"' in confirm.content.decode()
    queue = django_rq.get_queue("mail")
    assert queue.count == 0  # asking changes nothing
    response = client.post(url, follow=True)
    assert response.status_code == 200
    (message,) = response.context["messages"]
    assert message.level == constants.SUCCESS and "task_that_fails" in str(message)
    assert queue.get_job_ids() == [job_id]
    assert job_id not in FailedJobRegistry(queue=queue).get_job_ids()
    # Twice: the second finds it no longer failed, and says so.
    again = client.post(url, follow=True)
    (message,) = again.context["messages"]
    assert message.level == constants.ERROR
    assert queue.get_job_ids() == [job_id]


def test_an_unknown_failed_task_is_a_404(client, rq_redis, staff):
    client.force_login(staff)
    url = reverse("makers_failed_task_run_again", args=["mail", "nope"])
    assert client.get(url).status_code == 404
    assert client.post(url, follow=True).status_code == 200
    assert django_rq.get_queue("mail").count == 0


def test_admin_access_without_the_permission_is_403(client, rq_redis, staff):
    job_id = fail_one()
    editor = UserFactory(is_staff=True)  # is_staff alone grants nothing here
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    assert client.get(FAILED_TASKS).status_code == 403
    url = reverse("makers_failed_task_run_again", args=["mail", job_id])
    assert client.post(url).status_code == 403
    assert django_rq.get_queue("mail").count == 0
    assert job_id in FailedJobRegistry(queue=django_rq.get_queue("mail")).get_job_ids()


def test_other_roles_and_anonymous_never_reach_it(client, rq_redis, staff):
    assert client.get(FAILED_TASKS).status_code == 302  # to the sign-in
    client.force_login(InstructorFactory())
    assert client.get(FAILED_TASKS).status_code in (302, 403)


def test_the_staff_role_holds_the_permission(staff):
    assert staff.has_perm("core.manage_failed_tasks")
    assert Role.STAFF.value in staff.groups.values_list("name", flat=True)


def test_under_the_immediate_backend_the_page_says_nothing_is_kept(client, staff):
    client.force_login(staff)
    response = client.get(FAILED_TASKS)
    assert response.status_code == 200
    assert response.context["kept"] is False
    assert response.context["queues"] == {}


def test_readyz_reads_the_rq_queue_lengths(client, rq_redis, settings):
    settings.MAKERS_READY_MAX_QUEUE = 1
    rq_tasks.task_that_logs.enqueue(message="one")
    status, body = _ready(client)
    assert status == 200, body
    assert {"queue:default", "queue:mail", "queue:certificates"} <= set(body["checks"])
    rq_tasks.task_that_logs.enqueue(message="two")
    status, body = _ready(client)
    assert status == 503
    assert body["failed"] == ["queue:default"]
    assert body["checks"]["queue:default"] == "2 queued tasks (over 1)"


def test_readyz_fails_when_the_oldest_queued_task_waits_too_long(
    client, rq_redis, settings, time_machine
):
    settings.MAKERS_READY_MAX_QUEUE_AGE_MINUTES = 10
    rq_tasks.task_that_logs.enqueue(message="forgotten")
    time_machine.move_to(timezone.now() + datetime.timedelta(minutes=11))
    status, body = _ready(client)
    assert status == 503
    assert body["failed"] == ["queue:default"]


def _ready(client) -> tuple[int, dict]:
    health.migrations_applied_reset()
    response = client.get("/readyz")
    return response.status_code, json.loads(response.content)


def test_failed_tasks_say_so_when_redis_cannot_be_reached(client, staff, settings):
    settings.TASKS = RQ_TASKS
    settings.RQ_QUEUES = {
        name: {"URL": "redis://127.0.0.1:1/11", "SOCKET_CONNECT_TIMEOUT": 1}
        for name in RQ_TASKS["default"]["QUEUES"]
    }
    client.force_login(staff)
    response = client.get(FAILED_TASKS)
    assert response.status_code == 200
    (message,) = response.context["messages"]
    assert message.level == constants.ERROR
    with translation.override("en"):
        assert "cannot be reached" in str(message)
