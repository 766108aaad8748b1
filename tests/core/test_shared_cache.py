"""The shared cache (Redis in production) away, in one process: pages are
rendered and not kept, a change's bump waits and is made when the cache is
back, the kept pages are dropped then, and work queued after a commit or from
inside a library's save never fails the request (core.shared_cache,
core.cache, core.tasks). The whole production shape under a real outage:
test_resilience.py."""

import logging

import pytest
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import transaction
from django_redis.cache import RedisCache
from django_redis.exceptions import ConnectionInterrupted
from redis.exceptions import ConnectionError as RedisConnectionError

from core import health, shared_cache
from core.cache import SITE_TAG, page_cache_generations, page_cache_invalidate
from core.models import DeferredTask
from core.shared_cache import SharedCacheDown
from core.tasks import enqueue_on_commit
from tests.core.test_tasks import RQ_TASKS

pytestmark = pytest.mark.django_db


class _SwitchableClient:
    """django-redis's client over a LocMemCache; every call fails while the
    cache is `down`, as it does when Redis is away."""

    def __init__(self):
        self.local = LocMemCache("switchable", {})

    def __getattr__(self, name):
        method = getattr(self.local, name)

        def call(*args, client=None, **kwargs):
            if SwitchableCache.down:
                error = RedisConnectionError("Error 111 connecting")
                raise ConnectionInterrupted(connection=None) from error
            return method(*args, **kwargs)

        return call


class SwitchableCache(RedisCache):
    """django-redis's backend (IGNORE_EXCEPTIONS as in production) on a
    client that fails while `down`."""

    down = False
    shared_client = _SwitchableClient()

    @property
    def client(self):
        return SwitchableCache.shared_client


@pytest.fixture
def switchable(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "tests.core.test_shared_cache.SwitchableCache",
            "LOCATION": "switchable",
            "OPTIONS": {"IGNORE_EXCEPTIONS": True},
        },
        "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
    SwitchableCache.down = False
    SwitchableCache.shared_client.local.clear()
    shared_cache.shared_cache_reset()
    yield SwitchableCache
    SwitchableCache.down = False
    shared_cache.shared_cache_reset()


def test_pages_are_rendered_and_not_kept_while_the_cache_is_away(
    site, client, switchable
):
    _, index = site
    client.get("/")  # the first request ever creates the site settings row
    client.get(index.url)
    assert client.get(index.url)["X-Page-Cache"] == "hit"
    switchable.down = True
    for _ in range(2):
        response = client.get(index.url)
        assert response.status_code == 200
        assert "X-Page-Cache" not in response  # neither served from it nor kept


def test_a_bump_made_while_away_is_made_when_back_and_pages_refresh(
    site, client, switchable
):
    _, index = site
    client.get("/")  # the first request ever creates the site settings row
    client.get(index.url)
    assert client.get(index.url)["X-Page-Cache"] == "hit"
    before = page_cache_generations([SITE_TAG])[SITE_TAG]
    switchable.down = True
    page_cache_invalidate()  # a change saved while away: no error
    with pytest.raises(SharedCacheDown):
        page_cache_generations([SITE_TAG])
    switchable.down = False
    response = client.get(index.url)
    assert response["X-Page-Cache"] == "miss"
    # The change's own bump, and the refresh of every page after an outage.
    assert page_cache_generations([SITE_TAG])[SITE_TAG] == before + 2
    assert client.get(index.url)["X-Page-Cache"] == "hit"


def test_after_a_failure_the_cache_is_left_alone_for_a_while(switchable, settings):
    settings.MAKERS_SHARED_CACHE_RETRY_SECONDS = 60
    switchable.down = True
    with pytest.raises(SharedCacheDown):
        page_cache_generations([SITE_TAG])
    switchable.down = False
    with pytest.raises(SharedCacheDown):  # not asked again yet
        page_cache_generations([SITE_TAG])


class RefusedTask:
    module_path = "tests.core.refused_task"

    def enqueue(self, **kwargs):
        raise RedisConnectionError("Error 111 connecting to 127.0.0.1:6379.")


def test_a_job_the_queue_refuses_after_commit_is_kept_not_raised(
    caplog, django_capture_on_commit_callbacks
):
    """The change has committed: the refused job is kept to be queued again
    (core.deferred, tests/core/test_deferred_tasks.py), never raised."""
    caplog.set_level(logging.WARNING, logger="core.deferred")
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        enqueue_on_commit(RefusedTask(), log_entry_id=7)
    assert "tests.core.refused_task kept to be queued again" in caplog.text
    kept = DeferredTask.objects.get()
    assert kept.kwargs == {"log_entry_id": 7}


UNREACHABLE = {
    name: {"URL": "redis://127.0.0.1:1/0"}
    for name in ("default", "mail", "certificates", "reports")
}


def test_a_library_index_task_is_skipped_while_the_queue_is_down(settings, caplog):
    from wagtail.tasks import update_reference_index_task

    from tests.core import rq_tasks

    settings.TASKS, settings.RQ_QUEUES = RQ_TASKS, UNREACHABLE
    caplog.set_level(logging.WARNING, logger="core.tasks")
    update_reference_index_task.enqueue("cms", "homepage", "1")  # no error
    assert "queue down: wagtail.tasks.update_reference_index_task skipped" in (
        caplog.text
    )
    assert "'cms', 'homepage', '1'" in caplog.text
    with pytest.raises(RedisConnectionError):  # ours: the caller decides
        rq_tasks.task_that_logs.enqueue(message="hello")


def test_readyz_names_the_cache_away_though_its_errors_are_ignored(switchable):
    switchable.down = True
    assert caches["default"].get("anything", "missed") == "missed"  # ignored
    results = health.readiness()
    assert results["cache:default"] == "unavailable (ConnectionError)"
    assert results["database"] == "ok"
