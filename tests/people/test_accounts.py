import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse

from people.models import Role, User
from people.services import roles_sync
from tests.factories import PASSWORD, StaffFactory, TraineeFactory

pytestmark = pytest.mark.django_db

SIGNUP = {
    "email": "Giulia.Rossi@Example.com",
    "first_name": "Giulia",
    "last_name": "Rossi",
    "language": "en",
    "password1": "torino-manifattura-2027",
    "password2": "torino-manifattura-2027",
}


def test_signup_verifies_email_then_logs_in(client, site):
    response = client.post(reverse("account_signup"), SIGNUP)
    assert response.status_code == 302
    user = User.objects.get(email="giulia.rossi@example.com")
    assert (user.first_name, user.last_name, user.language) == ("Giulia", "Rossi", "en")
    assert user.groups.filter(name=Role.TRAINEE.value).exists()
    assert not EmailAddress.objects.get(user=user).verified

    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[0].body)
    assert link, mail.outbox[0].body
    path = link.group(0).split("testserver", 1)[-1]
    assert client.get(path).status_code == 200
    response = client.post(path)
    assert response.status_code == 302
    assert EmailAddress.objects.get(user=user).verified

    client.logout()
    response = client.post(
        reverse("account_login"),
        {"login": "giulia.rossi@example.com", "password": SIGNUP["password1"]},
    )
    assert response.status_code == 302
    assert client.get(reverse("portal:dashboard")).status_code == 200


def test_unverified_user_cannot_log_in(client, site):
    user = TraineeFactory(verified=False)
    EmailAddress.objects.create(user=user, email=user.email, verified=False)
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert (
        "confirm-email" in response["Location"]
        or "verification" in response["Location"]
    )
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("field", "value"),
    [("email", "not-an-email"), ("password2", "something-else"), ("first_name", "")],
)
def test_bad_signup_shows_errors_and_stores_nothing(client, site, field, value):
    response = client.post(reverse("account_signup"), {**SIGNUP, field: value})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not User.objects.exists()
    assert not mail.outbox


def test_email_is_unique_whatever_the_case(client, site):
    """No second account; allauth tells the owner by email, not the visitor."""
    TraineeFactory(email="giulia.rossi@example.com")
    client.post(reverse("account_signup"), SIGNUP)
    assert User.objects.count() == 1
    assert mail.outbox[0].to == ["giulia.rossi@example.com"]
    assert "/accounts/confirm-email/" not in mail.outbox[0].body


def test_repeated_failed_logins_are_rate_limited(client, site):
    user = TraineeFactory()
    for _ in range(5):
        client.post(reverse("account_login"), {"login": user.email, "password": "x"})
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": PASSWORD}
    )
    assert response.status_code in (200, 429)
    assert "_auth_user_id" not in client.session


def test_password_reset_sends_a_link(client, site):
    user = TraineeFactory()
    response = client.post(reverse("account_reset_password"), {"email": user.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_mfa_is_offered_to_every_user(client, site):
    client.force_login(TraineeFactory())
    assert client.get(reverse("mfa_index")).status_code == 200


def test_staff_without_mfa_are_sent_to_set_it_up_when_required(client, site, settings):
    staff = StaffFactory()
    client.force_login(staff)
    settings.MAKERS_REQUIRE_STAFF_MFA = False
    assert client.get("/admin/").status_code == 200

    settings.MAKERS_REQUIRE_STAFF_MFA = True
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")

    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={})
    assert client.get("/admin/").status_code == 200


def test_admin_login_goes_through_allauth(client, site):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_roles_sync_is_idempotent_and_gives_staff_the_admin():
    roles_sync()
    roles_sync()
    assert set(Group.objects.values_list("name", flat=True)) >= set(Role.values)
    staff = Group.objects.get(name=Role.STAFF.value)
    codenames = set(staff.permissions.values_list("codename", flat=True))
    assert {"access_admin", "change_courseedition", "add_session"} <= codenames
    assert not Group.objects.get(name=Role.TRAINEE.value).permissions.exists()


def test_staff_group_member_can_manage_editions_in_the_admin(client, site):
    from tests.factories import CourseEditionFactory, UserFactory

    CourseEditionFactory(code="AM-2027-1")
    coordinator = UserFactory(role=Role.STAFF)
    client.force_login(coordinator)
    response = client.get("/admin/snippets/courses/courseedition/")
    assert response.status_code == 200
    assert "AM-2027-1" in response.content.decode()


def test_trainee_cannot_open_the_admin(client, site):
    client.force_login(TraineeFactory())
    response = client.get("/admin/")
    assert response.status_code in (302, 403)


def test_login_and_logout_keep_the_visitors_language(client, site):
    user = TraineeFactory()
    response = client.post(
        "/en/accounts/login/", {"login": user.email, "password": PASSWORD}
    )
    assert response["Location"] == "/en/me/"
    response = client.post("/en/accounts/logout/")
    assert response["Location"] == "/en/"
    response = client.post(
        "/accounts/login/", {"login": user.email, "password": PASSWORD}
    )
    assert response["Location"] == "/me/"


def test_staff_group_member_can_run_enrolments_in_the_admin(client, site):
    from tests.factories import (
        ConfirmedEnrolmentFactory,
        CourseEditionFactory,
        UserFactory,
    )

    edition = CourseEditionFactory(code="AM-2027-2")
    ConfirmedEnrolmentFactory(edition=edition)  # its row names the edition
    client.force_login(UserFactory(role=Role.STAFF, is_staff=True))
    response = client.get("/admin/enrolments/")
    assert response.status_code == 200
    assert edition.code in response.content.decode()


def test_company_factory_gives_a_valid_partita_iva():
    from stdnum.it import iva

    from tests.factories import CompanyFactory

    assert iva.is_valid(CompanyFactory().partita_iva)


def test_roles_sync_revokes_a_permission_a_role_no_longer_has(db):
    from django.contrib.auth.models import Group, Permission

    roles_sync()
    staff = Group.objects.get(name="Staff")
    extra = Permission.objects.get(codename="delete_user")
    staff.permissions.add(extra)
    roles_sync()
    assert extra not in staff.permissions.all()
    assert staff.permissions.filter(codename="access_admin").exists()
