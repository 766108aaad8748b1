import os

from .base import *  # noqa: F403

DEBUG = True
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver"]
# The demo: MFA is offered to everyone but not enforced for staff.
MAKERS_REQUIRE_STAFF_MFA = env_bool("MAKERS_REQUIRE_STAFF_MFA", False)  # noqa: F405
STORAGES = {  # noqa: F405
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# django-ratelimit's check refuses a per-process cache (LocMemCache): the
# development server is one process, so its cache is shared by every request.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]
# Template edits show at once while developing; production caches for 10 minutes.
MAKERS_PAGE_CACHE_SECONDS = int(os.environ.get("MAKERS_PAGE_CACHE_SECONDS", 0))  # noqa: F405
