"""The Open Badges 3.0 form of a certificate (certificates.credentials): what
the credential says, that it expands under the vendored contexts with no term
lost, that it has every property the OB 3.0 data model requires, and that it
says what the certificate's PDF prints."""

import base64
import datetime
import hashlib
import json
import re
from collections import Counter

import jsonschema
import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from django.utils import timezone
from pyld import jsonld

from certificates import services
from certificates.credentials.jose import (
    jwk_from_private_key,
    jwt_header,
    school_jwks,
    vc_jwt_payload,
    vc_jwt_sign,
)
from certificates.credentials.loader import (
    OB_V3_CONTEXT,
    VC_V2_CONTEXT,
    expand,
    offline_loader,
)
from certificates.credentials.models import STATUS_LIST_BITS, OpenBadgeRecord
from certificates.credentials.openbadge import (
    ADA_FRAMEWORK,
    EQF_FRAMEWORK,
    ESCO_FRAMEWORK,
    openbadge_build,
    openbadge_jwt,
)
from certificates.credentials.status import (
    bit_is_set,
    bits_decode,
    bits_encode,
    status_list_credential,
)
from certificates.models import CertificateKind
from certificates.personal_data import certificates_unlink
from courses.models import Competency
from tests.factories import edition_completed

ADA_CODE = "ADA.10.01.07"

# -- the certificate ------------------------------------------------------------------


@pytest.fixture
def certificate(site):
    """A certificate of competence: two competencies with ESCO URIs, the first
    also with its Atlante del Lavoro area and how it was assessed; an expiry."""
    _edition, _sessions, enrolments = edition_completed(trainees=1)
    competency = enrolments[0].edition.course.competencies.order_by("code").first()
    Competency.objects.filter(pk=competency.pk).update(
        ada_code=ADA_CODE,
        assessment_method="prova pratica",
        assessment_method_en="practical test",
    )
    trainee = enrolments[0].trainee
    trainee.first_name, trainee.last_name = "Niccolò", "Dell'Àcqua"
    trainee.save()
    return services.certificate_issue(
        enrolment=enrolments[0],
        actor=None,
        valid_until=timezone.localdate() + datetime.timedelta(days=365 * 3),
    )


@pytest.fixture
def credential(certificate):
    return openbadge_build(certificate=certificate)


# -- no term dropped ------------------------------------------------------------------


def _leaves(value, *, key=None):
    """The scalar values of a compact document, but its contexts and types."""
    if key in ("@context", "type"):
        return
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _leaves(v, key=k)
    elif isinstance(value, list):
        for item in value:
            yield from _leaves(item, key=key)
    else:
        yield str(value)


def _expanded_leaves(value):
    """The values (@value, @id) and the types (@type) of an expanded document."""
    values, types = [], []

    def walk(node):
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            if "@value" in node:
                values.append(str(node["@value"]))
                return
            for k, v in node.items():
                if k == "@id":
                    values.append(v)
                elif k == "@type":
                    types.extend(v)
                else:
                    walk(v)

    walk(value)
    return values, types


def _types(value):
    if isinstance(value, dict):
        for k, v in value.items():
            if k == "type":
                yield from v if isinstance(v, list) else [v]
            elif k != "@context":
                yield from _types(v)
    elif isinstance(value, list):
        for item in value:
            yield from _types(item)


def assert_nothing_dropped(document: dict) -> None:
    """Every value of the document survives expansion (a term the contexts do
    not define is dropped with its value), and every type becomes an absolute
    IRI the contexts define."""
    expanded = expand(document)
    values, types = _expanded_leaves(expanded)
    assert Counter(_leaves(document)) == Counter(values)
    assert len(types) == len(list(_types(document)))
    assert all(t.startswith(("https://", "http://")) for t in types), types


def test_the_check_would_see_a_dropped_term(credential):
    """The control: an undefined term (and an undefined type) is noticed."""
    with pytest.raises(AssertionError):
        assert_nothing_dropped(credential | {"hoursOfTraining": 40})
    subject = credential["credentialSubject"] | {"type": ["HoursSubject"]}
    with pytest.raises(AssertionError):
        assert_nothing_dropped(credential | {"credentialSubject": subject})


def test_credential_expands_with_no_term_dropped(credential):
    assert credential["@context"] == [VC_V2_CONTEXT, OB_V3_CONTEXT]
    assert_nothing_dropped(credential)


