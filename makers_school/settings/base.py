"""Settings shared by every environment. Values come from the environment."""

import os
import secrets
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("MAKERS_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item]


def dev_secret_key() -> str:
    """A per-checkout key, generated on first run into the git-ignored var/."""
    path = VAR_DIR / "dev-secret-key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY") or dev_secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "core",
    "people",
    "courses",
    "enrolment",
    "attendance",
    "funding",
    "evaluations",
    "certificates",
    "notices",
    "directory",
    "insights",
    "cms",
    "portal",
    "demo",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.simple_translation",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.locales",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "django_rq",
    # Rate limits outside allauth's own views (verification, directory, calendar
    # feeds, invitations); in INSTALLED_APPS for its system check of the cache.
    "django_ratelimit",
    # Prometheus metrics (core.metrics serves them at /metrics).
    "django_prometheus",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    # Outermost: times and counts every request for Prometheus (core.metrics).
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    # First: every response, redirects and refusals included, carries the request
    # id, and every log record of the request names it (core.request_id).
    "core.request_id.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.ContentSecurityPolicyMiddleware",
    # Refuses an over-large body (413) before anything below reads it; below the
    # two above, so the refusal carries the security headers too.
    "core.request_size.RequestSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Compresses responses (pages, JSON, CSV, calendars) for clients accepting gzip.
    # Below whitenoise, which serves its own precompressed static files; above the
    # page cache, which keeps each shared page compressed once and sends the
    # variant the client accepts (core.compression), left alone here.
    # BREACH: the CSRF token in a page is masked afresh on every response, and
    # Django's GZipMiddleware pads each response with random bytes; shared pages
    # hold no secret.
    "core.middleware.CompressionMiddleware",
    # Serves cached shared pages before sessions, auth and locale run.
    "core.middleware.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Pages and downloads for a signed-in person: Cache-Control private, no-store.
    "core.middleware.PrivateResponseMiddleware",
    "core.middleware.SignedInCookieMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "people.middleware.StaffMFARequiredMiddleware",
    # Every permission denial into the audit log (people.security).
    "people.security.PermissionDeniedAuditMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Wagtail's page views get their Site and root page from a fragment.
    "core.routing.CachedSiteMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "makers_school.urls"
WSGI_APPLICATION = "makers_school.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}", conn_max_age=60
    )
}


def prepare_threshold() -> int | None:
    """MAKERS_DB_PREPARE_THRESHOLD: after how many runs on a connection psycopg
    prepares a query (0: at once); "off" for a transaction-mode pooler."""
    value = os.environ.get("MAKERS_DB_PREPARE_THRESHOLD", "5").strip().lower()
    return None if value in {"off", "none", ""} else int(value)


if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # Prepared statements through psycopg's public API (docs/decisions/0007): the
    # hot reads are plain querysets; parameters are bound by the server, and a
    # query run more than prepare_threshold times on a connection becomes a
    # prepared statement, parsed and planned once per connection
    # (tests/core/test_prepared_statements.py). Needs a session, not a
    # transaction pooler.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=True, prepare_threshold=prepare_threshold()
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "people.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    # The breached-password check: Django's list of 20,000 common passwords, taken
    # from leaked password sets, ships with Django and is read offline. No online
    # breach API: the servers reach no third-party service (README, Passwords).
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
# The personal area, in the visitor's language (/me/ or /en/me/).
LOGIN_REDIRECT_URL = "portal:dashboard"

# django-allauth: email is the login; addresses must be verified.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Makers' School] "
# Rate limits. "ip" is the client's address as allauth reads it behind
# ALLAUTH_TRUSTED_PROXY_COUNT proxies (below); with the proxy's own address every
# visitor would share one budget and five failures would lock out everyone.
# login_failed: at most 10 failures a minute from one client IP (across accounts),
# and 5 per 5 minutes per account *from that IP* (people.adapters keys the
# account limit by account and client IP). A stranger who guesses someone's
# password locks only their own address out of that account, for 5 minutes; the
# owner signing in from anywhere else is never refused, and a success rolls
# back its own attempt. A password reset clears the account limit.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",  # nosec B105 - a rate, not a password
    "confirm_email": "1/3m/key",
}
# How many proxies in front of the app (each appends to X-Forwarded-For) to
# trust when reading the client's IP; 0 ignores the header (no proxy, as in
# development). Or the one header a trusted proxy sets to the client's IP.
ALLAUTH_TRUSTED_PROXY_COUNT = 0
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = None
# allauth names the person by their email address in its pages and emails,
# never by the name typed at sign-up (people.adapters.user_display).
ACCOUNT_USER_DISPLAY = "people.adapters.user_display"
ACCOUNT_SIGNUP_FORM_CLASS = "people.forms.SignupForm"
ACCOUNT_ADAPTER = "people.adapters.AccountAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Makers' School"
# Staff must enrol a second factor before using the admin (on in production).
MAKERS_REQUIRE_STAFF_MFA = env_bool("MAKERS_REQUIRE_STAFF_MFA", False)

