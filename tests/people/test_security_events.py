"""Security events in the audit log (issue 12): each one writes an entry with who,
what and the client's IP, never a secret; staff read them in the admin."""

import re

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    SECRET_SESSION_KEY,
    format_hotp_value,
    hotp_value,
)
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from wagtail.models import ModelLogEntry, Site

from people import security
from people.models import Role
from people.services import roles_sync
from tests.factories import (
    PASSWORD,
    CourseEditionFactory,
    StaffFactory,
    TraineeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

IP = "203.0.113.9"
REPORT = "/admin/reports/security-events/"


def entries(action: str):
    return ModelLogEntry.objects.filter(action=action).order_by("pk")


def only_entry(action: str) -> ModelLogEntry:
    found = list(entries(action))
    assert len(found) == 1, [e.action for e in ModelLogEntry.objects.all()]
    return found[0]


def on(entry: ModelLogEntry, instance) -> bool:
    return entry.content_type == ContentType.objects.get_for_model(
        instance, for_concrete_model=False
    ) and entry.object_id == str(instance.pk)


def login(client, email, password):
    return client.post(
        reverse("account_login"),
        {"login": email, "password": password},
        REMOTE_ADDR=IP,
    )


def no_secret_in(entry: ModelLogEntry, *secrets: str) -> bool:
    text = repr(entry.data)
    return not any(secret in text for secret in secrets)


@pytest.fixture
def staff(db):
    """A member of the Staff role, not a superuser."""
    roles_sync()
    return UserFactory(role=Role.STAFF, is_staff=False, is_superuser=False)


# --- sign-in --------------------------------------------------------------------


def test_failed_sign_in_with_a_known_address_is_logged_on_the_account(client, site):
    person = TraineeFactory()
    login(client, person.email, "wrong-password-typed")
    entry = only_entry(security.LOGIN_FAILED)
    assert on(entry, person)
    assert entry.user is None  # nobody was signed in
    assert entry.data["email"] == person.email
    assert entry.data["ip"] == IP
    assert entry.data["known_account"] is True
    assert no_secret_in(entry, "wrong-password-typed", "****")


def test_failed_sign_in_with_an_unknown_address_is_logged_on_the_site(client, site):
    login(client, "nobody@example.com", "guess-123456")
    entry = only_entry(security.LOGIN_FAILED)
    assert on(entry, Site.objects.get(is_default_site=True))
    assert entry.user is None
    assert entry.data["email"] == "nobody@example.com"
    assert entry.data["known_account"] is False
    assert entry.data["ip"] == IP
    assert no_secret_in(entry, "guess-123456")


def test_an_overlong_typed_address_is_bounded(client, site):
    login(client, "a" * 300 + "@example.com", "guess-123456")
    assert len(only_entry(security.LOGIN_FAILED).data["email"]) <= 254


def test_sign_in_is_logged(client, site):
    person = TraineeFactory()
    login(client, person.email, PASSWORD)
    entry = only_entry(security.LOGIN)
    assert on(entry, person)
    assert entry.user == person
    assert entry.data["ip"] == IP
    assert no_secret_in(entry, PASSWORD)
    assert not entries(security.LOGIN_FAILED).exists()


# --- MFA ------------------------------------------------------------------------


def _totp_code(secret: str) -> str:
    import time

    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def test_mfa_added_reset_and_removed_are_logged(
    client, site, django_capture_on_commit_callbacks
):
    person = TraineeFactory()
    client.force_login(person)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert client.get(reverse("mfa_activate_totp")).status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    code = _totp_code(secret)
    # allauth sends its signals once the transaction commits.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("mfa_activate_totp"), {"code": code})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=person, type="totp").exists()
    added = list(entries(security.MFA_ADDED))
    # TOTP, and the recovery codes allauth creates with it.
    assert {e.data["authenticator"] for e in added} >= {"totp"}
    assert all(on(e, person) and e.user == person for e in added)
    assert all(no_secret_in(e, secret, code) for e in added)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("mfa_generate_recovery_codes"))
    reset = only_entry(security.MFA_RESET)
    assert reset.data["authenticator"] == "recovery_codes"
    assert reset.user == person

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("mfa_deactivate_totp"), REMOTE_ADDR=IP)
    # TOTP, and the recovery codes that go with it.
    removed = list(entries(security.MFA_REMOVED))
    assert {e.data["authenticator"] for e in removed} == {"totp", "recovery_codes"}
    assert all(on(e, person) and e.data["ip"] == IP for e in removed)


# --- passwords and sessions -----------------------------------------------------


def test_password_change_is_logged_without_the_passwords(client, site):
    person = TraineeFactory()
    client.force_login(person)
    new = "nuova-password-lunga-2027"
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": new, "password2": new},
        REMOTE_ADDR=IP,
    )
    assert response.status_code == 302
    entry = only_entry(security.PASSWORD_CHANGED)
    assert on(entry, person)
    assert entry.user == person
    assert entry.data["ip"] == IP
    assert no_secret_in(entry, new, PASSWORD)


