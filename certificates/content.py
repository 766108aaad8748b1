"""What a certificate says: the frozen content its PDF is drawn from.

Two kinds per course. The attestato di frequenza (attendance) says who attended
which course, when, for how many hours and with what attendance. The attestato
di competenze (competency; D.Lgs. 13/2013 art. 6, DM 30/6/2015) says, besides:
the person's codice fiscale, the issuing body with its accreditation, and each
competence with its name, the Atlante del Lavoro activity area (ADA), the
qualification, its "Livello EQF", ATECO and CP ISTAT codes, ESCO URI, how it was
learned and how it was assessed; and the registration number (the serial).

certificate_content() builds it once, at issue, as plain JSON (stored in
Certificate.printed); the renderer (certificates.pdf) draws only from it, so a
certificate re-rendered years later prints the same words whatever happened
to the course, its competencies or the school's settings since.

The document is bilingual by design: its fixed wording lives here in both
languages rather than in the translation catalogue.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from .models import Certificate, CertificateKind

CONTENT_VERSION = 1

LABELS = {
    "title": ("Attestato di competenze", "Certificate of competence"),
    "title_attendance": ("Attestato di frequenza", "Certificate of attendance"),
    "legal_basis": (
        "Rilasciato ai sensi del D.Lgs. 16 gennaio 2013, n. 13, art. 6, "
        "e del D.M. 30 giugno 2015",
        "Issued under Legislative Decree 13/2013, art. 6, "
        "and the Ministerial Decree of 30 June 2015",
    ),
    "certify": ("Si attesta che", "This is to certify that"),
    "attended": ("ha frequentato il corso", "has attended the course"),
    "codice_fiscale": ("Codice fiscale", "Tax code"),
    "code": ("Codice corso", "Course code"),
    "edition": ("Edizione", "Edition"),
    "dates": ("dal {start} al {end}", "from {start} to {end}"),
    "hours": ("{hours} ore", "{hours} hours"),
    "attendance": ("frequenza {percent}", "attendance {percent}"),
    "eqf": ("Livello EQF {level}", "EQF level {level}"),
    "eqf_short": ("Livello EQF", "EQF level"),
    "competencies": ("Competenze acquisite", "Competencies achieved"),
    "competence": ("Competenza", "Competence"),
    "ada": (
        "Repertorio: Atlante del Lavoro (ADA)",
        "Repertory: Atlante del Lavoro (ADA)",
    ),
    "qualification": ("Qualificazione", "Qualification"),
    "ateco": ("ATECO", "ATECO"),
    "cp_istat": ("CP ISTAT 2011", "CP ISTAT 2011"),
    "esco": ("ESCO", "ESCO"),
    "learning": ("Modalità di apprendimento", "How it was learned"),
    "learning_formal": (
        "apprendimento formale: corso di {hours} ore presso {venue}",
        "formal learning: a {hours}-hour course at {venue}",
    ),
    "assessment": ("Modalità di valutazione", "How it was assessed"),
    "annex": (
        "Allegato: competenze e riferimenti",
        "Annex: competencies and references",
    ),
    "issuer": ("Ente titolato", "Issuing body"),
    "accreditation": ("Accreditamento", "Accreditation"),
    "issued": ("Luogo e data di rilascio", "Place and date of issue"),
    "serial": ("N. di registrazione", "Registration no."),
    "signed": (
        "Documento firmato digitalmente dalla scuola",
        "Digitally signed by the school",
    ),
    "verify": ("Verifica l'autenticità", "Verify it"),
    "valid_until": ("Valido fino al", "Valid until"),
    "replaces": ("Sostituisce", "Replaces"),
    # The alternative text of the QR code and the logo (tagged PDF).
    "qr_alt": (
        "Codice QR: verifica questo attestato su {url}",
        "QR code: verify this certificate at {url}",
    ),
    "logo_alt": ("Logo di {name}", "Logo of {name}"),
}

# What each competency of a certificate carries (Certificate.competencies).
COMPETENCY_KEYS = (
    "code",
    "title",
    "title_en",
    "description",
    "description_en",
    "eqf_level",
    "esco_uri",
    "ada_code",
    "qualification",
    "ateco_code",
    "ateco_version",
    "cp_istat_code",
    "assessment_method",
    "assessment_method_en",
)


def date_text(value: datetime.date | str | None) -> str:
    """dd/mm/yyyy, from a date or its ISO string; "" for none."""
    if not value:
        return ""
    if isinstance(value, str):
        value = datetime.date.fromisoformat(value)
    return value.strftime("%d/%m/%Y")


def percent_text(value: Decimal | str, decimal_mark: str) -> str:
    text = f"{Decimal(value):.1f}".rstrip("0").rstrip(".")
    return text.replace(".", decimal_mark) + " %"


def both(key: str, **params) -> list[str]:
    """The label in Italian and English, formatted."""
    return [text.format(**params) for text in LABELS[key]]


def _competency(item: dict) -> dict:
    return {key: item.get(key, "") or "" for key in COMPETENCY_KEYS} | {
        "eqf_level": item.get("eqf_level")
    }


def _issuer(certificate: Certificate) -> dict:
    return {
        "name": certificate.issuer_name,
        "organisation": certificate.issuer_organisation,
        "address": certificate.issuer_address,
        "country": certificate.issuer_country,
        "legal_identifier": certificate.issuer_legal_identifier,
        "accreditation": certificate.issuer_accreditation,
        "url": certificate.issuer_url,
    }


def _course(certificate: Certificate) -> dict:
    return {
        "code": certificate.course_code,
        "title": certificate.course_title,
        "title_en": certificate.course_title_en,
        "eqf_level": certificate.course_eqf_level,
        "edition": certificate.edition_code,
        "start": certificate.edition_start.isoformat(),
        "end": certificate.edition_end.isoformat(),
        "venue": certificate.venue,
        "hours": certificate.hours,
        "attendance_percent": str(certificate.attendance_percent),
        "teaching_language": certificate.teaching_language,
    }


def certificate_content(
    *, certificate: Certificate, verification_url: str, replaces_serial: str = ""
) -> dict:
    """Everything the certificate's PDF prints, as JSON: built at issue from the
    certificate's snapshot fields, then never changed."""
    competency = certificate.kind == CertificateKind.COMPETENCY
    venue = certificate.venue.split(",")[0] if certificate.venue else ""
    return {
        "version": CONTENT_VERSION,
        "kind": certificate.kind,
        "title": both("title" if competency else "title_attendance"),
        "legal_basis": both("legal_basis") if competency else [],
        "serial": certificate.serial,
        "holder": {
            "name": certificate.holder_full_name,
            "codice_fiscale": certificate.holder_codice_fiscale if competency else "",
        },
        "issuer": _issuer(certificate),
        "course": _course(certificate),
        "learning": both("learning_formal", hours=certificate.hours, venue=venue)
        if competency
        else [],
        "competencies": [_competency(item) for item in certificate.competencies]
        if competency
        else [],
        "place_of_issue": certificate.place_of_issue,
        "issued_on": certificate.issued_on.isoformat(),
        "valid_until": (
            certificate.valid_until.isoformat() if certificate.valid_until else None
        ),
        "replaces": replaces_serial or None,
        "verification_url": verification_url,
    }
