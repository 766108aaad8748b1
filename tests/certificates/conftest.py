import pytest
from django.utils import translation
from django.utils.functional import empty

from certificates.models import private_storage


@pytest.fixture(scope="session", autouse=True)
def _signing_key(signing_key):
    """Every certificate test signs with the session's development key
    (tests/conftest.py)."""
    return signing_key


@pytest.fixture(autouse=True)
def _in_english(client):
    """The assertions read the English texts: the services' messages in English,
    reverse() giving the /en/ pages, and English asked for where the URL carries
    no language (the Wagtail admin, the JSON API). The Italian pages, the site's
    default, are what the browser journey reads."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield


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


@pytest.fixture(scope="session")
def local_pki(tmp_path_factory):
    """The complete local test PKI (tests/certificates/pki.py), served on
    127.0.0.1 for the session (per xdist worker)."""
    from tests.certificates.pki import pki_start

    pki = pki_start(tmp_path_factory.mktemp("pki"))
    yield pki
    pki.stop()


@pytest.fixture
def pki_key(settings, local_pki):
    """The school signs with the test PKI's key, exactly as in production: the
    timestamp authority at MAKERS_TSA_URL, OCSP and CRLs fetched over HTTP."""
    from tests.certificates.pki import PASSPHRASE

    settings.MAKERS_SIGNING_P12 = str(local_pki.school_p12)
    settings.MAKERS_SIGNING_PASSPHRASE = PASSPHRASE.decode()
    settings.MAKERS_SIGNING_PASSPHRASE_FILE = None
    settings.MAKERS_TSA_URL = local_pki.tsa_url
    return local_pki


@pytest.fixture
def pki_certificate(pki_key, site):
    """A certificate issued and signed with the test PKI's key."""
    from certificates import services
    from tests.factories import edition_completed

    _edition, _sessions, enrolments = edition_completed(trainees=1)
    return services.certificate_issue(enrolment=enrolments[0], actor=None)
