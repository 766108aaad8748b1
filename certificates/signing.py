"""The school's signature on certificates (PAdES, pyHanko) and its verification.

The key is a PKCS#12 file (MAKERS_SIGNING_P12) opened with MAKERS_SIGNING_PASSPHRASE;
in development `manage.py certificates_signing_key --dev` creates one, signed by a
development CA, in var/signing/ with its passphrase beside it. The key is loaded
once per process and kept (pyHanko's SimpleSigner would re-read it for every
signature). With MAKERS_TSA_URL set, every signature carries an RFC 3161
timestamp from that authority.
"""

import asyncio
import datetime
import fcntl
import hashlib
import os
import re
import secrets
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.conf import settings
from pyhanko.keys.internal import translate_pyca_cryptography_key_to_asn1
from pyhanko.pdf_utils.decode_limits import (
    DecodeLimits,
    DocumentDecodeBudget,
    StreamDecodeLimits,
)
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfDecodeLimitError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.general import get_pyca_cryptography_hash
from pyhanko.sign.signers.pdf_cms import PdfCMSSignedAttributes
from pyhanko.sign.timestamps import HTTPTimeStamper
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from .exceptions import refuse

SIGNATURE_FIELD = "MakersSchoolSignature"
DEV_P12_NAME = "dev-signing.p12"
DEV_PASSPHRASE_NAME = "dev-signing.passphrase"  # noqa: S105  # nosec B105 - a file name
DEV_CA_NAME = "dev-ca.pem"

# What an uploaded PDF may hold before it is read. A certificate of the school is
# one page of a few dozen objects, so these bounds refuse only files that cannot
# be one, and keep the time and memory of reading any upload small: pyHanko's
# time grows with the objects it walks (150,000 form fields took 19 s and
# 280 MB here), and a compressed stream can decode to a thousand times its size.
UPLOAD_MAX_OBJECTS = 2_000
_MiB = 1024 * 1024
UPLOAD_DECODE_LIMITS = DecodeLimits(
    per_stream=StreamDecodeLimits(max_output_size=16 * _MiB),
    document_budget=DocumentDecodeBudget(base_allowance=32 * _MiB, max_ratio=8),
)
_OBJECT = re.compile(rb"(?<![0-9])[0-9]{1,10}\s+[0-9]{1,5}\s+obj\b")
# /Size of a trailer or an XRef stream, /N of an object stream (bare numbers).
# Not a reference (/AP << /N 12 0 R >>).
_DECLARED = re.compile(rb"/(Size|N)\s+([0-9]{1,20})(?![0-9.]|\s+[0-9]+\s+R\b)")


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
    # Room for the signature container in the PDF, worked out once (see
    # _bytes_reserved); None until the first signature.
    bytes_reserved: int | None = None

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
    cache_key = (str(path), stat.st_mtime_ns, stat.st_size, passphrase)
    with _cache_lock:
        if cache_key in _cache:
            return _cache[cache_key]
        try:
            key, cert, others = pkcs12.load_key_and_certificates(
                path.read_bytes(), passphrase
            )
        except (ValueError, TypeError):
            raise refuse("signing_key_unreadable", path=str(path)) from None
        if key is None or cert is None:
            raise refuse("signing_key_unreadable", path=str(path))
        asn1_cert = asn1_x509.Certificate.load(
            cert.public_bytes(serialization.Encoding.DER)
        )
        chain = [
            asn1_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER))
            for c in others or []
        ]
        # The self-signed certificates of the chain are the roots a verifier trusts.
        roots = [c for c in chain if c.self_signed] or chain or [asn1_cert]
        registry = SimpleCertificateStore()
        registry.register_multiple(chain)
        signer = _KeptKeySigner(
            signing_cert=asn1_cert,
            signing_key=translate_pyca_cryptography_key_to_asn1(key),
            cert_registry=registry,
            pyca_key=key,
        )
        loaded = SigningKey(signer=signer, certificate=asn1_cert, trust_roots=roots)
        _cache.clear()
        _cache[cache_key] = loaded
        return loaded


