"""The public site's CSP really holds (issue 12): its pages carry no inline
script and no on...= handler (the policy has no 'unsafe-inline' to allow them),
and only /admin/ gets the admin's looser policy."""

import re

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

PUBLIC = [
    "/",
    "/en/",
    "/corsi/",
    "/en/courses/",
    "/verify/",
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
]
PERSONAL = [
    "/me/",
    "/me/courses/",
    "/me/invitations/",
    "/me/calendar/",
    "/me/certificates/",
    "/accounts/sessions/",
    "/accounts/2fa/",
]
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)


@pytest.fixture
def demo(db):
    call_command("load_demo", verbosity=0)


def _check(client, path):
    response = client.get(path, follow=True)
    assert response.status_code == 200, path
    html = response.content.decode()
    assert not INLINE_SCRIPT.findall(html), (path, INLINE_SCRIPT.findall(html)[:3])
    assert not HANDLER.findall(html), (path, HANDLER.findall(html)[:3])
    policy = response["Content-Security-Policy"]
    assert policy == django_settings.CSP_PUBLIC, path
    assert "unsafe-inline" not in policy.split("script-src", 1)[1].split(";")[0]
    return html


def test_public_and_personal_pages_have_no_inline_script(demo):
    from courses.models import CoursePage

    anonymous = Client()
    course = CoursePage.objects.live().first()
    for path in [*PUBLIC, course.url]:
        _check(anonymous, path)
    for email in ("allievo@makers-school.example", "azienda@makers-school.example"):
        client = Client()
        client.post(
            reverse("account_login"), {"login": email, "password": "makers-demo-2026"}
        )
        for path in [*PERSONAL, *(["/me/company/"] if "azienda" in email else [])]:
            _check(client, path)


def test_only_the_admin_gets_the_admin_policy(demo):
    client = Client()
    client.post(
        reverse("account_login"),
        {"login": "staff@makers-school.example", "password": "makers-demo-2026"},
    )
    admin = client.get("/admin/")
    assert admin.status_code == 200
    assert admin["Content-Security-Policy"] == django_settings.CSP_ADMIN
    for path in ["/", "/corsi/", "/me/", "/accounts/login/"]:
        assert client.get(path, follow=True)["Content-Security-Policy"] == (
            django_settings.CSP_PUBLIC
        ), path
    # A path that only starts like the admin's is public.
    assert client.get("/administration/")["Content-Security-Policy"] == (
        django_settings.CSP_PUBLIC
    )
