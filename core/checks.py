"""A production configuration that is wrong refuses to start.

Under production settings (MAKERS_PRODUCTION) each rule below is a system check
error: `manage.py check --deploy` fails, and so does the start of the WSGI/ASGI
application (production_configuration_enforce, called by makers_school.wsgi and
.asgi), so gunicorn's workers do not boot. They are deployment checks, not run
by every management command: `migrate`, `backup` and `restore` still work on a
node whose configuration is being fixed. certificates.checks adds the signing
key's rule under the same tag.

The public base URL (WAGTAILADMIN_BASE_URL) is signed into every certificate's
QR code, printed on it for ever, and used in calendar UIDs and email links: it
must be https and name a public host.
"""

import io
import ipaddress
from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

# The tag of every check that guards a production configuration.
TAG = "makers_production"
SECRET_KEY_MIN_LENGTH = 50
# Task backends that must not run production work: the immediate one runs
# every task inside the request that queued it, the dummy one never runs them.
REFUSED_TASK_BACKENDS = (
    "django_tasks.backends.immediate.ImmediateBackend",
    "django_tasks.backends.dummy.DummyBackend",
)


def production_only(check):
    """Registers `check` as a deployment check that speaks only under
    production settings (development and tests keep their local defaults)."""

    def wrapped(app_configs=None, **kwargs):
        if not getattr(settings, "MAKERS_PRODUCTION", False):
            return []
        return check()

    wrapped.__name__ = check.__name__
    wrapped.__doc__ = check.__doc__
    checks.register(wrapped, TAG, deploy=True)
    return check


def _local_host(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False  # a name: resolving it here would make start-up need DNS
    return not address.is_global


@production_only
def public_base_url_check() -> list[checks.CheckMessage]:
    url = getattr(settings, "WAGTAILADMIN_BASE_URL", "") or ""
    hint = "Set WAGTAILADMIN_BASE_URL to the site's public https address."
    if not url.strip():
        return [
            checks.Error(
                "The public base URL (WAGTAILADMIN_BASE_URL) is not set.",
                hint=hint,
                id="makers.E001",
            )
        ]
    parts = urlsplit(url)
    if parts.scheme != "https":
        return [
            checks.Error(
                f"The public base URL {url!r} is not https: it is signed into "
                "certificates' QR codes and used in email links.",
                hint=hint,
                id="makers.E002",
            )
        ]
    if not parts.hostname or _local_host(parts.hostname):
        return [
            checks.Error(
                f"The public base URL {url!r} names a loopback or private address, "
                "which nobody outside this network can open.",
                hint=hint,
                id="makers.E003",
            )
        ]
    return []


@production_only
def secret_key_check() -> list[checks.CheckMessage]:
    try:
        key = settings.SECRET_KEY
    except ImproperlyConfigured:  # Django refuses an empty one on access
        key = ""
    if len(key or "") < SECRET_KEY_MIN_LENGTH or len(set(key)) < 5:
        return [
            checks.Error(
                f"SECRET_KEY is missing or shorter than {SECRET_KEY_MIN_LENGTH} "
                "characters.",
                hint="Generate one: python -c 'import secrets; "
                "print(secrets.token_urlsafe(64))'",
                id="makers.E004",
            )
        ]
    return []


@production_only
def allowed_hosts_check() -> list[checks.CheckMessage]:
    hosts = list(settings.ALLOWED_HOSTS)
    if not hosts or "*" in hosts:
        return [
            checks.Error(
                "ALLOWED_HOSTS is empty or contains '*'.",
                hint="List the site's host names, comma-separated.",
                id="makers.E005",
            )
        ]
    return []


@production_only
def task_backend_check() -> list[checks.CheckMessage]:
    refused = [
        alias
        for alias, config in settings.TASKS.items()
        if config.get("BACKEND") in REFUSED_TASK_BACKENDS
    ]
    if refused:
        return [
            checks.Error(
                f"The task backend of {', '.join(refused)} runs tasks inside the "
                "request (immediate) or never (dummy).",
                hint="Production runs tasks in workers: "
                "core.tasks.MakersRQBackend with `manage.py rqworker <queue>`.",
                id="makers.E006",
            )
        ]
    return []


@production_only
def timestamp_authority_check() -> list[checks.CheckMessage]:
    url = getattr(settings, "MAKERS_TSA_URL", "") or ""
    if getattr(settings, "MAKERS_ALLOW_UNTIMESTAMPED", False):
        return []
    if urlsplit(url).scheme not in ("http", "https"):
        return [
            checks.Error(
                "No timestamp authority (MAKERS_TSA_URL): certificate signatures "
                "would carry no trusted time.",
                hint="Set MAKERS_TSA_URL to an RFC 3161 service, or "
                "MAKERS_ALLOW_UNTIMESTAMPED=1 to sign without one on purpose.",
                id="makers.E007",
            )
        ]
    return []


def production_configuration_enforce() -> None:
    """Raises SystemCheckError when a production configuration is wrong.

    Called where the WSGI/ASGI application starts, so a server with a wrong
    configuration never answers a request. Only this tag's checks run (a few
    milliseconds, plus opening the signing key once).
    """
    if getattr(settings, "MAKERS_PRODUCTION", False):
        # Quiet when all is well (each worker runs it); an error is raised with
        # every broken rule in its message.
        quiet = {"stdout": io.StringIO(), "stderr": io.StringIO()}
        call_command("check", deploy=True, tags=[TAG], fail_level="ERROR", **quiet)