def test_signed_payload_and_status_list_expand_with_no_term_dropped(certificate):
    payload = vc_jwt_payload(
        token=openbadge_jwt(certificate=certificate),
        jwks={"keys": [_school_public_jwk()]},
    )
    assert {"iss", "nbf", "iat", "exp"} <= payload.keys()
    assert_nothing_dropped(payload)
    assert_nothing_dropped(status_list_credential(number=1, indexes=[3]))


def _school_public_jwk():
    return school_jwks()["keys"][0]


def test_offline_loader_refuses_other_contexts():
    assert offline_loader(OB_V3_CONTEXT)["document"]["@context"]
    with pytest.raises(jsonld.JsonLdError):
        offline_loader("https://example.org/context.json")
    with pytest.raises(jsonld.JsonLdError):
        expand({"@context": "https://example.org/context.json", "name": "x"})


# -- the required properties (OB 3.0 data model, section B) ----------------------------

_TYPES = {"type": "array", "items": {"type": "string"}}


def _typed(name: str) -> dict:
    return {
        "anyOf": [
            {"const": name},
            {"type": "array", "contains": {"const": name}},
        ]
    }


# Written from the tables of the Open Badges 3.0 specification (3.0.3), "Data
# model": the properties each class marks [1] or [1..*], and the types they must
# include. Properties outside the tables are allowed (additionalProperties).
ALIGNMENT = {
    "type": "object",
    "required": ["type", "targetName", "targetUrl"],
    "properties": {
        "type": _typed("Alignment"),
        "targetName": {"type": "string"},
        "targetUrl": {"type": "string", "format": "uri"},
    },
}
ACHIEVEMENT = {
    "type": "object",
    "required": ["id", "type", "criteria", "description", "name"],
    "properties": {
        "id": {"type": "string", "format": "uri"},
        "type": _typed("Achievement"),
        "criteria": {
            "type": "object",
            "anyOf": [{"required": ["id"]}, {"required": ["narrative"]}],
        },
        "description": {"type": "string"},
        "name": {"type": "string"},
        "alignment": {"type": "array", "items": ALIGNMENT},
        "resultDescription": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "type", "name", "resultType"],
                "properties": {"type": _typed("ResultDescription")},
            },
        },
    },
}
IDENTITY_OBJECT = {
    "type": "object",
    "required": ["type", "hashed", "identityHash", "identityType"],
    "properties": {
        "type": {"const": "IdentityObject"},
        "hashed": {"type": "boolean"},
        "identityHash": {"type": "string"},
        "identityType": {"type": "string"},
    },
}
OPENBADGE_CREDENTIAL_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": [
        "@context",
        "id",
        "type",
        "issuer",
        "validFrom",
        "name",
        "credentialSubject",
    ],
    "properties": {
        "@context": {
            "type": "array",
            "prefixItems": [{"const": VC_V2_CONTEXT}],
            "contains": {"const": OB_V3_CONTEXT},
        },
        "id": {"type": "string", "format": "uri"},
        "type": {
            "allOf": [
                {"type": "array", "contains": {"const": "VerifiableCredential"}},
                {
                    "type": "array",
                    "contains": {
                        "enum": ["OpenBadgeCredential", "AchievementCredential"]
                    },
                },
            ]
        },
        "issuer": {
            "type": "object",
            "required": ["id", "type"],
            "properties": {
                "id": {"type": "string", "format": "uri"},
                "type": _typed("Profile"),
            },
        },
        "validFrom": {"type": "string", "format": "date-time"},
        "validUntil": {"type": "string", "format": "date-time"},
        "name": {"type": "string"},
        "credentialSubject": {
            "type": "object",
            "required": ["type", "achievement"],
            "properties": {
                "type": _typed("AchievementSubject"),
                "achievement": ACHIEVEMENT,
                "identifier": {"type": "array", "items": IDENTITY_OBJECT},
                "result": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["type"],
                        "properties": {"type": _typed("Result")},
                    },
                },
            },
        },
        "credentialStatus": {
            "type": "object",
            "required": [
                "type",
                "statusPurpose",
                "statusListIndex",
                "statusListCredential",
            ],
            "properties": {
                "type": {"const": "BitstringStatusListEntry"},
                "statusListIndex": {"type": "string", "pattern": "^[0-9]+$"},
            },
        },
    },
}


