"""A completed edition ready for a certificate of competence: its competencies
carry the given references, its trainees a codice fiscale, the school an
accreditation (shared by the PDF kinds and the Europass tests)."""

from tests.factories import edition_completed

ACCREDITATION = "Regione Piemonte, accreditamento n. 1234/001"


def edition_referenced(*, settings, references: list[dict], given: str, family: str):
    settings.MAKERS_CERTIFICATE_ISSUER = {
        **settings.MAKERS_CERTIFICATE_ISSUER,
        "accreditation": ACCREDITATION,
    }
    edition, _, enrolments = edition_completed(trainees=2)
    for competency, values in zip(
        edition.course.competencies.order_by("code"), references, strict=True
    ):
        for field, value in values.items():
            setattr(competency, field, value)
        competency.full_clean()
        competency.save()
    for number, enrolment in enumerate(enrolments):
        trainee = enrolment.trainee
        trainee.first_name, trainee.last_name = given, f"{family}{number}"
        trainee.codice_fiscale = "RSSMRA85T10A562S"
        trainee.save()
    return edition, enrolments
