"""Security events in the one audit log (core.audit), for staff to read in the admin.

Sign-ins and their failures, MFA changes, password changes and resets, "sign out
everywhere", permission denials and exports of personal data are written as
Wagtail log entries named ``makers.security.<what>``. Each entry keeps who acted
(``user``; None when nobody is signed in), on whom or what, and the client's IP
address in ``data`` (the IP as allauth reads it behind ALLAUTH_TRUSTED_PROXY_COUNT
proxies: security data, kept on purpose). Never a password, a TOTP code, a
recovery code or a session key.

What an entry is attached to. Wagtail's ModelLogEntry needs an instance with a
primary key, so:

* an event about a person (a sign-in, a failed sign-in with a known address, an
  MFA or password change, sessions ended, a denial met by a signed-in person) is
  logged on that person's User: it shows in their history and ties every event of
  one account together;
* an event with no person behind it (a failed sign-in with an address nobody has,
  a denial met by an anonymous visitor) is logged on the default wagtail Site,
  the one object that always exists and stands for "the site itself". No model of
  our own (no SecurityEvent table, no migration) is needed, and the typed address
  is kept in ``data`` (bounded), so that guessing sprees stay visible;
* an export of personal data is logged on what was exported (an edition's
  roster on its CourseEdition) by the exporting view, with ``security_event_log``;
  a prepared one (core.prepared_files: *My data*, the funder export) when asked
  for and at each download, by its kind's audit, with ``prepared_export_log``.

Who reads them. Wagtail's *Reports > Site history* lists the entries whose model
the reader has a permission on: administrators see every security event there,
and school staff see the exports (they may view editions) but not entries on
User or Site, which their role has no permission on (giving them one would open
the user admin). So staff read all of them in *Reports > Security events*
(people.security_report), which shows only ``makers.security.*`` entries and only
to staff and administrators (``security_events_viewable``).

The receivers are connected in PeopleConfig.ready(); the log actions are
registered here with Wagtail's ``register_log_actions`` hook, since this module is
imported at start-up.
"""

import html
import logging
from collections.abc import Callable

from allauth.account import signals as account_signals
from allauth.account.adapter import get_adapter
from allauth.mfa import signals as mfa_signals
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import signals as auth_signals
from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.models import ModelLogEntry, Site

from core.audit import audit_log
from core.exports import EXPORT_DOWNLOADED, EXPORT_REQUESTED

from .models import Role, User

logger = logging.getLogger(__name__)

PREFIX = "makers.security."
LOGIN = PREFIX + "login"
LOGIN_FAILED = PREFIX + "login_failed"
MFA_ADDED = PREFIX + "mfa_added"
MFA_REMOVED = PREFIX + "mfa_removed"
MFA_RESET = PREFIX + "mfa_reset"
PASSWORD_CHANGED = PREFIX + "password_changed"
PASSWORD_SET = PREFIX + "password_set"
PASSWORD_RESET = PREFIX + "password_reset"
SESSIONS_ENDED = PREFIX + "sessions_ended"
PERMISSION_DENIED = PREFIX + "permission_denied"
PERSONAL_DATA_EXPORTED = PREFIX + "personal_data_exported"
PERSONAL_DATA_EXPORT_ASKED = PREFIX + "personal_data_export_asked"

# action: (label in the action filter, message in the listings)
ACTIONS = {
    LOGIN: (_("Security: signed in"), _("Signed in")),
    LOGIN_FAILED: (_("Security: sign-in failed"), _("Sign-in failed")),
    MFA_ADDED: (
        _("Security: second factor added"),
        _("Second factor added"),
    ),
    MFA_REMOVED: (
        _("Security: second factor removed"),
        _("Second factor removed"),
    ),
    MFA_RESET: (
        _("Security: recovery codes regenerated"),
        _("Recovery codes regenerated"),
    ),
    PASSWORD_CHANGED: (_("Security: password changed"), _("Password changed")),
    PASSWORD_SET: (_("Security: password set"), _("Password set")),
    PASSWORD_RESET: (_("Security: password reset"), _("Password reset")),
    SESSIONS_ENDED: (
        _("Security: signed out everywhere"),
        _("Signed out on every device"),
    ),
    PERMISSION_DENIED: (
        _("Security: permission denied"),
        _("Permission denied"),
    ),
    PERSONAL_DATA_EXPORTED: (
        _("Security: personal data exported"),
        _("Personal data exported"),
    ),
    PERSONAL_DATA_EXPORT_ASKED: (
        _("Security: personal data export asked for"),
        _("Personal data export asked for"),
    ),
}

