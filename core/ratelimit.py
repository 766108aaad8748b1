"""A fixed-window rate limit in the shared cache (Redis in production)."""

import hashlib
import time

from django.core.cache import cache


def rate_limit_exceeded(*, scope: str, key: str, limit: int, period: int) -> bool:
    """Count one hit of `key` in the current `period` seconds; True past `limit`.

    The key is hashed, so a secret (a feed token) never becomes a cache key.
    """
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    window = int(time.time() // period)
    cache_key = f"ratelimit:{scope}:{digest}:{window}"
    if cache.add(cache_key, 1, timeout=period * 2):
        return False
    try:
        hits = cache.incr(cache_key)
    except ValueError:  # expired between add() and incr()
        cache.set(cache_key, 1, timeout=period * 2)
        hits = 1
    return hits > limit
