"""The three forms of a certificate always agree: the signed PDF (its text,
read back with pypdf), the Open Badge (the VC-JWT's payload, as verified) and
the Europass credential (the sealed JSON-LD, as verified) say the same name,
course title, dates, competencies (ESCO URIs and EQF levels), course EQF
level, registration number and verification URL. For a certificate of
competence and one of attendance."""

import datetime
from io import BytesIO

import pytest
from pypdf import PdfReader

from certificates import services
from certificates.content import date_text
from certificates.credentials.openbadge import openbadge_jwt
from certificates.credentials.verify import openbadge_verify
from certificates.europass import europass_sealed, europass_verify
from certificates.europass.build import SCHEME_SERIAL, SCHEME_VERIFICATION
from certificates.models import CertificateKind
from certificates.services import verification_url
from tests.factories import edition_completed

pytestmark = pytest.mark.django_db

ESCO = [
    "http://data.europa.eu/esco/skill/bf942c60-8539-4951-83ee-63f770da1cb8",
    "http://data.europa.eu/esco/skill/ccd0a1d9-afda-43d9-b901-96344886e14d",
]
EQF = "http://data.europa.eu/snb/eqf/{level}"


@pytest.fixture
def enrolment(site):
    """A trainee of a completed edition whose competencies have ESCO URIs."""
    edition, _, enrolments = edition_completed(trainees=1)
    for competency, uri in zip(
        edition.course.competencies.order_by("code"), ESCO, strict=True
    ):
        competency.esco_uri = uri
        competency.ada_code = "ADA.10.01.07"
        competency.save()
    trainee = enrolments[0].trainee
    trainee.first_name, trainee.last_name = "Niccolò", "Dell'Àcqua"
    trainee.save()
    return enrolments[0]


def _day(value: str) -> str:
    """An ISO date or date-time as its date."""
    return datetime.datetime.fromisoformat(value).date().isoformat()


def _from_pdf(certificate) -> dict:
    with certificate.pdf.open("rb") as handle:
        reader = PdfReader(BytesIO(handle.read()))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    return {"text": text, "compact": text.replace(" ", "")}


def _from_openbadge(certificate) -> dict:
    check = openbadge_verify(token=openbadge_jwt(certificate=certificate))
    assert check.valid, check
    credential = check.credential
    subject = credential["credentialSubject"]
    achievement = subject["achievement"]
    alignments = achievement["alignment"]
    (evidence,) = credential["evidence"]
    return {
        "name": next(
            item["identityHash"]
            for item in subject["identifier"]
            if item["identityType"] == "name"
        ),
        "title": achievement["name"],
        "start": subject["activityStartDate"],
        "end": subject["activityEndDate"],
        "issued": _day(credential["validFrom"]),
        "esco": [a["targetUrl"] for a in alignments if a["targetFramework"] == "ESCO"],
        "eqf": [
            a["targetUrl"]
            for a in alignments
            if a["targetFramework"].startswith("European Qualifications")
        ],
        "competencies": [
            a["targetName"]
            for a in alignments
            if a["targetFramework"] == credential["issuer"]["name"]
        ],
        "serial": evidence["name"],
        "verification_url": evidence["id"],
    }


def _identifiers(document: dict) -> dict:
    return {item["schemeName"]: item["notation"] for item in document["identifier"]}


def _from_europass(certificate) -> dict:
    check = europass_verify(europass_sealed(certificate=certificate))
    assert check.genuine and not check.violations, check
    document = check.document
    subject = document["credentialSubject"]
    claim = subject["hasClaim"]
    activity = claim.get("influencedBy") or claim
    parts = claim.get("hasPart", [])
    identifiers = _identifiers(document)
    eqf = [claim["specifiedBy"]["eqfLevel"]["id"]] if "eqfLevel" in str(claim) else []
    return {
        "name": subject["fullName"]["it"],
        "title": claim["title"]["it"],
        "title_en": claim["title"].get("en", ""),
        "start": _day(activity["temporal"]["startDate"]),
        "end": _day(activity["temporal"]["endDate"]),
        "issued": _day(document["issued"]),
        "esco": [
            part["specifiedBy"]["learningOutcome"]["relatedESCOSkill"]["id"]
            for part in parts
        ],
        "competencies": [part["title"]["it"] for part in parts],
        "competency_eqf": [part["specifiedBy"]["eqfLevel"]["id"] for part in parts],
        "eqf": eqf,
        "serial": identifiers[SCHEME_SERIAL],
        "verification_url": identifiers[SCHEME_VERIFICATION],
    }


def _agree(certificate, *, competencies: bool) -> None:
    pdf = _from_pdf(certificate)
    badge = _from_openbadge(certificate)
    edc = _from_europass(certificate)
    url = verification_url(code=certificate.verification_code)
    # Name, title, dates, registration number, verification URL: one value.
    assert badge["name"] == edc["name"] == certificate.holder_full_name
    assert certificate.holder_full_name in pdf["text"]
    assert badge["title"] == edc["title"] == certificate.course_title
    assert certificate.course_title in pdf["text"]
    if certificate.course_title_en:
        assert edc["title_en"] == certificate.course_title_en
        assert certificate.course_title_en in pdf["text"]
    for key, day in (
        ("start", certificate.edition_start),
        ("end", certificate.edition_end),
    ):
        assert badge[key] == edc[key] == day.isoformat()
        assert date_text(day) in pdf["text"]
    assert badge["issued"] == edc["issued"] == certificate.issued_on.isoformat()
    assert date_text(certificate.issued_on) in pdf["text"]
    assert badge["serial"] == edc["serial"] == certificate.serial
    assert f"Registration no. {certificate.serial}" in pdf["text"]
    assert badge["verification_url"] == edc["verification_url"] == url
    assert url in pdf["compact"]
    # Competencies: the same ESCO URIs, in order; the same EQF levels.
    expected_esco = ESCO if competencies else []
    assert badge["esco"] == edc["esco"] == expected_esco
    for uri in expected_esco:
        assert uri in pdf["compact"]
    levels = [item["eqf_level"] for item in certificate.competencies]
    assert edc["competency_eqf"] == [EQF.format(level=n) for n in levels]
    course_eqf = EQF.format(level=certificate.course_eqf_level)
    assert badge["eqf"] == [course_eqf]
    # ELM gives a learning activity no EQF level: the EDC of attendance has none.
    assert edc["eqf"] == ([course_eqf] if competencies else [])
    level = certificate.course_eqf_level
    assert f"Livello EQF {level} / EQF level {level}" in pdf["text"]
    titles = [item["title"] for item in certificate.competencies]
    assert badge["competencies"] == edc["competencies"] == titles
    for title in titles:
        assert title in pdf["text"]


def test_a_certificate_of_competence_says_the_same_in_three_forms(enrolment):
    certificate = services.certificate_issue(enrolment=enrolment, actor=None)
    assert certificate.kind == CertificateKind.COMPETENCY
    assert len(certificate.competencies) == 2
    _agree(certificate, competencies=True)


def test_a_certificate_of_attendance_says_the_same_in_three_forms(enrolment):
    certificate = services.certificate_issue(
        enrolment=enrolment, actor=None, kind=CertificateKind.ATTENDANCE
    )
    assert certificate.competencies == []
    _agree(certificate, competencies=False)
