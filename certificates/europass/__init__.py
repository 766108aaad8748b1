"""Certificates as Europass Digital Credentials (ELM v3 JSON-LD, EDC generic
profile), sealed as a JWS by the school's signing key (docs/europass.md).

- build: europass_build, the credential from a certificate's printed content
- loader: the offline document loader over the vendored contexts and shapes
- validate: europass_validate, SHACL against the EDC generic profile
- seal: europass_seal, the JWS with the school's chain in x5c
- verify: europass_verify, genuine / modified / untrusted
"""

from .build import europass_build
from .seal import MEDIA_TYPE, EuropassCheck, europass_seal
from .sealed import europass_sealed
from .validate import europass_validate
from .verify import europass_verify

__all__ = [
    "MEDIA_TYPE",
    "EuropassCheck",
    "europass_build",
    "europass_seal",
    "europass_sealed",
    "europass_validate",
    "europass_verify",
]
