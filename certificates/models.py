"""Certificates: what the school certified, as it was on the day of issue.

A Certificate is a snapshot: every field printed on the PDF (and needed later
for an Open Badges 3.0 or Europass credential) is copied in at issue, so renaming
a course or a trainee changes nothing issued. The PDF is in a private storage
(never under MEDIA_URL), served only by a permission-checked view."""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.i18n import localized_property
from core.storage import private_storage

from .credentials.models import OpenBadgeRecord  # noqa: F401 (Django finds it)

SERIAL_RE = r"^[A-Z]{2,6}-[0-9]{4}-[0-9]{6}$"


def _private_storage():
    """The school's one private storage (core.storage); this name stays, as
    the migrations refer to it."""
    return private_storage


def certificate_pdf_path(instance: "Certificate", filename: str) -> str:
    return f"certificates/{instance.issued_on:%Y}/{instance.serial}.pdf"


class CertificateKind(models.TextChoices):
    COMPETENCY = "competency", _("Certificate of competence")
    ATTENDANCE = "attendance", _("Certificate of attendance")


class CertificateStatus(models.TextChoices):
    VALID = "valid", _("Valid")
    REVOKED = "revoked", _("Revoked")
    SUPERSEDED = "superseded", _("Superseded")


class Certificate(models.Model):
    """A certificate (of competence, or of attendance) of one trainee and edition.

    The database refuses two valid ones of a kind for one enrolment, a revocation
    without date and reason, an expiry before the issue, and an attendance outside
    0-100 %. Only certificates.services writes it.
    """

    enrolment = models.ForeignKey(
        "enrolment.Enrolment",
        verbose_name=_("enrolment"),
        null=True,
        blank=True,
        # Erasing a person keeps the certificate verifiable as a school record.
        on_delete=models.SET_NULL,
        related_name="certificates",
    )
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("holder"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="certificates",
    )
    serial = models.CharField(
        _("serial number"),
        max_length=20,
        unique=True,
        validators=[RegexValidator(SERIAL_RE)],
    )
    verification_code = models.CharField(
        _("verification code"), max_length=64, unique=True, editable=False
    )
    kind = models.CharField(
        _("kind"),
        max_length=20,
        choices=CertificateKind.choices,
        default=CertificateKind.COMPETENCY,
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=CertificateStatus.choices,
        default=CertificateStatus.VALID,
        db_index=True,
    )

    # The snapshot: the holder.
    holder_given_name = models.CharField(_("given name"), max_length=150)
    holder_family_name = models.CharField(_("family name"), max_length=150)
    holder_codice_fiscale = models.CharField(
        _("codice fiscale"), max_length=16, blank=True
    )
    # The snapshot: what was learnt, where and when.
    course_code = models.CharField(_("course code"), max_length=20)
    course_title = models.CharField(_("course title (Italian)"), max_length=255)
    course_title_en = models.CharField(
        _("course title (English)"), max_length=255, blank=True
    )
    course_eqf_level = models.PositiveSmallIntegerField(
        _("EQF level"), validators=[MinValueValidator(1), MaxValueValidator(8)]
    )
    teaching_language = models.CharField(_("teaching language"), max_length=8)
    edition_code = models.CharField(_("edition code"), max_length=30)
    edition_start = models.DateField(_("first session"))
    edition_end = models.DateField(_("last session"))
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    hours = models.PositiveSmallIntegerField(_("hours"))
    attendance_percent = models.DecimalField(
        _("attendance (%)"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    # [{code, title(_en), description(_en), eqf_level, esco_uri, ada_code, ...}]
    # (certificates.content.COMPETENCY_KEYS)
    competencies = models.JSONField(_("competencies"), default=list, blank=True)
    # The snapshot: who issued it (an EDC issuer needs name, address, legal id).
    issuer_name = models.CharField(_("issuer"), max_length=200)
    issuer_organisation = models.CharField(
        _("issuing organisation"), max_length=200, blank=True
    )
    issuer_address = models.CharField(_("issuer's address"), max_length=300)
    issuer_country = models.CharField(_("issuer's country"), max_length=2, default="IT")
    issuer_legal_identifier = models.CharField(
        _("issuer's legal identifier"), max_length=40, blank=True
    )
    issuer_accreditation = models.CharField(
        _("issuer's accreditation"), max_length=200, blank=True
    )
    issuer_url = models.URLField(_("issuer's website"), blank=True)
    place_of_issue = models.CharField(_("place of issue"), max_length=100)
    issued_on = models.DateField(_("date of issue"))
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    # Everything the PDF prints, frozen at issue (certificates.content): the
    # certificate re-renders from it identically, whatever changed since.
    printed = models.JSONField(_("printed content"), default=dict, blank=True)

    pdf = models.FileField(
        _("PDF"), storage=_private_storage, upload_to=certificate_pdf_path, blank=True
    )
    pdf_sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64, unique=True)
    pdf_size = models.PositiveIntegerField(_("PDF size (bytes)"), default=0)
    # SHA-256 of what the school's signature covers (its byte ranges): an
    # uploaded PDF is identified by it, so bytes outside the signed ranges (the
    # signature's own hex string) change nothing of what the certificate is.
    signed_digest = models.CharField(
        _("SHA-256 of the signed content"), max_length=64, blank=True
    )

    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_reason = models.TextField(_("reason of revocation"), blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    replaces = models.OneToOneField(
        "self",
        verbose_name=_("replaces"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
    )

    # A certificate points only at people and enrolments, never at content, so
    # Wagtail's reference index ("used in") has nothing to learn from it; left
    # in, every save would queue an index task (500 of them for a bulk run).
    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "kind"],
                condition=Q(status="valid"),
                name="certificate_one_valid_per_enrolment_and_kind",
            ),
            models.CheckConstraint(
                condition=~Q(status="revoked")
                | (Q(revoked_at__isnull=False) & ~Q(revoked_reason="")),
                name="certificate_revoked_has_date_and_reason",
            ),
            models.CheckConstraint(
                condition=Q(status="revoked") | Q(revoked_at__isnull=True),
                name="certificate_revoked_at_only_if_revoked",
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True)
                | Q(valid_until__gte=models.F("issued_on")),
                name="certificate_expiry_after_issue",
            ),
            models.CheckConstraint(
                condition=Q(attendance_percent__gte=0) & Q(attendance_percent__lte=100),
                name="certificate_attendance_0_100",
            ),
            models.CheckConstraint(
                condition=Q(edition_end__gte=models.F("edition_start")),
                name="certificate_edition_dates_ordered",
            ),
            models.CheckConstraint(
                condition=~Q(replaces=models.F("pk")),
                name="certificate_never_replaces_itself",
            ),
            models.UniqueConstraint(
                fields=["signed_digest"],
                condition=~Q(signed_digest=""),
                name="certificate_signed_digest_unique",
            ),
        ]
        indexes = [models.Index(fields=["edition_code", "status"])]

    def __str__(self) -> str:
        return f"{self.serial} · {self.holder_full_name}"

    @property
    def holder_full_name(self) -> str:
        return f"{self.holder_given_name} {self.holder_family_name}".strip()

    localized_course_title = localized_property("course_title")

    def is_expired(self, *, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.valid_until is not None and self.valid_until < today

    @property
    def public_status(self) -> str:
        """valid / revoked / superseded / expired, as the verification page says."""
        if self.status == CertificateStatus.VALID and self.is_expired():
            return "expired"
        return self.status


class SerialCounter(models.Model):
    """The last serial number used in a year; locked while the next is taken."""

    year = models.PositiveSmallIntegerField(_("year"), primary_key=True)
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("serial counter")
        verbose_name_plural = _("serial counters")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class RunStatus(models.TextChoices):
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")


class IssueRun(models.Model):
    """A bulk issue of an edition's certificates, with its progress.

    Progress is kept per enrolment (IssueRunItem), so a run whose worker died can
    be resumed and ends with each certificate issued exactly once. One running
    run per edition at a time.
    """

    edition = models.ForeignKey(
        "courses.CourseEdition",
        verbose_name=_("edition"),
        on_delete=models.CASCADE,
        related_name="certificate_runs",
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=RunStatus.choices,
        default=RunStatus.RUNNING,
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("started at"), default=timezone.now)
    # The last time a worker made progress: a running run silent for longer than
    # MAKERS_CERTIFICATE_RUN_STALL_SECONDS has lost its worker.
    heartbeat_at = models.DateTimeField(_("last progress"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    resumed = models.PositiveSmallIntegerField(_("times resumed"), default=0)

    class Meta:
        verbose_name = _("certificate run")
        verbose_name_plural = _("certificate runs")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition"],
                condition=Q(status="running"),
                name="issuerun_one_running_per_edition",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.edition_id} · {self.created_at:%Y-%m-%d %H:%M}"


class ItemStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ISSUED = "issued", _("Issued")
    FAILED = "failed", _("Failed")


class IssueRunItem(models.Model):
    run = models.ForeignKey(
        IssueRun, on_delete=models.CASCADE, related_name="items", verbose_name=_("run")
    )
    enrolment = models.ForeignKey(
        "enrolment.Enrolment",
        verbose_name=_("enrolment"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ItemStatus.choices,
        default=ItemStatus.PENDING,
    )
    certificate = models.ForeignKey(
        Certificate,
        verbose_name=_("certificate"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The serial number taken for this enrolment when the run started, so the
    # workers never wait on the year's counter while they draw and sign, and a
    # resumed run prints the same number. Unused (a gap) only if the enrolment
    # is refused or certified another way before its turn.
    serial = models.CharField(
        _("serial number"),
        max_length=20,
        blank=True,
        validators=[RegexValidator(SERIAL_RE)],
    )
    message = models.TextField(_("message"), blank=True)

    class Meta:
        verbose_name = _("certificate run item")
        verbose_name_plural = _("certificate run items")
        constraints = [
            models.UniqueConstraint(
                fields=["run", "enrolment"], name="issuerunitem_once_per_run"
            ),
            models.UniqueConstraint(
                fields=["serial"],
                condition=~Q(serial=""),
                name="issuerunitem_serial_taken_once",
            ),
        ]
        indexes = [models.Index(fields=["run", "status"])]

    def __str__(self) -> str:
        return f"{self.run_id} · {self.enrolment_id} · {self.status}"
