"""Registers, marks and assessments (issue 7): what happened at each session of
an edition and what each trainee achieved. Written only by attendance.services;
read by attendance.selectors.

The tables were created by enrolment's migrations and moved here without a copy
(attendance/migrations/0001 and 0002).
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.storage import private_storage
from enrolment.models import Enrolment

# A session never lasts longer than a day: the most a record can hold. The exact
# bound (the session's length) crosses a relation, so the service checks it.
MAX_SESSION_MINUTES = 24 * 60


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    LATE = "late", _("Late")
    LEFT_EARLY = "left_early", _("Left early")
    ABSENT = "absent", _("Absent")
    EXCUSED = "excused", _("Excused")


# Statuses that count minutes towards the attendance percentage.
ATTENDED_STATUSES = (
    AttendanceStatus.PRESENT,
    AttendanceStatus.LATE,
    AttendanceStatus.LEFT_EARLY,
)
# Excused counts as absent for the percentage and for a mandatory session.
MISSED_STATUSES = (AttendanceStatus.ABSENT, AttendanceStatus.EXCUSED)

# The short code of each status in a register's cells (staff grid, PDF, CSV) and
# its legend: defined here once, each translated on its own (never the first
# letter of the label: "Assente" and "Assente giustificato" would both be "A").
# Each language's codes must be distinct (tests/attendance/test_attendance_selectors).
ATTENDANCE_CODES = {
    AttendanceStatus.PRESENT: pgettext_lazy("attendance code of Present", "P"),
    AttendanceStatus.LATE: pgettext_lazy("attendance code of Late", "L"),
    AttendanceStatus.LEFT_EARLY: pgettext_lazy("attendance code of Left early", "LE"),
    AttendanceStatus.ABSENT: pgettext_lazy("attendance code of Absent", "A"),
    AttendanceStatus.EXCUSED: pgettext_lazy("attendance code of Excused", "EX"),
}


def attendance_code(status: str) -> str:
    """The register's short code of a status ("" for an unknown one)."""
    code = ATTENDANCE_CODES.get(status)
    return str(code) if code is not None else ""


def attendance_label(status: str) -> str:
    """A status as people read it ("late" -> "Late"; "" for an unknown one)."""
    return AttendanceStatus(status).label if status in AttendanceStatus.values else ""


def attendance_legend() -> list[tuple[str, str]]:
    """(code, label) of every status, in the register's order."""
    return [(str(code), status.label) for status, code in ATTENDANCE_CODES.items()]


class AttendanceSource(models.TextChoices):
    REGISTER = "register", _("Register")
    CHECK_IN = "check_in", _("Self check-in")
    STAFF = "staff", _("Staff correction")


class AttendanceRecord(models.Model):
    """One trainee's attendance at one session: status and minutes present.

    One per enrolment and session (a unique constraint); absent or excused hold
    no minutes, attended statuses some (check constraints). Only the services in
    attendance.services write it, and each write is audited.
    """

    # Left out of Wagtail's reference index (the admin's "usage" of an edition or
    # a user), which would queue a task on every save (an enrolment's inside the
    # edition's lock); the school's own screens list these rows.
    wagtail_reference_index_ignore = True

    enrolment = models.ForeignKey(
        Enrolment,
        verbose_name=_("enrolment"),
        on_delete=models.CASCADE,
        related_name="attendance_records",
    )
    session = models.ForeignKey(
        "courses.Session",
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        related_name="attendance_records",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=AttendanceStatus.choices
    )
    minutes_present = models.PositiveIntegerField(_("minutes present"), default=0)
    source = models.CharField(
        _("recorded through"),
        max_length=20,
        choices=AttendanceSource.choices,
        default=AttendanceSource.REGISTER,
    )
    # The nonce of the check-in code used, so the same code is refused twice.
    check_in_nonce = models.CharField(_("check-in code"), max_length=32, blank=True)
    # The device a self check-in came from (a random ID in a long-lived cookie):
    # one device per trainee and session, one trainee per device and session.
    check_in_device = models.CharField(_("check-in device"), max_length=64, blank=True)
    # A self check-in counts at once but awaits the instructor's confirmation
    # (docs/decisions: self check-in); a register is not closed before.
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"))
    # When the trainee came in and went out (issue 26): a self check-in sets the
    # entry, the instructor's marks both. Where both are known they are the
    # source of minutes_present (their overlap with the session, computed by the
    # services); minutes_present stays the one figure every percentage reads.
    entered_at = models.DateTimeField(_("entry time"), null=True, blank=True)
    exited_at = models.DateTimeField(_("exit time"), null=True, blank=True)

    class Meta:
        verbose_name = _("attendance record")
        verbose_name_plural = _("attendance records")
        ordering = ["session__start", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "session"],
                name="attendance_one_per_enrolment_session",
            ),
            models.CheckConstraint(
                condition=Q(minutes_present__gte=0)
                & Q(minutes_present__lte=MAX_SESSION_MINUTES),
                name="attendance_minutes_within_a_day",
            ),
            models.CheckConstraint(
                condition=(
                    Q(status__in=MISSED_STATUSES, minutes_present=0)
                    | Q(status__in=ATTENDED_STATUSES, minutes_present__gt=0)
                ),
                name="attendance_minutes_match_status",
            ),
            models.CheckConstraint(
                condition=Q(entered_at__isnull=True)
                | Q(exited_at__isnull=True)
                | Q(exited_at__gt=models.F("entered_at")),
                name="attendance_exit_after_entry",
            ),
            models.CheckConstraint(
                condition=Q(status__in=ATTENDED_STATUSES)
                | Q(entered_at__isnull=True, exited_at__isnull=True),
                name="attendance_times_only_when_attended",
            ),
            models.UniqueConstraint(
                fields=["session", "check_in_device"],
                condition=~Q(check_in_device=""),
                name="attendance_one_trainee_per_device_session",
            ),
        ]
        # Named as enrolment's migration named it when the table lived there.
        indexes = [
            models.Index(
                fields=["session", "status"], name="enrolment_a_session_b59450_idx"
            )
        ]

    def __str__(self) -> str:
        # Also the audit entry's label; the services pass the related rows loaded.
        status = self.get_status_display()
        return f"{self.enrolment.trainee} · {self.session} · {status}"

    @property
    def attended(self) -> bool:
        return self.status in ATTENDED_STATUSES

    @property
    def awaits_confirmation(self) -> bool:
        """A self check-in the instructor has not confirmed yet."""
        return self.source == AttendanceSource.CHECK_IN and self.confirmed_at is None


