"""A production configuration that is wrong refuses to start (core.checks,
certificates.checks): one test per rule, and a correct one passes."""

import shutil
from unittest import mock

import pytest
from django.core import checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings

from certificates.checks import signing_key_check
from certificates.signing import DEV_PASSPHRASE_NAME
from core import checks as production

GOOD = {
    "MAKERS_PRODUCTION": True,
    "WAGTAILADMIN_BASE_URL": "https://scuola.example.it",
    "SECRET_KEY": "k3y-" + "abcdefghij" * 6,
    "ALLOWED_HOSTS": ["scuola.example.it"],
    "TASKS": {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}},
    "MAKERS_TSA_URL": "http://timestamp.example.org/tsa",
    "MAKERS_ALLOW_UNTIMESTAMPED": False,
    "MAKERS_SIGNING_P12": None,
    "MAKERS_SIGNING_PASSPHRASE_FILE": None,
}


def _ids(messages) -> list[str]:
    return [m.id for m in messages if m.level >= checks.ERROR]


def test_a_correct_production_configuration_passes():
    with override_settings(**GOOD):
        messages = checks.run_checks(
            tags=[production.TAG], include_deployment_checks=True
        )
        production.production_configuration_enforce()  # does not raise
    assert _ids(messages) == []


@pytest.mark.parametrize(
    ("url", "error"),
    [
        ("", "makers.E001"),
        ("http://scuola.example.it", "makers.E002"),
        ("https://127.0.0.1:8000", "makers.E003"),
        ("https://localhost", "makers.E003"),
        ("https://10.1.2.3", "makers.E003"),
        ("https://192.168.0.10/", "makers.E003"),
        ("https://[::1]/", "makers.E003"),
    ],
)
def test_public_base_url_must_be_public_https(url, error):
    with override_settings(**{**GOOD, "WAGTAILADMIN_BASE_URL": url}):
        assert _ids(production.public_base_url_check()) == [error]


@pytest.mark.parametrize("key", ["", "short", "a" * 60])
def test_secret_key_missing_short_or_trivial(key):
    with override_settings(**{**GOOD, "SECRET_KEY": key}):
        assert _ids(production.secret_key_check()) == ["makers.E004"]


@pytest.mark.parametrize("hosts", [[], ["*"], ["scuola.example.it", "*"]])
def test_allowed_hosts_empty_or_wildcard(hosts):
    with override_settings(**{**GOOD, "ALLOWED_HOSTS": hosts}):
        assert _ids(production.allowed_hosts_check()) == ["makers.E005"]


def test_immediate_task_backend_refused():
    immediate = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
    }
    with override_settings(**{**GOOD, "TASKS": immediate}):
        assert _ids(production.task_backend_check()) == ["makers.E006"]


def test_timestamp_authority_required_unless_untimestamped_on_purpose():
    with override_settings(**{**GOOD, "MAKERS_TSA_URL": ""}):
        assert _ids(production.timestamp_authority_check()) == ["makers.E007"]
    with override_settings(
        **{**GOOD, "MAKERS_TSA_URL": "", "MAKERS_ALLOW_UNTIMESTAMPED": True}
    ):
        assert _ids(production.timestamp_authority_check()) == []


def test_signing_key_set_but_missing(tmp_path):
    with override_settings(**{**GOOD, "MAKERS_SIGNING_P12": str(tmp_path / "no.p12")}):
        assert _ids(signing_key_check()) == ["certificates.E001"]


def test_signing_key_with_a_wrong_passphrase(signing_key, tmp_path):
    copy = tmp_path / "school.p12"
    shutil.copyfile(signing_key, copy)
    wrong = {"MAKERS_SIGNING_P12": str(copy), "MAKERS_SIGNING_PASSPHRASE": "wrong"}
    with override_settings(**{**GOOD, **wrong}):
        assert _ids(signing_key_check()) == ["certificates.E002"]


def test_signing_key_unreadable(signing_key):
    with (
        override_settings(**{**GOOD, "MAKERS_SIGNING_P12": str(signing_key)}),
        mock.patch(
            "certificates.checks.signing_key_load",
            side_effect=PermissionError("Permission denied"),
        ),
    ):
        assert _ids(signing_key_check()) == ["certificates.E001"]


def test_signing_key_usable(signing_key):
    passphrase = (signing_key.parent / DEV_PASSPHRASE_NAME).read_text().strip()
    good_key = {
        "MAKERS_SIGNING_P12": str(signing_key),
        "MAKERS_SIGNING_PASSPHRASE": passphrase,
    }
    with override_settings(**{**GOOD, **good_key}):
        assert signing_key_check() == []


def test_outside_production_the_rules_are_silent():
    """Development and tests keep their local defaults (http://127.0.0.1:8000)."""
    messages = checks.run_checks(tags=[production.TAG], include_deployment_checks=True)
    assert [m.id for m in messages if m.id.startswith("makers.")] == []


def test_check_deploy_and_the_server_start_fail_on_an_error():
    with (
        override_settings(**{**GOOD, "ALLOWED_HOSTS": ["*"]}),
        pytest.raises(SystemCheckError, match="makers.E005"),
    ):
        production.production_configuration_enforce()
    with (
        override_settings(**{**GOOD, "SECRET_KEY": "short"}),
        pytest.raises(SystemCheckError, match="makers.E004"),
    ):
        call_command("check", deploy=True, tags=[production.TAG])
