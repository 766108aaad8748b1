"""Archival re-timestamping (PAdES B-LTA): a new document timestamp before the
certificate of the authority that made the last one expires.

A document timestamp proves that the file, with its signature and validation
data, existed when it was made; it proves so only while the timestamp
authority's certificate can be validated. Before it expires, the validation
data of that last timestamp goes into the DSS and a new document timestamp
covers everything: the chain of evidence never lapses.
"""

import datetime
from io import BytesIO

from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.signers.pdf_signer import TimestampDSSContentSettings
from pyhanko.sign.validation import DocumentSecurityStore, validate_pdf_timestamp

from ..exceptions import refuse
from .keys import SigningKey
from .sign import outside_any_event_loop

# The new timestamp's own validation data in its revision, before it: the last
# revision of the file stays a timestamp (see sign._DSS_UNDER_THE_TIMESTAMP).
_DSS_BEFORE = TimestampDSSContentSettings(include_vri=False, update_before_ts=True)


def pdf_archive_timestamp_expiry(*, pdf: bytes) -> datetime.datetime | None:
    """When the certificate of the authority that made the PDF's last document
    timestamp expires; None when the PDF has no document timestamp (a
    certificate signed before PAdES B-LTA)."""
    reader = PdfFileReader(BytesIO(pdf), strict=False)
    timestamps = reader.embedded_timestamp_signatures
    if not timestamps:
        return None
    return timestamps[-1].signer_cert.not_valid_after


def _last_timestamp_into_dss(writer, *, reader, context) -> None:
    """The validation data of the last document timestamp, into the DSS."""
    timestamps = reader.embedded_timestamp_signatures
    if not timestamps:
        return
    last = timestamps[-1]
    status = outside_any_event_loop(
        lambda: validate_pdf_timestamp(last, validation_context=context)
    )
    if not (status.intact and status.valid and status.trusted):
        raise refuse("archive_timestamp_invalid")
    DocumentSecurityStore.supply_dss_in_writer(
        writer,
        last.pkcs7_content,
        paths=(status.validation_path,),
        validation_context=context,
    )


def pdf_archive_timestamp(*, pdf: bytes, key: SigningKey) -> bytes:
    """`pdf` with the validation data of its last document timestamp and a new
    document timestamp over everything, in one incremental revision.

    Raises CertificateError without a timestamp authority (archive_no_tsa) or
    when the last timestamp no longer validates (archive_timestamp_invalid).
    """
    if key.ltv is None:
        raise refuse("archive_no_tsa")
    context = key.ltv.validation_context()
    reader = PdfFileReader(BytesIO(pdf), strict=False)
    writer = IncrementalPdfFileWriter(BytesIO(pdf))
    _last_timestamp_into_dss(writer, reader=reader, context=context)
    stamper = signers.PdfTimeStamper(key.ltv.timestamper)
    output = outside_any_event_loop(
        lambda: stamper.timestamp_pdf(
            writer,
            "sha256",
            validation_context=context,
            output=BytesIO(),
            dss_settings=_DSS_BEFORE,
        )
    )
    return output.getvalue()
