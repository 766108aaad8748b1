"""The development PKI: a CA, the school's signing certificate and a timestamp
authority it issued (PKCS#12 each), and the CA's CRL.

The same shape as a production PKI, so the demo's certificates are PAdES B-LTA
offline: the timestamp authority signs in process (signing.ltv), the CRL is
embedded directly (never fetched). For development and tests only
(`manage.py certificates_signing_key --dev`, the test fixtures): never a
production key.
"""

import datetime
import fcntl
import os
import secrets
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.conf import settings

_YEAR = datetime.timedelta(days=365)
# The development certificates and CRL take effect five years before they are
# made: a B-LTA signature validates its certificate when signing, and tests
# (and demos) that travel back in time still sign.
_BACKDATED = 5 * _YEAR

DEV_P12_NAME = "dev-signing.p12"
DEV_PASSPHRASE_NAME = "dev-signing.passphrase"  # noqa: S105  # nosec B105 - a file name
DEV_CA_NAME = "dev-ca.pem"
DEV_TSA_P12_NAME = "dev-tsa.p12"
DEV_CRL_NAME = "dev-ca.crl"
# Where a validator would look for the CA's CRL. Nothing fetches it (the CRL is
# embedded in every signed PDF): the address only tells strict validators
# (EU DSS) that the certificates have revocation information.
DEV_CRL_URL = "http://localhost:8000/dev-pki/dev-ca.crl"


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "IT"),
            x509.NameAttribute(NameOID.LOCALITY_NAME, "Torino"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, settings.MAKERS_SCHOOL_NAME),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _key_usage(*, signs_certificates: bool, commits: bool = True) -> x509.KeyUsage:
    """A CA signs certificates and CRLs; the school's key signs documents, with
    non-repudiation (content_commitment), which PAdES wants; a timestamp
    authority only signs (digital_signature)."""
    return x509.KeyUsage(
        digital_signature=not signs_certificates,
        content_commitment=commits and not signs_certificates,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=signs_certificates,
        crl_sign=signs_certificates,
        encipher_only=False,
        decipher_only=False,
    )


def _dev_ca(now: datetime.datetime) -> tuple[rsa.RSAPrivateKey, x509.Certificate]:
    """The development CA: a self-signed key valid for ten years."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = _name("Makers' School development CA (not for production)")
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - _BACKDATED)
        .not_valid_after(now + datetime.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(signs_certificates=True), critical=True)
        .add_extension(
            x509.SubjectKeyIdentifier.from_public_key(key.public_key()),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    return key, certificate


def _dev_leaf(
    now: datetime.datetime,
    *,
    ca_key: rsa.RSAPrivateKey,
    ca: x509.Certificate,
    common_name: str,
    timestamps: bool = False,
) -> tuple[rsa.RSAPrivateKey, x509.Certificate]:
    """A key and its certificate issued by the CA, naming the CA's CRL: the
    school's signing key, or (timestamps) the timestamp authority's."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    if timestamps:
        usages = x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING])
    else:
        usages = x509.ExtendedKeyUsage(
            [ExtendedKeyUsageOID.EMAIL_PROTECTION, ExtendedKeyUsageOID.CODE_SIGNING]
        )
    crl_point = x509.DistributionPoint(
        full_name=[x509.UniformResourceIdentifier(DEV_CRL_URL)],
        relative_name=None,
        reasons=None,
        crl_issuer=None,
    )
    certificate = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - _BACKDATED)
        .not_valid_after(now + (6 if timestamps else 3) * _YEAR)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), True)
        .add_extension(
            _key_usage(signs_certificates=False, commits=not timestamps),
            critical=True,
        )
        # RFC 3161: a timestamp authority's extended key usage is critical.
        .add_extension(usages, critical=timestamps)
        .add_extension(x509.CRLDistributionPoints([crl_point]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
            critical=False,
        )
        .add_extension(
            x509.SubjectKeyIdentifier.from_public_key(key.public_key()),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    return key, certificate


def _dev_crl(
    now: datetime.datetime, *, ca_key: rsa.RSAPrivateKey, ca: x509.Certificate
) -> bytes:
    """The CA's CRL (DER): nothing revoked, valid as long as the CA, so the
    demo's signatures carry revocation information without any server."""
    crl = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(ca.subject)
        .last_update(now - _BACKDATED)
        .next_update(ca.not_valid_after_utc)
        .add_extension(x509.CRLNumber(1), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    return crl.public_bytes(serialization.Encoding.DER)


def _p12(*, name: bytes, key, certificate, ca, passphrase: str) -> bytes:
    return pkcs12.serialize_key_and_certificates(
        name=name,
        key=key,
        cert=certificate,
        cas=[ca],
        encryption_algorithm=serialization.BestAvailableEncryption(passphrase.encode()),
    )


def dev_pki_complete(directory: Path) -> bool:
    """Whether `directory` holds the whole development PKI (a key made before
    the timestamp authority and CRL existed does not)."""
    names = (DEV_P12_NAME, DEV_TSA_P12_NAME, DEV_CRL_NAME, DEV_PASSPHRASE_NAME)
    return all((Path(directory) / name).exists() for name in names)


def _dev_pki_write(directory: Path, *, p12_path: Path) -> None:
    """Make the development PKI and write its files (dev_signing_key_create)."""
    now = datetime.datetime.now(datetime.UTC)
    ca_key, ca = _dev_ca(now)
    school = settings.MAKERS_SCHOOL_NAME
    key, certificate = _dev_leaf(
        now, ca_key=ca_key, ca=ca, common_name=f"{school} (development)"
    )
    tsa_key, tsa = _dev_leaf(
        now,
        ca_key=ca_key,
        ca=ca,
        common_name=f"{school} development timestamp authority",
        timestamps=True,
    )
    passphrase = secrets.token_urlsafe(24)
    _write_private(directory / DEV_PASSPHRASE_NAME, passphrase.encode() + b"\n")
    _write_private(directory / DEV_CA_NAME, ca.public_bytes(serialization.Encoding.PEM))
    _write_private(directory / DEV_CRL_NAME, _dev_crl(now, ca_key=ca_key, ca=ca))
    _write_private(
        directory / DEV_TSA_P12_NAME,
        _p12(
            name=b"makers-school-dev-tsa",
            key=tsa_key,
            certificate=tsa,
            ca=ca,
            passphrase=passphrase,
        ),
    )
    _write_private(
        p12_path,
        _p12(
            name=b"makers-school-dev",
            key=key,
            certificate=certificate,
            ca=ca,
            passphrase=passphrase,
        ),
    )


def dev_signing_key_create(*, directory: Path, force: bool = False) -> Path:
    """A development CA, and the signing certificate and timestamp authority
    it issued, as PKCS#12.

    Writes dev-signing.p12 and dev-tsa.p12, their passphrase
    (dev-signing.passphrase), the CA's certificate (dev-ca.pem) and CRL
    (dev-ca.crl) into `directory`; keeps an existing complete set unless force
    (an older set without timestamp authority is replaced). Safe when several
    processes run it at once (a file lock). Returns the signing PKCS#12 path.
    For development and tests only: never a production key.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    p12_path = directory / DEV_P12_NAME
    with open(directory / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if dev_pki_complete(directory) and not force:
            return p12_path
        _dev_pki_write(directory, p12_path=p12_path)
    return p12_path


def _write_private(path: Path, data: bytes) -> None:
    temporary = path.with_suffix(path.suffix + ".tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(temporary, path)