LANGUAGE_CODE = "it"
LANGUAGES = [("it", "Italiano"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Rome"
USE_I18N = True
USE_TZ = True
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
from .uploads import *  # noqa: E402, F403

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "makers-school",
    },
    # Rendered anonymous pages, per process; their generation lives in "default".
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "makers-school-pages",
        "OPTIONS": {"MAX_ENTRIES": 1000},
    },
}
# Anonymous HTML pages are served from the cache for this long at most; publishing
# a page or changing an edition invalidates them at once (core.cache).
MAKERS_PAGE_CACHE_SECONDS = int(os.environ.get("MAKERS_PAGE_CACHE_SECONDS", 600))
# How late a shared page may show what its soft tags stand for (the catalogue's
# seat figures; core.cache). The course page and the enrolment itself are exact.
MAKERS_PAGE_CACHE_SOFT_SECONDS = int(
    os.environ.get("MAKERS_PAGE_CACHE_SOFT_SECONDS", 5)
)
# After the shared cache (Redis) failed to answer, the page cache and /readyz do
# not ask it again for this many seconds (core.shared_cache): pages are rendered.
MAKERS_SHARED_CACHE_RETRY_SECONDS = float(
    os.environ.get("MAKERS_SHARED_CACHE_RETRY_SECONDS", 1)
)
# Messages travel in a cookie only, never in the session: the page cache serves a
# shared page to a session holder and steps aside only for the messages cookie.
MESSAGE_STORAGE = "django.contrib.messages.storage.cookie.CookieStorage"

# How long a request waits for a row lock (an edition's seats) before it is told
# to try again (core.locking); PostgreSQL only.
MAKERS_LOCK_TIMEOUT_MS = int(os.environ.get("MAKERS_LOCK_TIMEOUT_MS", 5000))

# A session's register locks this many hours after the session ends (or when its
# instructor closes it); then only staff change it, with a reason.
MAKERS_REGISTER_LOCK_HOURS = int(os.environ.get("MAKERS_REGISTER_LOCK_HOURS", 48))
# The school named on the PDF registers (attendance cannot read cms.SiteSettings).
MAKERS_SCHOOL_NAME = os.environ.get("MAKERS_SCHOOL_NAME", "Makers' School")
MAKERS_SCHOOL_ADDRESS = os.environ.get(
    "MAKERS_SCHOOL_ADDRESS",
    "Manufacturing Technology Center, Corso Settembrini 178, 10135 Torino",
)

# Certificates: signing, timestamps, the issuer, verification.
from .certificates import *  # noqa: E402, F403

# django-ratelimit counts in the "default" cache: Redis in production, shared by
# every process (its system check refuses a per-process cache there).
RATELIMIT_USE_CACHE = "default"

# The task queues, RQ's settings (production's engine) and its timings.
from .tasks import *  # noqa: E402, F403

# Operations (docs/operations.md). /readyz (core.health) fails when
# the database task queue falls behind: a ready task waiting longer than this many
# minutes, or more ready tasks than MAKERS_READY_MAX_QUEUE.
MAKERS_READY_MAX_QUEUE = int(os.environ.get("MAKERS_READY_MAX_QUEUE", 1000))
MAKERS_READY_MAX_QUEUE_AGE_MINUTES = int(
    os.environ.get("MAKERS_READY_MAX_QUEUE_AGE_MINUTES", 10)
)
# Production settings turn on the checks that refuse a wrong configuration
# (core.checks, certificates.checks); they run in `check --deploy` and when the
# WSGI/ASGI application starts.
MAKERS_PRODUCTION = False
# Certificates signed without a timestamp authority, on purpose (else production
# requires MAKERS_TSA_URL).
MAKERS_ALLOW_UNTIMESTAMPED = env_bool("MAKERS_ALLOW_UNTIMESTAMPED", False)
# manage.py backup copies the signing key file too (never its passphrase).
BACKUP_INCLUDE_KEY = env_bool("BACKUP_INCLUDE_KEY", False)

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", 25))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "Makers' School <noreply@makers-school.example>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

WAGTAIL_SITE_NAME = "Makers' School"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILADMIN_LOGIN_URL = "account_login"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAIL_ENABLE_UPDATE_CHECK = False
# No third-party avatar requests from the admin (privacy; CSP allows only 'self').
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILDOCS_SERVE_METHOD = "serve_view"

CATALOGUE_PAGE_SIZE = 12

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "SAMEORIGIN"
SECURE_REFERRER_POLICY = "same-origin"

# Content Security Policy (core.middleware). The Wagtail admin needs
# inline styles and scripts; the public site needs neither.
CSP_PUBLIC = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; "
    "script-src 'self'; font-src 'self' data:; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'self'"
)
CSP_ADMIN = (
    "default-src 'self'; img-src 'self' data: blob:; "
    "style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline' "
    "'unsafe-eval'; font-src 'self' data:; object-src 'none'; base-uri 'self'; "
    "frame-ancestors 'self'"
)

# The scheduler's task clean-up (core.tasks.task_rows_prune): finished task
# results and scheduler claims older than this many days are deleted.
MAKERS_TASK_ROWS_KEEP_DAYS = int(os.environ.get("MAKERS_TASK_ROWS_KEEP_DAYS", 30))