def pdf_sign(
    *,
    pdf: bytes,
    key: SigningKey | None = None,
    reason: str = "",
    location: str = "",
    visible_box: tuple[int, int, int, int] | None = None,
) -> bytes:
    """Sign `pdf` as PAdES (B-B, or B-T with MAKERS_TSA_URL) and return the bytes.

    visible_box (x1, y1, x2, y2 in points on the first page) gives the signature a
    visible field; without it the signature is invisible.
    """
    key = key or signing_key_load()
    writer = IncrementalPdfFileWriter(BytesIO(pdf))
    meta = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason or None,
        location=location or None,
        name=key.certificate.subject.native.get("common_name"),
    )
    timestamper = (
        HTTPTimeStamper(settings.MAKERS_TSA_URL) if settings.MAKERS_TSA_URL else None
    )
    spec = fields.SigFieldSpec(sig_field_name=SIGNATURE_FIELD, box=visible_box)
    reserved = None if timestamper else _bytes_reserved(key)
    output = _outside_any_event_loop(
        lambda: signers.sign_pdf(
            writer,
            meta,
            signer=key.signer,
            timestamper=timestamper,
            new_field_spec=spec,
            bytes_reserved=reserved,
        )
    )
    return output.getvalue()


def _bytes_reserved(key: SigningKey) -> int:
    """The room a signature by this key takes in the PDF, reckoned once per key.

    Without bytes_reserved pyHanko makes a whole dry-run signature before every
    real one, only to measure it: half of a signature's time. Its size depends
    on the key and its certificates, not on the document, so it is measured
    once here, the way pyHanko does (the container's hex length plus its 50 %
    margin). With a timestamp authority pyHanko still estimates each time: the
    authority's answer is part of the container.
    """
    if key.bytes_reserved is None:

        async def measure() -> int:
            container = await key.signer.async_sign(
                hashes.Hash(hashes.SHA256()).finalize(),
                "sha256",
                dry_run=True,
                use_pades=True,
                signed_attr_settings=PdfCMSSignedAttributes(
                    signing_time=datetime.datetime.now(datetime.UTC)
                ),
            )
            size = len(container.dump()) * 2  # written out as a hex string
            return size + 2 * (size // 4)

        key.bytes_reserved = _outside_any_event_loop(lambda: asyncio.run(measure()))
    return key.bytes_reserved


def _outside_any_event_loop(work):
    """Run pyHanko's synchronous API, which calls asyncio.run(), from any caller.

    asyncio.run() refuses to start inside a thread whose event loop is running
    (an ASGI server, a browser-test driver): there the work runs in a short-lived
    thread of its own.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return work()
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(work).result()


@dataclass
class SignatureReport:
    """What a verifier learns from a PDF's embedded signatures."""

    signed: bool = False
    intact: bool = False  # the signed bytes are unchanged
    by_school: bool = False  # made with the school's key, chained to its CA
    covers_whole_file: bool = False  # nothing was added after signing
    signer: str = ""
    signed_at: datetime.datetime | None = None
    timestamped: bool = False
    error: str = ""
    # SHA-256 of the signed byte ranges (the CMS messageDigest), hex, only when
    # the signature is intact and the school's: what identifies the certificate
    # (Certificate.signed_digest), whatever happened to the bytes outside them.
    signed_digest: str = ""

    @property
    def genuine(self) -> bool:
        return self.signed and self.intact and self.by_school and self.covers_whole_file


def pdf_structure_refusal(*, pdf: bytes, max_objects: int | None = None) -> str:
    """Why `pdf` is not even read ("too_many_objects"), or "" to go on.

    A scan of the raw bytes, linear in the file's size: the objects written out
    (`N G obj`), and the counts the file declares for itself, the /Size of its
    cross-reference sections and the /N of its object streams (objects packed
    inside compressed streams, which the scan cannot see), each at most
    `max_objects` (UPLOAD_MAX_OBJECTS).
    """
    limit = UPLOAD_MAX_OBJECTS if max_objects is None else max_objects
    for written, _match in enumerate(_OBJECT.finditer(pdf), start=1):
        if written > limit:
            return "too_many_objects"
    packed = 0
    for match in _DECLARED.finditer(pdf):
        count = int(match.group(2))
        if match.group(1) == b"Size" and count > limit:
            return "too_many_objects"
        if match.group(1) == b"N":
            packed += count
            if packed > limit:
                return "too_many_objects"
    return ""


def pdf_signature_check(
    *, pdf: bytes, key: SigningKey | None = None
) -> SignatureReport:
    """Check the PDF's last signature: intact, the school's, covering the file.

    Never raises on a broken or hostile file: the report says what went wrong.
    """

    report = SignatureReport()
    refusal = pdf_structure_refusal(pdf=pdf)
    if refusal:
        report.error = refusal
        return report
    try:
        key = key or signing_key_load()
    except Exception:  # noqa: BLE001 - no key: we can still say "signed", not "ours"
        key = None
    try:
        reader = PdfFileReader(
            BytesIO(pdf), strict=False, decode_limits=UPLOAD_DECODE_LIMITS
        )
        if reader.encrypted:
            report.error = "encrypted"
            return report
        signatures = reader.embedded_regular_signatures
        if not signatures:
            return report
        embedded = signatures[-1]
        report.signed = True
        context = ValidationContext(
            trust_roots=key.trust_roots if key else [],
            allow_fetching=False,
        )
        status = _outside_any_event_loop(
            lambda: validate_pdf_signature(embedded, signer_validation_context=context)
        )
    except PdfDecodeLimitError:
        report.error = "too_large"
        return report
    except Exception as error:  # noqa: BLE001 - hostile input: report, never 500
        # RecursionError included: references that loop back on themselves.
        report.error = type(error).__name__
        return report
    report.intact = bool(status.intact and status.valid)
    report.covers_whole_file = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    cert = status.signing_cert
    report.signer = cert.subject.human_friendly if cert is not None else ""
    report.signed_at = status.signer_reported_dt
    report.timestamped = status.timestamp_validity is not None
    if key is not None and cert is not None:
        same_key = (
            hashlib.sha256(cert.public_key.dump()).hexdigest() == key.public_key_sha256
        )
        report.by_school = bool(same_key and status.trusted)
    if report.intact and report.by_school:
        report.signed_digest = embedded.compute_digest("sha256").hex()
    return report


def pdf_signed_digest(*, pdf: bytes) -> str:
    """SHA-256 (hex) of the byte ranges that the PDF's last signature covers.

    For a PDF the school has just signed; stored as Certificate.signed_digest.
    """
    reader = PdfFileReader(BytesIO(pdf), strict=False)
    return reader.embedded_regular_signatures[-1].compute_digest("sha256").hex()


# -- the development key -------------------------------------------------------


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "IT"),
            x509.NameAttribute(NameOID.LOCALITY_NAME, "Torino"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, settings.MAKERS_SCHOOL_NAME),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


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
        ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        ca_name = _name("Makers' School development CA (not for production)")
        ca_cert = (
            x509.CertificateBuilder()
            .subject_name(ca_name)
            .issuer_name(ca_name)
            .public_key(ca_key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=False,
                    content_commitment=False,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=True,
                    crl_sign=True,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .add_extension(
                x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()),
                critical=False,
            )
            .sign(ca_key, hashes.SHA256())
        )
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        cert = (
            x509.CertificateBuilder()
            .subject_name(_name(f"{settings.MAKERS_SCHOOL_NAME} (development)"))
            .issuer_name(ca_name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=3 * 365))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True,
                    content_commitment=True,  # non-repudiation, which PAdES wants
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=False,
                    crl_sign=False,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .add_extension(
                x509.ExtendedKeyUsage(
                    [
                        ExtendedKeyUsageOID.EMAIL_PROTECTION,
                        ExtendedKeyUsageOID.CODE_SIGNING,
                    ]
                ),
                critical=False,
            )
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
        passphrase = secrets.token_urlsafe(24)
        data = pkcs12.serialize_key_and_certificates(
            name=b"makers-school-dev",
            key=key,
            cert=cert,
            cas=[ca_cert],
            encryption_algorithm=serialization.BestAvailableEncryption(
                passphrase.encode()
            ),
        )
        _write_private(directory / DEV_PASSPHRASE_NAME, passphrase.encode() + b"\n")
        _write_private(
            directory / DEV_CA_NAME, ca_cert.public_bytes(serialization.Encoding.PEM)
        )
        _write_private(p12_path, data)
    return p12_path


def _write_private(path: Path, data: bytes) -> None:
    temporary = path.with_suffix(path.suffix + ".tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(temporary, path)
