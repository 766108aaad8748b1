"""Signing a certificate's PDF as PAdES B-LTA (B-B without a timestamp
authority): the signature timestamped, the validation data in a DSS, and a
document timestamp over them (signing.ltv says where they come from)."""

import asyncio
import hashlib
import re
from concurrent.futures import ThreadPoolExecutor
from io import BytesIO

from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.metadata.model import VENDOR
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.signers.pdf_signer import (
    DSSContentSettings,
    SigDSSPlacementPreference,
    TimestampDSSContentSettings,
)

from ..exceptions import refuse
from .keys import SigningKey, signing_key_load

SIGNATURE_FIELD = "MakersSchoolSignature"
# The producer a signed PDF names: pyHanko appends its name to the Info
# dictionary's /Producer but writes only its name to the XMP pdf:Producer, and
# a PDF/A file must say the same in both; named from the start, both agree.
SIGNED_PRODUCER = VENDOR
# The validation data in the document timestamp's revision, before the timestamp
# (so the timestamp covers it, and the last revision is the timestamp's: pdfsig
# reads the file as wholly signed). No VRI dictionaries, optional in PAdES and
# only possible after what they describe.
_DSS_UNDER_THE_TIMESTAMP = DSSContentSettings(
    include_vri=False,
    placement=SigDSSPlacementPreference.TOGETHER_WITH_NEXT_TS,
    next_ts_settings=TimestampDSSContentSettings(
        include_vri=False, update_before_ts=True
    ),
)


# The in-process timestamp authority's answers differ in a few bytes (serial,
# nonce): room for them, in hex digits, over the first signature's.
_TIMESTAMP_MARGIN = 256


def pdf_sign(
    *,
    pdf: bytes,
    key: SigningKey | None = None,
    reason: str = "",
    location: str = "",
    visible_box: tuple[int, int, int, int] | None = None,
) -> bytes:
    """Sign `pdf` as PAdES B-LTA (B-B without LtvSources): the timestamped
    signature, then the DSS and the document timestamp over it.

    visible_box (x1, y1, x2, y2 in points on page 1): a visible signature field.

    The room for the signature: pyHanko estimates it (a dry-run signature) for
    the first signature by a key and it is kept for the next (bytes_reserved),
    unless a remote timestamp authority's answer is part of the signature.

    Raises CertificateError (signing_ltv_failed) when the timestamp or the
    validation data cannot be had: nothing is issued half-lasting.
    """
    key = key or signing_key_load()
    ltv = key.ltv
    timestamper = ltv.timestamper if ltv else None
    remote = ltv is not None and ltv.fetching  # an authority over the network
    meta = _metadata(key, reason=reason, location=location)
    try:
        output = outside_any_event_loop(
            lambda: signers.sign_pdf(
                IncrementalPdfFileWriter(BytesIO(pdf)),
                meta,
                signer=key.signer,
                timestamper=timestamper,
                new_field_spec=fields.SigFieldSpec(
                    sig_field_name=SIGNATURE_FIELD, box=visible_box
                ),
                bytes_reserved=None if remote else key.bytes_reserved,
            )
        )
    except Exception as error:
        if ltv is None:
            raise
        # The timestamp authority or a revocation service did not answer, or
        # answered what does not validate: a message, not a half-lasting PDF.
        raise refuse("signing_ltv_failed", error=type(error).__name__) from error
    signed = output.getvalue()
    if key.bytes_reserved is None and not remote:
        key.bytes_reserved = _bytes_reserved_in(signed) + (
            _TIMESTAMP_MARGIN if timestamper else 0
        )
    return signed


def _metadata(
    key: SigningKey, *, reason: str, location: str
) -> signers.PdfSignatureMetadata:
    """PAdES, SHA-256; with the key's LtvSources, the validation data embedded
    and a document timestamp (B-LTA)."""
    ltv = key.ltv
    return signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason or None,
        location=location or None,
        name=key.certificate.subject.native.get("common_name"),
        embed_validation_info=ltv is not None,
        use_pades_lta=ltv is not None,
        validation_context=ltv.validation_context() if ltv else None,
        dss_settings=_DSS_UNDER_THE_TIMESTAMP,
    )


def _bytes_reserved_in(pdf: bytes) -> int:
    """The room (hex digits, as bytes_reserved counts) that the last signature
    of `pdf` has: its /Contents, padded to what pyHanko reserved."""
    signature = PdfFileReader(BytesIO(pdf), strict=False).embedded_regular_signatures
    return 2 * len(signature[-1].sig_object["/Contents"])


def pdf_signed_digest(*, pdf: bytes) -> str:
    """SHA-256 (hex) of the byte ranges that the PDF's last signature covers.

    For a PDF the school has just signed; stored as Certificate.signed_digest.
    """
    reader = PdfFileReader(BytesIO(pdf), strict=False)
    return reader.embedded_regular_signatures[-1].compute_digest("sha256").hex()


# The signature dictionary's /ByteRange, as pyHanko writes it (padded digits).
_BYTE_RANGE = re.compile(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]")


def signed_revision_digest(*, signed: bytes, unsigned_length: int) -> str:
    """pdf_signed_digest for what pdf_sign just wrote, without parsing it again:
    the signature's revision is the first appended to the unsigned PDF (its
    first `unsigned_length` bytes), so its /ByteRange is the first after them;
    the digest covers the two ranges it names, as pyHanko's compute_digest.

    Falls back to pdf_signed_digest when the ranges are not where pyHanko puts
    them (the whole file from 0, the gap before the second range)."""
    match = _BYTE_RANGE.search(signed, unsigned_length)
    if match is not None:
        start, first, second, length = (int(n) for n in match.groups())
        if start == 0 and first <= second and second + length <= len(signed):
            digest = hashlib.sha256()
            digest.update(memoryview(signed)[:first])
            digest.update(memoryview(signed)[second : second + length])
            return digest.hexdigest()
    return pdf_signed_digest(pdf=signed)


def outside_any_event_loop(work):
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
