"""Accounts under attack: lock-outs by strangers, attacker text in the school's
emails, overlong addresses, sessions."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from people.models import User
from tests.factories import PASSWORD, TraineeFactory

pytestmark = pytest.mark.django_db

SIGNUP = {
    "email": "giulia.rossi@example.com",
    "first_name": "Giulia",
    "last_name": "Rossi",
    "language": "it",
    "password1": "torino-manifattura-2027",
    "password2": "torino-manifattura-2027",
}


def login(client, email, password, **headers):
    return client.post(
        reverse("account_login"), {"login": email, "password": password}, **headers
    )


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


# --- lock-out (defect 3) ------------------------------------------------------


def test_failures_from_one_ip_do_not_lock_the_owner_out_elsewhere(site, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    victim = TraineeFactory()
    attacker = Client()
    for _ in range(8):
        login(attacker, victim.email, "wrong", HTTP_X_FORWARDED_FOR="203.0.113.7")
    # The attacker's own address is locked out of that account, even with the
    # right password...
    login(attacker, victim.email, PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert not signed_in(attacker)
    # ...the owner, behind the same proxy but from another client IP, is not.
    owner = Client()
    response = login(
        owner, victim.email, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.20"
    )
    assert response.status_code == 302
    assert signed_in(owner)


def test_only_the_ip_the_trusted_proxy_appended_counts(site, settings):
    """A client cannot pick its IP by sending its own X-Forwarded-For."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    victim = TraineeFactory()
    attacker = Client()
    for number in range(8):
        login(
            attacker,
            victim.email,
            "wrong",
            HTTP_X_FORWARDED_FOR=f"10.0.0.{number}, 203.0.113.7",
        )
    login(
        attacker,
        victim.email,
        PASSWORD,
        HTTP_X_FORWARDED_FOR="10.9.9.9, 203.0.113.7",
    )
    assert not signed_in(attacker)


