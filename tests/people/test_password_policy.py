"""Password policy (issue 12): Django's validators, at least 10 characters, and
the offline breached-password list that ships with Django."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from people.models import User

pytestmark = pytest.mark.django_db


def codes(password: str, user=None) -> set[str]:
    try:
        validate_password(password, user)
    except ValidationError as error:
        return {e.code for e in error.error_list}
    return set()


def test_at_least_ten_characters():
    assert "password_too_short" in codes("vite-cn9x")  # 9
    assert codes("vite-cn9xq") == set()  # 10


def test_passwords_from_breach_lists_are_refused_offline():
    # In Django's list of common passwords (taken from leaked sets), no network.
    for password in ("password123", "qwertyuiop", "1q2w3e4r5t"):
        assert "password_too_common" in codes(password), password


def test_numeric_and_look_alike_passwords_are_refused():
    assert "password_entirely_numeric" in codes("4829104738")
    user = User(email="giulia.rossi@example.com", first_name="Giulia")
    assert "password_too_similar" in codes("Giulia.Rossi@example.com", user)


def test_sign_up_refuses_a_short_password(client, site):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "breve@example.com",
            "first_name": "Anna",
            "last_name": "Bianchi",
            "language": "it",
            "password1": "k7-torino",
            "password2": "k7-torino",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["password1"]
    assert not User.objects.filter(email="breve@example.com").exists()
