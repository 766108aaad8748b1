"""Uploading an Open Badge (VC-JWT) or a sealed Europass credential (JWS) to
/verify/ and to the verification API: genuine or modified, issuer, status
(valid, revoked, superseded), and a clear refusal of anything else."""

import base64
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from certificates import services
from certificates.credentials.openbadge import openbadge_jwt
from certificates.credentials.status import school_id
from certificates.credentials.upload import credential_check
from certificates.europass import europass_sealed
from tests.text import italian

API = "/api/certificates/verify/"


def _post(client, content: bytes, *, url=None, name="c.jwt"):
    return client.post(
        url or reverse("certificates:verify_start"),
        {"form": "credential", "credential": SimpleUploadedFile(name, content)},
    )


def _tampered(token: bytes) -> bytes:
    """The token with one character of its payload changed."""
    header, payload, signature = token.split(b".")
    middle = len(payload) // 2
    changed = b"A" if payload[middle : middle + 1] != b"A" else b"B"
    return b".".join(
        [header, payload[:middle] + changed + payload[middle + 1 :], signature]
    )


@pytest.fixture
def forms(certificate):
    return {
        "openbadge": openbadge_jwt(certificate=certificate).encode(),
        "europass": europass_sealed(certificate=certificate),
    }


@pytest.mark.parametrize("kind", ["openbadge", "europass"])
def test_genuine_credential_is_valid(client, certificate, forms, kind):
    check = credential_check(content=forms[kind])
    assert (check.kind, check.verdict, check.status) == (kind, "genuine", "valid")
    assert check.certificate == certificate
    assert check.issuer_name == certificate.issuer_name
    assert check.issuer == (school_id() if kind == "openbadge" else "urn:epass:org:1")
    html = _post(client, forms[kind]).content.decode()
    assert "as the school issued and signed it" in html
    assert certificate.serial in html
    assert "alert-success" in html


@pytest.mark.parametrize("kind", ["openbadge", "europass"])
def test_api_answers_for_a_credential(client, certificate, forms, kind):
    response = _post(client, forms[kind], url=API)
    assert response.status_code == 200
    answer = response.json()
    assert answer["kind"] == kind
    assert (answer["verdict"], answer["genuine"], answer["valid"]) == (
        "genuine",
        True,
        True,
    )
    assert answer["status"] == "valid"
    assert answer["issuer"]["name"] == certificate.issuer_name
    assert answer["certificate"]["serial"] == certificate.serial
    assert response["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("kind", ["openbadge", "europass"])
def test_modified_credential(client, certificate, forms, kind):
    tampered = _tampered(forms[kind])
    check = credential_check(content=tampered)
    assert check.verdict == "modified" and check.certificate is None
    answer = _post(client, tampered, url=API).json()
    assert (answer["verdict"], answer["valid"], answer["certificate"]) == (
        "modified",
        False,
        None,
    )
    html = _post(client, tampered).content.decode()
    assert (
        italian(
            "The signature does not match the content: the file was modified "
            "after it was signed, or it was not signed by the school.",
            html=True,
        )
        in html
    )
    assert "alert-success" not in html


@pytest.mark.parametrize("kind", ["openbadge", "europass"])
def test_revoked_certificate_credential_is_never_green(
    client, certificate, forms, kind
):
    services.certificate_revoke(
        certificate=certificate, actor=None, reason="Issued by mistake"
    )
    check = credential_check(content=forms[kind])
    assert (check.verdict, check.status, check.valid) == ("genuine", "revoked", False)
    html = _post(client, forms[kind]).content.decode()
    assert "Revoked certificate" in html
    assert "alert-success" not in html
    assert _post(client, forms[kind], url=API).json()["status"] == "revoked"


@pytest.mark.parametrize("kind", ["openbadge", "europass"])
def test_superseded_certificate_credential(client, certificate, forms, kind):
    services.certificate_reissue(
        certificate=certificate, actor=None, reason="Name corrected"
    )
    check = credential_check(content=forms[kind])
    assert (check.verdict, check.status) == ("genuine", "superseded")
    html = _post(client, forms[kind]).content.decode()
    assert "Superseded certificate" in html and "alert-success" not in html


def _unsigned_jwt(header: dict, payload: dict) -> bytes:
    def part(value):
        raw = json.dumps(value).encode()
        return base64.urlsafe_b64encode(raw).rstrip(b"=")

    return part(header) + b"." + part(payload) + b"." + b"c2ln"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x00\xff garbage \x80" * 10, "neither an Open Badge"),
        (b"", "The submitted file is empty"),
        (b"%PDF-1.7\n", "This file is a PDF"),
        (b'{"type": ["VerifiableCredential"]}', "unsigned JSON file"),
        (b"a.b", "neither an Open Badge"),
        (b"!!!.???.###", "neither an Open Badge"),
    ],
)
def test_garbage_and_wrong_types_are_refused_clearly(client, site, content, message):
    response = _post(client, content)
    assert response.status_code == 400
    assert message in response.content.decode()
    api = _post(client, content, url=API)
    assert api.status_code == 400
    assert api.json()["errors"]["credential"]  # in the API's language


def test_missing_file_is_refused(client, site):
    response = client.post(reverse("certificates:verify_start"), {"form": "credential"})
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()


def test_oversize_is_refused(client, site, settings):
    settings.MAKERS_VERIFY_UPLOAD_MAX_BYTES = 1024
    response = _post(client, b"eyJ" + b"A" * 2048)
    assert response.status_code == 400
    assert "The file is too big" in response.content.decode()


@pytest.mark.parametrize(
    "header",
    [
        {"alg": "RS256", "kid": "nobody"},
        {"alg": "none", "kid": "x"},
        {"alg": "ES256", "x5c": ["bm90IGEgY2VydA=="]},
        {"alg": "RS256", "x5c": "not a list"},
    ],
)
def test_hostile_tokens_never_500(client, site, header):
    token = _unsigned_jwt(header, {"type": ["OpenBadgeCredential"]})
    response = _post(client, token)
    assert response.status_code == 200
    assert "alert-success" not in response.content.decode()
    answer = _post(client, token, url=API).json()
    assert answer["genuine"] is False and answer["certificate"] is None


def test_credential_signed_by_another_key_is_not_genuine(certificate, forms):
    """The certificate's own badge, signed with a key the school never had
    under the school's kid: not genuine, not the certificate."""
    from cryptography.hazmat.primitives.asymmetric import rsa
    from joserfc import jwt
    from joserfc.jwk import RSAKey

    key = RSAKey.import_key(
        rsa.generate_private_key(public_exponent=65537, key_size=2048)
    )
    payload = json.loads(
        base64.urlsafe_b64decode(forms["openbadge"].split(b".")[1] + b"==")
    )
    forged = jwt.encode(
        {"alg": "RS256", "kid": "school", "typ": "vc+jwt"}, payload, key
    ).encode()
    check = credential_check(content=forged)
    assert check.verdict == "modified" and not check.valid