def test_password_reset_is_logged(client, site):
    person = TraineeFactory()
    client.post(reverse("account_reset_password"), {"email": person.email})
    link = re.search(
        r"https?://[^/\s]+(/\S+/password/reset/key/\S+)", mail.outbox[-1].body
    )
    assert link, mail.outbox[-1].body
    response = client.get(link.group(1), follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else link[1]
    new = "reimpostata-password-2027"
    response = client.post(
        form_url, {"password1": new, "password2": new}, REMOTE_ADDR=IP
    )
    assert response.status_code == 302
    entry = only_entry(security.PASSWORD_RESET)
    assert on(entry, person)
    assert entry.data["ip"] == IP
    assert no_secret_in(entry, new)


def test_sign_out_everywhere_is_logged_with_the_count(client, site):
    person = TraineeFactory()
    client.force_login(person)
    client.post(reverse("people:sign_out_everywhere"), REMOTE_ADDR=IP)
    entry = only_entry(security.SESSIONS_ENDED)
    assert on(entry, person)
    assert entry.user == person
    assert entry.data["sessions"] == 1
    assert entry.data["ip"] == IP


# --- permission denials ---------------------------------------------------------


def test_a_trainee_opening_the_admin_is_logged(client, site):
    person = TraineeFactory()
    client.force_login(person)
    assert client.get("/admin/", REMOTE_ADDR=IP).status_code == 302
    entry = only_entry(security.PERMISSION_DENIED)
    assert on(entry, person)
    assert entry.user == person
    assert entry.data["path"] == "/admin/"
    assert entry.data["kind"] == "admin"


def test_a_denial_inside_the_admin_is_logged(client, site, staff):
    client.force_login(staff)  # may enter the admin, not manage users
    response = client.get("/admin/users/", REMOTE_ADDR=IP)
    assert response.status_code == 302
    entry = only_entry(security.PERMISSION_DENIED)
    assert entry.user == staff
    assert entry.data["path"] == "/admin/users/"


def test_a_permission_denied_raised_by_a_view_is_logged(site):
    request = RequestFactory().get("/me/certificates/1/pdf/", REMOTE_ADDR=IP)
    request.user = TraineeFactory()
    middleware = security.PermissionDeniedAuditMiddleware(lambda r: HttpResponse())
    assert middleware.process_exception(request, PermissionDenied()) is None
    entry = only_entry(security.PERMISSION_DENIED)
    assert entry.user == request.user
    assert entry.data == {
        "ip": IP,
        "path": "/me/certificates/1/pdf/",
        "method": "GET",
        "user_agent": "",
        "kind": "view",
    }


def test_anonymous_visitors_are_sent_to_sign_in_without_an_entry(client, site):
    assert client.get("/admin/").status_code == 302
    assert not entries(security.PERMISSION_DENIED).exists()


def test_other_errors_are_not_permission_denials(site):
    request = RequestFactory().get("/")
    middleware = security.PermissionDeniedAuditMiddleware(lambda r: HttpResponse())
    assert middleware.process_exception(request, ValueError()) is None
    assert not entries(security.PERMISSION_DENIED).exists()


# --- exports of personal data ---------------------------------------------------


def test_a_roster_export_is_logged_on_the_edition(client, site, staff):
    from enrolment import services

    edition = CourseEditionFactory(capacity=1)
    for _ in range(3):
        services.enrolment_create(trainee=TraineeFactory(), edition=edition)
    client.force_login(staff)
    for fmt in ("csv", "xlsx"):
        response = client.get(
            reverse("enrolments:export", args=[edition.pk, fmt]), REMOTE_ADDR=IP
        )
        assert response.status_code == 200
    csv_entry, xlsx_entry = entries(security.PERSONAL_DATA_EXPORTED)
    assert on(csv_entry, edition)
    assert csv_entry.user == staff
    assert csv_entry.data["edition"] == edition.code
    assert csv_entry.data["format"] == "csv"
    assert csv_entry.data["rows"] == 3  # one confirmed, two on the waitlist
    assert csv_entry.data["ip"] == IP
    assert xlsx_entry.data["format"] == "xlsx"
    # Staff see it in Wagtail's site history too (they may view editions).
    history = client.get(reverse("wagtailadmin_reports:site_history"))
    assert "Personal data exported" in history.content.decode() or (
        "Dati personali esportati" in history.content.decode()
    )


# --- the report -----------------------------------------------------------------


def test_staff_read_the_security_events_report(client, site, staff):
    victim = TraineeFactory()
    login(client, victim.email, "wrong-password-typed")
    client.force_login(staff)
    response = client.get(REPORT + "?action=" + security.LOGIN_FAILED)
    assert response.status_code == 200
    page = response.content.decode()
    assert victim.email in page
    assert IP in page
    assert "wrong-password-typed" not in page
    # The menu under Reports links it.
    assert REPORT in client.get("/admin/").content.decode()
    export = client.get(REPORT + "?export=csv")
    assert export.status_code == 200
    assert victim.email in b"".join(export.streaming_content).decode()


def test_administrators_read_the_report(client, site):
    client.force_login(StaffFactory())
    assert client.get(REPORT).status_code == 200


def test_a_trainee_cannot_open_the_report(client, site):
    client.force_login(TraineeFactory())
    response = client.get(REPORT)
    assert response.status_code == 302  # no admin for trainees: to sign-in
    assert response["Location"].startswith(reverse("account_login"))
    assert entries(security.PERMISSION_DENIED).exists()


def test_admin_users_outside_the_staff_role_cannot_open_the_report(client, site):
    group = Group.objects.create(name="Admin access only")
    group.permissions.add(
        Permission.objects.get(
            content_type__app_label="wagtailadmin", codename="access_admin"
        )
    )
    editor = UserFactory()
    editor.groups.add(group)
    client.force_login(editor)
    response = client.get(REPORT)
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")
    assert REPORT not in client.get("/admin/").content.decode()


def test_anonymous_visitors_cannot_open_the_report(client, site):
    response = client.get(REPORT)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_every_security_action_has_a_label():
    from wagtail.log_actions import registry

    for action in security.ACTIONS:
        assert registry.action_exists(action), action
