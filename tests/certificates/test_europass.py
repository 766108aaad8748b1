"""Certificates as Europass Digital Credentials (ELM v3, EDC generic profile):
the build passes the EU's SHACL shapes with no violation, reads only vendored
contexts, says what the certificate's printed content says, and its JWS seal
verifies with the school's chain."""

import base64
import json
from pathlib import Path

import pytest
from django.urls import reverse
from pyld.jsonld import JsonLdError

from certificates import services
from certificates.europass import (
    europass_build,
    europass_seal,
    europass_validate,
    europass_verify,
)
from certificates.europass.loader import ContextRefused, document_loader, expand
from certificates.models import CertificateKind
from tests.certificates.referenced import edition_referenced

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).parent / "data" / "edc-sample-certofpart-unsigned.jsonld"
ESCO = "http://data.europa.eu/esco/skill/bf942c60-8539-4951-83ee-63f770da1cb8"
REFERENCES = [
    {
        "esco_uri": ESCO,
        "ada_code": "ADA.10.01.07",
        "qualification": "Operatore meccanico",
        "ateco_code": "25.62.00",
        "cp_istat_code": "7.2.1.1.0",
        "assessment_method": "Prova pratica",
        "assessment_method_en": "Practical test",
    },
    {"ada_code": "ADA.7.61.186", "assessment_method": "Colloquio tecnico"},
]


@pytest.fixture
def referenced(site, settings):
    """A completed edition whose competencies carry references, its trainees
    with a codice fiscale, the school with an accreditation."""
    return edition_referenced(
        settings=settings, references=REFERENCES, given="Niccolò", family="Dell'Àcqua"
    )


@pytest.fixture
def competence(referenced):
    return services.certificate_issue(enrolment=referenced[1][0], actor=None)


@pytest.fixture
def attendance(referenced):
    return services.certificate_issue(
        enrolment=referenced[1][0], actor=None, kind=CertificateKind.ATTENDANCE
    )


def _violations(document: dict) -> list[str]:
    messages = europass_validate(document)
    print("\n".join(messages))
    return messages


def test_a_certificate_of_competence_passes_the_edc_shapes(competence):
    messages = _violations(europass_build(certificate=competence))
    assert len(messages) == 0, messages


def test_a_certificate_of_attendance_passes_the_edc_shapes(attendance):
    messages = _violations(europass_build(certificate=attendance))
    assert len(messages) == 0, messages


def test_the_eu_sample_has_its_two_known_violations():
    """The validator bites: the EU's unsigned sample lacks cred:issued and the
    issuer's eIDAS legal identifier."""
    messages = europass_validate(json.loads(SAMPLE.read_text()))
    assert len(messages) == 2, messages
    assert "credentials#issued" in messages[0]
    assert "eidasLegalIdentifier" in messages[1]


def test_the_loader_serves_only_the_vendored_contexts():
    loaded = document_loader("http://data.europa.eu/snb/model/context/edc-ap")
    assert "@context" in loaded["document"]
    for url in (
        "https://www.w3.org/ns/credentials/v2",
        "https://example.com/context.jsonld",
        "file:///etc/passwd",
    ):
        with pytest.raises(ContextRefused):
            document_loader(url)
    sample = json.loads(SAMPLE.read_text())
    sample["@context"].append("https://example.com/context.jsonld")
    with pytest.raises(JsonLdError):  # PyLD wraps the loader's refusal
        expand(sample)
    assert europass_validate(sample) == [
        "Context not allowed: https://example.com/context.jsonld"
    ]


def _claims(document: dict) -> tuple[dict, list[dict]]:
    """(the course achievement, its competence parts)."""
    achievement = document["credentialSubject"]["hasClaim"]
    return achievement, achievement["hasPart"]