# Bounds on what a visitor types or sends that ends up in an entry.
_EMAIL_MAX = 254
_PATH_MAX = 500
_AGENT_MAX = 200


@hooks.register("register_log_actions")
def register_security_log_actions(actions):
    for action, (label, message) in ACTIONS.items():
        actions.register_action(action, label, message)


# --- writing an event -----------------------------------------------------------


def client_ip(request: HttpRequest | None) -> str:
    """The client's IP as the rate limits read it (trusted proxies); '' if unknown."""
    if request is None:
        return ""
    try:
        return get_adapter(request).get_client_ip(request)
    except PermissionDenied:  # allauth: no usable address in the request
        return ""


def _request_data(request: HttpRequest | None) -> dict:
    if request is None:
        return {}
    return {
        "ip": client_ip(request),
        "path": request.path[:_PATH_MAX],
        "method": request.method,
        "user_agent": request.headers.get("User-Agent", "")[:_AGENT_MAX],
    }


def _site() -> Site | None:
    return (
        Site.objects.filter(is_default_site=True).first()
        or Site.objects.order_by("pk").first()
    )


def security_event_log(
    *,
    action: str,
    request: HttpRequest | None,
    user: User | None = None,
    instance: Model | None = None,
    data: dict | None = None,
) -> ModelLogEntry | None:
    """Write one security event: who (user), on what (instance; else the user,
    else the site), the request's IP, path and user agent, and data.

    None only when there is nothing to attach it to (a database without a site);
    a security event never breaks the request that raised it.
    """
    subject = instance or user or _site()
    if subject is None:  # pragma: no cover - Wagtail's migrations create a site
        logger.warning("Security event %s with nothing to log it on", action)
        return None
    return audit_log(
        instance=subject,
        action=action,
        user=user,
        data={**_request_data(request), **(data or {})},
    )


def prepared_export_log(
    *,
    event: str,
    prepared,
    user: User,
    request: HttpRequest | None,
    instance: Model,
    data: dict | None = None,
) -> ModelLogEntry | None:
    """The security event of a prepared export (core.exports' audit): asked
    for (EXPORT_REQUESTED) or downloaded, by `user`, logged on what was
    exported (`instance`), with the kind of export and the file's id."""
    action = {
        EXPORT_REQUESTED: PERSONAL_DATA_EXPORT_ASKED,
        EXPORT_DOWNLOADED: PERSONAL_DATA_EXPORTED,
    }[event]
    about = {"export": prepared.kind, "file": str(prepared.public_id)}
    return security_event_log(
        action=action,
        request=request,
        user=user,
        instance=instance,
        data={**about, **(data or {})},
    )


