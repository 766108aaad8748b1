import datetime
import os

import colorama
import pytest
import time_machine
from django.conf import settings
from django.core.cache import caches
from django.utils import translation
from wagtail.models import Locale, Page

from tests import db_template
from tests.factories import rome_at, site_tree

# tatsu, the grammar engine under `ics` (the suite's second iCalendar parser),
# calls colorama.init() at every parse when colorama is installed (mkdocs-material
# brings it): each call wraps sys.stdout once more, until a test deep enough in the
# stack overflows it (RecursionError in colorama's isatty). The idempotent form
# does what init() would on Windows and nothing here.
colorama.init = colorama.just_fix_windows_console

# Every test runs on a set clock, never the wall clock: the suite gives the same
# answer at 10:00 and at 23:59, in June and on the night the clocks change.
# MAKERS_TEST_NOW (ISO 8601 with an offset) picks another instant; .ci/run runs the
# suite a second time at 23:30 on the Saturday before the clocks go forward.
DEFAULT_TEST_NOW = "2026-06-10T10:00:00+02:00"


def test_now() -> datetime.datetime:
    value = datetime.datetime.fromisoformat(
        os.environ.get("MAKERS_TEST_NOW") or DEFAULT_TEST_NOW
    )
    if value.tzinfo is None:
        raise ValueError("MAKERS_TEST_NOW needs an offset, e.g. +01:00")
    return value


test_now.__test__ = False  # not a test, despite its name


@pytest.fixture(autouse=True, scope="session")
def _set_clock():
    """Start every test session at the same instant; time then runs on from it."""
    with time_machine.travel(test_now(), tick=True):
        yield


# `make test-fast` leaves these out (-m "not slow"), `make test` runs them: each
# loads the whole demo (tests/demo/, fixtures named below), builds the bench
# dataset, opens every page as every demo role, or migrates a database back and
# forth (about a minute on a loaded machine, a third of the unit suite's budget).
SLOW_PATHS = (
    "tests/demo/",
    "tests/security/",
    "tests/bench/",
    "tests/portal/test_english_area.py",
    "tests/attendance/test_migration.py",
)
SLOW_FIXTURES = frozenset({"demo", "demo_content", "world"})


def pytest_collection_modifyitems(config, items):
    """Browser journeys need chromium; PostgreSQL-only tests need PostgreSQL."""
    on_postgres = os.environ.get("DATABASE_URL", "").startswith("postgres")
    skip_pg = pytest.mark.skip(reason="row locks and concurrency need PostgreSQL")
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(skip_pg)
        if item.nodeid.startswith(SLOW_PATHS) or SLOW_FIXTURES.intersection(
            getattr(item, "fixturenames", ())
        ):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def _test_db_from_template(request):
    """Test databases are copies of one migrated template (tests/db_template.py)
    unless --reuse-db keeps a database or --nomigrations skips migrating."""
    if request.config.getvalue("reuse_db") or request.config.getvalue("nomigrations"):
        yield
        return
    with db_template.installed():
        yield


@pytest.fixture(scope="session")
def django_db_modify_db_settings(
    django_db_modify_db_settings_parallel_suffix, _test_db_from_template, request
):
    """On PostgreSQL every test run gets a test database of its own.

    Django names it test_<NAME> (plus _gwN under xdist), so two runs started with
    the same DATABASE_URL shared one: the second failed to create it, or dropped
    it under the first when the first had no connection open for a moment, and
    the first then failed and errored on everything after. The process id keeps
    concurrent runs apart; --reuse-db keeps the plain name, which it needs to
    find the database again.
    """
    from django.conf import settings

    if request.config.getvalue("reuse_db"):
        return
    suffix = f"_p{os.getpid()}"
    for database in settings.DATABASES.values():
        if "postgresql" not in database["ENGINE"]:
            continue
        test = database.setdefault("TEST", {})
        name = test.get("NAME") or f"test_{database['NAME']}"
        test["NAME"] = name[: 63 - len(suffix)] + suffix  # PostgreSQL's limit


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the default language: a request to an /en/ page
    leaves English active in the test's thread, where the next test's reverse()
    and resolve() would then expect /en/ paths."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _clear_cache():
    for cache in caches.all():
        cache.clear()
    yield
    for cache in caches.all():
        cache.clear()


@pytest.fixture(scope="session")
def signing_key(tmp_path_factory):
    """A development CA and signing key, made once per test session (per xdist
    worker) in the session's temporary folder, never the developer's var/.

    Not autouse (two RSA keys cost a noticeable fraction of a second): the
    certificate tests use it for every test, browser journeys that issue
    certificates ask for it.
    """
    from django.conf import settings

    from certificates.signing import DEV_PASSPHRASE_NAME, dev_signing_key_create

    directory = tmp_path_factory.mktemp("signing")
    path = dev_signing_key_create(directory=directory)
    old = settings.MAKERS_SIGNING_P12, settings.MAKERS_SIGNING_PASSPHRASE_FILE
    settings.MAKERS_SIGNING_P12 = str(path)
    settings.MAKERS_SIGNING_PASSPHRASE_FILE = directory / DEV_PASSPHRASE_NAME
    yield path
    settings.MAKERS_SIGNING_P12, settings.MAKERS_SIGNING_PASSPHRASE_FILE = old


@pytest.fixture
def site(db):
    """The default site with its Italian home page and course catalogue."""
    home, index = site_tree()
    return home, index


@pytest.fixture
def at_ten_in_rome():
    """Stop the clock at 10:00 in Rome today: during a morning session, for the
    register tests (use with pytest.mark.usefixtures)."""
    with time_machine.travel(rome_at(0, hour=10), tick=False):
        yield


@pytest.fixture
def wagtail_root():
    """Transactional tests (PostgreSQL, real commits) flush the tables, the root
    page and locales that Wagtail's migrations create among them: put them back
    for the page factories."""
    Locale.objects.get_or_create(language_code="it")
    Locale.objects.get_or_create(language_code="en")
    if Page.get_first_root_node() is None:
        Page.add_root(instance=Page(title="Root", slug="root"))
