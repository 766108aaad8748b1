"""The published JWK Set and status lists, verifying a badge with them as any
verifier would (fetched over HTTP through the test client), revocation, and
the holder's downloads."""

import base64
import datetime
import json
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from certificates import services
from certificates.credentials.jose import jwt_header, vc_jwt_payload
from certificates.credentials.models import OpenBadgeRecord
from certificates.credentials.openbadge import openbadge_build, openbadge_jwt
from certificates.credentials.status import bit_is_set, bits_decode
from certificates.credentials.verify import openbadge_verify
from tests.factories import StaffFactory, TraineeFactory, edition_completed

JWKS_PATH = "/credentials/jwks.json"


def _segment(part: str) -> dict:
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


def _encode(value: dict) -> str:
    raw = json.dumps(value, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@pytest.fixture
def published(client):
    """The JWK Set and a status-list fetcher, through HTTP (the test client)."""
    jwks = client.get(JWKS_PATH).json()

    def fetch(url: str) -> str | None:
        response = client.get(urlsplit(url).path)
        return response.content.decode() if response.status_code == 200 else None

    return jwks, fetch


def _status_bit(client, credential: dict) -> bool:
    entry = credential["credentialStatus"]
    response = client.get(urlsplit(entry["statusListCredential"]).path)
    assert response.status_code == 200
    status_list = _segment(response.content.decode().split(".")[1])
    assert status_list["type"] == [
        "VerifiableCredential",
        "BitstringStatusListCredential",
    ]
    assert status_list["credentialSubject"]["statusPurpose"] == "revocation"
    bits = bits_decode(status_list["credentialSubject"]["encodedList"])
    assert len(bits) >= 16 * 1024
    return bit_is_set(bits, int(entry["statusListIndex"]))


# -- the JWK Set ----------------------------------------------------------------------


def test_jwks_publishes_the_public_key_only(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(JWKS_PATH)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/jwk-set+json"
    assert response["Access-Control-Allow-Origin"] == "*"
    (key,) = response.json()["keys"]
    assert key["kty"] == "RSA" and key["alg"] == "RS256" and key["use"] == "sig"
    assert not {"d", "p", "q", "dp", "dq", "qi"} & key.keys()
    assert key["x5c"]
    assert "X-Page-Cache" not in response


# -- verifying a badge ----------------------------------------------------------------


def test_badge_verifies_with_the_published_jwks(certificate, published):
    jwks, fetch = published
    token = openbadge_jwt(certificate=certificate)
    header = jwt_header(token)
    assert header["typ"] == "vc+jwt" and header["alg"] == "RS256"
    assert header["kid"] == jwks["keys"][0]["kid"]
    check = openbadge_verify(token=token, jwks=jwks, status_fetch=fetch)
    assert check.signature_valid and check.genuine and check.in_validity
    assert check.status == "valid" and check.valid
    assert check.issuer == check.credential["issuer"]["id"]
    assert check.credential["iss"] == check.issuer


def test_the_default_verifier_needs_no_request(certificate):
    """Without a JWK Set or fetcher, the verifier builds both as published."""
    check = openbadge_verify(token=openbadge_jwt(certificate=certificate))
    assert check.valid


def test_a_tampered_badge_fails(certificate, published):
    jwks, fetch = published
    head, payload, signature = openbadge_jwt(certificate=certificate).split(".")
    changed = _segment(payload)
    changed["credentialSubject"]["identifier"][0]["identityHash"] = "Someone Else"
    token = ".".join((head, _encode(changed), signature))
    check = openbadge_verify(token=token, jwks=jwks, status_fetch=fetch)
    assert not check.signature_valid and not check.valid
    assert check.error == "bad_signature"
    unknown = dict(jwks["keys"][0], kid="another-key")
    check = openbadge_verify(
        token=openbadge_jwt(certificate=certificate),
        jwks={"keys": [unknown]},
        status_fetch=fetch,
    )
    assert check.error == "unknown_kid" and not check.valid


def test_a_badge_outside_its_validity_is_not_valid(certificate, published):
    jwks, fetch = published
    token = openbadge_jwt(certificate=certificate)
    before = certificate.issued_at - datetime.timedelta(days=1)
    check = openbadge_verify(token=token, jwks=jwks, status_fetch=fetch, now=before)
    assert check.genuine and not check.in_validity and not check.valid


def test_revocation_flips_the_status_bit(
    certificate, client, published, django_assert_num_queries
):
    jwks, fetch = published
    credential = openbadge_build(certificate=certificate)
    token = openbadge_jwt(certificate=certificate)
    assert _status_bit(client, credential) is False
    services.certificate_revoke(certificate=certificate, actor=None, reason="Fraud")
    assert _status_bit(client, credential) is True
    check = openbadge_verify(token=token, jwks=jwks, status_fetch=fetch)
    assert check.genuine and check.status == "revoked" and not check.valid
    path = urlsplit(credential["credentialStatus"]["statusListCredential"]).path
    with django_assert_num_queries(1):
        response = client.get(path)
    assert response["Content-Type"] == "application/vc+jwt"
    assert "no-store" in response["Cache-Control"]
    assert "X-Page-Cache" not in response


def test_a_superseded_certificate_is_set_too(certificate, client):
    credential = openbadge_build(certificate=certificate)
    services.certificate_reissue(certificate=certificate, actor=None, reason="Typo")
    assert _status_bit(client, credential) is True


def test_status_list_is_signed_and_of_other_certificates_unchanged(
    certificate, client, site
):
    _edition, _sessions, enrolments = edition_completed(trainees=1)
    other = services.certificate_issue(enrolment=enrolments[0], actor=None)
    mine, theirs = (openbadge_build(certificate=c) for c in (certificate, other))
    services.certificate_revoke(certificate=certificate, actor=None, reason="Error")
    assert _status_bit(client, mine) is True
    assert _status_bit(client, theirs) is False
    token = client.get("/credentials/status/1").content.decode()
    jwks = client.get(JWKS_PATH).json()
    assert vc_jwt_payload(token=token, jwks=jwks)["issuer"] == mine["issuer"]["id"]


def test_an_unused_status_list_is_404(client, db):
    assert client.get("/credentials/status/1").status_code == 200
    assert client.get("/credentials/status/2").status_code == 404
    assert OpenBadgeRecord.objects.count() == 0


# -- the holder's downloads -----------------------------------------------------------


def _urls(certificate):
    return [
        reverse("certificates:openbadge_jwt", args=[certificate.pk]),
        reverse("certificates:openbadge_json", args=[certificate.pk]),
    ]


def test_downloads_are_the_holders_only(client, certificate):
    for url in _urls(certificate):
        response = client.get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
    for someone in (TraineeFactory(), StaffFactory()):
        client.force_login(someone)
        for url in _urls(certificate):
            assert client.get(url).status_code == 404
    client.force_login(certificate.holder)
    jwt_url, json_url = _urls(certificate)
    response = client.get(jwt_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vc+jwt"
    assert "attachment" in response["Content-Disposition"]
    assert f"{certificate.serial}-openbadge.jwt" in response["Content-Disposition"]
    assert response.content.decode() == openbadge_jwt(certificate=certificate)
    response = client.get(json_url)
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    assert json.loads(response.content) == openbadge_build(certificate=certificate)


def test_my_certificates_and_the_certificate_page_link_the_badge(client, certificate):
    client.force_login(certificate.holder)
    jwt_url, json_url = _urls(certificate)
    html = client.get(reverse("portal:certificates")).content.decode()
    assert jwt_url in html and json_url in html
    verify = reverse("certificates:verify", args=[certificate.verification_code])
    html = client.get(verify).content.decode()
    assert jwt_url in html and json_url in html
    client.force_login(TraineeFactory())
    html = client.get(verify).content.decode()
    assert jwt_url not in html