def security_events_viewable(user) -> bool:
    """Staff (the Staff role with access to the admin) and administrators."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return (
        user.has_perm("wagtailadmin.access_admin")
        and user.groups.filter(name=Role.STAFF.value).exists()
    )


# --- receivers (connected in PeopleConfig.ready) --------------------------------


def on_user_logged_in(sender, request, user, **kwargs) -> None:
    security_event_log(action=LOGIN, request=request, user=user)


def on_user_login_failed(sender, credentials, request=None, **kwargs) -> None:
    """A wrong password (or an unknown address). Django has already replaced the
    password in credentials with stars; only the address is kept."""
    typed = str(
        credentials.get("email")
        or credentials.get("username")
        or credentials.get("login")
        or ""
    )[:_EMAIL_MAX]
    account = User.objects.filter(email__iexact=typed).first() if typed else None
    entry_data = {"email": typed, "known_account": account is not None}
    if account is not None:
        # Logged on the account that was tried; nobody is signed in (user=None).
        audit_log(
            instance=account,
            action=LOGIN_FAILED,
            user=None,
            data={**_request_data(request), **entry_data},
        )
    else:
        security_event_log(action=LOGIN_FAILED, request=request, data=entry_data)


def _mfa_receiver(action: str) -> Callable:
    def receiver(sender, request=None, user=None, authenticator=None, **kwargs):
        security_event_log(
            action=action,
            request=request,
            user=user,
            data={"authenticator": getattr(authenticator, "type", "")},
        )

    receiver.__name__ = f"on_{action.rsplit('.', 1)[-1]}"
    return receiver


on_mfa_added = _mfa_receiver(MFA_ADDED)
on_mfa_removed = _mfa_receiver(MFA_REMOVED)
on_mfa_reset = _mfa_receiver(MFA_RESET)


def _password_receiver(action: str) -> Callable:
    def receiver(sender, request=None, user=None, **kwargs):
        security_event_log(action=action, request=request, user=user)

    receiver.__name__ = f"on_{action.rsplit('.', 1)[-1]}"
    return receiver


on_password_changed = _password_receiver(PASSWORD_CHANGED)
on_password_set = _password_receiver(PASSWORD_SET)
on_password_reset = _password_receiver(PASSWORD_RESET)


def connect() -> None:
    """Connect the receivers once (dispatch_uid); called by PeopleConfig.ready()."""
    pairs = [
        (auth_signals.user_logged_in, on_user_logged_in),
        (auth_signals.user_login_failed, on_user_login_failed),
        (mfa_signals.authenticator_added, on_mfa_added),
        (mfa_signals.authenticator_removed, on_mfa_removed),
        (mfa_signals.authenticator_reset, on_mfa_reset),
        (account_signals.password_changed, on_password_changed),
        (account_signals.password_set, on_password_set),
        (account_signals.password_reset, on_password_reset),
    ]
    for signal, receiver in pairs:
        signal.connect(
            receiver, weak=False, dispatch_uid=f"people.security.{receiver.__name__}"
        )


# --- permission denials ---------------------------------------------------------

# Wagtail's admin turns a PermissionDenied into a redirect with one of these
# messages (wagtail.admin.auth), so no exception leaves the admin: they are
# recognised by the message, in any of the site's languages. Wagtail's own
# msgids, looked up in Wagtail's catalogue (an alias keeps them out of ours).
_wagtail_text = translation.gettext
_ADMIN_DENIALS = (
    "Sorry, you do not have permission to access this area.",
    "You do not have permission to access the admin.",
)


def _admin_denial_texts() -> set[str]:

    texts = set(_ADMIN_DENIALS)
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            texts.update(_wagtail_text(text) for text in _ADMIN_DENIALS)
    return texts


class PermissionDeniedAuditMiddleware:
    """Logs every permission denial: a PermissionDenied raised by a view (a 403)
    and the Wagtail admin's own refusals (a redirect with its denial message)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code == 302
            and request.path.startswith("/admin/")
            and self._admin_denied(request)
        ):
            self._log(request, kind="admin")
        return response

    def process_exception(self, request: HttpRequest, exception: Exception):
        if isinstance(exception, PermissionDenied):
            self._log(request, kind="view")
        return None  # Django still answers 403 as before

    @staticmethod
    def _admin_denied(request: HttpRequest) -> bool:
        storage = getattr(request, "_messages", None)
        queued = getattr(storage, "_queued_messages", None) or []
        if not queued:
            return False
        texts = _admin_denial_texts()
        # Wagtail renders its messages as escaped HTML (with room for buttons).
        return any(
            message.level == messages.ERROR
            and html.unescape(str(message.message)).strip() in texts
            for message in queued
        )

    @staticmethod
    def _log(request: HttpRequest, *, kind: str) -> None:
        user = getattr(request, "user", None)
        security_event_log(
            action=PERMISSION_DENIED,
            request=request,
            user=user if user is not None and user.is_authenticated else None,
            data={"kind": kind},
        )
