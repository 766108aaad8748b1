"""Checking an uploaded credential file: an Open Badge (VC-JWT) or a sealed
Europass Digital Credential (JWS), told apart by their header.

The answer says whether the file is genuine (the school's signature holds) or
modified, who issued it, which certificate it is and that certificate's status.
The status is the worse of what the credential says and what the school
records: an Open Badge's bit in the school's own status list (read locally,
never over the network) and the certificate found through its status-list
entry; a Europass credential's registration number and the certificate with
that serial. A revoked certificate's credential is never "valid".
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.urls import Resolver404, resolve

from ..europass import europass_verify
from ..exceptions import CertificateError
from ..models import Certificate
from .models import OpenBadgeRecord
from .verify import entry_of, openbadge_verify

OPENBADGE = "openbadge"
EUROPASS = "europass"
# Worst first: the status a check shows when two sources disagree.
_SEVERITY = ("revoked", "superseded", "expired", "unknown", "valid")


@dataclass
class CredentialCheck:
    """What an upload of a credential file tells."""

    kind: str = ""  # openbadge / europass; "" when the file is neither
    verdict: str = "unreadable"  # genuine / modified / untrusted / unreadable
    issuer: str = ""  # the issuer's id as the credential gives it
    issuer_name: str = ""
    signer: str = ""
    status: str = "unknown"  # valid / revoked / superseded / expired / unknown
    certificate: Certificate | None = None
    errors: list[str] = field(default_factory=list)

    @property
    def genuine(self) -> bool:
        return self.verdict == "genuine"

    @property
    def valid(self) -> bool:
        return self.genuine and self.status == "valid"


def _b64_json(part: str) -> dict | None:
    try:
        value = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    except (ValueError, binascii.Error):
        return None
    return value if isinstance(value, dict) else None


def credential_kind(content: bytes) -> str:
    """openbadge (a VC-JWT: a JWT with a kid), europass (a JWS with an x5c
    chain), or "" for anything else."""
    try:
        text = content.decode("ascii").strip()
    except UnicodeDecodeError:
        return ""
    parts = text.split(".")
    if len(parts) != 3:
        return ""
    header = _b64_json(parts[0])
    if header is None:
        return ""
    if "x5c" in header:
        return EUROPASS
    if "kid" in header:
        return OPENBADGE
    return ""


def _worst(*statuses: str) -> str:
    return min(statuses, key=_SEVERITY.index)


def _openbadge_certificate(credential: dict) -> Certificate | None:
    entry = entry_of(credential)
    if entry is None:
        return None
    try:
        match = resolve(urlsplit(str(entry["statusListCredential"])).path)
        record = OpenBadgeRecord.objects.select_related("certificate").get(
            status_list=int(match.kwargs["number"]),
            status_index=int(entry["statusListIndex"]),
        )
    except (Resolver404, KeyError, TypeError, ValueError):
        return None
    except OpenBadgeRecord.DoesNotExist:
        return None
    return record.certificate


def _check_openbadge(content: bytes, check: CredentialCheck) -> None:
    result = openbadge_verify(token=content.decode("ascii").strip())
    if not result.signature_valid:
        check.verdict = "modified"
        return
    check.issuer = result.issuer
    issuer = (result.credential or {}).get("issuer")
    if isinstance(issuer, dict):
        check.issuer_name = str(issuer.get("name", ""))
    if result.error:
        check.verdict = "untrusted"
        return
    check.verdict = "genuine"
    certificate = _openbadge_certificate(result.credential or {})
    check.certificate = certificate
    # The list has one bit for "no longer valid": the record says which.
    listed = result.status
    if (
        listed == "revoked"
        and certificate is not None
        and (certificate.public_status in ("revoked", "superseded"))
    ):
        listed = certificate.public_status
    statuses = [listed, "valid" if result.in_validity else "expired"]
    if certificate is not None:
        statuses.append(certificate.public_status)
    check.status = _worst(*statuses)


def _check_europass(content: bytes, check: CredentialCheck) -> None:
    result = europass_verify(content)
    check.verdict, check.signer = result.verdict, result.signer
    check.errors.extend(result.errors)
    if not result.genuine:
        return
    issuer = (result.document or {}).get("issuer")
    if isinstance(issuer, dict):
        check.issuer = str(issuer.get("id", ""))
        names = issuer.get("altLabel") or issuer.get("legalName") or {}
        if isinstance(names, dict) and names:
            check.issuer_name = str(next(iter(names.values())))
    certificate = (
        Certificate.objects.filter(serial=result.serial).first()
        if result.serial
        else None
    )
    check.certificate = certificate
    check.status = certificate.public_status if certificate else "unknown"


def credential_check(*, content: bytes) -> CredentialCheck:
    """Check an uploaded Open Badge or Europass file; never raises on a
    hostile one (an unreadable file is `unreadable`, a broken signature
    `modified`, a stranger's `untrusted`)."""
    check = CredentialCheck(kind=credential_kind(content))
    try:
        if check.kind == OPENBADGE:
            _check_openbadge(content, check)
        elif check.kind == EUROPASS:
            _check_europass(content, check)
    except (CertificateError, UnicodeDecodeError, ValueError, TypeError) as error:
        check.verdict, check.certificate, check.status = "unreadable", None, "unknown"
        check.errors.append(str(error))
    return check
