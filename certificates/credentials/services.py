"""Writes: a certificate's Open Badge record, made once, the first time its
credential is built.

The record holds the certificate's bit in the school's Bitstring Status List,
chosen at random among the free ones of the current list (the spec's advice: an
index says nothing of when or to whom it was given), and the salted hash of the
holder's email as it is at that moment.
"""

from __future__ import annotations

import hashlib
import secrets

from django.db import IntegrityError, transaction

from ..models import Certificate
from .models import STATUS_LIST_BITS, OpenBadgeRecord

# A list takes records until half its bits are used, then the next list starts:
# a random free bit is then found in a try or two.
STATUS_LIST_FILL = STATUS_LIST_BITS // 2
_ATTEMPTS = 20


def identity_hash(*, identity: str, salt: str) -> str:
    """An Open Badges IdentityObject hash: "sha256$" and the hex SHA-256 of the
    identity followed by the salt."""
    return "sha256$" + hashlib.sha256(f"{identity}{salt}".encode()).hexdigest()


def _identity(certificate: Certificate) -> tuple[str, str]:
    holder = certificate.holder
    email = (getattr(holder, "email", "") or "").strip()
    if not email:
        return "", ""
    salt = secrets.token_hex(8)
    return salt, identity_hash(identity=email, salt=salt)


def openbadge_record(*, certificate: Certificate) -> OpenBadgeRecord:
    """The certificate's record, made on first use: a free random bit of the
    current status list and the hashed email. Two concurrent first uses end
    with one record (the database holds one per certificate and one per bit)."""
    existing = OpenBadgeRecord.objects.filter(certificate=certificate).first()
    if existing is not None:
        return existing
    salt, hashed = _identity(certificate)
    for _attempt in range(_ATTEMPTS):
        status_list = 1 + OpenBadgeRecord.objects.count() // STATUS_LIST_FILL
        try:
            with transaction.atomic():
                return OpenBadgeRecord.objects.create(
                    certificate=certificate,
                    status_list=status_list,
                    status_index=secrets.randbelow(STATUS_LIST_BITS),
                    identity_salt=salt,
                    identity_hash=hashed,
                )
        except IntegrityError:
            existing = OpenBadgeRecord.objects.filter(certificate=certificate).first()
            if existing is not None:
                return existing
    raise RuntimeError("No free status list bit found.")
