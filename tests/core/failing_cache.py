"""A cache backend whose every read fails, as a Redis that is down does."""

from django.core.cache.backends.locmem import LocMemCache


class FailingCache(LocMemCache):
    def get(self, key, default=None, version=None):
        raise ConnectionError("cache unreachable")

    def get_many(self, keys, version=None):
        raise ConnectionError("cache unreachable")