# jsonschema checks "date-time" and "uri" only with optional packages this
# project does not install: the two formats the schema uses are checked here.
FORMATS = jsonschema.FormatChecker()


@FORMATS.checks("date-time", raises=ValueError)
def _date_time(value) -> bool:
    """An ISO 8601 date and time with its offset (RFC 3339)."""
    if not isinstance(value, str):
        return True
    return "T" in value and datetime.datetime.fromisoformat(value).tzinfo is not None


@FORMATS.checks("uri")
def _uri(value) -> bool:
    """An absolute URI: a scheme, a colon, no spaces."""
    return not isinstance(value, str) or bool(URI_RE.match(value))


URI_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s]+$")


def _validator():
    return jsonschema.Draft202012Validator(
        OPENBADGE_CREDENTIAL_SCHEMA, format_checker=FORMATS
    )


def test_the_formats_are_checked(credential):
    valid = _validator().is_valid
    assert not valid(credential | {"validFrom": "2026-06-10"})
    assert not valid(credential | {"validFrom": "2026-06-10T10:00:00"})
    assert not valid(credential | {"id": "not a uri"})
    assert valid(credential | {"validFrom": "2026-06-10T10:00:00+02:00"})


def test_credential_has_every_required_property(credential):
    _validator().validate(credential)


@pytest.mark.parametrize(
    "path",
    [
        ("name",),
        ("validFrom",),
        ("issuer", "type"),
        ("credentialSubject", "achievement", "criteria"),
        ("credentialSubject", "achievement", "description"),
    ],
)
def test_schema_refuses_a_credential_missing_a_required_property(credential, path):
    broken = json.loads(json.dumps(credential))
    node = broken
    for key in path[:-1]:
        node = node[key]
    del node[path[-1]]
    assert not _validator().is_valid(broken)


def test_attendance_certificate_is_a_valid_badge_too(site):
    _edition, _sessions, enrolments = edition_completed(trainees=1)
    certificate = services.certificate_issue(
        enrolment=enrolments[0], actor=None, kind=CertificateKind.ATTENDANCE
    )
    credential = openbadge_build(certificate=certificate)
    _validator().validate(credential)
    assert_nothing_dropped(credential)
    achievement = credential["credentialSubject"]["achievement"]
    assert achievement["achievementType"] == "CertificateOfCompletion"
    frameworks = [a["targetFramework"] for a in achievement["alignment"]]
    assert frameworks == [EQF_FRAMEWORK]


# -- it says what the PDF prints ------------------------------------------------------


def test_badge_agrees_with_the_printed_content(certificate, credential):
    printed = certificate.printed
    course = printed["course"]
    subject = credential["credentialSubject"]
    achievement = subject["achievement"]
    assert credential["name"] == achievement["name"] == course["title"]
    assert course["title_en"] in achievement["description"]
    assert credential["issuer"]["name"] == printed["issuer"]["name"]
    assert credential["validFrom"][:10] == printed["issued_on"]
    assert credential["validUntil"][:10] == printed["valid_until"]
    assert subject["activityStartDate"] == course["start"]
    assert subject["activityEndDate"] == course["end"]
    assert printed["holder"]["name"] == "Niccolò Dell'Àcqua"
    assert subject["identifier"][0] == {
        "type": "IdentityObject",
        "identityType": "name",
        "hashed": False,
        "identityHash": printed["holder"]["name"],
    }
    assert subject["result"][0]["value"] == course["attendance_percent"]
    assert achievement["humanCode"] == course["code"]
    assert f"{course['hours']} hours" in achievement["criteria"]["narrative"]
    assert f"{course['hours']} ore" in achievement["criteria"]["narrative"]
    by_framework = {}
    for alignment in achievement["alignment"]:
        by_framework.setdefault(alignment["targetFramework"], []).append(alignment)
    school = by_framework[printed["issuer"]["name"]]
    assert [(a["targetCode"], a["targetName"]) for a in school] == [
        (item["code"], item["title"]) for item in printed["competencies"]
    ]
    assert [a["targetUrl"] for a in by_framework[ESCO_FRAMEWORK]] == [
        item["esco_uri"] for item in printed["competencies"]
    ]
    assert [a["targetCode"] for a in by_framework[ADA_FRAMEWORK]] == [ADA_CODE]
    (eqf,) = by_framework[EQF_FRAMEWORK]
    assert eqf["targetCode"] == str(course["eqf_level"])
    assert eqf["targetUrl"] == f"http://data.europa.eu/snb/eqf/{course['eqf_level']}"
    for item in printed["competencies"]:
        assert item["title_en"] in achievement["criteria"]["narrative"]
    assert "practical test" in achievement["criteria"]["narrative"]


