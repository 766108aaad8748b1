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
# Template edits show at once while developing; production caches for 10 minutes.
MAKERS_PAGE_CACHE_SECONDS = int(os.environ.get("MAKERS_PAGE_CACHE_SECONDS", 0))  # noqa: F405
