"""Writes: issue, revoke, re-issue a certificate; issue an edition's in bulk.

Each service is atomic, locks the rows it decides on, validates before saving,
and writes one audit entry (core.audit, makers.certificate.<what>). Issuing is
idempotent per enrolment: the enrolment row is locked while its certificate is
made, and the database holds one valid certificate per enrolment, so two bulk
runs racing, or a resumed run, never issue twice.
"""

from __future__ import annotations

import datetime
import time

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks import task

from core.audit import audit_log
from core.locking import row_lock
from core.tasks import QUEUE_CERTIFICATES, enqueue_on_commit, retry_policy_set
from courses.models import CourseEdition
from enrolment.models import Enrolment
from people.models import User

from .exceptions import CertificateError, refuse
from .issuing import (
    ISSUER_HOOK,
    certificate_create,
    issuer_default,
    issuer_from_settings,
    serials_take,
    verification_path,
    verification_url,
)
from .models import (
    Certificate,
    CertificateKind,
    CertificateStatus,
    IssueRun,
    IssueRunItem,
    ItemStatus,
    RunStatus,
)
from .pdf import Issuer
from .selectors import (
    Eligibility,
    edition_eligibility,
    enrolment_eligibility,
    run_progress,
)

# Kept importable from here, where the other apps and tests have found them.
__all__ = [
    "ISSUER_HOOK",
    "issuer_from_settings",
    "verification_path",
    "verification_url",
]

ACTION_PREFIX = "makers.certificate."


@transaction.atomic
def certificate_issue(
    *,
    enrolment: Enrolment,
    actor: User | None,
    issuer: Issuer | None = None,
    valid_until: datetime.date | None = None,
    serial: str = "",
    kind: str = CertificateKind.COMPETENCY,
) -> Certificate:
    """Issue the enrolment's certificate of that kind (competency or
    attendance), or return the valid one it has.

    Refused, with the reasons, for an enrolment that is not eligible, and when
    the school's signing key is missing. `serial` (the registration number) is
    one a bulk run took for this enrolment beforehand; without it the next of
    the year is taken, in this transaction.
    """
    return _issue(
        enrolment=enrolment,
        actor=actor,
        issuer=issuer,
        valid_until=valid_until,
        serial=serial,
        kind=kind,
    )


def _issue(
    *,
    enrolment: Enrolment,
    actor: User | None,
    issuer: Issuer | None = None,
    valid_until: datetime.date | None = None,
    serial: str = "",
    kind: str = CertificateKind.COMPETENCY,
) -> Certificate:
    """certificate_issue's body, inside the caller's transaction (run_work's,
    which saves the run's item in the same one: no savepoint of its own)."""
    enrolment = row_lock(
        Enrolment.objects.filter(pk=enrolment.pk).select_related(
            "trainee", "edition__course", "edition__venue"
        ),
        no_key=True,
        # The enrolment only (locking the joined rows serialised a whole edition).
        of=("self",),
    )
    eligibility = enrolment_eligibility(enrolment=enrolment, kind=kind)
    if eligibility.certificate is not None:
        return eligibility.certificate
    if not eligibility.eligible:
        raise refuse("not_eligible", reasons=" ".join(eligibility.reasons))
    try:
        with transaction.atomic():
            certificate = certificate_create(
                enrolment=enrolment,
                eligibility=eligibility,
                actor=actor,
                issuer=issuer or issuer_default(),
                valid_until=valid_until,
                serial=serial,
                kind=kind,
            )
    except IntegrityError:
        # Another transaction issued it first (only without row locks: SQLite).
        existing = Certificate.objects.filter(
            enrolment=enrolment, status=CertificateStatus.VALID, kind=kind
        ).first()
        if existing is None:
            raise
        return existing
    audit_log(
        instance=certificate,
        action=f"{ACTION_PREFIX}issued",
        user=actor,
        data={"serial": certificate.serial, "enrolment": enrolment.pk, "kind": kind},
    )
    return certificate