def test_badge_is_built_from_the_frozen_content(certificate):
    """A change of the live snapshot fields changes nothing: the PDF's words."""
    before = openbadge_build(certificate=certificate)
    certificate.course_title = "Renamed later"
    certificate.holder_given_name = "Someone"
    assert openbadge_build(certificate=certificate) == before


def test_email_is_hashed_with_its_salt(certificate, credential):
    hashed = credential["credentialSubject"]["identifier"][1]
    assert hashed["identityType"] == "emailAddress" and hashed["hashed"] is True
    expected = hashlib.sha256(
        f"{certificate.holder.email}{hashed['salt']}".encode()
    ).hexdigest()
    assert hashed["identityHash"] == f"sha256${expected}"
    assert certificate.holder.email not in json.dumps(credential)


def test_status_bit_is_assigned_once(certificate):
    first = openbadge_build(certificate=certificate)
    second = openbadge_build(certificate=certificate)
    assert first == second
    record = OpenBadgeRecord.objects.get(certificate=certificate)
    entry = first["credentialStatus"]
    assert entry["statusListIndex"] == str(record.status_index)
    assert entry["statusPurpose"] == "revocation"
    assert entry["statusListCredential"].endswith("/credentials/status/1")
    assert 0 <= record.status_index < STATUS_LIST_BITS
    assert openbadge_jwt(certificate=certificate) == openbadge_jwt(
        certificate=certificate
    )


# -- JOSE and the bitstring -----------------------------------------------------------


def test_bitstring_is_16kib_gzip_base64url_msb_first():
    encoded = bits_encode([0, 9, STATUS_LIST_BITS - 1])
    assert encoded.startswith("u") and "=" not in encoded
    bits = bits_decode(encoded)
    assert len(bits) == 16 * 1024
    assert bits[0] == 0x80 and bits[1] == 0x40 and bits[-1] == 0x01
    assert [i for i in range(16) if bit_is_set(bits, i)] == [0, 9]
    assert bit_is_set(bits, STATUS_LIST_BITS - 1)
    raw = base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4))
    assert raw[:2] == b"\x1f\x8b"  # GZIP


def test_an_ec_key_signs_es256():
    jwk = jwk_from_private_key(ec.generate_private_key(ec.SECP256R1()))
    token = vc_jwt_sign(payload={"name": "x"}, jwk=jwk)
    assert jwt_header(token) == {"alg": "ES256", "kid": jwk.kid, "typ": "vc+jwt"}
    assert vc_jwt_payload(token=token, jwks={"keys": [jwk.public_jwk()]}) == {
        "name": "x"
    }


def test_a_taken_bit_is_never_given_twice(certificate, site, monkeypatch):
    """A random index already taken is drawn again (the database refuses two
    certificates on one bit)."""
    first = openbadge_build(certificate=certificate)
    taken = int(first["credentialStatus"]["statusListIndex"])
    _edition, _sessions, enrolments = edition_completed(trainees=1)
    other = services.certificate_issue(enrolment=enrolments[0], actor=None)
    draws = iter([taken, taken, (taken + 1) % STATUS_LIST_BITS])
    monkeypatch.setattr(
        "certificates.credentials.services.secrets.randbelow", lambda n: next(draws)
    )
    second = openbadge_build(certificate=other)
    assert second["credentialStatus"]["statusListIndex"] == str(
        (taken + 1) % STATUS_LIST_BITS
    )
    assert OpenBadgeRecord.objects.count() == 2


def test_a_holder_erased_keeps_the_name_only(certificate):
    """A certificate whose person was erased still has a badge: the name as
    printed, no email (forgotten if the badge was built before)."""
    assert (
        len(openbadge_build(certificate=certificate)["credentialSubject"]["identifier"])
        == 2
    )
    certificates_unlink(user=certificate.holder, email=certificate.holder.email)
    certificate.refresh_from_db()
    credential = openbadge_build(certificate=certificate)
    identifiers = credential["credentialSubject"]["identifier"]
    assert [i["identityType"] for i in identifiers] == ["name"]
    _validator().validate(credential)
