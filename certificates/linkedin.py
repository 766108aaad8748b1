"""LinkedIn's "Add licence or certification" form, filled in for a certificate.

LinkedIn documents the link (https://www.linkedin.com/profile/add with
startTask=CERTIFICATION_NAME): the certificate's name, the issuing
organisation, the issue and expiry month, the credential id (its registration
number) and the URL where anyone verifies it. The link only opens the form on
the holder's own profile; nothing is sent to LinkedIn until they save it.
"""

from urllib.parse import urlencode

from .models import Certificate, CertificateKind, CertificateStatus

LINKEDIN_ADD_URL = "https://www.linkedin.com/profile/add"


def linkedin_certification_name(*, certificate: Certificate) -> str:
    """The course's title in the active language (Italian fallback), and the
    kind for a certificate of attendance, which certifies no competence."""
    title = certificate.localized_course_title
    if certificate.kind == CertificateKind.ATTENDANCE:
        return f"{title} ({certificate.get_kind_display()})"
    return title


def linkedin_add_url(*, certificate: Certificate, verification_url: str) -> str:
    """The link that opens LinkedIn's add-certification form, filled in; "" for a
    certificate that is no longer valid (revoked, superseded, expired)."""
    if certificate.public_status != CertificateStatus.VALID:
        return ""
    params = {
        "startTask": "CERTIFICATION_NAME",
        "name": linkedin_certification_name(certificate=certificate),
        "organizationName": certificate.issuer_name,
        "issueYear": certificate.issued_on.year,
        "issueMonth": certificate.issued_on.month,
    }
    if certificate.valid_until:
        params["expirationYear"] = certificate.valid_until.year
        params["expirationMonth"] = certificate.valid_until.month
    params["certUrl"] = verification_url
    params["certId"] = certificate.serial
    return f"{LINKEDIN_ADD_URL}?{urlencode(params)}"