def test_the_credential_says_what_the_certificate_prints(competence):
    printed = competence.printed
    document = europass_build(certificate=competence)
    subject = document["credentialSubject"]
    assert subject["fullName"] == {"it": printed["holder"]["name"]}
    assert subject["givenName"] == {"it": "Niccolò"}
    assert subject["familyName"] == {"it": "Dell'Àcqua0"}
    assert subject["nationalID"]["notation"] == printed["holder"]["codice_fiscale"]
    assert printed["holder"]["codice_fiscale"] == "RSSMRA85T10A562S"
    course = printed["course"]
    achievement, parts = _claims(document)
    title = {"it": course["title"]} | (
        {"en": course["title_en"]} if course["title_en"] else {}
    )
    assert achievement["title"] == achievement["specifiedBy"]["title"] == title
    eqf = f"http://data.europa.eu/snb/eqf/{course['eqf_level']}"
    assert achievement["specifiedBy"]["eqfLevel"]["id"] == eqf
    assert achievement["specifiedBy"]["volumeOfLearning"] == f"PT{course['hours']}H"
    activity = achievement["influencedBy"]
    assert activity["workload"] == f"PT{course['hours']}H"
    assert activity["temporal"]["startDate"].startswith(course["start"])
    assert activity["temporal"]["endDate"].startswith(course["end"])
    assert [part["title"]["it"] for part in parts] == [
        item["title"] for item in printed["competencies"]
    ]
    for part, item in zip(parts, printed["competencies"], strict=True):
        spec = part["specifiedBy"]
        esco = spec["learningOutcome"].get("relatedESCOSkill", {}).get("id", "")
        assert esco == item["esco_uri"]
        level = f"http://data.europa.eu/snb/eqf/{item['eqf_level']}"
        assert spec["eqfLevel"]["id"] == level
        assert part["title"].get("en", "") == item["title_en"]
    assert parts[0]["specifiedBy"]["learningOutcome"]["relatedESCOSkill"]["id"] == ESCO
    assert "ADA.10.01.07" in parts[0]["additionalNote"]["noteLiteral"]["it"]
    assert "Practical test" in parts[0]["additionalNote"]["noteLiteral"]["en"]
    identifiers = {i["notation"] for i in document["identifier"]}
    assert identifiers == {printed["serial"], printed["verification_url"]}
    assert document["issued"].startswith(printed["issued_on"])
    assert document["validFrom"].startswith(printed["issued_on"])
    assert "expirationDate" not in document  # printed valid_until is None
    issuer = document["issuer"]
    assert issuer["altLabel"] == {"it": printed["issuer"]["name"]}
    assert issuer["eIDASIdentifier"]["notation"] == "80062130010"
    assert "1234/001" in issuer["additionalNote"]["noteLiteral"]["it"]
    display = document["displayParameter"]
    assert display["title"] == {"it": printed["title"][0], "en": printed["title"][1]}
    assert display["primaryLanguage"]["id"].endswith("/language/ITA")


def test_an_attendance_credential_claims_the_activity_only(attendance):
    document = europass_build(certificate=attendance)
    claim = document["credentialSubject"]["hasClaim"]
    assert claim["type"] == "LearningActivity"
    assert claim["levelOfCompletion"] == 100
    assert "nationalID" not in document["credentialSubject"]  # not printed
    assert document["displayParameter"]["title"]["it"] == "Attestato di frequenza"


def test_an_expiry_and_a_legal_identifier_of_the_snapshot_are_used(referenced):
    import datetime

    certificate = services.certificate_issue(
        enrolment=referenced[1][1], actor=None, valid_until=datetime.date(2031, 3, 31)
    )
    certificate.printed["issuer"]["legal_identifier"] = "09876543210"
    document = europass_build(certificate=certificate)
    assert document["expirationDate"] == "2031-03-31T23:59:59+02:00"
    assert document["issuer"]["eIDASIdentifier"]["notation"] == "09876543210"
    assert _violations(document) == []


def test_the_build_is_deterministic(competence):
    assert europass_build(certificate=competence) == europass_build(
        certificate=competence
    )


def _header(token: bytes) -> dict:
    encoded = token.split(b".")[0]
    return json.loads(base64.urlsafe_b64decode(encoded + b"=" * (-len(encoded) % 4)))


