"""/metrics (core.metrics): Prometheus text for loopback and private clients
only, with the task queues' figures read from Redis."""

import pytest
import redis
from django.test import override_settings
from django.urls import reverse
from rq import Queue

from tests.redis_dbs import worker_db

# The tests of Redis database 11 (tests' RQ queues) flush it: one xdist worker
# runs them all, in turn (make test: --dist loadgroup).
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("redis_db_11")]

# The scheduler/ops tests' own Redis database (never the shared db 0).
REDIS_URL = f"redis://127.0.0.1:6379/{worker_db(12)}"
QUEUES = {name: {"URL": REDIS_URL} for name in ("default", "mail")}


def redis_up() -> bool:
    try:
        return redis.Redis.from_url(REDIS_URL).ping()
    except redis.RedisError:
        return False


@pytest.fixture
def queues():
    if not redis_up():
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    connection = redis.Redis.from_url(REDIS_URL)
    connection.flushdb()
    with override_settings(RQ_QUEUES=QUEUES):
        yield connection
    connection.flushdb()


def get_metrics(client, **meta):
    return client.get(reverse("metrics"), **meta)


def test_loopback_gets_prometheus_text(client, django_assert_num_queries):
    client.get("/healthz")  # a request for the middleware to count
    with django_assert_num_queries(0):
        response = get_metrics(client, REMOTE_ADDR="127.0.0.1")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert "no-store" in response["Cache-Control"]
    body = response.content.decode()
    assert "django_http_requests_total_by_method_total" in body
    assert "django_http_requests_latency_seconds_by_view_method" in body


@pytest.mark.parametrize(
    "meta",
    [
        {"REMOTE_ADDR": "10.1.2.3"},
        {"REMOTE_ADDR": "192.168.1.20", "HTTP_X_FORWARDED_FOR": "172.16.0.9"},
        {"REMOTE_ADDR": "::1"},
    ],
)
def test_private_networks_get_metrics(client, meta):
    assert get_metrics(client, **meta).status_code == 200


@pytest.mark.parametrize(
    "meta",
    [
        {"REMOTE_ADDR": "93.184.215.14"},
        # Relayed by the local proxy for a visitor on the internet.
        {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "93.184.215.14"},
        {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "10.0.0.1, 8.8.8.8"},
        {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_REAL_IP": "151.101.1.69"},
        {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "not-an-address"},
    ],
)
def test_public_clients_get_403(client, meta):
    response = get_metrics(client, **meta)
    assert response.status_code == 403
    assert b"django_http" not in response.content


def test_post_is_refused(client):
    assert client.post(reverse("metrics"), REMOTE_ADDR="127.0.0.1").status_code == 405


def test_task_figures_per_queue(client, queues):
    mail = Queue("mail", connection=queues)
    for _ in range(3):
        mail.enqueue("builtins.print")
    failed = Queue("default", connection=queues).enqueue("builtins.print")
    failed.set_status("failed")
    Queue("default", connection=queues).failed_job_registry.add(failed, ttl=60)
    body = get_metrics(client, REMOTE_ADDR="127.0.0.1").content.decode()
    assert 'makers_task_queue_up{queue="mail"} 1.0' in body
    assert 'makers_tasks_queued{queue="mail"} 3.0' in body
    assert 'makers_tasks_failed{queue="default"} 1.0' in body
    assert 'makers_tasks_failed{queue="mail"} 0.0' in body
    assert 'makers_tasks_workers{queue="mail"} 0.0' in body


def test_an_unreachable_queue_reports_down_and_still_answers(client):
    unreachable = {"default": {"URL": "redis://127.0.0.1:1/0", "SOCKET_TIMEOUT": 1}}
    with override_settings(RQ_QUEUES=unreachable):
        response = get_metrics(client, REMOTE_ADDR="127.0.0.1")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'makers_task_queue_up{queue="default"} 0.0' in body
    assert 'makers_tasks_queued{queue="default"}' not in body
