"""Health endpoints for load balancers, process supervisors and nginx.

`/healthz` says the process answers (no database, no cache). `/readyz` says this
node can serve: the database answers, every shared cache answers, every migration
of the code is applied, and the task queues are not falling behind (a queued
task waiting longer than MAKERS_READY_MAX_QUEUE_AGE_MINUTES, or more queued
tasks than MAKERS_READY_MAX_QUEUE: RQ's queue lengths under the RQ backend,
ready rows under the database backend). A failing check gives 503 and names
itself in the JSON body, so the balancer takes the node out and the operator sees why.

Both are outside the language prefix, exempt from the HTTPS redirect
(SECURE_REDIRECT_EXEMPT in production settings) and from the page cache
(core.middleware), and say `Cache-Control: no-store`.
"""

import datetime
import logging
from collections.abc import Callable

import django_rq
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_GET
from django_tasks import task_backends
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult, get_date_max
from django_tasks_rq import RQBackend

from .shared_cache import SharedCacheDown, strict_call

logger = logging.getLogger(__name__)

# Cache backends private to the process: nothing to reach, nothing to check.
LOCAL_CACHE_BACKENDS = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)
# The key /readyz reads from each shared cache (it need not exist).
PROBE_KEY = "makers:readyz"


class CheckFailed(Exception):
    """A readiness check's short, public reason (details go to the log)."""


# Set once this process has seen every migration applied: a running process's
# code does not change, so the migration graph is built once, not per probe.
_migrations_applied = False


def migrations_applied_reset() -> None:
    """Forget that migrations were seen applied (tests; after a rollback)."""
    global _migrations_applied
    _migrations_applied = False


def check_database() -> None:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")


def check_cache(alias: str) -> None:
    # Strict: production's django-redis ignores connection errors otherwise.
    try:
        strict_call("get", PROBE_KEY, alias=alias)
    except SharedCacheDown as down:
        error: BaseException = down
        while error.__cause__ is not None:  # named by what refused: ConnectionError
            error = error.__cause__
        raise error from None


def check_migrations() -> None:
    global _migrations_applied
    if _migrations_applied:
        return
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        raise CheckFailed(f"{len(plan)} migrations not applied")
    _migrations_applied = True


def check_queue(alias: str) -> None:
    """Ready tasks waiting too long, or too many of them (database backend)."""
    cutoff = timezone.now() - datetime.timedelta(
        minutes=settings.MAKERS_READY_MAX_QUEUE_AGE_MINUTES
    )
    # Runnable since before the cutoff: enqueued then, and not deferred past it.
    waiting_long = Q(enqueued_at__lt=cutoff) & (
        Q(run_after=get_date_max()) | Q(run_after__lt=cutoff)
    )
    counts = (
        DBTaskResult.objects.ready()
        .filter(backend_name=alias)
        .aggregate(ready=Count("pk"), late=Count("pk", filter=waiting_long))
    )
    if counts["late"]:
        raise CheckFailed(
            f"{counts['late']} ready tasks waiting over "
            f"{settings.MAKERS_READY_MAX_QUEUE_AGE_MINUTES} minutes"
        )
    if counts["ready"] > settings.MAKERS_READY_MAX_QUEUE:
        raise CheckFailed(
            f"{counts['ready']} ready tasks (over {settings.MAKERS_READY_MAX_QUEUE})"
        )


def check_rq_queue(name: str) -> None:
    """Queued jobs of one RQ queue: too many, or the oldest waiting too long."""
    queue = django_rq.get_queue(name)
    count = queue.count
    if count > settings.MAKERS_READY_MAX_QUEUE:
        raise CheckFailed(
            f"{count} queued tasks (over {settings.MAKERS_READY_MAX_QUEUE})"
        )
    oldest = queue.get_jobs(0, 1)
    if not oldest or oldest[0].enqueued_at is None:
        return
    waited = timezone.now() - oldest[0].enqueued_at
    limit = datetime.timedelta(minutes=settings.MAKERS_READY_MAX_QUEUE_AGE_MINUTES)
    if waited > limit:
        raise CheckFailed(
            f"a task waiting over {settings.MAKERS_READY_MAX_QUEUE_AGE_MINUTES} minutes"
        )


def readiness_checks() -> dict[str, Callable[[], None]]:
    """The checks /readyz runs, by name, for this configuration."""
    checks: dict[str, Callable[[], None]] = {"database": check_database}
    for alias, config in settings.CACHES.items():
        if config["BACKEND"] not in LOCAL_CACHE_BACKENDS:
            checks[f"cache:{alias}"] = lambda alias=alias: check_cache(alias)
    checks["migrations"] = check_migrations
    for alias in settings.TASKS:
        backend = task_backends[alias]
        if isinstance(backend, DatabaseBackend):
            checks[f"queue:{alias}"] = lambda alias=alias: check_queue(alias)
        elif isinstance(backend, RQBackend):
            for name in sorted(backend.queues):
                checks[f"queue:{name}"] = lambda name=name: check_rq_queue(name)
    return checks


def readiness() -> dict[str, str]:
    """Each check's result: "ok", or why it failed."""
    results = {}
    for name, check in readiness_checks().items():
        try:
            check()
        except CheckFailed as failure:
            results[name] = str(failure)
        except Exception as error:
            # What broke goes to the log; the public answer names only the check.
            logger.warning("readiness check %s failed", name, exc_info=True)
            results[name] = f"unavailable ({type(error).__name__})"
        else:
            results[name] = "ok"
    return results


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """The process is alive and answers; nothing else is touched."""
    response = HttpResponse("ok", content_type="text/plain; charset=utf-8")
    add_never_cache_headers(response)
    return response


@require_GET
def readyz(request: HttpRequest) -> HttpResponse:
    """200 when every readiness check passes, else 503 naming the failing ones."""
    results = readiness()
    failed = [name for name, result in results.items() if result != "ok"]
    body = {"status": "unavailable" if failed else "ok", "checks": results}
    if failed:
        body["failed"] = failed
    response = JsonResponse(body, status=503 if failed else 200)
    add_never_cache_headers(response)
    return response
