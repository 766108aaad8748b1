"""The permission matrix of `make security` (security/matrix.py), in-process: the
demo school loaded into the test database, each role signed in through the real
sign-in form, every cell's outcome as the table says."""

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from security.matrix import ROLES, ROWS, account_for, cells, form_data, outcome
from security.world import world as world_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(settings, tmp_path):
    settings.MAKERS_PRIVATE_ROOT = tmp_path / "private"  # the world's prepared file
    call_command("load_demo", verbosity=0)
    return world_of(mfa=False)


def _signed_in(email, password) -> Client:
    client = Client()
    response = client.post(
        reverse("account_login"), {"login": email, "password": password}
    )
    assert response.status_code == 302, email
    assert "_auth_user_id" in client.session, email
    return client


def _request(client: Client, row, path: str, world: dict):
    if row.method == "GET":
        return client.get(path)
    if row.csrf:  # the test client skips the CSRF check unless told otherwise
        return client.post(path, form_data(row, world))
    strict = Client(enforce_csrf_checks=True)
    strict.cookies = client.cookies
    return strict.post(path, form_data(row, world))


def test_the_permission_matrix_holds(world):
    clients = {}
    failures = []
    checked = 0
    for row, role, path in cells(world):
        email = account_for(row, role, world)
        if email not in clients:
            clients[email] = _signed_in(email, world["password"]) if email else Client()
        response = _request(clients[email], row, path, world)
        got = outcome(response.status_code, response.get("Location", ""))
        checked += 1
        if got != row.expected[role]:
            failures.append(
                f"{row.name} [{role}] {path}: {got}, expected {row.expected[role]}"
            )
    assert not failures, "\n".join(failures)
    assert checked >= len(ROLES) * 10


def test_every_row_names_every_role():
    for row in ROWS:
        assert set(row.expected) == set(ROLES), row.name


def test_staff_without_totp_are_sent_to_set_it_up(world, settings):
    settings.MAKERS_REQUIRE_STAFF_MFA = True
    client = _signed_in(world["accounts"]["staff_without_mfa"], world["password"])
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
