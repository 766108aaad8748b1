"""Second factor for everyone who can enter the admin or teaches (security issue, 1).

The users are created through the Wagtail admin's own form, which never sets
is_staff: the rule must follow what the person may do, not that flag.
"""

import datetime

import pytest
import time_machine
from allauth.account import app_settings as account_settings
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group
from django.urls import reverse

from people.models import Role, User
from people.services import roles_sync
from tests.factories import PASSWORD, InstructorFactory, StaffFactory, TraineeFactory

pytestmark = pytest.mark.django_db


def _create_in_admin(client, *, email: str, superuser: bool, group: str | None):
    roles_sync()
    data = {
        "email": email,
        "first_name": "Nuova",
        "last_name": "Persona",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "is_active": "on",
    }
    if superuser:
        data["is_superuser"] = "on"
    if group:
        data["groups"] = [Group.objects.get(name=group).pk]
    response = client.post(reverse("wagtailusers_users:add"), data)
    assert response.status_code == 302, response.context["form"].errors
    user = User.objects.get(email=email)
    assert not user.is_staff  # the admin's form never sets it
    return user


@pytest.mark.parametrize(
    ("superuser", "group"),
    [(True, None), (False, Role.STAFF.value), (False, Role.INSTRUCTOR.value)],
    ids=["administrator", "staff-group", "instructor"],
)
def test_admin_created_users_who_can_reach_the_admin_must_set_up_totp(
    client, site, settings, superuser, group
):
    # Users are created by the administrator (a superuser): the Staff role has
    # no user permissions (people.roles; Wagtail lets whoever may change a user
    # make them a superuser).
    client.force_login(StaffFactory(is_superuser=True))
    created = _create_in_admin(
        client, email="nuova@example.com", superuser=superuser, group=group
    )
    client.logout()

    settings.MAKERS_REQUIRE_STAFF_MFA = True
    client.force_login(created)
    for path in ["/admin/", "/admin/users/", reverse("portal:dashboard")]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == reverse("mfa_activate_totp"), path
    # The account pages (setting TOTP up asks for the password again) stay open.
    activate = client.get(reverse("mfa_activate_totp"))
    assert activate.status_code == 302
    assert activate["Location"].startswith(reverse("account_reauthenticate"))
    assert client.get(activate["Location"]).status_code == 200
    assert client.get("/en" + reverse("account_reauthenticate")).status_code == 200

    Authenticator.objects.create(user=created, type=Authenticator.Type.TOTP, data={})
    assert client.get(reverse("portal:dashboard")).status_code == 200


def test_trainees_and_company_members_are_not_asked_for_a_second_factor(
    client, site, settings
):
    settings.MAKERS_REQUIRE_STAFF_MFA = True
    client.force_login(TraineeFactory())
    assert client.get(reverse("portal:dashboard")).status_code == 200
    assert client.get("/admin/").status_code == 302
    assert not client.get("/admin/")["Location"].endswith(reverse("mfa_activate_totp"))


def test_the_requirement_is_off_in_development(client, site, settings):
    settings.MAKERS_REQUIRE_STAFF_MFA = False
    client.force_login(StaffFactory(is_staff=False))
    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize(
    "factory", [StaffFactory, InstructorFactory], ids=["staff", "instructor"]
)
def test_signing_in_leads_straight_to_the_totp_set_up(client, site, settings, factory):
    """Issue 8: the password typed to sign in counts as a recent
    authentication; the TOTP set-up does not ask for it again."""
    settings.MAKERS_REQUIRE_STAFF_MFA = True
    user = factory()
    start = datetime.datetime(2026, 3, 29, 1, 55, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        response = client.post(
            reverse("account_login"), {"login": user.email, "password": PASSWORD}
        )
        assert response.status_code == 302
        response = client.get(response["Location"])
        assert response.status_code == 302
        assert response["Location"] == reverse("mfa_activate_totp")
        activate = client.get(response["Location"])
    assert activate.status_code == 200
    html = activate.content.decode()
    assert 'name="code"' in html
    assert 'name="password"' not in html
    # Later than allauth's re-authentication timeout, the password is asked again.
    later = start + datetime.timedelta(
        seconds=account_settings.REAUTHENTICATION_TIMEOUT + 60
    )
    with time_machine.travel(later, tick=False):
        again = client.get(reverse("mfa_activate_totp"))
    assert again.status_code == 302
    assert again["Location"].startswith(reverse("account_reauthenticate"))


def test_a_forced_session_without_a_sign_in_still_reauthenticates(
    client, site, settings
):
    settings.MAKERS_REQUIRE_STAFF_MFA = True
    client.force_login(StaffFactory())
    activate = client.get(reverse("mfa_activate_totp"))
    assert activate.status_code == 302
    assert activate["Location"].startswith(reverse("account_reauthenticate"))
