"""The school's signing key, loaded once per process and kept.

pyHanko's SimpleSigner would parse the private key again for every signature;
the signer here keeps the parsed key (sign_raw, the method a Signer subclass
provides). The key reaches pyHanko through its public loader
(pyhanko.keys.load_private_key_from_pemder_data).
"""

import hashlib
import threading
from dataclasses import dataclass, field
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from django.conf import settings
from pyhanko.keys import load_private_key_from_pemder_data
from pyhanko.sign import signers
from pyhanko.sign.general import get_pyca_cryptography_hash
from pyhanko_certvalidator.registry import SimpleCertificateStore

from ..exceptions import refuse
from .ltv import LtvSources, ltv_sources


class _KeptKeySigner(signers.SimpleSigner):
    """A SimpleSigner that parses its RSA key once, not on every signature."""

    def __init__(self, *args, pyca_key, **kwargs):
        super().__init__(*args, **kwargs)
        self._pyca_key = pyca_key

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
        try:
            algorithm = mechanism.signature_algo
        except ValueError:
            algorithm = mechanism["algorithm"].native
        if algorithm == "rsassa_pkcs1v15" and isinstance(
            self._pyca_key, rsa.RSAPrivateKey
        ):
            return self._pyca_key.sign(
                data, padding.PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm)
            )
        return super().sign_raw(data, digest_algorithm)


@dataclass
class SigningKey:
    """The loaded key: the signer and the certificates that identify the school."""

    signer: signers.SimpleSigner
    certificate: asn1_x509.Certificate
    trust_roots: list[asn1_x509.Certificate] = field(default_factory=list)
    # The room pyHanko reserved in the PDF for the first signature by this key
    # (its own estimate), given to the next ones (signing.sign); None until then.
    bytes_reserved: int | None = None
    # Timestamps and validation data (PAdES B-LTA); None: PAdES B-B.
    ltv: LtvSources | None = None

    @property
    def public_key_sha256(self) -> str:
        return hashlib.sha256(self.certificate.public_key.dump()).hexdigest()

    @property
    def subject(self) -> str:
        return self.certificate.subject.human_friendly


_cache: dict[tuple, SigningKey] = {}
_cache_lock = threading.Lock()


def _passphrase() -> bytes | None:
    value = settings.MAKERS_SIGNING_PASSPHRASE
    if value:
        return value.encode()
    passphrase_file = getattr(settings, "MAKERS_SIGNING_PASSPHRASE_FILE", None)
    if passphrase_file and Path(passphrase_file).exists():
        return Path(passphrase_file).read_text().strip().encode()
    return None


def signing_configured() -> bool:
    path = settings.MAKERS_SIGNING_P12
    return bool(path) and Path(path).is_file()


def _asn1(certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(
        certificate.public_bytes(serialization.Encoding.DER)
    )


def _signing_key_read(path: Path, passphrase: bytes | None) -> SigningKey:
    """The PKCS#12 file as a SigningKey (CertificateError when unreadable)."""
    try:
        key, cert, others = pkcs12.load_key_and_certificates(
            path.read_bytes(), passphrase
        )
    except (ValueError, TypeError):
        raise refuse("signing_key_unreadable", path=str(path)) from None
    if key is None or cert is None:
        raise refuse("signing_key_unreadable", path=str(path))
    certificate = _asn1(cert)
    chain = [_asn1(other) for other in others or []]
    # The self-signed certificates of the chain are the roots a verifier trusts.
    roots = [c for c in chain if c.self_signed] or chain or [certificate]
    registry = SimpleCertificateStore()
    registry.register_multiple(chain)
    private_key_der = key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    signer = _KeptKeySigner(
        signing_cert=certificate,
        signing_key=load_private_key_from_pemder_data(private_key_der, None),
        cert_registry=registry,
        pyca_key=key,
    )
    return SigningKey(
        signer=signer,
        certificate=certificate,
        trust_roots=roots,
        ltv=ltv_sources(
            key_path=path, passphrase=passphrase, trust_roots=roots, chain=chain
        ),
    )


def signing_key_load() -> SigningKey:
    """The school's key, loaded once per process (again if the file changes).

    Raises CertificateError when no key is configured or it cannot be opened:
    nothing is issued without the school's signature.
    """
    path = settings.MAKERS_SIGNING_P12
    if not path:
        raise refuse("signing_not_configured")
    path = Path(path)
    try:
        stat = path.stat()
    except OSError:
        raise refuse("signing_not_configured") from None
    passphrase = _passphrase()
    cache_key = (
        str(path),
        stat.st_mtime_ns,
        stat.st_size,
        passphrase,
        settings.MAKERS_TSA_URL,
    )
    with _cache_lock:
        if cache_key not in _cache:
            loaded = _signing_key_read(path, passphrase)
            _cache.clear()
            _cache[cache_key] = loaded
        return _cache[cache_key]
