"""Second factor for everyone who can enter the admin or teaches (security issue, 1).

The users are created through the Wagtail admin's own form, which never sets
is_staff: the rule must follow what the person may do, not that flag.
"""

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group
from django.urls import reverse

from people.models import Role, User
from people.services import roles_sync
from tests.factories import PASSWORD, StaffFactory, TraineeFactory

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
    client.force_login(StaffFactory())
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
