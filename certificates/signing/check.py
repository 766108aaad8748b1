"""What a verifier learns from a PDF: whether the school's signature is intact and
the school's, and whether what was added after it is only what PAdES allows to
be added (validation data, document timestamps: pyHanko's difference analysis).
Hostile uploads are bounded before reading."""

import datetime
import hashlib
import re
from dataclasses import dataclass
from io import BytesIO

from pyhanko.pdf_utils.decode_limits import (
    DecodeLimits,
    DocumentDecodeBudget,
    StreamDecodeLimits,
)
from pyhanko.pdf_utils.misc import PdfDecodeLimitError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import validate_pdf_signature, validate_pdf_timestamp
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from .keys import SigningKey, signing_key_load
from .sign import SIGNATURE_FIELD, outside_any_event_loop

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


@dataclass
class SignatureReport:
    """What a verifier learns from a PDF's embedded signatures."""

    signed: bool = False
    intact: bool = False  # the signed bytes are unchanged
    by_school: bool = False  # made with the school's key, chained to its CA
    covers_whole_file: bool = False  # nothing was added after signing
    # What was added after signing is only validation data (a DSS) and document
    # timestamps (pyHanko's ModificationLevel.LTA_UPDATES): what Acrobat's "add
    # verification information" and the school's archival re-timestamping add.
    only_ltv_updates: bool = False
    # The long-term shape (PAdES B-LTA): a signature timestamp, a DSS, and at
    # least one document timestamp after the signature.
    document_timestamps: int = 0  # intact ones
    broken_timestamps: int = 0
    has_dss: bool = False
    signer: str = ""
    signed_at: datetime.datetime | None = None
    timestamped: bool = False
    error: str = ""
    # SHA-256 of the signed byte ranges (the CMS messageDigest), hex, only when
    # the signature is intact and the school's: what identifies the certificate
    # (Certificate.signed_digest), whatever happened to the bytes outside them.
    signed_digest: str = ""

    @property
    def unmodified(self) -> bool:
        """Nothing but what PAdES allows was added after signing."""
        return self.covers_whole_file or self.only_ltv_updates

    @property
    def genuine(self) -> bool:
        return self.signed and self.intact and self.by_school and self.unmodified

    @property
    def long_term(self) -> bool:
        return bool(
            self.timestamped
            and self.has_dss
            and self.document_timestamps
            and not self.broken_timestamps
        )


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


def _school_key() -> SigningKey | None:
    try:
        return signing_key_load()
    except Exception:  # noqa: BLE001 - no key: we can still say "signed", not "ours"
        return None


def _school_signature(signatures: list):
    """The school's signature (its field), else the last one: a file signed
    by someone else is reported on by its own last signature."""
    for embedded in signatures:
        if embedded.field_name == SIGNATURE_FIELD:
            return embedded
    return signatures[-1]


def _signature_validated(*, pdf: bytes, key: SigningKey | None, report):
    """(embedded signature, validation status) of the PDF's school signature
    (_school_signature), or (None, None) with report.error set or
    report.signed left False. Reads the DSS and the document timestamps."""
    try:
        reader = PdfFileReader(
            BytesIO(pdf), strict=False, decode_limits=UPLOAD_DECODE_LIMITS
        )
        if reader.encrypted:
            report.error = "encrypted"
            return None, None
        signatures = reader.embedded_regular_signatures
        if not signatures:
            return None, None
        embedded = _school_signature(signatures)
        report.signed = True
        report.has_dss = "/DSS" in reader.root
        context = ValidationContext(
            trust_roots=key.trust_roots if key else [], allow_fetching=False
        )
        status = outside_any_event_loop(
            lambda: validate_pdf_signature(embedded, signer_validation_context=context)
        )
        _timestamps_into(report, reader=reader, after=embedded, context=context)
    except PdfDecodeLimitError:
        report.error = "too_large"
        return None, None
    except Exception as error:  # noqa: BLE001 - hostile input: report, never 500
        # RecursionError included: references that loop back on themselves.
        report.error = type(error).__name__
        return None, None
    return embedded, status


def _timestamps_into(report: SignatureReport, *, reader, after, context) -> None:
    """Count the document timestamps added after the signature `after`: those
    intact, and those broken (bytes changed after they were made)."""
    for timestamp in reader.embedded_timestamp_signatures:
        if timestamp.signed_revision <= after.signed_revision:
            continue
        status = outside_any_event_loop(
            lambda timestamp=timestamp: validate_pdf_timestamp(
                timestamp, validation_context=context
            )
        )
        if status.intact and status.valid:
            report.document_timestamps += 1
        else:
            report.broken_timestamps += 1


def _status_into(report: SignatureReport, *, status, embedded, key) -> None:
    """What the validation status says, written into the report."""
    report.intact = bool(status.intact and status.valid)
    report.covers_whole_file = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    # As pyHanko's difference analysis judges the later revisions together:
    # validation data, document timestamps, and what no reader sees (objects
    # nobody refers to) are accepted; anything else is a modification.
    report.only_ltv_updates = bool(
        status.coverage == SignatureCoverageLevel.ENTIRE_REVISION
        and status.modification_level is not None
        and status.modification_level <= ModificationLevel.LTA_UPDATES
    )
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


def pdf_signature_check(
    *, pdf: bytes, key: SigningKey | None = None
) -> SignatureReport:
    """Check the PDF's school signature: intact, the school's, and nothing but
    validation data and document timestamps added after it.

    Never raises on a broken or hostile file: the report says what went wrong.
    """
    report = SignatureReport()
    refusal = pdf_structure_refusal(pdf=pdf)
    if refusal:
        report.error = refusal
        return report
    key = key or _school_key()
    embedded, status = _signature_validated(pdf=pdf, key=key, report=report)
    if status is not None:
        _status_into(report, status=status, embedded=embedded, key=key)
    return report
