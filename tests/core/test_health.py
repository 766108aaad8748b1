"""/healthz and /readyz (core.health): each failing check, cheap, never cached."""

import datetime
import json
from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.db.migrations.executor import MigrationExecutor
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from core import health

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
FAILING_CACHES = {
    "default": {"BACKEND": "tests.core.failing_cache.FailingCache"},
    "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
}


@pytest.fixture(autouse=True)
def _fresh_migration_memo():
    health.migrations_applied_reset()
    yield
    health.migrations_applied_reset()


def _ready(client) -> tuple[int, dict]:
    response = client.get("/readyz")
    assert "no-store" in response["Cache-Control"]
    return response.status_code, json.loads(response.content)


def test_paths_carry_no_language_prefix():
    assert reverse("healthz") == "/healthz"
    assert reverse("readyz") == "/readyz"


@pytest.mark.django_db
def test_healthz_answers_without_database_or_cache(client, django_assert_num_queries):
    with override_settings(CACHES=FAILING_CACHES), django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert "no-store" in response["Cache-Control"]
    assert "X-Page-Cache" not in response


@pytest.mark.django_db
def test_readyz_ok_and_cheap_once_migrations_were_seen(
    client, django_assert_num_queries
):
    status, body = _ready(client)
    assert status == 200
    assert body == {"status": "ok", "checks": {"database": "ok", "migrations": "ok"}}
    with django_assert_num_queries(1):  # SELECT 1; the migration plan is known
        assert client.get("/readyz").status_code == 200


@pytest.mark.django_db
@override_settings(TASKS=DATABASE_TASKS)
def test_readyz_counts_the_queue_in_one_query(client, django_assert_num_queries):
    client.get("/readyz")
    with django_assert_num_queries(2):  # SELECT 1, the queue's counts
        status, body = _ready(client)
    assert status == 200
    assert body["checks"]["queue:default"] == "ok"


@pytest.mark.django_db
def test_readyz_names_an_unreachable_database(client):
    with mock.patch.object(
        connection, "cursor", side_effect=OperationalError("connection refused")
    ):
        status, body = _ready(client)
    assert status == 503
    assert body["status"] == "unavailable"
    assert "database" in body["failed"]
    assert body["checks"]["database"] == "unavailable (OperationalError)"
    assert "refused" not in json.dumps(body)  # details go to the log only


@pytest.mark.django_db
def test_readyz_names_an_unreachable_cache(client):
    with override_settings(CACHES=FAILING_CACHES):
        status, body = _ready(client)
    assert status == 503
    assert body["failed"] == ["cache:default"]
    assert body["checks"]["database"] == "ok"


@pytest.mark.django_db
def test_readyz_names_unapplied_migrations(client):
    unapplied = [(mock.Mock(), False), (mock.Mock(), False)]
    with mock.patch.object(MigrationExecutor, "migration_plan", return_value=unapplied):
        status, body = _ready(client)
    assert status == 503
    assert body["failed"] == ["migrations"]
    assert body["checks"]["migrations"] == "2 migrations not applied"
    # Not remembered as applied: once migrated, the next probe passes.
    assert _ready(client)[0] == 200


def _task(**fields) -> DBTaskResult:
    return DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="core.emails.email_send",
        backend_name="default",
        run_after=fields.pop("run_after", get_date_max()),
        **fields,
    )


@pytest.mark.django_db
@override_settings(TASKS=DATABASE_TASKS, MAKERS_READY_MAX_QUEUE_AGE_MINUTES=10)
def test_readyz_names_a_queue_whose_oldest_ready_task_waits_too_long(client):
    late = _task()
    DBTaskResult.objects.filter(pk=late.pk).update(
        enqueued_at=timezone.now() - datetime.timedelta(minutes=11)
    )
    status, body = _ready(client)
    assert status == 503
    assert body["failed"] == ["queue:default"]


@pytest.mark.django_db
@override_settings(TASKS=DATABASE_TASKS, MAKERS_READY_MAX_QUEUE_AGE_MINUTES=10)
def test_readyz_ignores_a_task_deferred_until_recently(client):
    """Enqueued long ago but runnable only since a minute ago: not late."""
    now = timezone.now()
    task = _task(run_after=now - datetime.timedelta(minutes=1))
    DBTaskResult.objects.filter(pk=task.pk).update(
        enqueued_at=now - datetime.timedelta(hours=1)
    )
    assert _ready(client)[0] == 200


@pytest.mark.django_db
@override_settings(TASKS=DATABASE_TASKS, MAKERS_READY_MAX_QUEUE=2)
def test_readyz_names_a_queue_over_its_size(client):
    for _ in range(2):
        _task()
    assert _ready(client)[0] == 200
    _task()
    status, body = _ready(client)
    assert status == 503
    assert body["checks"]["queue:default"] == "3 ready tasks (over 2)"


@pytest.mark.django_db
@override_settings(
    SECURE_SSL_REDIRECT=True, SECURE_REDIRECT_EXEMPT=[r"^healthz$", r"^readyz$"]
)
def test_probes_answer_on_plain_http_when_the_rest_redirects(client):
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200
    assert client.get("/corsi/").status_code == 301


@pytest.mark.django_db
def test_probes_never_enter_the_page_cache(client):
    with mock.patch("core.middleware.page_cache_generations") as generations:
        client.get("/healthz")
        client.get("/readyz")
    generations.assert_not_called()
