"""The school's key for JOSE: a JWK, the published JWK Set, VC-JWT signing.

The key is the one that signs the PDFs (certificates.signing, a PKCS#12 file):
RSA signs RS256, an EC key ES256/ES384/ES512 by its curve. Its key id is the
RFC 7638 thumbprint, so it changes only with the key. The JWK Set carries the
X.509 certificate chain (x5c) that ties the key to the school.
"""

from __future__ import annotations

import base64
import json
import threading
from dataclasses import dataclass

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from joserfc import jws
from joserfc.jwk import ECKey, KeySet, RSAKey

from ..signing import SigningKey, signing_key_load

VC_JWT_TYPE = "vc+jwt"
ALGORITHMS = ("RS256", "ES256", "ES384", "ES512")
_EC_ALGORITHMS = {"secp256r1": "ES256", "secp384r1": "ES384", "secp521r1": "ES512"}


@dataclass(frozen=True)
class SchoolJwk:
    """The school's private key as a JWK, with its algorithm and key id."""

    key: RSAKey | ECKey
    alg: str
    kid: str
    x5c: tuple[str, ...] = ()

    def public_jwk(self) -> dict:
        jwk = self.key.as_dict(private=False)
        jwk.update({"kid": self.kid, "alg": self.alg, "use": "sig"})
        if self.x5c:
            jwk["x5c"] = list(self.x5c)
        return jwk


def jwk_from_private_key(private_key, *, x5c: tuple[str, ...] = ()) -> SchoolJwk:
    """A SchoolJwk of a cryptography private key (RSA or EC)."""
    if isinstance(private_key, rsa.RSAPrivateKey):
        key, alg = RSAKey.import_key(private_key), "RS256"
    elif isinstance(private_key, ec.EllipticCurvePrivateKey):
        pem = private_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        key, alg = ECKey.import_key(pem), _EC_ALGORITHMS[private_key.curve.name]
    else:
        raise TypeError(f"No JOSE algorithm for {type(private_key).__name__}.")
    return SchoolJwk(key=key, alg=alg, kid=key.thumbprint(), x5c=x5c)


_jwks: dict[str, SchoolJwk] = {}
_lock = threading.Lock()


def _school_jwk_of(signing_key: SigningKey) -> SchoolJwk:
    private_key = serialization.load_der_private_key(
        signing_key.signer.signing_key.dump(), password=None
    )
    chain = [signing_key.certificate] + [
        root for root in signing_key.trust_roots if root != signing_key.certificate
    ]
    x5c = tuple(base64.b64encode(cert.dump()).decode("ascii") for cert in chain)
    return jwk_from_private_key(private_key, x5c=x5c)


def school_jwk() -> SchoolJwk:
    """The school's key as a JWK, made once per loaded signing key."""
    signing_key = signing_key_load()
    fingerprint = signing_key.public_key_sha256
    with _lock:
        if fingerprint not in _jwks:
            _jwks.clear()
            _jwks[fingerprint] = _school_jwk_of(signing_key)
        return _jwks[fingerprint]


def school_jwks() -> dict:
    """The JWK Set the school publishes: its public key (no private part)."""
    return {"keys": [school_jwk().public_jwk()]}


def vc_jwt_sign(*, payload: dict, jwk: SchoolJwk | None = None) -> str:
    """The payload (a credential) as a compact JWS: typ vc+jwt, the key's alg
    and kid in the protected header."""
    jwk = jwk or school_jwk()
    header = {"alg": jwk.alg, "kid": jwk.kid, "typ": VC_JWT_TYPE}
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    return jws.serialize_compact(header, body.encode("utf-8"), jwk.key, [jwk.alg])


def jwt_header(token: str) -> dict:
    """The protected header of a compact JWS, unverified ({} when unreadable)."""
    try:
        head = token.split(".", 1)[0]
        return json.loads(base64.urlsafe_b64decode(head + "=" * (-len(head) % 4)))
    except (ValueError, UnicodeDecodeError):
        return {}


def vc_jwt_payload(*, token: str, jwks: dict) -> dict:
    """The verified payload of a VC-JWT signed by a key of the JWK Set.

    Raises ValueError when the header is not a VC-JWT's, its kid is not in the
    set, or the signature does not verify.
    """
    header = jwt_header(token)
    if header.get("typ") != VC_JWT_TYPE or header.get("alg") not in ALGORITHMS:
        raise ValueError("not_vc_jwt")
    kids = {key.get("kid") for key in jwks.get("keys", [])}
    if header.get("kid") not in kids:
        raise ValueError("unknown_kid")
    key_set = KeySet.import_key_set(
        {"keys": [_public_only(key) for key in jwks["keys"]]}
    )
    try:
        signed = jws.deserialize_compact(token, key_set, [header["alg"]])
    except Exception as error:  # noqa: BLE001 - joserfc's errors, and bad input
        raise ValueError("bad_signature") from error
    return json.loads(signed.payload)


def _public_only(jwk: dict) -> dict:
    """The JWK without what joserfc does not import (x5c, use)."""
    return {k: v for k, v in jwk.items() if k not in ("x5c",)}