class SessionRegister(models.Model):
    """The register of one session, once its instructor closes it.

    A register without this row is open until MAKERS_REGISTER_LOCK_HOURS after the
    session ends; closing it early locks it at once. Locked, only staff with a
    reason change it.
    """

    session = models.OneToOneField(
        "courses.Session",
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        related_name="register",
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # What an auditor reads on the register (issue 26): what was actually
    # covered (the session's topic is what was planned), who taught and who
    # was present with them, and when the lesson actually began and ended.
    topics_covered = models.TextField(_("topics covered"), blank=True, max_length=2000)
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("teacher"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    tutor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tutor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    started_at = models.DateTimeField(_("actual start"), null=True, blank=True)
    ended_at = models.DateTimeField(_("actual end"), null=True, blank=True)

    class Meta:
        verbose_name = _("session register")
        verbose_name_plural = _("session registers")
        constraints = [
            models.CheckConstraint(
                condition=Q(started_at__isnull=True)
                | Q(ended_at__isnull=True)
                | Q(ended_at__gt=models.F("started_at")),
                name="register_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(teacher__isnull=True)
                | Q(tutor__isnull=True)
                | ~Q(tutor=models.F("teacher")),
                name="register_tutor_not_teacher",
            ),
        ]

    def __str__(self) -> str:
        return str(self.session)


def scan_storage():
    """The school's private storage (MAKERS_PRIVATE_ROOT, no URL); a callable,
    so migrations do not freeze a path."""
    return private_storage


def scan_path(instance: "RegisterScan", filename: str) -> str:
    """A random name under the session's folder: never the uploader's name.
    The extension is the one attendance.uploads gives the cleaned file."""
    suffix = filename.rsplit(".", 1)[-1] if "." in filename else "bin"
    return f"registers/{instance.session_id}/{secrets.token_hex(8)}.{suffix}"


class RegisterScan(models.Model):
    """The signed paper sign-in sheet of a session, scanned (PDF, JPEG, PNG).

    Kept with the register in private storage (no URL: permission-checked
    views serve it) and packed into the edition's funder export.
    """

    wagtail_reference_index_ignore = True

    session = models.ForeignKey(
        "courses.Session",
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        related_name="register_scans",
    )
    file = models.FileField(
        _("file"), upload_to=scan_path, storage=scan_storage, max_length=200
    )
    original_name = models.CharField(_("original name"), max_length=200, blank=True)
    content_type = models.CharField(_("type"), max_length=50)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"))

    class Meta:
        verbose_name = _("sign-in sheet scan")
        verbose_name_plural = _("sign-in sheet scans")
        ordering = ["session__start", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.session} · {self.original_name or self.file.name}"

    @property
    def extension(self) -> str:
        return self.file.name.rsplit(".", 1)[-1]


class Assessment(models.Model):
    """Whether a trainee achieved one competency of the course, by whom, when.

    One per enrolment and competency; the score, where given, is 0-100.
    """

    # Left out of Wagtail's reference index (the admin's "usage" of an edition or
    # a user), which would queue a task on every save (an enrolment's inside the
    # edition's lock); the school's own screens list these rows.
    wagtail_reference_index_ignore = True

    enrolment = models.ForeignKey(
        Enrolment,
        verbose_name=_("enrolment"),
        on_delete=models.CASCADE,
        related_name="assessments",
    )
    competency = models.ForeignKey(
        "courses.Competency",
        verbose_name=_("competency"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    achieved = models.BooleanField(_("achieved"), default=False)
    score = models.PositiveSmallIntegerField(_("score (0-100)"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True, max_length=2000)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assessed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    assessed_at = models.DateTimeField(_("assessed at"))

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["enrolment", "competency__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "competency"],
                name="assessment_one_per_enrolment_competency",
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__lte=100),
                name="assessment_score_0_100",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment.trainee} · {self.competency}"
