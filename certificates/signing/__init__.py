"""The school's signature on certificates (PAdES, pyHanko) and its verification.

The key is a PKCS#12 file (MAKERS_SIGNING_P12) opened with MAKERS_SIGNING_PASSPHRASE;
in development `manage.py certificates_signing_key --dev` creates one, signed by a
development PKI, in var/signing/ with its passphrase beside it. Signatures are
PAdES B-LTA: timestamped by MAKERS_TSA_URL (in development, the development
PKI's own timestamp authority), with their validation data in a DSS and a
document timestamp over it; without a timestamp authority, PAdES B-B.

- keys: the school's key, loaded once per process (signing_key_load)
- ltv: where timestamps and validation data come from (LtvSources)
- sign: signing a PDF (pdf_sign) and the digest of what was signed
- archive: archival re-timestamping (pdf_archive_timestamp)
- check: what a verifier learns from an uploaded PDF (pdf_signature_check)
- dev_pki: the development CA, key, timestamp authority and CRL

Only pyHanko's public API is used (pyhanko.keys, pyhanko.sign).
"""

from .check import (
    UPLOAD_DECODE_LIMITS,
    UPLOAD_MAX_OBJECTS,
    SignatureReport,
    pdf_signature_check,
    pdf_structure_refusal,
)
from .dev_pki import (
    DEV_CA_NAME,
    DEV_P12_NAME,
    DEV_PASSPHRASE_NAME,
    dev_pki_complete,
    dev_signing_key_create,
)
from .keys import SigningKey, signing_configured, signing_key_load
from .sign import (
    SIGNATURE_FIELD,
    SIGNED_PRODUCER,
    pdf_sign,
    pdf_signed_digest,
    signed_revision_digest,
)

__all__ = [
    "DEV_CA_NAME",
    "DEV_P12_NAME",
    "DEV_PASSPHRASE_NAME",
    "SIGNATURE_FIELD",
    "SIGNED_PRODUCER",
    "UPLOAD_DECODE_LIMITS",
    "UPLOAD_MAX_OBJECTS",
    "SignatureReport",
    "SigningKey",
    "dev_pki_complete",
    "dev_signing_key_create",
    "pdf_sign",
    "pdf_signature_check",
    "pdf_signed_digest",
    "pdf_structure_refusal",
    "signed_revision_digest",
    "signing_configured",
    "signing_key_load",
]
