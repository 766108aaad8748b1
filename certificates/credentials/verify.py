"""Checking an Open Badge VC-JWT: the school's signature (with the published
JWK Set), the validity period, and the status list it points at.

The project verifies its own badges with what anyone else would use: the JWK
Set and the status list as they are published. Both may be given (a test
passes what it fetched over HTTP); by default they are built here, as the
views publish them, without a request to the site itself.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.urls import Resolver404, resolve
from django.utils import timezone

from .jose import jwt_header, school_jwks, vc_jwt_payload, vc_jwt_sign
from .status import (
    bit_is_set,
    bits_decode,
    revoked_indexes,
    school_id,
    status_list_credential,
    status_list_exists,
)

StatusFetch = Callable[[str], "str | None"]


@dataclass
class OpenBadgeCheck:
    """What a verifier learns of a VC-JWT. `status`: valid, revoked, or
    unknown (no status entry, or its list could not be read and verified)."""

    signature_valid: bool = False
    kid: str = ""
    issuer: str = ""
    credential: dict | None = None
    in_validity: bool = False
    status: str = "unknown"
    error: str = ""

    @property
    def genuine(self) -> bool:
        return self.signature_valid and not self.error

    @property
    def valid(self) -> bool:
        return self.genuine and self.in_validity and self.status == "valid"


def status_list_local(url: str) -> str | None:
    """The school's own status list at `url`, signed, as the view serves it;
    None for a URL that is not one of the school's lists."""
    if not url.startswith(school_id()):
        return None
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return None
    if match.view_name != "credentials:status_list":
        return None
    number = match.kwargs["number"]
    if not status_list_exists(number=number):
        return None
    indexes = revoked_indexes(number=number)
    return vc_jwt_sign(payload=status_list_credential(number=number, indexes=indexes))


def _moment(value: str | None) -> datetime.datetime | None:
    if not value:
        return None
    return datetime.datetime.fromisoformat(value)


def _in_validity(credential: dict, now: datetime.datetime) -> bool:
    try:
        valid_from = _moment(credential.get("validFrom"))
        valid_until = _moment(credential.get("validUntil"))
    except (TypeError, ValueError):
        return False
    if valid_from is None or valid_from > now:
        return False
    return valid_until is None or now <= valid_until


def entry_of(credential: dict) -> dict | None:
    entries = credential.get("credentialStatus") or []
    if isinstance(entries, dict):
        entries = [entries]
    for entry in entries:
        if (
            isinstance(entry, dict)
            and entry.get("type") == "BitstringStatusListEntry"
            and entry.get("statusPurpose") == "revocation"
        ):
            return entry
    return None


def _status(credential: dict, *, jwks: dict, fetch: StatusFetch) -> str:
    """valid or revoked, from the entry's bit in its (verified) list; unknown
    when there is no entry or the list cannot be had or trusted."""
    entry = entry_of(credential)
    if entry is None:
        return "unknown"
    try:
        token = fetch(entry["statusListCredential"])
        if not token:
            return "unknown"
        status_list = vc_jwt_payload(token=token, jwks=jwks)
        subject = status_list["credentialSubject"]
        if "BitstringStatusListCredential" not in status_list.get("type", []) or (
            subject.get("statusPurpose") != entry["statusPurpose"]
        ):
            return "unknown"
        bits = bits_decode(subject["encodedList"])
        revoked = bit_is_set(bits, int(entry["statusListIndex"]))
    except (KeyError, TypeError, ValueError, OSError, EOFError):
        return "unknown"
    return "revoked" if revoked else "valid"


def _issuer_id(credential: dict) -> str:
    issuer = credential.get("issuer")
    return issuer.get("id", "") if isinstance(issuer, dict) else str(issuer or "")


def openbadge_verify(
    *,
    token: str,
    jwks: dict | None = None,
    status_fetch: StatusFetch | None = None,
    now: datetime.datetime | None = None,
) -> OpenBadgeCheck:
    """Verify a VC-JWT: signed by a key of the JWK Set (its kid there), an
    OpenBadgeCredential whose `iss` is its issuer, within its validity, and
    not revoked in its status list."""
    jwks = jwks or school_jwks()
    check = OpenBadgeCheck(kid=str(jwt_header(token).get("kid", "")))
    try:
        credential = vc_jwt_payload(token=token, jwks=jwks)
    except ValueError as error:
        check.error = str(error)
        return check
    check.signature_valid, check.credential = True, credential
    check.issuer = _issuer_id(credential)
    if "OpenBadgeCredential" not in credential.get("type", []):
        check.error = "not_openbadge"
    elif credential.get("iss", check.issuer) != check.issuer:
        check.error = "iss_mismatch"
    check.in_validity = _in_validity(credential, now or timezone.now())
    check.status = _status(
        credential, jwks=jwks, fetch=status_fetch or status_list_local
    )
    return check