def _other_key(tmp_path, settings):
    """A second development CA and key: another school's."""
    from certificates.signing import (
        DEV_PASSPHRASE_NAME,
        dev_signing_key_create,
        signing_key_load,
    )

    school = settings.MAKERS_SIGNING_P12, settings.MAKERS_SIGNING_PASSPHRASE_FILE
    settings.MAKERS_SIGNING_P12 = str(dev_signing_key_create(directory=tmp_path))
    settings.MAKERS_SIGNING_PASSPHRASE_FILE = tmp_path / DEV_PASSPHRASE_NAME
    other = signing_key_load()
    settings.MAKERS_SIGNING_P12, settings.MAKERS_SIGNING_PASSPHRASE_FILE = school
    return other


def test_the_seal_verifies_and_one_changed_byte_fails(competence):
    from certificates.signing import signing_key_load

    document = europass_build(certificate=competence)
    token = europass_seal(document=document)
    header = _header(token)
    assert header["alg"] == "RS256"
    chain = [base64.b64decode(value) for value in header["x5c"]]
    assert chain[0] == signing_key_load().certificate.dump()
    assert chain[-1] == signing_key_load().trust_roots[0].dump()
    check = europass_verify(token)
    assert check.verdict == "genuine", check.errors
    assert check.document == document
    payload_start = token.index(b".") + 1
    for position in (payload_start + 40, len(token) - 5):
        changed = bytearray(token)
        changed[position] = ord("A") if changed[position] != ord("A") else ord("B")
        assert europass_verify(bytes(changed)).verdict == "modified"
    assert europass_verify(b"not a jws").verdict == "modified"


def test_another_key_fails(competence, tmp_path, settings):
    document = europass_build(certificate=competence)
    other = _other_key(tmp_path, settings)
    own_chain = europass_seal(document=document, key=other)
    assert europass_verify(own_chain).verdict == "untrusted"
    school = _header(europass_seal(document=document))["x5c"]
    forged = europass_seal(document=document, key=other)
    header = _header(forged) | {"x5c": school}
    encoded = base64.urlsafe_b64encode(json.dumps(header).encode()).rstrip(b"=")
    assert europass_verify(encoded + forged[forged.index(b".") :]).verdict == (
        "modified"
    )


def test_a_key_of_the_test_pki_seals_with_its_intermediate(
    pki_key, competence, settings
):
    from certificates.signing import signing_key_load

    token = europass_seal(document=europass_build(certificate=competence))
    assert len(_header(token)["x5c"]) == 3  # school, intermediate, root
    assert europass_verify(token).verdict == "genuine"
    settings.MAKERS_SIGNING_P12 = str(pki_key.other_p12)
    other = signing_key_load()  # the same root, another signer's key
    settings.MAKERS_SIGNING_P12 = str(pki_key.school_p12)
    check = europass_verify(europass_seal(document={"a": 1}, key=other))
    assert check.trusted and not check.by_school
    assert check.verdict == "untrusted"


def test_the_holder_downloads_the_sealed_credential(
    client, competence, django_assert_num_queries
):
    url = reverse("certificates:europass", args=[competence.pk])
    mine = reverse("portal:certificates")
    client.force_login(competence.holder)
    assert url in client.get(mine).content.decode()
    with django_assert_num_queries(3):  # session, user, certificate
        response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/jose"
    assert f"{competence.serial}-europass.jws" in response["Content-Disposition"]
    check = europass_verify(response.content)
    assert check.verdict == "genuine"
    assert check.document == europass_build(certificate=competence)


def test_only_the_holder_downloads_it(client, competence, referenced):
    from tests.factories import StaffFactory

    url = reverse("certificates:europass", args=[competence.pk])
    response = client.get(url)
    assert response.status_code == 302 and "login" in response["Location"]
    client.force_login(referenced[1][1].trainee)
    assert client.get(url).status_code == 404
    client.force_login(StaffFactory(is_superuser=True))
    assert client.get(url).status_code == 404
    missing = reverse("certificates:europass", args=[competence.pk + 1000])
    client.force_login(competence.holder)
    assert client.get(missing).status_code == 404


def _token(header: dict, payload: bytes, signature: bytes = b"c2ln") -> bytes:
    def encode(data: bytes) -> bytes:
        return base64.urlsafe_b64encode(data).rstrip(b"=")

    return b".".join([encode(json.dumps(header).encode()), encode(payload), signature])


