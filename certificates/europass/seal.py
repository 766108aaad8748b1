"""The EDC sealed by the school: a compact JWS over the JSON-LD, signed with the
school's signing key (certificates.signing), its certificate chain in the
header's `x5c` (base64 DER, the school's certificate first).

europass_verify() says whether a sealed file is genuine: the signature checks
with the x5c leaf, each certificate of the chain is issued by the next, the
chain ends at the school's trust anchor (the configured signing chain's root),
and the leaf carries the school's own key.
"""

import base64
import json
from dataclasses import dataclass, field

from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from joserfc import jws
from joserfc.jwk import ECKey, RSAKey
from joserfc.jws import JWSRegistry

from ..signing import SigningKey, signing_key_load

MEDIA_TYPE = "application/jose"
CONTENT_TYPE = "application/ld+json"
EC_ALGORITHMS = {"secp256r1": "ES256", "secp384r1": "ES384", "secp521r1": "ES512"}
ALGORITHMS = ("RS256", "ES256", "ES384", "ES512")


class SealRegistry(JWSRegistry):
    """joserfc's limits, widened for an EDC: a header with a certificate chain
    and a payload with the credential's display images."""

    max_header_length = 32 * 1024
    max_payload_length = 4 * 1024 * 1024
    max_signature_length = 2048


def registry() -> SealRegistry:
    return SealRegistry(algorithms=list(ALGORITHMS))


@dataclass
class EuropassCheck:
    """What a verifier learns from a sealed EDC."""

    intact: bool = False  # the signature checks with the x5c leaf
    trusted: bool = False  # the chain leads to the school's trust anchor
    by_school: bool = False  # ...and the leaf carries the school's key
    document: dict | None = None
    signer: str = ""
    serial: str = ""  # the registration number the credential names
    errors: list[str] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)  # europass_validate

    @property
    def genuine(self) -> bool:
        return self.intact and self.trusted and self.by_school

    @property
    def verdict(self) -> str:
        """ "genuine", "modified" (the signature fails) or "untrusted"."""
        if self.genuine:
            return "genuine"
        return "untrusted" if self.intact else "modified"


def _private_key(key: SigningKey):
    return serialization.load_der_private_key(key.signer.signing_key.dump(), None)


def _chain(key: SigningKey) -> list[asn1_x509.Certificate]:
    """The school's certificate, then each issuer up to a self-signed root."""
    chain = [key.certificate]
    known = list(key.signer.cert_registry) + list(key.trust_roots)
    while not chain[-1].self_issued and len(chain) < 8:
        issuer = chain[-1].issuer
        parent = next((c for c in known if c.subject == issuer), None)
        if parent is None:
            break
        chain.append(parent)
    return chain


def _algorithm(private_key) -> tuple[str, object]:
    if isinstance(private_key, rsa.RSAPrivateKey):
        return "RS256", RSAKey.import_key(private_key)
    if isinstance(private_key, ec.EllipticCurvePrivateKey):
        pem = private_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        return EC_ALGORITHMS[private_key.curve.name], ECKey.import_key(pem)
    raise ValueError(f"Unsupported signing key type: {type(private_key).__name__}")


def payload_bytes(document: dict) -> bytes:
    return json.dumps(
        document, ensure_ascii=False, sort_keys=True, separators=(",", ":")
    ).encode()


# The JOSE form of each signing key, by its public key's digest: parsing the
# PKCS#8 key (with its RSA consistency check) cost more than the seal itself.
_jwk_cache: dict[str, tuple[str, object]] = {}


def _jwk(key: SigningKey) -> tuple[str, object]:
    cached = _jwk_cache.get(key.public_key_sha256)
    if cached is None:
        cached = _jwk_cache[key.public_key_sha256] = _algorithm(_private_key(key))
    return cached


def europass_seal(*, document: dict, key: SigningKey | None = None) -> bytes:
    """The document as a compact JWS signed by the school's key."""
    key = key or signing_key_load()
    algorithm, jwk = _jwk(key)
    header = {
        "alg": algorithm,
        "typ": "JOSE",
        "cty": CONTENT_TYPE,
        "x5c": [base64.b64encode(cert.dump()).decode() for cert in _chain(key)],
    }
    token = jws.serialize_compact(
        header, payload_bytes(document), jwk, registry=registry()
    )
    return token.encode()
