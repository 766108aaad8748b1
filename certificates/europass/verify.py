"""Checking a sealed EDC (certificates.europass.seal): signature, chain, key."""

import base64
import binascii
import hashlib
import json

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from django.utils.translation import gettext as _
from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import ECKey, RSAKey

from ..signing import SigningKey, signing_key_load
from .build import SCHEME_SERIAL
from .seal import EuropassCheck, registry
from .validate import europass_validate

MAX_CHAIN = 8


def _der_sha256(certificate: x509.Certificate) -> str:
    return hashlib.sha256(
        certificate.public_bytes(serialization.Encoding.DER)
    ).hexdigest()


def _x5c(header: dict) -> list[x509.Certificate]:
    values = header.get("x5c")
    if not isinstance(values, list) or not values or len(values) > MAX_CHAIN:
        raise ValueError("no x5c chain")
    return [x509.load_der_x509_certificate(base64.b64decode(v)) for v in values]


def _public_jwk(certificate: x509.Certificate):
    pem = certificate.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    try:
        return RSAKey.import_key(pem)
    except (ValueError, TypeError, JoseError):
        return ECKey.import_key(pem)


def _chain_trusted(chain: list[x509.Certificate], key: SigningKey) -> bool:
    """Each certificate issued by the next, the last one a trust anchor or
    issued by one."""
    anchors = [x509.load_der_x509_certificate(root.dump()) for root in key.trust_roots]
    anchor_digests = {_der_sha256(root) for root in anchors}
    try:
        for child, parent in zip(chain, chain[1:], strict=False):
            child.verify_directly_issued_by(parent)
        last = chain[-1]
        if _der_sha256(last) in anchor_digests:
            return True
        for root in anchors:
            try:
                last.verify_directly_issued_by(root)
                return True
            except (ValueError, TypeError, InvalidSignature):
                continue
    except (ValueError, TypeError, InvalidSignature):
        return False
    return False


def _same_key(leaf: x509.Certificate, key: SigningKey) -> bool:
    leaf_key = leaf.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return hashlib.sha256(leaf_key).hexdigest() == key.public_key_sha256


def _opened(jws_bytes: bytes) -> tuple[list[x509.Certificate], bytes]:
    """(the x5c chain, the payload) of a JWS whose signature checks with the
    chain's first certificate; raises ValueError, JoseError... otherwise."""
    token = jws_bytes.decode("ascii").strip()
    header = jws.extract_compact(token.encode(), registry=registry()).protected
    chain = _x5c(header)
    signed = jws.deserialize_compact(token, _public_jwk(chain[0]), registry=registry())
    return chain, signed.payload


def _content(check: EuropassCheck, payload: bytes) -> None:
    """The document, its serial and its SHACL violations, into the check."""
    try:
        document = json.loads(payload)
    except ValueError:
        document = None
    if not isinstance(document, dict):
        check.errors.append(_("The content is not a JSON-LD credential."))
        return
    check.document = document
    if check.by_school:  # a stranger's file is not worth a SHACL run
        check.violations = europass_validate(document)
    identifiers = document.get("identifier")
    for item in identifiers if isinstance(identifiers, list) else []:
        if isinstance(item, dict) and item.get("schemeName") == SCHEME_SERIAL:
            check.serial = str(item.get("notation", ""))


def europass_verify(
    jws_bytes: bytes, *, key: SigningKey | None = None
) -> EuropassCheck:
    """Is this sealed EDC genuine: intact, chained to the school's trust anchor
    and signed with the school's key? Never raises on a hostile file."""
    check = EuropassCheck()
    try:
        chain, payload = _opened(jws_bytes)
    except (UnicodeDecodeError, ValueError, TypeError, binascii.Error, JoseError):
        check.errors.append(_("The signature does not match the content."))
        return check
    check.intact = True
    check.signer = chain[0].subject.rfc4514_string()
    key = key or signing_key_load()
    check.trusted = _chain_trusted(chain, key)
    check.by_school = check.trusted and _same_key(chain[0], key)
    if not check.by_school:
        check.errors.append(_("It was not sealed by the school."))
    _content(check, payload)
    return check