def test_the_verifier_reads_the_credential_and_its_violations(competence):
    sealed = europass_seal(document=europass_build(certificate=competence))
    check = europass_verify(sealed)
    assert check.serial == competence.serial
    assert check.violations == []
    sample = json.loads(SAMPLE.read_text())
    check = europass_verify(europass_seal(document=sample))
    assert check.verdict == "genuine" and len(check.violations) == 2


def test_the_verifier_refuses_hostile_files(competence):
    school = _header(europass_seal(document={}))["x5c"]
    hostile = [
        b"",
        b"\xff\xfe",
        b"a.b",
        b"a.b.c.d.e",
        _token({"alg": "none"}, b"{}", b""),
        _token({"alg": "RS256"}, b"{}"),  # no x5c
        _token({"alg": "RS256", "x5c": ["bm90IGEgY2VydA=="]}, b"{}"),
        _token({"alg": "RS256", "x5c": "MIIB"}, b"{}"),
        _token({"alg": "HS256", "x5c": school}, b"{}"),
        _token({"alg": "RS256", "x5c": school * 10}, b"{}"),
        _token({"alg": "RS256", "x5c": school}, b"{}"),  # a wrong signature
    ]
    for data in hostile:
        check = europass_verify(data)
        assert check.verdict == "modified", data
        assert check.document is None


def test_the_wallet_shows_a_picture_per_language(competence):
    displays = europass_build(certificate=competence)["displayParameter"][
        "individualDisplay"
    ]
    languages = [display["language"]["id"][-3:] for display in displays]
    assert languages == ["ITA", "ENG"]
    for display in displays:
        image = display["displayDetail"]["image"]
        assert image["contentType"]["id"].endswith("/file-type/PNG")
        assert base64.b64decode(image["content"]).startswith(b"\x89PNG\r\n")


def test_a_term_the_contexts_do_not_define_is_reported(competence):
    document = europass_build(certificate=competence)
    document["credentialSubject"]["favouriteColour"] = "blue"
    messages = europass_validate(document)
    assert len(messages) == 1, messages
    assert "favouriteColour" in messages[0]


def test_a_certificate_issued_before_frozen_contents_has_a_credential(competence):
    from certificates.models import Certificate

    frozen = europass_build(certificate=competence)
    Certificate.objects.filter(pk=competence.pk).update(printed={})
    older = Certificate.objects.get(pk=competence.pk)
    assert europass_build(certificate=older) == frozen


def _ec_key():
    """A SigningKey on an EC P-256 key, issued by its own EC root."""
    import datetime

    from asn1crypto import x509 as asn1_x509
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID
    from pyhanko.keys import load_private_key_from_pemder_data
    from pyhanko.sign import signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    from certificates.signing import SigningKey

    def issued(subject, key, issuer, issuer_key):
        def name(text):
            return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, text)])

        start = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
        built = (
            x509.CertificateBuilder()
            .subject_name(name(subject))
            .issuer_name(name(issuer))
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(start)
            .not_valid_after(start.replace(year=2100))
            .sign(issuer_key, hashes.SHA256())
        )
        return asn1_x509.Certificate.load(
            built.public_bytes(serialization.Encoding.DER)
        )

    root_key = ec.generate_private_key(ec.SECP256R1())
    leaf_key = ec.generate_private_key(ec.SECP256R1())
    root = issued("EC root", root_key, "EC root", root_key)
    leaf = issued("EC school", leaf_key, "EC root", root_key)
    der = leaf_key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    signer = signers.SimpleSigner(
        signing_cert=leaf,
        signing_key=load_private_key_from_pemder_data(der, None),
        cert_registry=SimpleCertificateStore.from_certs([root]),
    )
    return SigningKey(signer=signer, certificate=leaf, trust_roots=[root])


def test_an_ec_key_seals_with_es256(competence):
    key = _ec_key()
    token = europass_seal(document=europass_build(certificate=competence), key=key)
    header = _header(token)
    assert header["alg"] == "ES256" and len(header["x5c"]) == 2
    assert europass_verify(token, key=key).verdict == "genuine"
    assert europass_verify(token).verdict == "untrusted"  # not the school's root
