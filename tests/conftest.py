import os

import pytest
from django.core.cache import caches

from tests.factories import site_tree


def pytest_collection_modifyitems(config, items):
    """Browser journeys need chromium; PostgreSQL-only tests need PostgreSQL."""
    on_postgres = os.environ.get("DATABASE_URL", "").startswith("postgres")
    skip_pg = pytest.mark.skip(reason="row locks and concurrency need PostgreSQL")
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(skip_pg)


@pytest.fixture(autouse=True)
def _clear_cache():
    for cache in caches.all():
        cache.clear()
    yield
    for cache in caches.all():
        cache.clear()


@pytest.fixture
def site(db):
    """The default site with its Italian home page and course catalogue."""
    home, index = site_tree()
    return home, index
