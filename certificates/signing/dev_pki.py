"""The development key: a CA and a signing certificate it issued, as PKCS#12.

For development and tests only (`manage.py certificates_signing_key --dev`, the
test fixtures): never a production key.
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

DEV_P12_NAME = "dev-signing.p12"
DEV_PASSPHRASE_NAME = "dev-signing.passphrase"  # noqa: S105  # nosec B105 - a file name
DEV_CA_NAME = "dev-ca.pem"


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "IT"),
            x509.NameAttribute(NameOID.LOCALITY_NAME, "Torino"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, settings.MAKERS_SCHOOL_NAME),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _key_usage(*, signs_certificates: bool) -> x509.KeyUsage:
    """A CA signs certificates and CRLs; the school's key signs documents, with
    non-repudiation (content_commitment), which PAdES wants."""
    return x509.KeyUsage(
        digital_signature=not signs_certificates,
        content_commitment=not signs_certificates,
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
        .not_valid_before(now - datetime.timedelta(days=1))
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


def _dev_signing_certificate(
    now: datetime.datetime, *, ca_key: rsa.RSAPrivateKey, ca: x509.Certificate
) -> tuple[rsa.RSAPrivateKey, x509.Certificate]:
    """The school's development key and its certificate, issued by the CA."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    usages = [ExtendedKeyUsageOID.EMAIL_PROTECTION, ExtendedKeyUsageOID.CODE_SIGNING]
    certificate = (
        x509.CertificateBuilder()
        .subject_name(_name(f"{settings.MAKERS_SCHOOL_NAME} (development)"))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=3 * 365))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), True)
        .add_extension(_key_usage(signs_certificates=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage(usages), critical=False)
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


def dev_signing_key_create(*, directory: Path, force: bool = False) -> Path:
    """A development CA and a signing certificate it issued, as PKCS#12.

    Writes dev-signing.p12, its passphrase (dev-signing.passphrase) and the CA's
    certificate (dev-ca.pem) into `directory`; keeps existing files unless
    force. Safe when several processes run it at once (a file lock). Returns
    the PKCS#12 path. For development and tests only: never a production key.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    p12_path = directory / DEV_P12_NAME
    with open(directory / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if p12_path.exists() and not force:
            return p12_path
        now = datetime.datetime.now(datetime.UTC)
        ca_key, ca = _dev_ca(now)
        key, certificate = _dev_signing_certificate(now, ca_key=ca_key, ca=ca)
        passphrase = secrets.token_urlsafe(24)
        data = pkcs12.serialize_key_and_certificates(
            name=b"makers-school-dev",
            key=key,
            cert=certificate,
            cas=[ca],
            encryption_algorithm=serialization.BestAvailableEncryption(
                passphrase.encode()
            ),
        )
        _write_private(directory / DEV_PASSPHRASE_NAME, passphrase.encode() + b"\n")
        _write_private(
            directory / DEV_CA_NAME, ca.public_bytes(serialization.Encoding.PEM)
        )
        _write_private(p12_path, data)
    return p12_path


def _write_private(path: Path, data: bytes) -> None:
    temporary = path.with_suffix(path.suffix + ".tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(temporary, path)