@transaction.atomic
def certificate_revoke(
    *, certificate: Certificate, actor: User | None, reason: str
) -> Certificate:
    """Revoke a valid certificate with a reason; the verification page says so at
    once."""
    reason = (reason or "").strip()
    if not reason:
        raise refuse("reason_required")
    certificate = row_lock(Certificate.objects.filter(pk=certificate.pk))
    if certificate.status == CertificateStatus.REVOKED:
        raise refuse("already_revoked")
    if certificate.status == CertificateStatus.SUPERSEDED:
        replacement = Certificate.objects.filter(replaces=certificate).first()
        raise refuse("superseded", serial=replacement.serial if replacement else "")
    certificate.status = CertificateStatus.REVOKED
    certificate.revoked_at = timezone.now()
    certificate.revoked_reason = reason
    certificate.revoked_by = actor if actor and actor.is_authenticated else None
    certificate.full_clean(exclude=["pdf"], validate_constraints=False)
    certificate.save(
        update_fields=["status", "revoked_at", "revoked_reason", "revoked_by"]
    )
    audit_log(
        instance=certificate,
        action=f"{ACTION_PREFIX}revoked",
        user=actor,
        data={"serial": certificate.serial, "reason": reason},
    )
    return certificate


def _reissuable(old: Certificate) -> tuple[Enrolment, Eligibility]:
    """The (locked) enrolment of a certificate that may be re-issued, with its
    eligibility now; refused for a superseded one, one without an enrolment,
    and an enrolment that is no longer eligible."""
    if old.status == CertificateStatus.SUPERSEDED:
        raise refuse("not_reissuable")
    if old.enrolment_id is None:
        raise refuse("no_enrolment")
    enrolment = row_lock(
        Enrolment.objects.filter(pk=old.enrolment_id).select_related(
            "trainee", "edition__course", "edition__venue"
        ),
        no_key=True,
        of=("self",),
    )
    eligibility = enrolment_eligibility(enrolment=enrolment, kind=old.kind)
    if not eligibility.eligible:
        raise refuse("not_eligible", reasons=" ".join(eligibility.reasons))
    return enrolment, eligibility


def _supersede(old: Certificate) -> None:
    if old.status == CertificateStatus.REVOKED:
        # Keep the revocation in the audit log; the row now says superseded.
        old.revoked_at = None
    old.status = CertificateStatus.SUPERSEDED
    old.save(update_fields=["status", "revoked_at"])


@transaction.atomic
def certificate_reissue(
    *,
    certificate: Certificate,
    actor: User | None,
    reason: str,
    issuer: Issuer | None = None,
) -> Certificate:
    """Issue a corrected certificate (a new serial, today's data) that replaces
    this one, which becomes superseded. The enrolment must still be eligible."""
    reason = (reason or "").strip()
    if not reason:
        raise refuse("reason_required")
    old = row_lock(Certificate.objects.filter(pk=certificate.pk))
    enrolment, eligibility = _reissuable(old)
    _supersede(old)
    new = certificate_create(
        enrolment=enrolment,
        eligibility=eligibility,
        actor=actor,
        issuer=issuer or issuer_default(),
        # A corrected copy keeps the expiry, unless it has passed already.
        valid_until=(
            old.valid_until
            if old.valid_until and old.valid_until >= timezone.localdate()
            else None
        ),
        replaces=old,
        kind=old.kind,
    )
    audit_log(
        instance=old,
        action=f"{ACTION_PREFIX}superseded",
        user=actor,
        data={"serial": old.serial, "replaced_by": new.serial, "reason": reason},
    )
    audit_log(
        instance=new,
        action=f"{ACTION_PREFIX}reissued",
        user=actor,
        data={"serial": new.serial, "replaces": old.serial, "reason": reason},
    )
    return new


# -- bulk issue -----------------------------------------------------------------------


@transaction.atomic
def run_start(*, edition: CourseEdition, actor: User | None) -> IssueRun:
    """Start issuing every eligible certificate of the edition in the background.

    Progress is kept per enrolment; the run's tasks are enqueued after commit.
    """
    edition = row_lock(CourseEdition.objects.filter(pk=edition.pk))
    if IssueRun.objects.filter(edition=edition, status=RunStatus.RUNNING).exists():
        raise refuse("run_in_progress")
    rows = [
        row
        for row in edition_eligibility(edition=edition)
        if row.eligible and row.certificate is None
    ]
    if not rows:
        raise refuse("nothing_eligible")
    run = IssueRun(edition=edition, started_by=actor)
    run.full_clean(validate_constraints=False)
    run.save()
    run_items_create(run=run, enrolments=[row.enrolment for row in rows])
    audit_log(
        instance=edition,
        action=f"{ACTION_PREFIX}run_started",
        user=actor,
        data={"run": run.pk, "count": len(rows)},
    )
    _enqueue(run.pk)
    return run


