"""Production: everything secret or site-specific comes from the environment."""

import os

from .base import *  # noqa: F403

DEBUG = False
# Missing or short, the makers.E004 check refuses to start (core.checks).
SECRET_KEY = os.environ.get("SECRET_KEY", "")
# A wrong configuration stops `check --deploy` and the server (core.checks).
MAKERS_PRODUCTION = True
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")  # noqa: F405
MAKERS_REQUIRE_STAFF_MFA = env_bool("MAKERS_REQUIRE_STAFF_MFA", True)  # noqa: F405

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The TLS proxy in front of gunicorn: rate limits key on the client's IP it
# appends to X-Forwarded-For (see ACCOUNT_RATE_LIMITS), not on the proxy's.
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("ALLAUTH_TRUSTED_PROXY_COUNT", 1))
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = (
    os.environ.get("ALLAUTH_TRUSTED_CLIENT_IP_HEADER") or None
)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)  # noqa: F405
# Load balancers probe the health endpoints (core.health) on plain http.
# Prometheus scrapes /metrics (core.metrics, private addresses only) likewise.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# Named, not left to defaults: no cookie on cross-site subrequests or posts, no
# shared browsing context with pages of other origins, no path or query string in
# the Referer sent to other sites.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True

# A cache shared by every process (gunicorn workers, task workers, the admin): the
# page cache's invalidation and allauth's rate limits are only right when shared.
# Redis down is not an error page (docs/operations.md, "When Redis or PostgreSQL
# goes away"): its connection errors are logged and read as misses by the
# libraries (IGNORE_EXCEPTIONS), within MAKERS_REDIS_TIMEOUT seconds; the page
# cache and /readyz see them (core.shared_cache).
REDIS_TIMEOUT = float(os.environ.get("MAKERS_REDIS_TIMEOUT", 0.5))
CACHES = {
    **CACHES,  # noqa: F405  (keeps the per-process "pages" cache)
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
        "KEY_PREFIX": "makers",
        "OPTIONS": {
            "IGNORE_EXCEPTIONS": True,
            "SOCKET_CONNECT_TIMEOUT": REDIS_TIMEOUT,
            "SOCKET_TIMEOUT": REDIS_TIMEOUT,
        },
    },
}
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
# Rate limits fail open while Redis is down: counters that cannot be read or
# counted let the request through (allauth's do so by themselves); the outage is
# in the log and in /readyz. A refusal of every verification, calendar feed and
# invitation for the outage would be an outage of its own.
RATELIMIT_FAIL_OPEN = True

# Queries, connections and errors per database for Prometheus (core.metrics):
# django-prometheus's wrapper of Django's own backend.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    DATABASES["default"]["ENGINE"] = "django_prometheus.db.backends.postgresql"  # noqa: F405
# A connection kept between requests (CONN_MAX_AGE) is tested before a request
# uses it: after a database restart the first request gets a new connection, not
# an error (docs/operations.md, "When Redis or PostgreSQL goes away").
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405

# The school's signing key: without both, certificates are not issued (a clear
# error, and the certificates.W001 system check says why).
MAKERS_SIGNING_P12 = os.environ.get("MAKERS_SIGNING_P12") or None
MAKERS_SIGNING_PASSPHRASE = os.environ.get("MAKERS_SIGNING_PASSPHRASE") or None
MAKERS_SIGNING_PASSPHRASE_FILE = None

# Background work runs in RQ workers, one or more per queue (`make worker
# QUEUE=mail`; core.tasks). django-tasks-db stays installed for its history
# tables only.
TASKS = {
    "default": {
        "BACKEND": "core.tasks.MakersRQBackend",
        "QUEUES": MAKERS_TASK_QUEUES,  # noqa: F405
    }
}

# One JSON object a line on stderr, each naming its request (core.logs); the
# service manager (journald) or the container runtime collects them.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request": {"()": "core.logs.RequestContextFilter"}},
    "formatters": {"json": {"()": "core.logs.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request"],
            "formatter": "json",
        }
    },
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {
        # Kept by Django's own handlers otherwise; here as JSON like the rest.
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # One line per request answered (core.request_id); MAKERS_ACCESS_LOG=0
        # leaves it to nginx's access log.
        "makers.request": {
            "handlers": ["console"],
            "level": "INFO" if env_bool("MAKERS_ACCESS_LOG", True) else "WARNING",  # noqa: F405
            "propagate": False,
        },
    },
}

# Wagtail's live preview shows pages in a same-origin frame, so SAMEORIGIN, not DENY.
SILENCED_SYSTEM_CHECKS = ["security.W019"]
