"""A certificate as a Europass Digital Credential (ELM v3 JSON-LD, EDC generic
profile), built from its frozen printed content (certificates.content) and the
holder's names of its snapshot: the same certificate always gives the same
document.

A certificate of competence claims a LearningAchievement (the course, specified
by a LearningAchievementSpecification with its EQF level) with one part per
competence (its ESCO skill, EQF level and Italian references), influenced by
the LearningActivity (the course's hours and dates). A certificate of attendance
claims the LearningActivity alone.
"""

import uuid

from django.conf import settings

from ..content import certificate_content
from ..issuing import verification_url
from ..models import Certificate, CertificateKind
from . import vocab
from .display import display_base64
from .loader import EDC_AP, VC_V1
from .parts import (
    activity,
    competence_achievement,
    identifier,
    lang_map,
    legal_identifier,
    moment,
)

SCHEME_SERIAL = "Numero di registrazione / Registration number"
SCHEME_VERIFICATION = "URL di verifica / Verification URL"
ORG = "urn:epass:org:1"
AWARDING = "urn:epass:awardingProcess:1"


def _issuer(printed: dict) -> dict:
    issuer = printed["issuer"]
    legal_id = issuer["legal_identifier"] or settings.MAKERS_EUROPASS_LEGAL_ID
    node = {
        "id": ORG,
        "type": "Organisation",
        "legalName": {"it": issuer["organisation"] or issuer["name"]},
        "altLabel": {"it": issuer["name"]},
        "eIDASIdentifier": legal_identifier(
            "urn:epass:legalIdentifier:1", legal_id, issuer["country"]
        ),
        "location": {
            "id": "urn:epass:location:1",
            "type": "Location",
            "address": {
                "id": "urn:epass:address:1",
                "type": "Address",
                "countryCode": vocab.country(issuer["country"]),
                "fullAddress": {
                    "id": "urn:epass:note:1",
                    "type": "Note",
                    "noteLiteral": {"it": issuer["address"]},
                },
            },
        },
    }
    if issuer["url"]:
        node["homepage"] = {
            "id": "urn:epass:webResource:1",
            "type": "WebResource",
            "contentURL": issuer["url"],
        }
    if issuer["accreditation"]:
        node["additionalNote"] = {
            "id": "urn:epass:note:2",
            "type": "Note",
            "noteLiteral": {"it": issuer["accreditation"]},
        }
    return node


def _achievement(printed: dict, claim: dict) -> dict:
    course = printed["course"]
    title = lang_map(course["title"], course["title_en"])
    return {
        "id": "urn:epass:learningAchievement:1",
        "type": "LearningAchievement",
        "title": title,
        "awardedBy": AWARDING,
        "influencedBy": claim,
        "specifiedBy": {
            "id": "urn:epass:learningAchievementSpec:1",
            "type": "LearningAchievementSpecification",
            "title": title,
            "eqfLevel": vocab.eqf_level(course["eqf_level"]),
            "volumeOfLearning": f"PT{int(course['hours'])}H",
            "language": vocab.language(course["teaching_language"]),
        },
        "hasPart": [
            competence_achievement(item, index=index, awarding=AWARDING)
            for index, item in enumerate(printed["competencies"], start=2)
        ],
    }


def _subject(certificate: Certificate, printed: dict) -> dict:
    claim = activity(printed, awarding=AWARDING)
    if printed["kind"] == CertificateKind.COMPETENCY:
        claim = _achievement(printed, claim)
    claim["awardedBy"] = {
        "id": AWARDING,
        "type": "AwardingProcess",
        "awardingBody": ORG,
        "awardingDate": moment(printed["issued_on"]),
    }
    subject = {
        "id": "urn:epass:person:1",
        "type": "Person",
        "fullName": {"it": printed["holder"]["name"]},
        "givenName": {"it": certificate.holder_given_name},
        "familyName": {"it": certificate.holder_family_name},
        "hasClaim": claim,
    }
    codice_fiscale = printed["holder"]["codice_fiscale"]
    if codice_fiscale:
        subject["nationalID"] = legal_identifier(
            "urn:epass:legalIdentifier:2", codice_fiscale, "IT"
        )
    return subject


def _display(printed: dict) -> dict:
    png_type, base64_encoding = vocab.png_encoding()
    displays = [
        {
            "id": f"urn:epass:individualDisplay:{index}",
            "type": "IndividualDisplay",
            "language": vocab.language(code),
            "displayDetail": {
                "id": f"urn:epass:displayDetail:{index}",
                "type": "DisplayDetail",
                "page": 1,
                "image": {
                    "id": f"urn:epass:mediaObject:{index}",
                    "type": "MediaObject",
                    "content": display_base64(printed=printed, language=code),
                    "contentType": png_type,
                    "contentEncoding": base64_encoding,
                },
            },
        }
        for index, code in enumerate(("it", "en"), start=1)
    ]
    return {
        "id": "urn:epass:displayParameter:1",
        "type": "DisplayParameter",
        "title": lang_map(*printed["title"]),
        "language": [vocab.language("it"), vocab.language("en")],
        "primaryLanguage": vocab.language("it"),
        "individualDisplay": displays,
    }


def _identifiers(printed: dict) -> list[dict]:
    return [
        identifier("urn:epass:identifier:1", printed["serial"], SCHEME_SERIAL),
        identifier(
            "urn:epass:identifier:2", printed["verification_url"], SCHEME_VERIFICATION
        ),
    ]


def credential_id(printed: dict) -> str:
    """A stable id: the same certificate always gets the same one."""
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, printed['verification_url'])}"


def printed_content(certificate: Certificate) -> dict:
    """What the certificate prints: its frozen content, else (a certificate
    issued before contents were frozen) the content built from its snapshot,
    as its PDF is re-rendered."""
    if certificate.printed:
        return certificate.printed
    url = verification_url(code=certificate.verification_code)
    return certificate_content(certificate=certificate, verification_url=url)


def europass_build(*, certificate: Certificate) -> dict:
    """The certificate as an ELM v3 EuropeanDigitalCredential (JSON-LD)."""
    printed = printed_content(certificate)
    document = {
        "@context": [VC_V1, EDC_AP],
        "id": credential_id(printed),
        "type": ["VerifiableCredential", "EuropeanDigitalCredential"],
        "credentialProfiles": vocab.generic_profile(),
        "credentialSchema": {
            "id": "http://data.europa.eu/snb/model/ap/edc-generic-full",
            "type": "ShaclValidator2017",
        },
        "identifier": _identifiers(printed),
        "issuer": _issuer(printed),
        "issued": moment(printed["issued_on"]),
        "validFrom": moment(printed["issued_on"]),
        "credentialSubject": _subject(certificate, printed),
        "displayParameter": _display(printed),
    }
    if printed["valid_until"]:
        document["expirationDate"] = moment(printed["valid_until"], end=True)
    return document
