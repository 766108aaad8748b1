"""The school's Bitstring Status List (W3C Bitstring Status List v1.0).

Each list is a credential (BitstringStatusListCredential) whose subject holds
131,072 bits, GZIP-compressed and base64url-encoded (multibase "u"): bit i set
means the certificate whose Open Badge points at index i is revoked (or
superseded: no longer valid either way). The list is built from the database
at each request, so a revocation shows at once and nothing can be stale; it is
signed as a VC-JWT by the same key as the badges.
"""

from __future__ import annotations

import base64
import gzip
from collections.abc import Iterable

from django.urls import reverse
from django.utils import timezone

from core.emails import site_url

from ..models import CertificateStatus
from .loader import VC_V2_CONTEXT
from .models import STATUS_LIST_BITS, OpenBadgeRecord

STATUS_PURPOSE = "revocation"


def school_id() -> str:
    """The school's identifier as an issuer: its site's root URL, where the JWK
    Set and the status lists are published."""
    return site_url("/")


def status_list_url(*, number: int) -> str:
    return site_url(reverse("credentials:status_list", args=[number]))


def bits_encode(indexes: Iterable[int], *, size: int = STATUS_LIST_BITS) -> str:
    """The bitstring with these bits set (bit 0 the first byte's most
    significant), GZIP-compressed, base64url without padding, multibase "u"."""
    bits = bytearray(size // 8)
    for index in indexes:
        bits[index // 8] |= 0x80 >> (index % 8)
    packed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(packed).decode("ascii").rstrip("=")


def bits_decode(encoded: str) -> bytes:
    """The bitstring of an encodedList (ValueError when it is not one)."""
    if not encoded.startswith("u"):
        raise ValueError("not_multibase_base64url")
    body = encoded[1:]
    return gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))


def bit_is_set(bits: bytes, index: int) -> bool:
    if not 0 <= index < len(bits) * 8:
        raise ValueError("index_out_of_range")
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def revoked_indexes(*, number: int) -> list[int]:
    """The bits set in the list: certificates no longer valid. One query."""
    return list(
        OpenBadgeRecord.objects.filter(status_list=number)
        .exclude(certificate__status=CertificateStatus.VALID)
        .values_list("status_index", flat=True)
    )


def status_list_exists(*, number: int) -> bool:
    """List 1 always exists; a later one once a record points into it."""
    return number == 1 or OpenBadgeRecord.objects.filter(status_list=number).exists()


def status_list_credential(*, number: int, indexes: Iterable[int]) -> dict:
    """The BitstringStatusListCredential of list `number` with these bits set,
    valid from now."""
    url = status_list_url(number=number)
    now = timezone.localtime(timezone.now()).replace(microsecond=0)
    return {
        "@context": [VC_V2_CONTEXT],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": school_id(),
        "validFrom": now.isoformat(),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": STATUS_PURPOSE,
            "encodedList": bits_encode(indexes),
        },
    }


def status_entry(*, number: int, index: int) -> dict:
    """A credential's credentialStatus: its bit in list `number`."""
    url = status_list_url(number=number)
    return {
        "id": f"{url}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": STATUS_PURPOSE,
        "statusListIndex": str(index),
        "statusListCredential": url,
    }
