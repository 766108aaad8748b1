import os

from .base import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["*"]
SECRET_KEY = "test-only-not-secret"  # noqa: S105  # nosec B105 - tests only
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
}
# One process per test run (per xdist worker): its LocMemCache is the cache every
# request of the run shares, which is what django-ratelimit's check asks for.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "QUEUES": MAKERS_TASK_QUEUES,  # noqa: F405
    }
}
# The tests that run real RQ workers use Redis database 11 (and flush only it).
# Database 11, or 4 on the second xdist worker (tests/redis_dbs.py says why).
RQ_QUEUES = rq_queues(  # noqa: F405
    "redis://127.0.0.1:6379/0",
    4 if os.environ.get("PYTEST_XDIST_WORKER") == "gw1" else 11,
)
STORAGES = {  # noqa: F405
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "test-media"  # noqa: F405
ACCOUNT_RATE_LIMITS = {**ACCOUNT_RATE_LIMITS}  # noqa: F405
# A test whose cache fails does not leave the next one without it.
MAKERS_SHARED_CACHE_RETRY_SECONDS = 0
MAKERS_PRIVATE_ROOT = VAR_DIR / "test-private"  # noqa: F405
# A development key for the tests that need one (tests/certificates/conftest.py
# makes a fresh one per session in a temporary folder).
MAKERS_SIGNING_P12 = str(VAR_DIR / "test-signing" / "dev-signing.p12")  # noqa: F405
MAKERS_SIGNING_PASSPHRASE_FILE = VAR_DIR / "test-signing" / "dev-signing.passphrase"  # noqa: F405
MAKERS_TSA_URL = ""
MAKERS_REQUIRE_STAFF_MFA = False

# Set MAKERS_TEST_DB to a file path to let `pytest --reuse-db` skip migrations.
if os.environ.get("MAKERS_TEST_DB") and DATABASES["default"]["ENGINE"].endswith(  # noqa: F405
    "sqlite3"
):
    DATABASES["default"]["TEST"] = {"NAME": os.environ["MAKERS_TEST_DB"]}  # noqa: F405
