"""A certificate as an Open Badges 3.0 OpenBadgeCredential (W3C VC 2.0).

Built from the certificate's frozen printed content (certificates.content), so
the badge says what the PDF says: the course is the Achievement, each
competency an alignment (the school's own definition, and ESCO and the Atlante
del Lavoro where it has their references), the course's EQF level an
alignment to the European Qualifications Framework, hours and attendance in
the criteria and as a Result. Every term is one the W3C VC 2.0 or the Open
Badges 3.0.3 context defines (the tests expand it offline and lose nothing).

The credential is the same on every build: its ids derive from the
certificate's verification code, its dates from the issue, and its status-list
bit and hashed email are stored once (certificates.credentials.models).
"""

from __future__ import annotations

import datetime
import uuid

from django.utils import timezone

from ..content import both, certificate_content, date_text, percent_text
from ..issuing import verification_url
from ..models import Certificate, CertificateKind
from .jose import vc_jwt_sign
from .loader import OB_V3_CONTEXT, VC_V2_CONTEXT
from .models import OpenBadgeRecord
from .services import openbadge_record
from .status import school_id, status_entry

EQF_URI = "http://data.europa.eu/snb/eqf/{level}"
EQF_FRAMEWORK = "European Qualifications Framework (EQF)"
ESCO_FRAMEWORK = "ESCO"
ADA_FRAMEWORK = "Atlante del Lavoro e delle Qualificazioni (INAPP)"
ADA_URL = "https://atlantelavoro.inapp.gov.it/"
ATTENDANCE_NAME = "Frequenza / Attendance"
EVIDENCE_DESCRIPTION = (
    "N. di registrazione e pagina di verifica / "
    "Registration number and verification page"
)


def _urn(*parts: str) -> str:
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, '/'.join(parts))}"


def _printed(certificate: Certificate) -> dict:
    """The frozen content; for a certificate issued before contents were
    frozen, the same content drawn from its snapshot fields."""
    return certificate.printed or certificate_content(
        certificate=certificate,
        verification_url=verification_url(code=certificate.verification_code),
    )


def _datetime(value: datetime.datetime) -> str:
    return timezone.localtime(value).replace(microsecond=0).isoformat()


def _end_of_day(value: str) -> str:
    day = datetime.date.fromisoformat(value)
    moment = datetime.datetime.combine(day, datetime.time(23, 59, 59))
    return timezone.make_aware(moment).isoformat()


def _alignment(**fields) -> dict:
    return {"type": ["Alignment"]} | {k: v for k, v in fields.items() if v}


def competency_alignments(item: dict, *, framework: str, url: str) -> list[dict]:
    """A competency as alignments: the school's own (its code and wording),
    then ESCO and the Atlante del Lavoro (ADA) where it has their references."""
    aligned = [
        _alignment(
            targetName=item["title"],
            targetDescription=item.get("description", ""),
            targetCode=item["code"],
            targetFramework=framework,
            targetUrl=url,
        )
    ]
    if item.get("esco_uri"):
        aligned.append(
            _alignment(
                targetName=item["title"],
                targetUrl=item["esco_uri"],
                targetFramework=ESCO_FRAMEWORK,
            )
        )
    if item.get("ada_code"):
        aligned.append(
            _alignment(
                targetName=item["title"],
                targetCode=item["ada_code"],
                targetFramework=ADA_FRAMEWORK,
                targetUrl=ADA_URL,
            )
        )
    return aligned


def eqf_alignment(level: int) -> dict:
    return _alignment(
        targetName=" / ".join(both("eqf", level=level)),
        targetCode=str(level),
        targetFramework=EQF_FRAMEWORK,
        targetUrl=EQF_URI.format(level=level),
    )


def _course_line(course: dict, lang: int) -> str:
    """The course in one sentence, in Italian (0) or English (1)."""
    start, end = date_text(course["start"]), date_text(course["end"])
    percent = percent_text(course["attendance_percent"], ",."[lang])
    parts = (
        f"{both('code')[lang]} {course['code']}",
        f"{both('edition')[lang]} {course['edition']}: "
        + both("dates", start=start, end=end)[lang],
        both("hours", hours=course["hours"])[lang],
        both("attendance", percent=percent)[lang],
    )
    return ", ".join(parts) + "."


def _competency_line(item: dict) -> str:
    eqf = " / ".join(both("eqf", level=item["eqf_level"]))
    assessed = " / ".join(
        text
        for text in (item["assessment_method"], item["assessment_method_en"])
        if text
    )
    title = " / ".join(text for text in (item["title"], item["title_en"]) if text)
    return f"- {item['code']} {title} ({eqf}{'; ' + assessed if assessed else ''})"


def _narrative(content: dict) -> str:
    """How it was earned, in Italian and English (Markdown): the course, its
    dates, hours and attendance; each competency with its EQF level and how
    it was assessed."""
    lines = [_course_line(content["course"], lang) for lang in (0, 1)]
    lines += content.get("learning") or []
    if content["competencies"]:
        lines += ["", " / ".join(both("competencies")) + ":"]
        lines += [_competency_line(item) for item in content["competencies"]]
    return "\n".join(lines)