def run_items_create(
    *, run: IssueRun, enrolments: list[Enrolment]
) -> list[IssueRunItem]:
    """The run's pending items, each with its serial number taken now: the
    year's counter is locked once for the whole run instead of by every
    certificate for as long as it is drawn and signed (which made the workers of
    a run take turns). Inside run_start's transaction."""
    serials = serials_take(year=timezone.localdate().year, count=len(enrolments))
    return IssueRunItem.objects.bulk_create(
        [
            IssueRunItem(run=run, enrolment=enrolment, serial=serial)
            for enrolment, serial in zip(enrolments, serials, strict=True)
        ]
    )


@transaction.atomic
def run_resume(*, run: IssueRun, actor: User | None) -> IssueRun:
    """Resume a stalled run (its worker died): the pending enrolments only."""
    run = row_lock(IssueRun.objects.filter(pk=run.pk))
    if not run_progress(run=run).stalled:
        raise refuse("run_not_stalled")
    run.resumed += 1
    run.heartbeat_at = timezone.now()
    run.save(update_fields=["resumed", "heartbeat_at"])
    audit_log(
        instance=run.edition,
        action=f"{ACTION_PREFIX}run_resumed",
        user=actor,
        data={"run": run.pk},
    )
    _enqueue(run.pk)
    return run


def _enqueue(run_id: int) -> None:
    workers = int(getattr(settings, "MAKERS_CERTIFICATE_RUN_TASKS", 2))
    for _ in range(workers):  # none queued (Redis down): the run shows stalled
        enqueue_on_commit(certificates_issue_task, run_id=run_id)


def _heartbeat_seconds() -> float:
    """How often a worker says it is alive: often enough that a live run never
    looks stalled, seldom enough that the workers of a run do not queue on its
    row for every certificate."""
    return min(5.0, settings.MAKERS_CERTIFICATE_RUN_STALL_SECONDS / 4)


def run_work(*, run_id: int, limit: int | None = None) -> int:
    """Issue the run's pending certificates one by one; returns how many this call
    handled. Each enrolment is claimed under a row lock that other workers skip,
    so several workers share one run, and one that dies leaves its enrolment
    pending for the resume. The item's status is saved with its certificate, in
    one transaction; the run's heartbeat at most every few seconds."""
    handled = 0
    run = IssueRun.objects.select_related("started_by").get(pk=run_id)
    issuer = issuer_default()
    beat_every = _heartbeat_seconds()
    last_beat = None
    while limit is None or handled < limit:
        with transaction.atomic():
            item = (
                IssueRunItem.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(run_id=run_id, status=ItemStatus.PENDING)
                .select_related("enrolment")
                .order_by("pk")
                .first()
            )
            if item is None:
                break
            try:
                certificate = _issue(
                    enrolment=item.enrolment,
                    actor=run.started_by,
                    issuer=issuer,
                    serial=item.serial,
                )
            except CertificateError as error:
                item.status = ItemStatus.FAILED
                item.message = str(error)
            else:
                item.status = ItemStatus.ISSUED
                item.certificate = certificate
            item.save(update_fields=["status", "message", "certificate"])
            now = time.monotonic()
            if last_beat is None or now - last_beat >= beat_every:
                IssueRun.objects.filter(pk=run_id).update(heartbeat_at=timezone.now())
                last_beat = now
        handled += 1
    if not IssueRunItem.objects.filter(
        run_id=run_id, status=ItemStatus.PENDING
    ).exists():
        now = timezone.now()
        IssueRun.objects.filter(pk=run_id, status=RunStatus.RUNNING).update(
            status=RunStatus.DONE, finished_at=now, heartbeat_at=now
        )
    return handled


@task(queue_name=QUEUE_CERTIFICATES)
def certificates_issue_task(run_id: int) -> int:
    """A worker of a bulk issue (django-tasks); several may share one run, and
    a rerun issues only what is still pending."""
    return run_work(run_id=run_id)


# The worker killed (RQ retries an abandoned job too: at once, no scheduler
# needed) or the timestamp authority down (then after 1 and 5 minutes): the
# run goes on by itself, without staff resuming it.
retry_policy_set(certificates_issue_task, max_retries=5, intervals=(0, 60, 300))
