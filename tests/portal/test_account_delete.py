"""Deleting one's account asks for the password again (finding 35): allauth's
re-authentication, by password or, for two-factor users, by their code."""

import pytest
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.urls import reverse

from people.models import User
from tests.factories import PASSWORD, TraineeFactory

pytestmark = pytest.mark.django_db

DELETE = reverse("portal:account_delete")


@pytest.fixture
def person(client, site):
    user = TraineeFactory()
    assert client.login(email=user.email, password=PASSWORD)
    return user


def _active(user) -> bool:
    return User.objects.get(pk=user.pk).is_active


def test_deletion_without_a_recent_reauthentication_asks_for_the_password(
    client, person
):
    response = client.post(DELETE, {"confirm": person.email})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert _active(person)


def test_deletion_goes_ahead_once_the_password_is_given(client, person):
    ask = client.post(DELETE, {"confirm": person.email})
    wrong = client.post(ask["Location"], {"password": "not-my-password"})
    assert wrong.status_code == 200 and _active(person)
    done = client.post(ask["Location"], {"password": PASSWORD})
    assert done.status_code == 302 and done["Location"] == "/"
    assert not _active(person)


def test_a_recent_reauthentication_is_not_asked_again_but_the_address_is(
    client, person
):
    ask = client.post(DELETE, {"confirm": "someone@example.com"})
    client.post(ask["Location"], {"password": PASSWORD})
    assert _active(person)  # the resumed request had the wrong address
    client.post(DELETE, {"confirm": person.email})
    assert not _active(person)


def test_two_factor_user_reauthenticates_with_the_authenticator_code(client, person):
    secret = generate_totp_secret()
    TOTP.activate(person, secret)
    ask = client.post(DELETE, {"confirm": person.email})
    assert ask.status_code == 302 and _active(person)
    next_url = ask["Location"].split("?", 1)[1]
    mfa = f"{reverse('mfa_reauthenticate')}?{next_url}"
    code = format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))
    wrong = f"{(int(code) + 500_000) % 1_000_000:06d}"
    assert client.post(mfa, {"code": wrong}).status_code == 200
    assert _active(person)
    done = client.post(mfa, {"code": code})
    assert done.status_code == 302
    assert not _active(person)