def _titles(content: dict) -> tuple[str, str]:
    """The course's title, and the certificate's description in both
    languages (its kind and the course)."""
    course = content["course"]
    title = course["title"]
    named = " / ".join(text for text in (title, course["title_en"]) if text)
    kind = " / ".join(content["title"])
    return title, f"{kind}: {named} ({course['code']})"


def _achievement(content: dict, *, achievement_id: str) -> dict:
    course = content["course"]
    title, description = _titles(content)
    alignments = []
    for item in content["competencies"]:
        alignments += competency_alignments(
            item,
            framework=content["issuer"]["name"],
            url=content["verification_url"],
        )
    alignments.append(eqf_alignment(course["eqf_level"]))
    return {
        "id": achievement_id,
        "type": ["Achievement"],
        "achievementType": (
            "Certificate"
            if content["kind"] == CertificateKind.COMPETENCY
            else "CertificateOfCompletion"
        ),
        "name": title,
        "description": description,
        "criteria": {"narrative": _narrative(content)},
        "humanCode": course["code"],
        "inLanguage": course["teaching_language"],
        "alignment": alignments,
        "resultDescription": [
            {
                "id": f"{achievement_id}#attendance",
                "type": ["ResultDescription"],
                "name": ATTENDANCE_NAME,
                "resultType": "Percent",
                "valueMin": "0",
                "valueMax": "100",
            }
        ],
    }


def _identifiers(content: dict, record: OpenBadgeRecord) -> list[dict]:
    """Who it was awarded to: the name as printed, and (when the holder had
    one) the email, salted and hashed."""
    identifiers = [
        {
            "type": "IdentityObject",
            "identityType": "name",
            "hashed": False,
            "identityHash": content["holder"]["name"],
        }
    ]
    if record.identity_hash:
        identifiers.append(
            {
                "type": "IdentityObject",
                "identityType": "emailAddress",
                "hashed": True,
                "identityHash": record.identity_hash,
                "salt": record.identity_salt,
            }
        )
    return identifiers


def _subject(content: dict, record: OpenBadgeRecord, *, achievement_id: str) -> dict:
    course = content["course"]
    return {
        "type": ["AchievementSubject"],
        "identifier": _identifiers(content, record),
        "activityStartDate": course["start"],
        "activityEndDate": course["end"],
        "result": [
            {
                "type": ["Result"],
                "resultDescription": f"{achievement_id}#attendance",
                "value": course["attendance_percent"],
            }
        ],
        "achievement": _achievement(content, achievement_id=achievement_id),
    }


def _issuer(content: dict) -> dict:
    issuer = content["issuer"]
    profile = {
        "id": school_id(),
        "type": ["Profile"],
        "name": issuer["name"],
        "url": issuer["url"] or school_id(),
    }
    if issuer.get("organisation"):
        profile["description"] = issuer["organisation"]
    if issuer.get("legal_identifier"):
        profile["otherIdentifier"] = [
            {
                "type": "IdentifierEntry",
                "identifier": issuer["legal_identifier"],
                "identifierType": "identifier",
            }
        ]
    return profile


def _evidence(content: dict) -> list[dict]:
    """The certificate itself as evidence: its verification page, named by its
    registration number (what the PDF and the EDC print)."""
    return [
        {
            "id": content["verification_url"],
            "type": ["Evidence"],
            "name": content["serial"],
            "description": EVIDENCE_DESCRIPTION,
            "genre": "Verification",
        }
    ]


def openbadge_build(*, certificate: Certificate) -> dict:
    """The certificate's OpenBadgeCredential (unsigned), from its printed
    content; its status-list bit is assigned on the first build."""
    content = _printed(certificate)
    record = openbadge_record(certificate=certificate)
    course = content["course"]
    achievement_id = _urn(
        school_id(), "achievement", course["code"], course["edition"], content["kind"]
    )
    title, description = _titles(content)
    credential = {
        "@context": [VC_V2_CONTEXT, OB_V3_CONTEXT],
        "id": _urn(content["verification_url"], "openbadge"),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": _issuer(content),
        "validFrom": _datetime(certificate.issued_at),
        "awardedDate": _datetime(certificate.issued_at),
        "name": title,
        "description": description,
        "credentialSubject": _subject(content, record, achievement_id=achievement_id),
        "evidence": _evidence(content),
        "credentialStatus": status_entry(
            number=record.status_list, index=record.status_index
        ),
    }
    if content.get("valid_until"):
        credential["validUntil"] = _end_of_day(content["valid_until"])
    return credential


def openbadge_jwt(*, certificate: Certificate) -> str:
    """The certificate's OpenBadgeCredential signed as a VC-JWT by the school.

    The payload is the credential with the JWT claims the VC 2.0 context
    defines: iss (the issuer's id), nbf and iat (the issue), exp (the expiry,
    if any). RS256 is deterministic: the same token on every download.
    """
    credential = openbadge_build(certificate=certificate)
    issued = int(certificate.issued_at.timestamp())
    claims = {"iss": credential["issuer"]["id"], "nbf": issued, "iat": issued}
    if "validUntil" in credential:
        until = datetime.datetime.fromisoformat(credential["validUntil"])
        claims["exp"] = int(until.timestamp())
    return vc_jwt_sign(payload=credential | claims)
