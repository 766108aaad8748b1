import pytest
from django.conf import settings
from django.utils.functional import empty

from certificates.models import private_storage
from certificates.signing import (
    DEV_PASSPHRASE_NAME,
    dev_signing_key_create,
)


@pytest.fixture(scope="session", autouse=True)
def _signing_key(tmp_path_factory):
    """A development CA and signing key, made once per test session in a
    temporary folder (never committed, never the developer's var/)."""
    directory = tmp_path_factory.mktemp("signing")
    path = dev_signing_key_create(directory=directory)
    old = settings.MAKERS_SIGNING_P12, settings.MAKERS_SIGNING_PASSPHRASE_FILE
    settings.MAKERS_SIGNING_P12 = str(path)
    settings.MAKERS_SIGNING_PASSPHRASE_FILE = directory / DEV_PASSPHRASE_NAME
    yield path
    settings.MAKERS_SIGNING_P12, settings.MAKERS_SIGNING_PASSPHRASE_FILE = old


@pytest.fixture(autouse=True)
def _private_root(settings, tmp_path):
    """Each test's PDFs in its own folder; the lazy storage reads the setting."""
    settings.MAKERS_PRIVATE_ROOT = tmp_path / "private"
    private_storage._wrapped = empty
    yield
    private_storage._wrapped = empty


@pytest.fixture
def certificate(site):
    """A certificate issued to Niccolò Dell'Àcqua for a completed edition."""
    from certificates import services
    from tests.factories import edition_completed

    edition, sessions, enrolments = edition_completed(trainees=1)
    trainee = enrolments[0].trainee
    trainee.first_name, trainee.last_name = "Niccolò", "Dell'Àcqua"
    trainee.codice_fiscale = "RSSMRA85T10A562S"
    trainee.save()
    return services.certificate_issue(enrolment=enrolments[0], actor=None)