def test_per_ip_limit_spans_accounts(site, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    people = [TraineeFactory() for _ in range(11)]
    stuffer = Client()
    for person in people[:10]:
        login(stuffer, person.email, "wrong", HTTP_X_FORWARDED_FOR="203.0.113.7")
    login(stuffer, people[10].email, PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert not signed_in(stuffer)
    other = Client()
    login(other, people[10].email, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.20")
    assert signed_in(other)


def test_without_trusted_proxies_the_header_is_ignored(site, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    victim = TraineeFactory()
    attacker = Client()
    for number in range(8):
        login(
            attacker, victim.email, "wrong", HTTP_X_FORWARDED_FOR=f"203.0.113.{number}"
        )
    # Same REMOTE_ADDR: the header did not give the attacker fresh addresses.
    login(attacker, victim.email, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.20")
    assert not signed_in(attacker)


def test_production_reads_the_proxy_count_from_the_environment(monkeypatch):
    import importlib

    monkeypatch.setenv("SECRET_KEY", "x" * 50)
    monkeypatch.setenv("ALLAUTH_TRUSTED_PROXY_COUNT", "2")
    monkeypatch.setenv("ALLAUTH_TRUSTED_CLIENT_IP_HEADER", "X-Real-IP")
    production = importlib.reload(
        importlib.import_module("makers_school.settings.production")
    )
    assert production.ALLAUTH_TRUSTED_PROXY_COUNT == 2
    assert production.ALLAUTH_TRUSTED_CLIENT_IP_HEADER == "X-Real-IP"
    monkeypatch.delenv("ALLAUTH_TRUSTED_PROXY_COUNT")
    monkeypatch.delenv("ALLAUTH_TRUSTED_CLIENT_IP_HEADER")
    production = importlib.reload(production)
    assert production.ALLAUTH_TRUSTED_PROXY_COUNT == 1
    assert production.ALLAUTH_TRUSTED_CLIENT_IP_HEADER is None


# --- attacker text in account emails (defect 4) -----------------------------------

PHISHING = "URGENTE: pagamento non riuscito, aggiorna la carta su https://evil.example"


def test_a_typed_name_never_reaches_the_confirmation_email(client, site):
    response = client.post(
        reverse("account_signup"),
        {**SIGNUP, "first_name": PHISHING, "last_name": PHISHING[:150]},
    )
    assert response.status_code == 302
    (message,) = mail.outbox
    bodies = [message.body, message.subject] + [
        content for content, _ in getattr(message, "alternatives", [])
    ]
    for text in bodies:
        assert "URGENTE" not in text
        assert "evil.example" not in text
    assert SIGNUP["email"] in message.body


def test_a_typed_name_never_reaches_the_password_reset_email(client, site):
    user = TraineeFactory(first_name=PHISHING[:150], last_name=PHISHING[:150])
    client.post(reverse("account_reset_password"), {"email": user.email})
    (message,) = mail.outbox
    assert "evil.example" not in message.body
    assert "URGENTE" not in message.body


# --- overlong addresses and names (defects 9 and 6) ---------------------------


@pytest.mark.parametrize(
    "email",
    [
        "a" * 65 + "@example.com",
        "giulia@" + ".".join(["d" * 60] * 4) + ".example.com",  # 262 characters
        "g" * 64 + "@" + ".".join(["d" * 60] * 3) + ".example.it",  # 258
    ],
)
def test_overlong_address_is_refused_at_sign_up_with_a_message(client, site, email):
    response = client.post(reverse("account_signup"), {**SIGNUP, "email": email})
    assert response.status_code == 200
    errors = response.context["form"].errors["email"]
    assert any("254" in str(error) and "64" in str(error) for error in errors)
    assert not User.objects.exists()
    assert not mail.outbox


def test_an_address_at_the_limits_is_accepted(client, site):
    email = "g" * 64 + "@" + ".".join(["d" * 60] * 3) + ".exa.it"
    assert len(email) == 254
    response = client.post(reverse("account_signup"), {**SIGNUP, "email": email})
    assert response.status_code == 302
    assert User.objects.get().email == email


@pytest.mark.parametrize("field", ["first_name", "last_name"])
def test_oversized_name_at_sign_up_is_a_form_message(client, site, field):
    response = client.post(reverse("account_signup"), {**SIGNUP, field: "x" * 151})
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not User.objects.exists()


# --- sessions (hardening) ---------------------------------------------------------


def test_the_session_key_changes_at_sign_in(client, site):
    user = TraineeFactory()
    session = client.session
    session["probe"] = "before sign-in"
    session.save()
    before = client.cookies["sessionid"].value
    response = login(client, user.email, PASSWORD)
    assert response.status_code == 302
    assert client.cookies["sessionid"].value != before
    assert signed_in(client)


def signed_in_as(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_sign_out_everywhere_ends_every_session_of_the_person_only(site):
    user, other = TraineeFactory(), TraineeFactory()
    phone, laptop, someone_else = (
        signed_in_as(user),
        signed_in_as(user),
        signed_in_as(other),
    )
    url = reverse("people:sign_out_everywhere")
    page = laptop.get(url)
    assert page.status_code == 200
    assert signed_in(phone)  # asking changes nothing

    response = laptop.post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_login")
    assert not signed_in(laptop)
    assert phone.get(reverse("portal:dashboard")).status_code == 302
    assert someone_else.get(reverse("portal:dashboard")).status_code == 200


def test_sign_out_everywhere_is_linked_from_the_account_pages(site):
    client = signed_in_as(TraineeFactory())
    url = reverse("people:sign_out_everywhere")
    for page in (reverse("portal:dashboard"), reverse("account_email")):
        assert url in client.get(page).content.decode()


def test_sign_out_everywhere_needs_csrf_and_a_signed_in_person(site):
    url = reverse("people:sign_out_everywhere")
    assert Client().post(url).status_code == 302  # to the login page
    user = TraineeFactory()
    guarded = Client(enforce_csrf_checks=True)
    guarded.force_login(user)
    other_device = signed_in_as(user)
    assert guarded.post(url).status_code == 403
    assert other_device.get(reverse("portal:dashboard")).status_code == 200


# --- production settings (hardening) --------------------------------------------


def production_env() -> dict:
    import os

    # Not the test run's own relaxations (the browser tests allow async-unsafe
    # calls): production never sets them.
    inherited = {
        name: value
        for name, value in os.environ.items()
        if name != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    return {
        **inherited,
        "SECRET_KEY": "k" * 30 + "-not-a-real-key-" + "q" * 30,
        "ALLOWED_HOSTS": "makers-school.example",
        # What production requires to start (core.checks): a public https
        # address, and a timestamp authority or signing without one on purpose.
        "WAGTAILADMIN_BASE_URL": "https://makers-school.example",
        "MAKERS_ALLOW_UNTIMESTAMPED": "1",
    }


def test_production_cookie_and_header_flags(monkeypatch):
    import importlib

    for name, value in production_env().items():
        monkeypatch.setenv(name, value)
    production = importlib.reload(
        importlib.import_module("makers_school.settings.production")
    )
    assert production.SESSION_COOKIE_SECURE and production.CSRF_COOKIE_SECURE
    assert production.SESSION_COOKIE_HTTPONLY
    assert production.SESSION_COOKIE_SAMESITE == "Lax"
    assert production.CSRF_COOKIE_SAMESITE == "Lax"
    assert production.SECURE_CROSS_ORIGIN_OPENER_POLICY == "same-origin"
    assert production.SECURE_REFERRER_POLICY == "same-origin"
    assert production.SECURE_HSTS_SECONDS >= 60 * 60 * 24 * 365


def test_check_deploy_is_clean_with_production_settings():
    import subprocess
    import sys

    from django.conf import settings

    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
            "--settings=makers_school.settings.production",
        ],
        cwd=settings.BASE_DIR,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
