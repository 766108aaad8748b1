"""Writes: the archival re-timestamping of stored certificates (PAdES B-LTA).

Run regularly (`manage.py certificates_retimestamp`, or the
certificates_retimestamp_task): every valid certificate whose last document
timestamp was made by an authority whose certificate expires within
MAKERS_ARCHIVE_RETIMESTAMP_DAYS (or that has none yet) gets a new document
timestamp. The stored PDF is replaced by the extended one; the signed digest,
which identifies the certificate, does not change, so copies downloaded before
keep verifying.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from core.audit import audit_log
from core.locking import row_lock

from .exceptions import CertificateError
from .models import Certificate, CertificateStatus
from .signing import SigningKey, signing_key_load
from .signing.archive import pdf_archive_timestamp, pdf_archive_timestamp_expiry

logger = logging.getLogger(__name__)

ACTION = "makers.certificate.retimestamped"


@dataclass
class RetimestampResult:
    extended: list[str] = field(default_factory=list)  # serials
    failed: dict[str, str] = field(default_factory=dict)  # serial: message
    checked: int = 0


def _pdf(certificate: Certificate) -> bytes | None:
    if not certificate.pdf:
        return None
    try:
        with certificate.pdf.open("rb") as handle:
            return handle.read()
    except OSError:
        return None


def certificate_retimestamp_due(*, pdf: bytes, before: datetime.datetime) -> bool:
    """Whether the PDF needs a new document timestamp: none yet, or the last
    one's authority certificate expires before `before`."""
    expiry = pdf_archive_timestamp_expiry(pdf=pdf)
    return expiry is None or expiry < before


def certificate_retimestamp(
    *, certificate: Certificate, key: SigningKey | None = None
) -> Certificate:
    """Add a document timestamp to the certificate's stored PDF and keep the
    extended file (its SHA-256 and size with it), under a lock on the row.
    Raises CertificateError when it cannot be extended."""
    key = key or signing_key_load()
    with transaction.atomic():
        certificate = row_lock(Certificate.objects.filter(pk=certificate.pk))
        old_name = certificate.pdf.name
        extended = pdf_archive_timestamp(pdf=_pdf(certificate) or b"", key=key)
        certificate.pdf.save(
            old_name.rsplit("/", 1)[-1], ContentFile(extended), save=False
        )
        certificate.pdf_sha256 = hashlib.sha256(extended).hexdigest()
        certificate.pdf_size = len(extended)
        certificate.save(update_fields=["pdf", "pdf_sha256", "pdf_size"])
        audit_log(
            instance=certificate,
            action=ACTION,
            data={"serial": certificate.serial, "pdf_sha256": certificate.pdf_sha256},
        )
        storage = certificate.pdf.storage
        transaction.on_commit(lambda: storage.delete(old_name))
    return certificate


def certificates_retimestamp(
    *, within_days: int | None = None, now: datetime.datetime | None = None
) -> RetimestampResult:
    """Re-timestamp every valid certificate that is due (see the module);
    one failure does not stop the others."""
    days = (
        settings.MAKERS_ARCHIVE_RETIMESTAMP_DAYS if within_days is None else within_days
    )
    before = (now or timezone.now()) + datetime.timedelta(days=days)
    key = signing_key_load()
    result = RetimestampResult()
    certificates = Certificate.objects.filter(status=CertificateStatus.VALID).exclude(
        pdf=""
    )
    for certificate in certificates.only("pk", "serial", "pdf").iterator():
        result.checked += 1
        pdf = _pdf(certificate)
        if pdf is None or not certificate_retimestamp_due(pdf=pdf, before=before):
            continue
        try:
            certificate_retimestamp(certificate=certificate, key=key)
        except CertificateError as error:
            result.failed[certificate.serial] = str(error)
            logger.warning("Not re-timestamped: %s: %s", certificate.serial, error)
        else:
            result.extended.append(certificate.serial)
    return result


@task(queue_name="certificates")
def certificates_retimestamp_task() -> int:
    """The archival re-timestamping as a task (django-tasks), for a scheduler;
    returns how many certificates were extended."""
    return len(certificates_retimestamp().extended)
