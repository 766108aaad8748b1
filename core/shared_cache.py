"""The shared cache ("default": Redis in production) for code that must know
when it fails.

Production settings tell django-redis to ignore the cache's connection errors
(IGNORE_EXCEPTIONS): for the libraries that use it (allauth's and
django-ratelimit's counters) a Redis outage is then a cache miss, not a 500.
But a failed read that looks like a miss is wrong for the page cache (a tag
generation read as 0) and for /readyz (Redis down, "ok"). They call the cache
through strict_call(), which raises SharedCacheDown instead, and bump their
counters (the page cache's tag generations) with counter_bump(): a bump the
cache could not take is kept in the process and made as soon as it answers.

After a failure, this process does not try the cache again for
MAKERS_SHARED_CACHE_RETRY_SECONDS (a Redis that does not answer would cost
every request its timeouts); the first call after that, once the cache
answers, makes the kept bumps, then runs the callbacks registered with
on_recovery() (the page cache refreshes every page: a change made during the
outage by a process that ended before it, a job or a command, was never
counted in Redis).
"""

import logging
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django_redis.cache import RedisCache
from django_redis.exceptions import ConnectionInterrupted
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

ERRORS = (ConnectionInterrupted, RedisError, OSError)

_down_until = 0.0
_failed = False
_recovery_callbacks: list[Callable[[], None]] = []
# (alias, key) of the counters this process could not bump yet.
_pending_bumps: set[tuple[str, str]] = set()
_recoveries = 0
# Read to see whether the cache answers again (it need not exist).
PROBE_KEY = "makers:shared-cache-probe"


class SharedCacheDown(Exception):
    """The shared cache did not answer (or is not tried again yet)."""


def on_recovery(callback: Callable[[], None]) -> None:
    """Run `callback` in this process when the cache answers after a failure."""
    _recovery_callbacks.append(callback)


def _strict(alias: str):
    """The cache whose errors raise: django-redis's client under its wrapper."""
    backend = caches[alias]
    return backend.client if isinstance(backend, RedisCache) else backend


def strict_call(method: str, *args: Any, alias: str = "default", **kwargs: Any):
    """cache.<method>(*args, **kwargs), raising SharedCacheDown when it fails."""
    _available(alias)
    return _call(alias, method, *args, **kwargs)


def counter_bump(key: str, *, alias: str = "default") -> None:
    """Add 1 to the counter `key` (1 if missing). With the cache down, the
    bump is kept and made when the cache answers again."""
    try:
        _available(alias)
        _bump(key, alias=alias)
    except SharedCacheDown:
        logger.warning("%s not bumped yet: shared cache %s down", key, alias)
        _pending_bumps.add((alias, key))


def recoveries() -> int:
    """How often this process saw the cache answer again after a failure."""
    return _recoveries


def _available(alias: str) -> None:
    """Raise SharedCacheDown within the retry pause; after it, the first call
    makes the kept bumps and runs the recovery callbacks before its own."""
    global _failed, _recoveries
    if time.monotonic() < _down_until:
        raise SharedCacheDown(alias)
    if not _failed:
        return
    _call(alias, "get", PROBE_KEY)
    for pending_alias, key in sorted(_pending_bumps):
        _bump(key, alias=pending_alias)
        _pending_bumps.discard((pending_alias, key))
    _failed = False
    _recoveries += 1
    logger.warning("shared cache %s answers again", alias)
    for callback in _recovery_callbacks:
        callback()


def _call(alias: str, method: str, *args: Any, **kwargs: Any):
    global _down_until, _failed
    try:
        return getattr(_strict(alias), method)(*args, **kwargs)
    except ERRORS as error:
        if not _failed:
            logger.warning("shared cache %s unavailable", alias, exc_info=True)
        _failed = True
        _down_until = time.monotonic() + settings.MAKERS_SHARED_CACHE_RETRY_SECONDS
        raise SharedCacheDown(alias) from error


def _bump(key: str, *, alias: str) -> None:
    try:
        _call(alias, "incr", key)  # one round trip, usually
    except ValueError:  # a counter never bumped yet, or evicted
        if not _call(alias, "add", key, 1, timeout=None):
            _call(alias, "incr", key)  # added by another in between


def shared_cache_reset() -> None:
    """Forget a failure and the bumps it kept (tests)."""
    global _down_until, _failed
    _down_until, _failed = 0.0, False
    _pending_bumps.clear()
