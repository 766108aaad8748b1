"""The paper fallback: the instructor uploads the signed sign-in sheet of a
session (then types the marks from it in the register)."""

from __future__ import annotations

import datetime
import hashlib

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from core.audit import audit_log
from courses.models import Session
from people.models import User

from ..exceptions import refuse_attendance
from ..models import RegisterScan
from ..selectors import register_is_locked, user_is_register_staff
from ..uploads import SCAN_TYPES, scan_clean
from ._base import ACTION_SCAN, authorise, lock_date, register_closed_at


@transaction.atomic
def register_scan_add(
    *,
    session: Session,
    actor: User,
    upload: UploadedFile,
    now: datetime.datetime | None = None,
) -> RegisterScan:
    """Keep a scan of the session's signed sign-in sheet with its register: a
    PDF, JPEG or PNG that parses (attendance.uploads), stored as cleaned, in
    private storage, with its SHA-256. The session's instructors while the
    register is open, staff at any time. Audited."""
    now = now or timezone.now()
    authorise(actor=actor, session=session)
    if session.cancelled:
        raise refuse_attendance("session_cancelled")
    closed_at = register_closed_at(session)
    if register_is_locked(
        session=session, closed_at=closed_at, now=now
    ) and not user_is_register_staff(user=actor):
        raise refuse_attendance("locked", date=lock_date(session, closed_at))
    cleaned = scan_clean(upload=upload)
    data = cleaned.read()
    cleaned.seek(0)
    scan = RegisterScan(
        session=session,
        original_name=(upload.name or "")[:200],
        content_type=SCAN_TYPES[cleaned.name.rsplit(".", 1)[-1]],
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=actor,
        uploaded_at=now,
    )
    scan.file.save(cleaned.name, cleaned, save=False)
    try:
        scan.save()
    except Exception:
        scan.file.delete(save=False)
        raise
    audit_log(
        instance=scan,
        action=ACTION_SCAN,
        user=actor,
        data={"session": session.pk, "sha256": scan.sha256, "name": scan.original_name},
    )
    return scan
